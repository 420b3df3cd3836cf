import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveSubject, treeManifest } from '../../src/subjects/index.ts';
import { TarArchive } from '../../src/subjects/tar.ts';
import { GatechainError } from '../../src/util/errors.ts';
import { tarDirectory, writeBlob, writeImage, writeIndex } from './oci-fixture.ts';

const root = mkdtempSync(join(tmpdir(), 'gatechain-subjects-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
function fresh(): string {
  const dir = join(root, `case-${++counter}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function sha(algorithm: string, data: string): string {
  return createHash(algorithm).update(data).digest('hex');
}

function code(expected: string) {
  return (error: unknown) => {
    if (!(error instanceof GatechainError)) throw error;
    assert.equal(error.code, expected, error.message);
    return true;
  };
}

test('a file subject carries sha256 and sha512 of its bytes', async () => {
  const dir = fresh();
  writeFileSync(join(dir, 'app.bin'), 'hello gatechain\n');
  const subject = await resolveSubject('app.bin', { cwd: dir });
  assert.deepEqual(subject, {
    name: 'app.bin',
    digest: { sha256: sha('sha256', 'hello gatechain\n'), sha512: sha('sha512', 'hello gatechain\n') },
  });
});

test('directory digest: the documented manifest, independent of creation order and timestamps', async () => {
  const files: [string, string][] = [
    ['src/main.ts', 'export {};\n'],
    ['README.md', '# x\n'],
    ['src/a/b.txt', 'b'],
    ['Z.txt', 'z'],
  ];
  const first = fresh();
  const second = fresh();
  for (const [path, content] of files) {
    mkdirSync(join(first, path, '..'), { recursive: true });
    writeFileSync(join(first, path), content);
  }
  for (const [path, content] of [...files].reverse()) {
    mkdirSync(join(second, path, '..'), { recursive: true });
    writeFileSync(join(second, path), content);
    utimesSync(join(second, path), new Date('2001-01-01'), new Date('2001-01-01'));
  }
  // Noise that must not count: .git (directory or worktree file), the store, empty directories.
  mkdirSync(join(second, '.git', 'objects'), { recursive: true });
  writeFileSync(join(second, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(join(second, 'empty'));
  mkdirSync(join(second, '.gatechain'));
  writeFileSync(join(second, '.gatechain', 'store.db'), 'changes with every recorded attestation');
  mkdirSync(join(second, 'src', 'vendored'), { recursive: true });
  writeFileSync(join(second, 'src', 'vendored', '.git'), 'gitdir: ../../.git/modules/vendored\n');
  const a = await resolveSubject(first, { cwd: root });
  const b = await resolveSubject(second, { cwd: root });
  assert.equal(a.digest['sha256'], b.digest['sha256']);

  // The digest is exactly the sha256 of the documented manifest, computed here by hand.
  const manifest =
    'gatechain-tree-v1\n' +
    `100644 ${sha('sha256', '# x\n')} README.md\n` +
    `100644 ${sha('sha256', 'z')} Z.txt\n` +
    `100644 ${sha('sha256', 'b')} src/a/b.txt\n` +
    `100644 ${sha('sha256', 'export {};\n')} src/main.ts\n`;
  assert.equal(a.digest['sha256'], sha('sha256', manifest));

  // Content, the executable bit and symlinks all count.
  chmodSync(join(second, 'Z.txt'), 0o755);
  const executable = await resolveSubject(second, { cwd: root });
  assert.notEqual(executable.digest['sha256'], a.digest['sha256']);
  symlinkSync('README.md', join(first, 'link'));
  const linked = await resolveSubject(first, { cwd: root });
  assert.notEqual(linked.digest['sha256'], a.digest['sha256']);
});

test('treeManifest sorts by UTF-8 bytes, not by locale', () => {
  const manifest = treeManifest([
    { path: 'é', mode: '100644', sha256: 'a'.repeat(64) },
    { path: 'z', mode: '100644', sha256: 'b'.repeat(64) },
    { path: 'Z', mode: '100755', sha256: 'c'.repeat(64) },
  ]);
  assert.deepEqual(
    manifest
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.split(' ')[2]),
    ['Z', 'z', 'é'],
  );
});

test('git and git:HEAD give the HEAD commit and its tree', async () => {
  const repo = fresh();
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@e',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@e',
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env }).toString().trim();
  git('init', '-q');
  writeFileSync(join(repo, 'f.txt'), 'one\n');
  git('add', 'f.txt');
  git('commit', '-q', '-m', 'first');
  const commit = git('rev-parse', 'HEAD');
  const tree = git('rev-parse', 'HEAD^{tree}');
  for (const spec of ['git', 'git:HEAD']) {
    const subject = await resolveSubject(spec, { cwd: repo });
    assert.deepEqual(subject.digest, { gitCommit: commit, gitTree: tree });
  }
  await assert.rejects(resolveSubject('git:HEAD', { cwd: fresh() }), code('SUBJECT_NOT_FOUND'));
  await assert.rejects(resolveSubject('git:--output=x', { cwd: repo }), code('SUBJECT_SPEC_INVALID'));
});

test('oci-layout: the manifest digest from index.json; several images need @name', async () => {
  const layout = fresh();
  const web = writeImage(layout, 'web');
  writeIndex(layout, [{ blob: web, annotations: { 'org.opencontainers.image.ref.name': '1.0' } }]);
  const subject = await resolveSubject(`oci-layout:${layout}`, { cwd: root });
  assert.deepEqual(subject.digest, { sha256: web.hex });
  assert.equal(subject.mediaType, 'application/vnd.oci.image.manifest.v1+json');
  assert.equal(subject.name, '1.0');

  const api = writeImage(layout, 'api');
  writeIndex(layout, [
    { blob: web, annotations: { 'org.opencontainers.image.ref.name': 'web' } },
    { blob: api, annotations: { 'org.opencontainers.image.ref.name': 'api' } },
  ]);
  await assert.rejects(resolveSubject(`oci-layout:${layout}`, { cwd: root }), code('OCI_REF_REQUIRED'));
  assert.deepEqual((await resolveSubject(`oci-layout:${layout}@api`, { cwd: root })).digest, {
    sha256: api.hex,
  });
  await assert.rejects(resolveSubject(`oci-layout:${layout}@nope`, { cwd: root }), code('OCI_REF_NOT_FOUND'));
});

test('oci-layout: a manifest blob that does not hash to its index.json digest is refused', async () => {
  const layout = fresh();
  const image = writeImage(layout, 'x');
  writeIndex(layout, [{ blob: image }]);
  writeFileSync(join(layout, 'blobs', 'sha256', image.hex), 'swapped content');
  await assert.rejects(
    resolveSubject(`oci-layout:${layout}`, { cwd: root }),
    code('OCI_BLOB_DIGEST_MISMATCH'),
  );
  rmSync(join(layout, 'blobs', 'sha256', image.hex));
  await assert.rejects(resolveSubject(`oci-layout:${layout}`, { cwd: root }), code('OCI_BLOB_MISSING'));
  rmSync(join(layout, 'oci-layout'));
  await assert.rejects(resolveSubject(`oci-layout:${layout}`, { cwd: root }), code('OCI_LAYOUT_INVALID'));
});

for (const format of ['ustar', 'pax', 'gnu'] as const) {
  test(`oci-archive (${format} tar): same manifest digest as the layout it packs`, async () => {
    const layout = fresh();
    const image = writeImage(layout, `archived-${format}`);
    writeIndex(layout, [{ blob: image, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }]);
    const archive = join(fresh(), 'image.tar');
    tarDirectory(layout, archive, format);
    const subject = await resolveSubject(`oci-archive:${archive}`, { cwd: root });
    assert.deepEqual(subject.digest, { sha256: image.hex });
    assert.deepEqual((await resolveSubject(`oci-archive:${archive}@v1`, { cwd: root })).digest, {
      sha256: image.hex,
    });
  });
}

test('tar reader: long member names through pax and GNU extensions', () => {
  for (const format of ['pax', 'gnu'] as const) {
    const dir = fresh();
    const longName = `${'d'.repeat(80)}/${'f'.repeat(90)}.json`;
    mkdirSync(join(dir, 'd'.repeat(80)));
    writeFileSync(join(dir, longName), '{"ok":true}');
    const archive = join(fresh(), 'long.tar');
    tarDirectory(dir, archive, format);
    const tar = TarArchive.open(archive);
    try {
      assert.equal(tar.read(longName)?.toString(), '{"ok":true}');
    } finally {
      tar.close();
    }
  }
});

test('docker-archive: Docker ≥ 25 tarballs use index.json; legacy ones are refused with a way out', async () => {
  const modern = fresh();
  const image = writeImage(modern, 'docker');
  writeIndex(modern, [
    {
      blob: image,
      annotations: {
        'io.containerd.image.name': 'docker.io/library/app:1.0',
        'org.opencontainers.image.ref.name': '1.0',
      },
    },
  ]);
  writeFileSync(
    join(modern, 'manifest.json'),
    JSON.stringify([{ Config: 'x', RepoTags: ['app:1.0'], Layers: [] }]),
  );
  const modernTar = join(fresh(), 'modern.tar');
  tarDirectory(modern, modernTar);
  const subject = await resolveSubject(`docker-archive:${modernTar}`, { cwd: root });
  assert.deepEqual(subject.digest, { sha256: image.hex });
  assert.equal(subject.name, 'docker.io/library/app:1.0');

  const legacy = fresh();
  const config = writeBlob(legacy, '{"os":"linux"}');
  writeFileSync(
    join(legacy, 'manifest.json'),
    JSON.stringify([{ Config: `blobs/sha256/${config.hex}`, RepoTags: ['app:1.0'], Layers: [] }]),
  );
  const legacyTar = join(fresh(), 'legacy.tar');
  tarDirectory(legacy, legacyTar);
  await assert.rejects(
    resolveSubject(`docker-archive:${legacyTar}`, { cwd: root }),
    code('DOCKER_ARCHIVE_NO_MANIFEST_DIGEST'),
  );
});

test('a file that is not a tar is TAR_INVALID', async () => {
  const dir = fresh();
  writeFileSync(join(dir, 'x.tar'), Buffer.alloc(2048, 7));
  await assert.rejects(resolveSubject('oci-archive:x.tar', { cwd: dir }), code('TAR_INVALID'));
});

test('explicit digests: name@sha256:<hex> and bare sha256:<hex>', async () => {
  const hex = 'ab'.repeat(32);
  assert.deepEqual(await resolveSubject(`ghcr.io/acme/app@sha256:${hex}`, { cwd: root }), {
    name: 'ghcr.io/acme/app',
    digest: { sha256: hex },
  });
  assert.deepEqual(await resolveSubject(`sha256:${hex}`, { cwd: root }), { digest: { sha256: hex } });
  await assert.rejects(resolveSubject('app@sha256:abc', { cwd: root }), code('SUBJECT_DIGEST_INVALID'));
  await assert.rejects(
    resolveSubject(`sha256:${hex.toUpperCase()}`, { cwd: root }),
    code('SUBJECT_DIGEST_INVALID'),
  );
});

test('tag-only image references are refused with an explanation; missing paths are SUBJECT_NOT_FOUND', async () => {
  for (const reference of [
    'nginx:1.25',
    'ghcr.io/o/r:latest',
    'localhost:5000/team/app:dev',
    'registry.example.com/app',
  ]) {
    await assert.rejects(resolveSubject(reference, { cwd: root }), (error: unknown) => {
      assert.ok(error instanceof GatechainError);
      assert.equal(error.code, 'IMAGE_TAG_ONLY', reference);
      assert.match(error.message, /mutable/);
      assert.match(error.message, /@sha256:/);
      return true;
    });
  }
  await assert.rejects(resolveSubject('./missing.txt', { cwd: root }), code('SUBJECT_NOT_FOUND'));
  await assert.rejects(resolveSubject('dist/app.tar', { cwd: root }), code('SUBJECT_NOT_FOUND'));
});
