import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GatechainError } from '../util/errors.ts';

/** Files of the sample service the demo walks through the gates. */
const PACKAGE_JSON = {
  name: 'demo-service',
  version: '1.0.0',
  license: 'MIT',
  dependencies: { 'left-pad': '1.3.0' },
};

export const SAMPLE_FILES: Record<string, string> = {
  'package.json': `${JSON.stringify(PACKAGE_JSON, null, 2)}\n`,
  // An npm v3 lockfile, as `npm install` writes it: the extractors read it, not node_modules.
  'package-lock.json': `${JSON.stringify(
    {
      name: 'demo-service',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': PACKAGE_JSON,
        'node_modules/left-pad': {
          version: '1.3.0',
          resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz',
          license: 'WTFPL',
        },
      },
    },
    null,
    2,
  )}\n`,
  'index.js': "import leftPad from 'left-pad';\nexport const pad = (s) => leftPad(s, 8);\n",
};

function git(cwd: string, args: string[]): string {
  const result = spawnSync(
    'git',
    [
      '-c',
      'user.name=gatechain demo',
      '-c',
      'user.email=demo@example.invalid',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    { cwd, encoding: 'utf8' },
  );
  if (result.error || result.status !== 0) {
    throw new GatechainError(
      'DEMO_GIT_FAILED',
      `git ${args[0]} failed: ${result.error?.message ?? result.stderr.trim()}`,
    );
  }
  return result.stdout.trim();
}

export async function createSampleRepo(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(SAMPLE_FILES)) await writeFile(join(dir, name), text);
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'demo: first version']);
}

/** Commits a change so the next build has a different source commit. */
export async function commitChange(dir: string, file: string, text: string, message: string): Promise<void> {
  await writeFile(join(dir, file), text);
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', message]);
}

/** "Builds" the service: a gzip of its sources, deterministic for one commit. */
export async function buildArtifact(dir: string, name: string): Promise<string> {
  const sources = git(dir, ['ls-files']).split('\n');
  const manifest = sources.map(
    (file) => `${file}\n${spawnSync('git', ['show', `HEAD:${file}`], { cwd: dir, encoding: 'utf8' }).stdout}`,
  );
  const path = join(dir, 'build', name);
  await mkdir(join(dir, 'build'), { recursive: true });
  await writeFile(path, gzipSync(manifest.join('\n'), { level: 9 }));
  return path;
}
