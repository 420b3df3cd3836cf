/**
 * A stand-in for the Kubernetes API server's webhook dispatch: builds AdmissionReview v1 from
 * manifests, calls the mutating then the validating webhook over TLS (trusting only the CA the
 * install step generated), applies returned JSONPatches, checks the uid echo and the
 * patchType/patch pairing, and applies the failurePolicy when a call fails or times out.
 */
import { randomUUID } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { parseAllDocuments } from 'yaml';

export interface WebhookEndpoint {
  url: string;
  failurePolicy: 'Fail' | 'Ignore';
  timeoutSeconds: number;
  /** The API server appends ?timeout=<n>s; false leaves it off (to test the client-side cut-off). */
  sendTimeoutParameter?: boolean;
}

export interface HarnessOptions {
  caCertPem: string;
  mutate?: WebhookEndpoint;
  validate: WebhookEndpoint;
}

export interface Admission {
  allowed: boolean;
  message?: string;
  code?: number;
  warnings: string[];
  /** The object after mutation, as it would be persisted. */
  object: Record<string, unknown>;
  /** Set when a webhook call failed and the failurePolicy decided. */
  failure?: string;
  patches: unknown[];
}

const GROUPS: Record<string, { group: string; version: string; resource: string }> = {
  Pod: { group: '', version: 'v1', resource: 'pods' },
  Deployment: { group: 'apps', version: 'v1', resource: 'deployments' },
  ReplicaSet: { group: 'apps', version: 'v1', resource: 'replicasets' },
  StatefulSet: { group: 'apps', version: 'v1', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', version: 'v1', resource: 'daemonsets' },
  Job: { group: 'batch', version: 'v1', resource: 'jobs' },
  CronJob: { group: 'batch', version: 'v1', resource: 'cronjobs' },
};

export function manifestsFromYaml(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text).map((doc) => doc.toJS() as Record<string, unknown>);
}

export function admissionReview(
  object: Record<string, unknown>,
  options: {
    namespace: string;
    operation?: 'CREATE' | 'UPDATE';
    uid?: string;
    subResource?: string;
    username?: string;
  },
): Record<string, unknown> {
  const kind = String(object['kind']);
  const gvr = GROUPS[kind] ?? { group: '', version: 'v1', resource: `${kind.toLowerCase()}s` };
  const metadata = (object['metadata'] ?? {}) as Record<string, unknown>;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: options.uid ?? randomUUID(),
      kind: { group: gvr.group, version: gvr.version, kind },
      resource: { group: gvr.group, version: gvr.version, resource: gvr.resource },
      requestKind: { group: gvr.group, version: gvr.version, kind },
      ...(options.subResource ? { subResource: options.subResource } : {}),
      name: String(metadata['name'] ?? ''),
      namespace: options.namespace,
      operation: options.operation ?? 'CREATE',
      userInfo: { username: options.username ?? 'kubernetes-admin', groups: ['system:masters'] },
      object: { ...object, metadata: { ...metadata, namespace: options.namespace } },
      oldObject: null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  };
}

/** Minimal RFC 6902 (add, remove, replace) — enough for what webhooks return. */
export function applyJsonPatch(document: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw new Error('patch is not an array');
  const root = structuredClone(document) as Record<string, unknown>;
  for (const operation of patch as Array<{ op: string; path: string; value?: unknown }>) {
    const segments = operation.path
      .split('/')
      .slice(1)
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = segments.pop();
    if (last === undefined) throw new Error(`bad patch path ${operation.path}`);
    let parent: unknown = root;
    for (const segment of segments) {
      parent = (parent as Record<string, unknown>)[segment];
      if (parent === undefined || parent === null)
        throw new Error(`patch path ${operation.path} does not exist`);
    }
    const container = parent as Record<string, unknown>;
    const list = Array.isArray(parent) ? (parent as unknown[]) : undefined;
    if (operation.op === 'remove') {
      if (!(last in container)) throw new Error(`cannot remove missing ${operation.path}`);
      if (list) list.splice(Number(last), 1);
      else delete container[last];
    } else if (operation.op === 'replace') {
      if (!(last in container)) throw new Error(`cannot replace missing ${operation.path}`);
      container[last] = operation.value;
    } else if (operation.op === 'add') {
      if (list) {
        if (last === '-') list.push(operation.value);
        else list.splice(Number(last), 0, operation.value);
      } else container[last] = operation.value;
    } else {
      throw new Error(`unsupported patch op ${operation.op}`);
    }
  }
  return root;
}

interface CallResult {
  status: number;
  body: unknown;
}

/** POSTs JSON over TLS, trusting only `ca`; rejects after `timeoutMs` like the API server does. */
export function postJson(
  url: string,
  body: unknown,
  ca: string,
  timeoutMs: number,
  rawBody?: string,
): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const payload = rawBody ?? JSON.stringify(body);
    const req = httpsRequest(
      url,
      {
        method: 'POST',
        ca,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // keep text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`webhook call timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

type ReviewResponse = {
  uid: string;
  allowed: boolean;
  status?: { code?: number; message?: string };
  warnings?: string[];
  patchType?: string;
  patch?: string;
};

export class FakeApiServer {
  readonly options: HarnessOptions;
  constructor(options: HarnessOptions) {
    this.options = options;
  }

  async #call(endpoint: WebhookEndpoint, review: Record<string, unknown>): Promise<ReviewResponse> {
    const uid = (review['request'] as { uid: string }).uid;
    const url =
      endpoint.sendTimeoutParameter === false
        ? endpoint.url
        : `${endpoint.url}?timeout=${endpoint.timeoutSeconds}s`;
    const { status, body } = await postJson(
      url,
      review,
      this.options.caCertPem,
      endpoint.timeoutSeconds * 1000,
    );
    if (status !== 200) throw new Error(`webhook answered HTTP ${status}: ${JSON.stringify(body)}`);
    const answer = body as { apiVersion?: string; kind?: string; response?: ReviewResponse };
    if (
      answer.apiVersion !== 'admission.k8s.io/v1' ||
      answer.kind !== 'AdmissionReview' ||
      !answer.response
    ) {
      throw new Error('webhook answer is not an AdmissionReview v1');
    }
    if (answer.response.uid !== uid) throw new Error(`uid mismatch: sent ${uid}, got ${answer.response.uid}`);
    if (typeof answer.response.allowed !== 'boolean') throw new Error('response.allowed missing');
    if ((answer.response.patchType === undefined) !== (answer.response.patch === undefined)) {
      throw new Error('patchType and patch must come together');
    }
    if (answer.response.patchType !== undefined && answer.response.patchType !== 'JSONPatch') {
      throw new Error(`unsupported patchType ${answer.response.patchType}`);
    }
    return answer.response;
  }

  /** Runs one object through mutation (one pass plus one reinvocation) and validation. */
  async admit(
    object: Record<string, unknown>,
    options: { namespace: string; operation?: 'CREATE' | 'UPDATE'; subResource?: string },
  ): Promise<Admission> {
    let current = object;
    const warnings: string[] = [];
    const patches: unknown[] = [];
    if (this.options.mutate) {
      for (let pass = 0; pass < 2; pass++) {
        const review = admissionReview(current, options);
        let response: ReviewResponse;
        try {
          response = await this.#call(this.options.mutate, review);
        } catch (error) {
          if (this.options.mutate.failurePolicy === 'Fail') {
            return {
              allowed: false,
              message: (error as Error).message,
              warnings,
              object: current,
              failure: (error as Error).message,
              patches,
            };
          }
          warnings.push(`mutating webhook ignored: ${(error as Error).message}`);
          break;
        }
        warnings.push(...(response.warnings ?? []));
        if (!response.allowed)
          return { allowed: false, message: response.status?.message, warnings, object: current, patches };
        if (!response.patch) break;
        const patch = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8'));
        patches.push(patch);
        const review2 = review['request'] as { object: Record<string, unknown> };
        current = applyJsonPatch(review2.object, patch) as Record<string, unknown>;
      }
    }
    const review = admissionReview(current, options);
    try {
      const response = await this.#call(this.options.validate, review);
      warnings.push(...(response.warnings ?? []));
      return {
        allowed: response.allowed,
        ...(response.status?.message ? { message: response.status.message } : {}),
        ...(response.status?.code ? { code: response.status.code } : {}),
        warnings,
        object: current,
        patches,
      };
    } catch (error) {
      const failure = (error as Error).message;
      if (this.options.validate.failurePolicy === 'Fail')
        return { allowed: false, message: failure, warnings, object: current, failure, patches };
      return {
        allowed: true,
        warnings: [...warnings, `validating webhook ignored: ${failure}`],
        object: current,
        failure,
        patches,
      };
    }
  }
}

/** The child objects a controller creates, as the API server would see them (Deployment → ReplicaSet → Pod). */
export function controllerChildren(object: Record<string, unknown>): Record<string, unknown>[] {
  const kind = object['kind'];
  const spec = (object['spec'] ?? {}) as Record<string, unknown>;
  const name = String(((object['metadata'] ?? {}) as Record<string, unknown>)['name'] ?? 'x');
  const podFrom = (template: Record<string, unknown>, suffix: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...((template['metadata'] ?? {}) as object), name: `${name}-${suffix}` },
    spec: template['spec'],
  });
  if (kind === 'Deployment') {
    return [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `${name}-rs` },
        spec: { ...spec, replicas: 1 },
      },
    ];
  }
  if (kind === 'CronJob') {
    const jobTemplate = (spec['jobTemplate'] ?? {}) as Record<string, unknown>;
    return [
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: `${name}-job` }, spec: jobTemplate['spec'] },
    ];
  }
  if (kind === 'ReplicaSet' || kind === 'StatefulSet' || kind === 'DaemonSet' || kind === 'Job') {
    return [podFrom((spec['template'] ?? {}) as Record<string, unknown>, 'pod')];
  }
  return [];
}
