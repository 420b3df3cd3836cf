import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { writeInstallBundle } from '../../src/admission/install/index.ts';
import { decodeRecord, openLedger, openLedgerReader } from '../../src/ledger/index.ts';
import { FakeApiServer } from './harness.ts';
import { imageOf, makeRoleKey, pod, policyYaml, randomDigest, tempDir } from './helpers.ts';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
const dir = tempDir('ledger-cli');
const policyFile = join(dir, 'policy.yaml');
writeFileSync(policyFile, policyYaml(makeRoleKey()));
const policyDigest = `sha256:${createHash('sha256').update(readFileSync(policyFile)).digest('hex')}`;
const install = join(dir, 'install');
await writeInstallBundle({
  namespace: 'gatechain',
  service: 'gatechain',
  out: install,
  image: `gatechain@sha256:${'a'.repeat(64)}`,
  failurePolicy: 'Fail',
  timeoutSeconds: 5,
  replicas: 1,
  policyFiles: {},
  extraIpAddresses: ['127.0.0.1'],
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function serve(
  store: string,
  port: number,
  extra: string[] = [],
): { child: ChildProcess; stderr: () => string } {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--listen',
      `127.0.0.1:${port}`,
      '--tls-cert',
      join(install, 'tls.crt'),
      '--tls-key',
      join(install, 'tls.key'),
      '--store',
      store,
      '--policy',
      policyFile,
      '--log-level',
      'warn',
      ...extra,
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GATECHAIN_STORE: '' } },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child, stderr: () => stderr };
}

/** Admits one pod once the server answers (connection failures before start-up are retried). */
async function admitWhenUp(port: number, stderr: () => string) {
  const api = new FakeApiServer({
    caCertPem: readFileSync(join(install, 'ca.crt'), 'utf8'),
    validate: { url: `https://127.0.0.1:${port}/validate`, failurePolicy: 'Fail', timeoutSeconds: 5 },
  });
  const image = imageOf(randomDigest());
  for (let attempt = 0; attempt < 100; attempt++) {
    const result = await api.admit(pod([image]), { namespace: 'production' });
    if (!result.failure) return { result, image };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`server did not come up: ${stderr()}`);
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('gatechain serve and the ledger', () => {
  test('serve appends each decision, then releases the ledger on SIGTERM', async () => {
    const store = join(dir, 'store');
    const port = await freePort();
    const { child, stderr } = serve(store, port);
    let image: string;
    try {
      const admitted = await admitWhenUp(port, stderr);
      image = admitted.image;
      assert.equal(admitted.result.allowed, false);
    } finally {
      await stop(child);
    }
    const reader = openLedgerReader(store);
    try {
      const size = await reader.size();
      assert.equal(size, 1);
      assert.equal((await reader.latestPublished())?.size, size);
      const record = decodeRecord(await reader.entry(0));
      if (record.kind !== 'gate-decision') return assert.fail(`expected a gate-decision, got ${record.kind}`);
      assert.equal(record.decision, 'fail');
      assert.equal(record.policyDigest, policyDigest);
      assert.deepEqual(record.subjects, [{ sha256: image.split('@sha256:')[1] }]);
    } finally {
      await reader.close();
    }
    // The lock went with the server: this process can now be the writer.
    const ledger = await openLedger({ storeDir: store });
    await ledger.close();
  });

  test('serve refuses to start while another process holds the ledger lock', async () => {
    const store = join(dir, 'locked');
    const ledger = await openLedger({ storeDir: store });
    try {
      const { child, stderr } = serve(store, await freePort());
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      assert.equal(code, 2);
      assert.match(stderr(), /LEDGER_LOCKED/);
      assert.match(stderr(), new RegExp(`held by process ${process.pid}`));
      assert.match(stderr(), /--no-ledger-records/);
    } finally {
      await ledger.close();
    }
  });

  test('serve --no-ledger-records runs beside a ledger writer and appends nothing', async () => {
    const store = join(dir, 'unrecorded');
    const ledger = await openLedger({ storeDir: store });
    try {
      const port = await freePort();
      const { child, stderr } = serve(store, port, ['--no-ledger-records']);
      try {
        const { result } = await admitWhenUp(port, stderr);
        assert.equal(result.allowed, false);
      } finally {
        await stop(child);
      }
      assert.equal((await ledger.checkpoint()).size, 0);
    } finally {
      await ledger.close();
    }
  });
});
