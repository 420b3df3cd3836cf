/**
 * CLI cold start: `node dist/cli/main.js --version` next to bare `node -e 0`, interleaved in one
 * run, reporting medians and the difference in milliseconds (target: within 150 ms).
 * Build first: npx tsc -p tsconfig.build.json
 * Run: node bench/cli-start.ts [runs]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 30);
const root = join(import.meta.dirname, '..');
const main = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(main)) {
  console.error('dist/cli/main.js is missing: run `npx tsc -p tsconfig.build.json` first');
  process.exit(2);
}

const contenders: [string, string[]][] = [
  ['node -e 0', ['-e', '0']],
  ['node dist/cli/main.js --version', [main, '--version']],
  ['node dist/cli/main.js keys --help', [main, 'keys', '--help']],
];

function once(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsed = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

for (const [, args] of contenders) once(args);
const samples = contenders.map(() => [] as number[]);
for (let i = 0; i < runs; i++) {
  for (const [index, [, args]] of contenders.entries()) samples[index]!.push(once(args));
}
const medians = samples.map(median);
console.log(`node ${process.version}, ${runs} interleaved runs each, medians`);
for (const [index, [label]] of contenders.entries()) {
  console.log(`${label.padEnd(36)} ${medians[index]!.toFixed(1).padStart(7)} ms`);
}
const base = medians[0] as number;
console.log(`--version over bare node: ${((medians[1] as number) - base).toFixed(1)} ms (target ≤ 150 ms)`);
console.log(`keys --help over bare node: ${((medians[2] as number) - base).toFixed(1)} ms`);
