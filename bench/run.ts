/**
 * Runs benchmarks one after another (never in parallel: they measure a 2-core machine) and
 * prints their output. `node bench/run.ts` lists them; `node bench/run.ts all` or
 * `node bench/run.ts attest-verify cli-start` runs them. Figures go to bench/RESULTS.md by hand,
 * with the date, load and command, because absolute times on shared machines need a reader's eye.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
// Helper modules that are not benchmarks themselves.
const NOT_BENCHMARKS = new Set(['run', 'ledger-fixture', 'secrets-corpus']);
const available = readdirSync(here)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => name.slice(0, -3))
  .filter((name) => !NOT_BENCHMARKS.has(name))
  .sort();

const wanted = process.argv.slice(2);
if (wanted.length === 0) {
  console.log(`benchmarks: ${available.join(', ')}\nrun: node bench/run.ts all | <name>…`);
  process.exit(0);
}
const selected = wanted.includes('all') ? available : wanted;
const unknown = selected.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of selected) {
  console.log(`\n=== ${name} (${new Date().toISOString()}) ===`);
  const result = spawnSync(process.execPath, [join(here, `${name}.ts`)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
