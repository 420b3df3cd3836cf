import { stringify } from 'yaml';

export interface InstallOptions {
  namespace: string;
  service: string;
  /** Server image; by digest in production. */
  image: string;
  caCertPem: string;
  certPem: string;
  keyPem: string;
  failurePolicy: 'Fail' | 'Ignore';
  timeoutSeconds: number;
  replicas: number;
  /** Policy files to ship in a ConfigMap, name → YAML text. */
  policies: Record<string, string>;
  mode?: 'audit' | 'enforce';
}

const LABELS = { 'app.kubernetes.io/name': 'gatechain', 'app.kubernetes.io/component': 'admission' };
const PORT = 8443;

/** Workload kinds the webhooks intercept, in the API groups the API server dispatches on. */
const WEBHOOK_RULES = [
  { apiGroups: [''], apiVersions: ['v1'], resources: ['pods', 'pods/ephemeralcontainers'] },
  {
    apiGroups: ['apps'],
    apiVersions: ['v1'],
    resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
  },
  { apiGroups: ['batch'], apiVersions: ['v1'], resources: ['jobs', 'cronjobs'] },
].map((rule) => ({ operations: ['CREATE', 'UPDATE'], ...rule, scope: 'Namespaced' }));

function webhook(options: InstallOptions, name: string, path: string): Record<string, unknown> {
  return {
    name,
    clientConfig: {
      service: { name: options.service, namespace: options.namespace, path, port: 443 },
      caBundle: Buffer.from(options.caCertPem).toString('base64'),
    },
    rules: WEBHOOK_RULES,
    failurePolicy: options.failurePolicy,
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    timeoutSeconds: options.timeoutSeconds,
    // Never intercept the webhook's own namespace: a down webhook must not block its own recovery.
    namespaceSelector: {
      matchExpressions: [
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [options.namespace, 'kube-system'] },
      ],
    },
  };
}

/** ValidatingWebhookConfiguration and MutatingWebhookConfiguration as one multi-document YAML. */
export function webhookConfigurationsYaml(options: InstallOptions): string {
  const validating = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: `${options.service}.${options.namespace}`, labels: LABELS },
    webhooks: [webhook(options, 'validate.gatechain.dev', '/validate')],
  };
  const mutating = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: `${options.service}.${options.namespace}`, labels: LABELS },
    webhooks: [{ ...webhook(options, 'mutate.gatechain.dev', '/mutate'), reinvocationPolicy: 'IfNeeded' }],
  };
  return [validating, mutating].map((doc) => stringify(doc)).join('---\n');
}

/** ServiceAccount, RBAC, TLS Secret, policy ConfigMap, Deployment and Service. */
export function serverManifestsYaml(options: InstallOptions): string {
  const meta = (name: string) => ({ name, namespace: options.namespace, labels: LABELS });
  const serviceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(options.service) };
  // The server reads its store and mounted files only; it needs no access to the Kubernetes API
  // beyond reading its own ConfigMap, so the Role grants exactly that.
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta(options.service),
    rules: [
      {
        apiGroups: [''],
        resources: ['configmaps'],
        resourceNames: [`${options.service}-policies`],
        verbs: ['get', 'watch'],
      },
    ],
  };
  const roleBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta(options.service),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: options.service },
    subjects: [{ kind: 'ServiceAccount', name: options.service, namespace: options.namespace }],
  };
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: meta(`${options.service}-tls`),
    data: {
      'tls.crt': Buffer.from(options.certPem).toString('base64'),
      'tls.key': Buffer.from(options.keyPem).toString('base64'),
    },
  };
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(`${options.service}-policies`),
    data: options.policies,
  };
  const policyArgs = Object.keys(options.policies).flatMap((name) => ['--policy', `/policies/${name}`]);
  const httpsProbe = (path: string) => ({
    httpGet: { path, port: PORT, scheme: 'HTTPS' },
    periodSeconds: 10,
  });
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(options.service),
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: LABELS },
      template: {
        metadata: { labels: LABELS },
        spec: {
          serviceAccountName: options.service,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'gatechain',
              image: options.image,
              args: [
                'serve',
                '--listen',
                `0.0.0.0:${PORT}`,
                '--tls-cert',
                '/tls/tls.crt',
                '--tls-key',
                '/tls/tls.key',
                '--store',
                '/data',
                ...policyArgs,
                ...(options.mode ? ['--mode', options.mode] : []),
              ],
              ports: [{ name: 'https', containerPort: PORT }],
              livenessProbe: httpsProbe('/healthz'),
              readinessProbe: httpsProbe('/readyz'),
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'tls', mountPath: '/tls', readOnly: true },
                { name: 'policies', mountPath: '/policies', readOnly: true },
                { name: 'data', mountPath: '/data' },
              ],
            },
          ],
          volumes: [
            { name: 'tls', secret: { secretName: `${options.service}-tls` } },
            { name: 'policies', configMap: { name: `${options.service}-policies` } },
            { name: 'data', emptyDir: {} },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(options.service),
    spec: { selector: LABELS, ports: [{ name: 'https', port: 443, targetPort: PORT }] },
  };
  return [serviceAccount, role, roleBinding, secret, configMap, deployment, service]
    .map((doc) => stringify(doc))
    .join('---\n');
}
