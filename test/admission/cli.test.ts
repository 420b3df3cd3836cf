import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { bundleDigest } from '../../src/attest/index.ts';
import { PredicateType } from '../../src/model/predicate-types.ts';
import { STATEMENT_TYPE_V1, type Statement } from '../../src/model/statement.ts';
import { openStore } from '../../src/store/index.ts';
import { FakeApiServer } from './harness.ts';
import { imageOf, makeRoleKey, pod, policyYaml, randomDigest, sbom, tempDir } from './helpers.ts';
import { createSigstoreMock } from './sigstore-mock.ts';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, GATECHAIN_STORE: '' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const dir = tempDir('admission-cli');
const policyFile = join(dir, 'policy.yaml');
writeFileSync(policyFile, policyYaml(makeRoleKey()));
const out = join(dir, 'install');

describe('gatechain admission install', () => {
  test('writes a CA, a serving certificate and the manifests', () => {
    const result = run(
      [
        'admission',
        'install',
        '--namespace',
        'gatechain',
        '--service',
        'webhook',
        '--out',
        out,
        '--policy',
        policyFile,
        '--extra-ip',
        '127.0.0.1',
        '--timeout-seconds',
        '5',
      ],
      dir,
    );
    assert.equal(result.status, 0, result.stderr);
    const caPem = readFileSync(join(out, 'ca.crt'), 'utf8');
    const leaf = new X509Certificate(readFileSync(join(out, 'tls.crt')));
    const ca = new X509Certificate(caPem);
    assert.equal(ca.ca, true);
    assert.equal(leaf.verify(ca.publicKey), true);
    assert.match(leaf.subjectAltName ?? '', /DNS:webhook\.gatechain\.svc/);
    assert.match(leaf.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.equal(statSync(join(out, 'tls.key')).mode & 0o777, 0o600);
    assert.equal(statSync(join(out, 'ca.key')).mode & 0o777, 0o600);
    const webhooks = parseAllDocuments(readFileSync(join(out, 'webhook-configurations.yaml'), 'utf8')).map(
      (d) => d.toJS(),
    );
    assert.deepEqual(
      webhooks.map((d) => d.kind),
      ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
    );
    for (const config of webhooks) {
      const hook = config.webhooks[0];
      assert.equal(Buffer.from(hook.clientConfig.caBundle, 'base64').toString(), caPem);
      assert.equal(hook.sideEffects, 'None');
      assert.deepEqual(hook.admissionReviewVersions, ['v1']);
      assert.equal(hook.timeoutSeconds, 5);
      assert.equal(hook.failurePolicy, 'Fail');
      assert.deepEqual(hook.namespaceSelector.matchExpressions[0].values, ['gatechain', 'kube-system']);
      assert.equal(hook.clientConfig.service.name, 'webhook');
      assert.ok(
        hook.rules.some((r: { resources: string[] }) => r.resources.includes('pods/ephemeralcontainers')),
      );
      assert.ok(hook.rules.some((r: { resources: string[] }) => r.resources.includes('cronjobs')));
    }
    const server = parseAllDocuments(readFileSync(join(out, 'server.yaml'), 'utf8')).map((d) => d.toJS());
    assert.deepEqual(
      server.map((d) => d.kind),
      ['ServiceAccount', 'Role', 'RoleBinding', 'Secret', 'ConfigMap', 'Deployment', 'Service'],
    );
    const deployment = server.find((d) => d.kind === 'Deployment');
    assert.ok(deployment.spec.template.spec.containers[0].args.includes('/policies/policy.yaml'));
    assert.equal(
      server.find((d) => d.kind === 'ConfigMap').data['policy.yaml'],
      readFileSync(policyFile, 'utf8'),
    );
  });

  test('a bad policy is refused with its file and line', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(policyFile, 'utf8').replace('operator: Equals', 'operator: Matches'));
    const result = run(
      [
        'admission',
        'install',
        '--namespace',
        'n',
        '--service',
        's',
        '--out',
        join(dir, 'x'),
        '--policy',
        bad,
      ],
      dir,
    );
    assert.equal(result.status, 2);
    assert.match(result.stderr, /bad\.yaml:\d+: .*operator/);
  });
});

describe('gatechain serve and admission report', () => {
  test('serves the webhooks over TLS in audit mode, then reports what Enforce would have blocked', async () => {
    const store = join(dir, 'store');
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        CLI,
        'serve',
        '--listen',
        `127.0.0.1:${port}`,
        '--tls-cert',
        join(out, 'tls.crt'),
        '--tls-key',
        join(out, 'tls.key'),
        '--store',
        store,
        '--policy',
        policyFile,
        '--mode',
        'audit',
        '--log-level',
        'warn',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      const api = new FakeApiServer({
        caCertPem: readFileSync(join(out, 'ca.crt'), 'utf8'),
        mutate: { url: `https://127.0.0.1:${port}/mutate`, failurePolicy: 'Fail', timeoutSeconds: 5 },
        validate: { url: `https://127.0.0.1:${port}/validate`, failurePolicy: 'Fail', timeoutSeconds: 5 },
      });
      const image = imageOf(randomDigest());
      let result: Awaited<ReturnType<FakeApiServer['admit']>> | undefined;
      for (let attempt = 0; attempt < 100; attempt++) {
        result = await api.admit(pod([image]), { namespace: 'production' });
        if (!result.failure) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(result?.failure, undefined, `server did not come up: ${stderr}`);
      assert.equal(result!.allowed, true);
      assert.ok(result!.warnings.some((w) => w.startsWith('[audit]')));
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    const json = run(['admission', 'report', '--store', store, '--json'], dir);
    assert.equal(json.status, 0, json.stderr);
    const summary = JSON.parse(json.stdout);
    assert.equal(summary.wouldBlock.total, 1);
    assert.equal(summary.wouldBlock.byNamespace.production, 1);
    assert.equal(summary.wouldBlock.byRule['require-chain/ci-signed'], 1);
    const text = run(['admission', 'report', '--store', store], dir);
    assert.match(text.stdout, /Would have been blocked by Enforce \(Audit violations\): 1 request/);
    const reports = JSON.parse(
      run(['admission', 'report', '--store', store, '--policy-reports'], dir).stdout,
    );
    assert.equal(reports[0].apiVersion, 'wgpolicyk8s.io/v1alpha2');
    assert.equal(reports[0].kind, 'PolicyReport');
    assert.equal(reports[0].results[0].result, 'fail');
    assert.equal(reports[0].summary.fail, 1);
  });

  test('serve --trusted-root admits a keyless-signed image under the design example policy', async () => {
    const store = join(dir, 'keyless-store');
    const mock = await createSigstoreMock({ withTlog: true });
    const rootFile = join(dir, 'trusted_root.json');
    writeFileSync(rootFile, JSON.stringify(mock.trustedRoot));
    const hex = randomBytes(32).toString('hex');
    const statement: Statement = {
      _type: STATEMENT_TYPE_V1,
      subject: [{ name: 'ghcr.io/myorg/app', digest: { sha256: hex } }],
      predicateType: PredicateType.cyclonedx,
      predicate: sbom('3.1.0'),
    };
    const bundle = await mock.signKeyless(statement, {
      subject: 'https://github.com/myorg/myapp/.github/workflows/secure-pipeline.yml@refs/heads/main',
      issuer: 'https://token.actions.githubusercontent.com',
    });
    const opened = await openStore({ dir: store });
    await opened.putAttestation({
      bundleJson: JSON.stringify(bundle),
      bundleDigest: bundleDigest(bundle as object),
      subjects: statement.subject,
      predicateType: PredicateType.cyclonedx,
      signerKeyId: 'keyless',
    });
    await opened.close();
    const port = await freePort();
    const example = join(import.meta.dirname, 'fixtures', 'example-clusterpolicy.yaml');
    const child = spawn(
      process.execPath,
      [
        CLI,
        'serve',
        '--listen',
        `127.0.0.1:${port}`,
        '--tls-cert',
        join(out, 'tls.crt'),
        '--tls-key',
        join(out, 'tls.key'),
        '--store',
        store,
        '--policy',
        example,
        '--trusted-root',
        rootFile,
        '--log-level',
        'warn',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      const api = new FakeApiServer({
        caCertPem: readFileSync(join(out, 'ca.crt'), 'utf8'),
        validate: { url: `https://127.0.0.1:${port}/validate`, failurePolicy: 'Fail', timeoutSeconds: 5 },
      });
      let result: Awaited<ReturnType<FakeApiServer['admit']>> | undefined;
      for (let attempt = 0; attempt < 100; attempt++) {
        result = await api.admit(pod([`ghcr.io/myorg/app@sha256:${hex}`]), { namespace: 'production' });
        if (!result.failure) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(result?.failure, undefined, `server did not come up: ${stderr}`);
      assert.equal(result!.allowed, true, result!.message);
      const unsigned = await api.admit(pod([`ghcr.io/myorg/app@${randomDigest()}`]), {
        namespace: 'production',
      });
      assert.equal(unsigned.allowed, false);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  test('serve refuses to start without TLS material', () => {
    const result = run(['serve', '--store', join(dir, 's2')], dir);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--tls-cert and --tls-key are required/);
  });

  test('report on a store without admission records is a usage error', () => {
    const result = run(['admission', 'report', '--store', join(dir, 'empty')], dir);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /no admission records/);
  });
});
