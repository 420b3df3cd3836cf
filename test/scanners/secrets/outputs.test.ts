import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { importSarif } from '../../../src/scanners/sarif/index.ts';
import {
  defaultRuleSet,
  importGitleaksReport,
  jsonReport,
  parseBaseline,
  parseIgnoreFile,
  renderReport,
  scanSecrets,
  unsuppressed,
} from '../../../src/scanners/secrets/index.ts';
import { GatechainError, InputError } from '../../../src/util/errors.ts';
import { commitAll, git, tempDir, write } from './helpers.ts';
import { ALNUM, B64, j, r } from './samples.ts';

const fixtures = join(import.meta.dirname, 'fixtures');

test('redaction: the raw secret appears in no output format (table, JSON, SARIF) nor in the result object', async (t) => {
  const root = tempDir('redact');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  git(root, 'init', '-q');
  const secrets = [
    j('gh', 'p_', r(ALNUM, 36)),
    j('sk', '_live_', r(ALNUM, 30)),
    r(ALNUM, 20),
    `-----${j('BEGIN ', 'PRIVATE KEY')}-----\n${r(B64, 64)}\n${r(B64, 64)}\n-----${j('END ', 'PRIVATE KEY')}-----`,
  ];
  write(
    root,
    'app.ts',
    `a = "${secrets[0]}"\nb = "${secrets[1]}"\ndb_password = "${secrets[2]}"\n${secrets[3]}\n`,
  );
  commitAll(root, 'leak');
  const ruleSet = defaultRuleSet();
  const outputs: string[] = [];
  for (const mode of ['tree', 'git'] as const) {
    const result = await scanSecrets({ root, mode, ruleSet });
    assert.equal(result.findings.length, 4, `${mode}: ${result.findings.map((f) => f.ruleId)}`);
    for (const format of ['table', 'json', 'sarif'] as const)
      outputs.push(renderReport(format, result, ruleSet));
    outputs.push(JSON.stringify(result));
  }
  const everything = outputs.join('\n');
  for (const secret of secrets) {
    assert.ok(!everything.includes(secret), 'a raw secret leaked into an output');
    // No long piece of it either: at most the 4-character preview survives.
    for (let i = 0; i + 12 <= secret.length; i += 6) {
      assert.ok(
        !everything.includes(secret.slice(i, i + 12)),
        `a 12-character piece of a secret leaked (${i})`,
      );
    }
  }
  assert.ok(everything.includes('ghp_***(40)'), 'the redacted preview is shown');
});

test('JSON report round-trips as a baseline: only new findings block', async (t) => {
  const root = tempDir('baseline');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  write(root, 'old.ts', `a = "${j('gh', 'p_', r(ALNUM, 36))}"\n`);
  const first = await scanSecrets({ root, mode: 'tree' });
  const baselinePath = join(root, '..', `${root.split('/').pop()}-baseline.json`);
  t.after(() => rmSync(baselinePath, { force: true }));
  writeFileSync(baselinePath, JSON.stringify(jsonReport(first)));
  // The old secret moves two lines down (fingerprints are line-independent) and a new one appears.
  write(root, 'old.ts', `\n\n${readFileSync(join(root, 'old.ts'), 'utf8')}`);
  write(root, 'new.ts', `b = "${j('gh', 'p_', r(ALNUM, 36))}"\n`);
  const second = await scanSecrets({ root, mode: 'tree', baseline: baselinePath });
  assert.equal(second.findings.length, 2);
  assert.deepEqual(
    unsuppressed(second.findings).map((f) => f.location?.file),
    ['new.ts'],
  );
  const old = second.findings.find((f) => f.location?.file === 'old.ts');
  assert.deepEqual(old?.suppressions, [{ kind: 'baseline' }]);
});

test('ignore files: gatechain fingerprints and gitleaks commit:file:rule:line entries', async (t) => {
  const root = tempDir('ignore');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  write(root, 'a.ts', `a = "${j('gh', 'p_', r(ALNUM, 36))}"\n`);
  write(root, 'b.ts', `b = "${j('gh', 'p_', r(ALNUM, 36))}"\n`);
  write(root, 'c.ts', `c = "${j('gh', 'p_', r(ALNUM, 36))}"\n`);
  const first = await scanSecrets({ root, mode: 'tree' });
  const a = first.findings.find((f) => f.location?.file === 'a.ts');
  write(root, '.gatechainignore-secrets', `# reviewed\n${a?.fingerprint}\n`);
  write(root, '.gitleaksignore', 'b.ts:github-pat:1\n');
  const second = await scanSecrets({ root, mode: 'tree' });
  assert.deepEqual(
    unsuppressed(second.findings).map((f) => f.location?.file),
    ['c.ts'],
  );
  const none = await scanSecrets({ root, mode: 'tree', ignoreFile: false });
  assert.equal(unsuppressed(none.findings).length, 3);
});

test('gitleaks JSON reports import with Secret and Match redacted', () => {
  const text = readFileSync(join(fixtures, 'gitleaks-report.json'), 'utf8');
  const findings = importGitleaksReport(text, 'report.json');
  assert.equal(findings.length, 1);
  const [finding] = findings;
  assert.equal(finding?.kind, 'secret');
  assert.equal(finding?.ruleId, 'generic-api-key');
  assert.equal(finding?.location?.file, 'src/settings.py');
  assert.equal(finding?.location?.line, 12);
  assert.equal(finding?.location?.commit, '0123456789abcdef0123456789abcdef01234567');
  assert.equal(finding?.tool.name, 'gitleaks');
  assert.ok(!JSON.stringify(findings).includes('fake-but-long-value-0123456789abcdef'));
  assert.equal(finding?.properties?.['match'], 'api_key = "fake***(36)"');
  // A gitleaks report also works as a baseline.
  assert.deepEqual([...parseBaseline(text, 'report.json')], [finding?.fingerprint]);
});

test('bad reports are typed errors with file and line', () => {
  assert.throws(
    () => importGitleaksReport('[\n{"RuleID": }', 'r.json'),
    (error: unknown) => error instanceof InputError && error.file === 'r.json' && error.line === 2,
  );
  assert.throws(() => importGitleaksReport('{}', 'r.json'), /JSON array/);
  assert.throws(() => importGitleaksReport('[{"File": "x"}]', 'r.json'), /RuleID/);
  assert.throws(() => parseBaseline('[{"ruleId": "x"}]', 'b.json'), /fingerprint/);
});

test('property: arbitrary report or ignore-file text parses or fails with a typed error', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 3 })), (text) => {
      assert.ok(parseIgnoreFile(text) instanceof Set);
      for (const parse of [importGitleaksReport, parseBaseline]) {
        try {
          parse(text, 'x.json');
        } catch (error) {
          assert.ok(error instanceof GatechainError, String(error));
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('SARIF output reads back through the SARIF importer: rules, locations, fingerprints, suppressions', async (t) => {
  const root = tempDir('sarif');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  write(
    root,
    'a.ts',
    `a = "${j('gh', 'p_', r(ALNUM, 36))}"\nb = "${j('gh', 'p_', r(ALNUM, 36))}" // gatechain:allow\n`,
  );
  const ruleSet = defaultRuleSet();
  const result = await scanSecrets({ root, mode: 'tree', ruleSet });
  const back = importSarif(renderReport('sarif', result, ruleSet), 'secrets.sarif');
  assert.deepEqual(
    back.map((f) => [
      f.ruleId,
      f.location?.file,
      f.location?.line,
      f.fingerprint,
      f.suppressions?.length ?? 0,
    ]),
    result.findings.map((f) => [
      f.ruleId,
      f.location?.file,
      f.location?.line,
      f.fingerprint,
      f.suppressions?.length ?? 0,
    ]),
  );
});
