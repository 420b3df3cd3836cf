import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Finding } from '../../../src/model/finding.ts';
import { FINGERPRINT_KEY, importSarif, toSarif } from '../../../src/scanners/sarif/index.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'sarif-subset.schema.json'), 'utf8'),
);
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

const findings: Finding[] = [
  {
    kind: 'sast',
    ruleId: 'js/eval-injection',
    severity: 'critical',
    message: 'eval of a value derived from the request',
    fingerprint: 'f00d',
    location: { file: 'src/a b.ts', line: 3, column: 5, endLine: 3, endColumn: 20 },
    tool: { name: 'gatechain-sast', version: '0.1.0' },
  },
  {
    kind: 'sast',
    ruleId: 'js/weak-hash',
    severity: 'low',
    message: 'md5 used for a password',
    fingerprint: 'beef',
    location: { file: 'lib/h.js', line: 9 },
    tool: { name: 'gatechain-sast', version: '0.1.0' },
    suppressions: [{ kind: 'inline', justification: 'legacy checksum only' }, { kind: 'baseline' }],
  },
  {
    kind: 'sast',
    ruleId: 'js/info',
    severity: 'info',
    message: 'no location',
    fingerprint: 'cafe',
    tool: { name: 'gatechain-sast', version: '0.1.0' },
  },
];

test('toSarif output satisfies the SARIF 2.1.0 subset schema', () => {
  const log = toSarif(findings, {
    name: 'gatechain-sast',
    version: '0.1.0',
    informationUri: 'https://gatechain.dev',
    rules: [
      {
        id: 'js/eval-injection',
        description: 'eval injection',
        severity: 'critical',
        helpUri: 'https://gatechain.dev/r/eval',
      },
    ],
  });
  assert.ok(validate(log), JSON.stringify(validate.errors));
});

test('toSarif maps severities to levels and security-severity scores inside GitHub bands', () => {
  const log = toSarif(findings, { name: 'gatechain-sast', version: '0.1.0' }) as {
    runs: {
      tool: { driver: { rules: { id: string; properties: Record<string, string> }[] } };
      results: Record<string, unknown>[];
    }[];
  };
  const run = log.runs[0]!;
  assert.deepEqual(
    run.results.map((result) => result['level']),
    ['error', 'note', 'none'],
  );
  const rules = run.tool.driver.rules;
  assert.deepEqual(
    rules.map((rule) => rule.id),
    ['js/eval-injection', 'js/weak-hash', 'js/info'],
  );
  assert.equal(rules[0]?.properties['security-severity'], '9.5');
  assert.equal(rules[1]?.properties['security-severity'], '2.0');
  assert.equal(rules[2]?.properties['security-severity'], undefined);
  assert.deepEqual(
    run.results.map((result) => result['ruleIndex']),
    [0, 1, 2],
  );
  assert.deepEqual(run.results[0]?.['partialFingerprints'], { [FINGERPRINT_KEY]: 'f00d' });
  assert.deepEqual(
    (run.results[1]!['suppressions'] as { kind: string }[]).map((s) => s.kind),
    ['inSource', 'external'],
  );
  assert.equal(run.results[2]?.['suppressions'], undefined);
});

test('toSarif → importSarif round-trips rule, severity, location, fingerprint and suppressions', () => {
  const back = importSarif(
    JSON.stringify(toSarif(findings, { name: 'gatechain-sast', version: '0.1.0' })),
    'x',
  );
  assert.deepEqual(
    back.map((f) => [f.ruleId, f.severity, f.fingerprint, f.location?.file, f.location?.line]),
    findings.map((f) => [f.ruleId, f.severity, f.fingerprint, f.location?.file, f.location?.line]),
  );
  assert.deepEqual(back[1]?.suppressions, [
    { kind: 'inline', justification: 'legacy checksum only' },
    { kind: 'external' },
  ]);
});
