import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { importSarif } from '../../../src/scanners/sarif/index.ts';
import {
  BUILTIN_RULES,
  PARSE_ERROR_RULE_ID,
  sastSarif,
  scanSast,
  scanSource,
} from '../../../src/scanners/sast/index.ts';
import { GatechainError } from '../../../src/util/errors.ts';

const root = mkdtempSync(join(tmpdir(), 'gatechain-sast-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(relative: string, text: string): void {
  const path = join(root, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

write('.gitignore', 'generated/\n*.bundle.js\n');
write('src/app.js', 'const x = 1;\neval(process.argv[2]);\n');
write('src/nested/.gitignore', 'local.js\n');
write('src/nested/local.js', 'eval(a);\n');
write('src/nested/kept.ts', 'export const f = (s: string) => new RegExp(s);\n');
write('src/broken.ts', 'const = ;\nfunction (\n');
write('src/types.d.ts', 'declare const x: string;\n');
write('generated/out.js', 'eval(a);\n');
write('dist/app.bundle.js', 'eval(a);\n');
write('node_modules/dep/index.js', 'eval(a);\n');
write('src/huge.js', `${'// padding\n'.repeat(2000)}eval(a);\n`);
write('src/ignored-inline.js', 'eval(a); // gatechain-sast-ignore js/eval-injection -- sandboxed REPL\n');
write(
  'report.sarif',
  JSON.stringify({
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Semgrep OSS', semanticVersion: '1.95.0', rules: [{ id: 'r' }] } },
        results: [{ ruleId: 'r', level: 'error', message: { text: 'm' } }],
      },
    ],
  }),
);

test('scanSast walks the tree: .gitignore (nested), node_modules, size cap, parse errors, SARIF merged', async () => {
  const result = await scanSast({ root, sarifFiles: [join(root, 'report.sarif')], maxFileBytes: 10_000 });
  const byFile = result.findings
    .filter((finding) => finding.tool.name === 'gatechain-sast')
    .map((finding) => `${finding.location?.file}:${finding.location?.line}:${finding.ruleId}`)
    .sort();
  assert.deepEqual(byFile, [
    'src/app.js:2:js/eval-injection',
    'src/broken.ts:1:js/parse-error',
    'src/ignored-inline.js:1:js/eval-injection',
    'src/nested/kept.ts:1:js/regexp-injection',
  ]);
  const app = result.findings.find((finding) => finding.location?.file === 'src/app.js');
  assert.equal(app?.severity, 'critical', 'process.argv is attacker input: raised severity');
  const inline = result.findings.find((finding) => finding.location?.file === 'src/ignored-inline.js');
  assert.deepEqual(inline?.suppressions, [{ kind: 'inline', justification: 'sandboxed REPL' }]);
  assert.deepEqual(result.stats.skipped, [
    { file: 'src/types.d.ts', reason: 'type declarations' },
    { file: 'src/huge.js', reason: 'larger than 10000 bytes' },
  ]);
  assert.equal(result.stats.files, 4);
  assert.equal(result.stats.parseErrors, 1);
  assert.deepEqual(result.tools, [
    { name: 'gatechain-sast', version: '1.0.0' },
    { name: 'Semgrep OSS', version: '1.95.0' },
  ]);
  assert.equal(result.findings.filter((finding) => finding.tool.name === 'Semgrep OSS').length, 1);
  assert.match(result.rulesetDigest, /^sha256:[0-9a-f]{64}$/);
});

test('a missing SARIF file is a typed error naming it', async () => {
  await assert.rejects(
    scanSast({ root, sarifFiles: [join(root, 'nope.sarif')] }),
    (error: unknown) =>
      error instanceof GatechainError && error.code === 'SARIF_UNREADABLE' && error.file !== undefined,
  );
});

test('fingerprints survive edits elsewhere in the file and tell identical lines apart', () => {
  const before = scanSource('eval(a);\neval(a);\n', 'f.js', BUILTIN_RULES);
  const after = scanSource('// header\n\neval(a);\neval(a);\n', 'f.js', BUILTIN_RULES);
  assert.equal(before.length, 2);
  assert.deepEqual(
    before.map((finding) => finding.fingerprint),
    after.map((finding) => finding.fingerprint),
  );
  assert.notEqual(before[0]?.fingerprint, before[1]?.fingerprint);
  assert.deepEqual(
    after.map((finding) => finding.location?.line),
    [3, 4],
  );
});

test('an unrecoverable syntax error is one parse-error finding with its line, not a crash', () => {
  const findings = scanSource('let a = 1;\nlet b = `unterminated\n', 'x.js', BUILTIN_RULES);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]?.ruleId, PARSE_ERROR_RULE_ID);
  assert.equal(findings[0]?.severity, 'info');
  assert.equal(findings[0]?.location?.line, 2);
});

test('deeply nested input neither overflows nor hangs', () => {
  const deep = `${'('.repeat(20_000)}a${')'.repeat(20_000)};\n${'a+'.repeat(50_000)}a;\n`;
  const findings = scanSource(deep, 'deep.js', BUILTIN_RULES);
  // Either parsed or refused as a parse error; never an exception or a hang.
  assert.ok(
    findings.every((finding) => finding.ruleId === PARSE_ERROR_RULE_ID || finding.ruleId.startsWith('js/')),
  );
});

test('scanSource on arbitrary text returns findings or throws only GatechainError', () => {
  const snippets = fc.constantFrom(
    'eval(',
    'req.query.x',
    'new RegExp(',
    '${',
    '`',
    '<div dangerouslySetInnerHTML={{__html: x}} />',
    'require("child_process").exec(',
    '[k] = ',
    'Object.assign({}, req.body)',
    '{ rejectUnauthorized: false }',
    'function f(a) {',
    '}',
    ')',
    '/*',
    '"',
    '\n',
  );
  const source = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.array(snippets, { maxLength: 30 }).map((parts) => parts.join(' ')),
  );
  fc.assert(
    fc.property(source, fc.constantFrom('a.js', 'b.ts', 'c.tsx'), (text, file) => {
      try {
        const findings = scanSource(text, file, BUILTIN_RULES);
        for (const finding of findings) assert.ok((finding.location?.line ?? 0) >= 1);
      } catch (error) {
        assert.ok(error instanceof GatechainError, String(error));
      }
    }),
    { numRuns: 300 },
  );
});

test('SARIF output of a scan carries every built-in rule with its CWE tag and re-imports', async () => {
  const result = await scanSast({ root, maxFileBytes: 10_000 });
  const log = sastSarif(result) as {
    runs: { tool: { driver: { rules: { id: string; properties: { tags: string[] } }[] } } }[];
  };
  const rules = log.runs[0]?.tool.driver.rules ?? [];
  assert.equal(rules.length, BUILTIN_RULES.length + 1, 'built-in rules plus js/parse-error');
  const evalRule = rules.find((rule) => rule.id === 'js/eval-injection');
  assert.deepEqual(evalRule?.properties.tags, ['security', 'external/cwe/cwe-095']);
  const back = importSarif(JSON.stringify(log), 'out.sarif');
  assert.deepEqual(
    back.map((finding) => [finding.ruleId, finding.severity, finding.fingerprint, finding.location?.line]),
    result.findings.map((finding) => [
      finding.ruleId,
      finding.severity,
      finding.fingerprint,
      finding.location?.line,
    ]),
  );
  assert.deepEqual(back.find((finding) => finding.ruleId === 'js/eval-injection')?.properties?.['cwe'], [
    'CWE-95',
  ]);
});

test('a root that is not a directory is a typed error', async () => {
  await assert.rejects(
    scanSast({ root: join(root, 'missing-dir') }),
    (error: unknown) => error instanceof GatechainError && error.code === 'NOT_A_DIRECTORY',
  );
});

test('inline suppressions apply to the named rules on the same or next line only', () => {
  const text = [
    '// gatechain-sast-ignore js/weak-cipher -- not this rule',
    'eval(a);',
    '// gatechain-sast-ignore',
    'eval(b);',
    'eval(c); // gatechain-sast-ignore js/eval-injection,js/other',
    '',
    'eval(d);',
  ].join('\n');
  const findings = scanSource(text, 'x.js', BUILTIN_RULES);
  assert.deepEqual(
    findings.map((finding) => [finding.location?.line, finding.suppressions?.length ?? 0]),
    [
      [2, 0],
      [4, 1],
      [5, 1],
      [7, 0],
    ],
  );
});
