/**
 * CLI cold start: `node dist/cli/main.js --version` and a whole-chain `verify` (five gates, the
 * demo project's passing release) next to bare `node -e 0`, interleaved in one run, reporting
 * medians and the difference in milliseconds (target for --version: within 150 ms).
 * Build first: npx tsc -p tsconfig.build.json
 * Run: node bench/cli-start.ts [runs]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '../src/demo/run.ts';

const runs = Number(process.argv[2] ?? 30);
const root = join(import.meta.dirname, '..');
const main = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(main)) {
  console.error('dist/cli/main.js is missing: run `npx tsc -p tsconfig.build.json` first');
  process.exit(2);
}

// A real project to verify: the demo's store, keys and policy, with its passing release.
const demoDir = mkdtempSync(join(tmpdir(), 'gatechain-bench-start-'));
process.on('exit', () => rmSync(demoDir, { recursive: true, force: true }));
await runDemo({ dir: demoDir, write: () => {} });
const project = join(demoDir, 'demo-service');

const contenders: [string, string[], string][] = [
  ['node -e 0', ['-e', '0'], root],
  ['node dist/cli/main.js --version', [main, '--version'], root],
  ['node dist/cli/main.js keys --help', [main, 'keys', '--help'], root],
  ['gatechain verify <artifact> (5 gates)', [main, 'verify', 'build/demo-service-1.0.0.tgz'], project],
];

function once(args: string[], cwd: string): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsed = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

for (const [, args, cwd] of contenders) once(args, cwd);
const samples = contenders.map(() => [] as number[]);
for (let i = 0; i < runs; i++) {
  for (const [index, [, args, cwd]] of contenders.entries()) samples[index]!.push(once(args, cwd));
}
const medians = samples.map(median);
console.log(`node ${process.version}, ${runs} interleaved runs each, medians`);
for (const [index, [label]] of contenders.entries()) {
  console.log(`${label.padEnd(36)} ${medians[index]!.toFixed(1).padStart(7)} ms`);
}
const base = medians[0] as number;
console.log(`--version over bare node: ${((medians[1] as number) - base).toFixed(1)} ms (target ≤ 150 ms)`);
console.log(`keys --help over bare node: ${((medians[2] as number) - base).toFixed(1)} ms`);
console.log(`verify (5 gates, 6 bundles) over bare node: ${((medians[3] as number) - base).toFixed(1)} ms`);
