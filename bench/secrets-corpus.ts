/**
 * Generates the secrets benchmark corpus in bench/.work/secrets/: a source tree of code-like
 * text (TypeScript, Python, Go, YAML, JSON, Markdown) with fake secrets sprinkled in, and a git
 * repository with a long history built with `git fast-import`. Deterministic (seeded), and
 * reused when already present. Every secret is random and fake.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const VERSION = 'secrets-corpus/v3';

let seed = 0x9e3779b9;
function rand(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
}
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = `${ALNUM}+/`;
const rs = (alphabet: string, n: number) => {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
};
const j = (...parts: string[]) => parts.join('');

// Identifier vocabulary: ordinary words, and secret-ish words (keywords of some rules) at about
// one identifier in fifty — still denser than most real code, so the figure is conservative.
const PLAIN = [
  'user',
  'item',
  'value',
  'config',
  'options',
  'request',
  'response',
  'data',
  'result',
  'index',
  'count',
  'name',
  'file',
  'error',
  'message',
  'list',
  'entry',
  'node',
  'parent',
  'child',
  'buffer',
  'stream',
  'client',
  'server',
  'handler',
  'event',
  'state',
  'cache',
  'store',
  'query',
  'filter',
  'order',
  'price',
  'total',
  'amount',
  'status',
  'timeout',
  'retry',
  'limit',
  'offset',
  'page',
  'size',
  'width',
  'height',
  'color',
  'style',
  'render',
  'update',
  'create',
  'delete',
  'fetch',
  'load',
  'save',
  'parse',
  'format',
  'validate',
  'session',
  'account',
  'path',
  'key',
  'hash',
  'digest',
  'signature',
  'schema',
  'model',
  'view',
];
const SECRETISH = ['token', 'auth', 'secret', 'password', 'apiKey', 'credential'];
const pickWord = () => (rand() < 0.02 ? pick(SECRETISH) : pick(PLAIN));
const ident = () => {
  const a = pickWord();
  const b = pickWord();
  return rand() < 0.5 ? `${a}${b[0]?.toUpperCase()}${b.slice(1)}` : a;
};
const sentence = () => Array.from({ length: int(4, 12) }, () => pickWord()).join(' ');

/** One planted secret: a line of code and the family it belongs to. */
function plantedSecret(): { line: string; kind: string } {
  const kinds: (() => { line: string; kind: string })[] = [
    () => ({
      kind: 'aws',
      line: `const awsKeyId = "${j('AK', 'IA', rs('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16))}";`,
    }),
    () => ({ kind: 'aws-secret', line: `aws_secret_access_key = ${rs(B64, 40)}` }),
    () => ({ kind: 'github', line: `const gh = "${j('gh', 'p_', rs(ALNUM, 36))}";` }),
    () => ({ kind: 'npm', line: `//registry.npmjs.org/:_authToken=${j('np', 'm_', rs(ALNUM, 36))}` }),
    () => ({
      kind: 'slack',
      line: `SLACK_BOT = "${j('xo', 'xb-', rs('0123456789', 12), '-', rs('0123456789', 13), '-', rs(ALNUM, 24))}"`,
    }),
    () => ({
      kind: 'slack-webhook',
      line: `url: ${j('https://hooks', '.slack.com/services/T', rs('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 10), '/B', rs('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 10), '/', rs(ALNUM, 24))}`,
    }),
    () => ({ kind: 'stripe', line: `stripe.key = "${j('sk', '_live_', rs(ALNUM, 32))}"` }),
    () => ({
      kind: 'sendgrid',
      line: `SENDGRID = "${j('S', 'G.', rs(`${ALNUM}_-`, 22), '.', rs(`${ALNUM}_-`, 43))}"`,
    }),
    () => ({
      kind: 'basic-auth',
      line: `DATABASE_URL = "postgres://app:${rs(ALNUM, 16)}@db.internal:5432/app"`,
    }),
    () => ({
      kind: 'openai',
      line: `OPENAI = "${j('sk-', 'proj-', rs(ALNUM, 58), 'T3Blbk', 'FJ', rs(ALNUM, 58))}"`,
    }),
    () => ({ kind: 'password', line: `db_password = "${rs(ALNUM, 18)}"` }),
    () => ({
      kind: 'private-key',
      line: `-----${j('BEGIN ', 'RSA PRIVATE KEY')}-----\n${Array.from({ length: 8 }, () => rs(B64, 64)).join('\n')}\n-----${j('END ', 'RSA PRIVATE KEY')}-----`,
    }),
  ];
  return pick(kinds)();
}

function tsFile(lines: number): string {
  const out: string[] = [`import { ${ident()} } from './${pickWord()}.ts';`, ''];
  while (out.length < lines) {
    const fn = ident();
    out.push(`/** ${sentence()}. */`);
    out.push(
      `export async function ${fn}(${ident()}: string, ${ident()}: number): Promise<${pick(['void', 'string', 'number'])}> {`,
    );
    for (let i = int(3, 12); i > 0; i--) {
      const r = rand();
      if (r < 0.3) out.push(`  const ${ident()} = await ${ident()}(${ident()}, ${int(0, 9999)});`);
      else if (r < 0.5) out.push(`  if (!${ident()}) throw new Error("${sentence()}");`);
      else if (r < 0.65) out.push(`  // ${sentence()}`);
      else if (r < 0.8)
        out.push(`  for (const ${ident()} of ${ident()}.${ident()}) ${ident()}.push(${ident()});`);
      else out.push(`  ${ident()}.${ident()} = "${pickWord()}-${pickWord()}";`);
    }
    out.push(`  return ${ident()};`, '}', '');
  }
  return out.join('\n');
}

function pyFile(lines: number): string {
  const out: string[] = [`import ${pickWord()}`, `from ${pickWord()} import ${ident()}`, ''];
  while (out.length < lines) {
    out.push(`def ${pickWord()}_${pickWord()}(${pickWord()}, ${pickWord()}=None):`);
    out.push(`    """${sentence()}."""`);
    for (let i = int(2, 10); i > 0; i--) {
      const r = rand();
      if (r < 0.4) out.push(`    ${pickWord()} = ${pickWord()}.${pickWord()}(${int(0, 100)})`);
      else if (r < 0.6) out.push(`    # ${sentence()}`);
      else out.push(`    if ${pickWord()} is None:\n        raise ValueError("${sentence()}")`);
    }
    out.push(`    return ${pickWord()}`, '');
  }
  return out.join('\n');
}

function yamlFile(lines: number): string {
  const out: string[] = [`${pickWord()}:`];
  while (out.length < lines) {
    out.push(`  ${pickWord()}_${pickWord()}: ${rand() < 0.5 ? int(0, 65535) : `"${pickWord()}"`}`);
    if (rand() < 0.1) out.push(`${pickWord()}:`);
  }
  return out.join('\n');
}

function jsonFile(lines: number): string {
  const entries: string[] = [];
  for (let i = 0; i < lines; i++)
    entries.push(`  "${ident()}${i}": ${rand() < 0.5 ? int(0, 1e6) : `"${sentence()}"`}`);
  return `{\n${entries.join(',\n')}\n}`;
}

function mdFile(lines: number): string {
  const out: string[] = [`# ${sentence()}`, ''];
  while (out.length < lines) out.push(rand() < 0.2 ? `## ${sentence()}` : `${sentence()} ${sentence()}.`);
  return out.join('\n');
}

const GENERATORS = [
  { ext: 'ts', make: tsFile, weight: 4 },
  { ext: 'py', make: pyFile, weight: 2 },
  { ext: 'go', make: tsFile, weight: 1 },
  { ext: 'yaml', make: yamlFile, weight: 1 },
  { ext: 'json', make: jsonFile, weight: 1 },
  { ext: 'md', make: mdFile, weight: 1 },
];
const WEIGHTED = GENERATORS.flatMap((g) => Array.from({ length: g.weight }, () => g));

/** A file's text, with a planted secret in about one file in `plantEvery`. */
function fileText(planted: string[], plantEvery: number): { ext: string; text: string } {
  const generator = pick(WEIGHTED);
  const lines = generator.make(int(40, 220)).split('\n');
  if (rand() < 1 / plantEvery) {
    const secret = plantedSecret();
    lines.splice(int(0, lines.length), 0, secret.line);
    planted.push(secret.kind);
  }
  return { ext: generator.ext, text: `${lines.join('\n')}\n` };
}

export interface Corpus {
  tree: string;
  repo: string;
  treeBytes: number;
  treeFiles: number;
  treePlanted: number;
  repoCommits: number;
}

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function generateTree(dir: string, targetBytes: number): { bytes: number; files: number; planted: number } {
  rmSync(dir, { recursive: true, force: true });
  const planted: string[] = [];
  let bytes = 0;
  let files = 0;
  while (bytes < targetBytes) {
    const { ext, text } = fileText(planted, 60);
    const path = join(
      dir,
      `pkg${files % 40}`,
      `mod${Math.floor(files / 40) % 50}`,
      `${ident()}-${files}.${ext}`,
    );
    writeFile(path, text);
    bytes += Buffer.byteLength(text);
    files++;
  }
  // Ignored output, as a real project has: must not be scanned by either tool.
  writeFile(join(dir, '.gitignore'), 'dist/\n');
  writeFile(join(dir, 'dist', 'bundle.js'), `var k="${j('gh', 'p_', rs(ALNUM, 36))}";\n`);
  return { bytes, files, planted: planted.length };
}

function generateRepo(dir: string, commits: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const chunks: string[] = [];
  const paths = Array.from(
    { length: 300 },
    (_, i) => `src/pkg${i % 20}/${pickWord()}-${i}.${pick(['ts', 'py', 'go'])}`,
  );
  const planted: string[] = [];
  let time = 1_600_000_000;
  for (let c = 1; c <= commits; c++) {
    time += int(60, 86_400);
    chunks.push(
      `commit refs/heads/main\nmark :${c}\ncommitter Dev ${c % 7} <dev${c % 7}@example.test> ${time} +0000\n`,
    );
    const message = `${sentence()}\n`;
    chunks.push(`data ${Buffer.byteLength(message)}\n${message}`);
    if (c > 1) chunks.push(`from :${c - 1}\n`);
    for (let f = int(1, 4); f > 0; f--) {
      const { text } = fileText(planted, 15);
      chunks.push(`M 100644 inline ${pick(paths)}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
    }
  }
  const result = spawnSync('git', ['fast-import', '--quiet'], {
    cwd: dir,
    input: chunks.join(''),
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0) throw new Error(`git fast-import failed: ${result.stderr}`);
  execFileSync('git', ['-C', dir, 'reset', '-q', '--hard', 'main']);
}

/** Creates the corpus unless the same version is already on disk. */
export function ensureCorpus(base: string, options: { treeBytes: number; commits: number }): Corpus {
  const marker = join(base, 'corpus.json');
  const wanted = { version: VERSION, ...options };
  if (existsSync(marker)) {
    const found = JSON.parse(readFileSync(marker, 'utf8')) as Corpus & typeof wanted;
    if (
      found.version === VERSION &&
      found.treeBytes >= options.treeBytes &&
      found.repoCommits === options.commits
    ) {
      return found;
    }
  }
  mkdirSync(base, { recursive: true });
  const tree = join(base, 'tree');
  const repo = join(base, 'repo');
  const stats = generateTree(tree, options.treeBytes);
  generateRepo(repo, options.commits);
  const corpus: Corpus = {
    tree,
    repo,
    treeBytes: stats.bytes,
    treeFiles: stats.files,
    treePlanted: stats.planted,
    repoCommits: options.commits,
  };
  writeFileSync(marker, JSON.stringify({ ...corpus, version: VERSION }, null, 2));
  return corpus;
}
