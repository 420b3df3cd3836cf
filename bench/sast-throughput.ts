/**
 * SAST throughput: lines/s of the built-in rules over a generated JS/TS tree, side by side with a
 * bare @babel/parser parse of the same files (same parser options) in the same run.
 * Run: node bench/sast-throughput.ts [files=400]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@babel/parser';
import { BUILTIN_RULES, listSourceFiles, scanSast, scanSource } from '../src/scanners/sast/index.ts';

const FILE_COUNT = Number(process.argv[2] ?? 400);

/** Deterministic pseudo-random source so every run scans the same tree. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const BLOCKS = [
  (i: number) =>
    `export function handler${i}(req, res) {\n  const id = req.params.id;\n  const rows = db.query('SELECT * FROM t WHERE id = $1', [id]);\n  res.json(rows.map((row) => ({ ...row, index: ${i} })));\n}\n`,
  (i: number) =>
    `export class Service${i} {\n  private cache = new Map<string, number>();\n  get(key: string): number | undefined {\n    return this.cache.get(key) ?? ${i};\n  }\n  set(key: string, value: number): void {\n    this.cache.set(key, value);\n  }\n}\n`,
  (i: number) =>
    `const config${i} = {\n  retries: ${i % 7},\n  timeoutMs: ${1000 + i},\n  endpoints: ['https://a.example', 'https://b.example'],\n};\n`,
  (i: number) =>
    `async function load${i}(path: string) {\n  const text = await fs.promises.readFile(path, 'utf8');\n  return JSON.parse(text) as { items: string[] };\n}\n`,
  (i: number) =>
    `// finding: string-built SQL\nfunction search${i}(term) {\n  return pool.query("SELECT * FROM products WHERE name = '" + term + "'");\n}\n`,
  (i: number) =>
    `export const total${i} = (items: { price: number; qty: number }[]) =>\n  items.reduce((sum, item) => sum + item.price * item.qty, 0);\n`,
  (i: number) =>
    `for (let k = 0; k < ${i % 50}; k++) {\n  if (k % 3 === 0) continue;\n  results.push(compute(k, ${i}));\n}\n`,
  (i: number) => `app.get('/r${i}', (req, res) => {\n  res.redirect(req.query.next);\n});\n`,
];

function generate(root: string): void {
  const random = rng(42);
  for (let f = 0; f < FILE_COUNT; f++) {
    const dir = join(root, `pkg${f % 20}`, 'src');
    mkdirSync(dir, { recursive: true });
    let text = `import fs from 'node:fs';\nimport { pool as db } from './db';\n\n`;
    for (let b = 0; b < 40; b++) {
      const block = BLOCKS[Math.floor(random() * BLOCKS.length)]!;
      text += `${block(f * 100 + b)}\n`;
    }
    writeFileSync(join(dir, `module${f}.${f % 2 === 0 ? 'ts' : 'js'}`), text);
  }
}

function parseOnly(text: string, file: string): void {
  parse(text, {
    sourceType: 'module',
    errorRecovery: true,
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    allowImportExportEverywhere: true,
    allowUndeclaredExports: true,
    plugins: /\.[mc]?ts$/.test(file) ? ['typescript'] : ['typescript', 'jsx'],
  });
}

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const root = mkdtempSync(join(tmpdir(), 'gatechain-bench-sast-'));
try {
  generate(root);
  const { files } = await listSourceFiles(root);
  const sources = files.map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));
  const lines = sources.reduce((sum, source) => sum + source.text.split('\n').length, 0);
  const bytes = sources.reduce((sum, source) => sum + Buffer.byteLength(source.text), 0);
  let findings = 0;
  // Warm-up, then best of five for each, interleaved so machine noise hits both alike.
  for (const source of sources.slice(0, 20)) {
    parseOnly(source.text, source.file);
    scanSource(source.text, source.file, BUILTIN_RULES);
  }
  const parseTimes: number[] = [];
  const scanTimes: number[] = [];
  for (let round = 0; round < 5; round++) {
    parseTimes.push(
      time(() => {
        for (const source of sources) parseOnly(source.text, source.file);
      }),
    );
    scanTimes.push(
      time(() => {
        findings = 0;
        for (const source of sources) findings += scanSource(source.text, source.file, BUILTIN_RULES).length;
      }),
    );
  }
  const treeStart = process.hrtime.bigint();
  const tree = await scanSast({ root });
  const treeSeconds = Number(process.hrtime.bigint() - treeStart) / 1e9;
  const parseBest = Math.min(...parseTimes);
  const scanBest = Math.min(...scanTimes);
  const row = (name: string, seconds: number) =>
    `| ${name} | ${seconds.toFixed(3)} | ${Math.round(lines / seconds).toLocaleString('en-US')} | ${(bytes / 1e6 / seconds).toFixed(2)} |`;
  const report = [
    `SAST throughput — ${new Date().toISOString()} — ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), Node ${process.version}`,
    `Tree: ${sources.length} files, ${lines.toLocaleString('en-US')} lines, ${(bytes / 1e6).toFixed(2)} MB; ${BUILTIN_RULES.length} rules; ${findings} findings`,
    '',
    '| run | seconds (best of 5) | lines/s | MB/s |',
    '|---|---|---|---|',
    row('bare @babel/parser parse', parseBest),
    row('scanSource, all rules (in memory)', scanBest),
    row('scanSast on the tree (walk + read + scan, 1 run)', treeSeconds),
    '',
    `Ratio scan / bare parse: ${(scanBest / parseBest).toFixed(2)}× the parse time (rules + taint add ${(((scanBest - parseBest) / parseBest) * 100).toFixed(0)}%).`,
    `Tree scan findings: ${tree.findings.length}.`,
  ].join('\n');
  process.stdout.write(`${report}\n`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
