import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { importSarif } from '../../../src/scanners/sarif/index.ts';
import { GatechainError, InputError } from '../../../src/util/errors.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

test('Semgrep: levels, CWE tags, match-based fingerprints and nosemgrep suppressions', () => {
  const findings = importSarif(fixture('semgrep.sarif'), 'semgrep.sarif');
  assert.equal(findings.length, 2);
  const [sqli, exec] = findings;
  assert.equal(sqli?.ruleId, 'javascript.lang.security.audit.sqli.node-postgres-sqli.node-postgres-sqli');
  assert.equal(sqli?.kind, 'sast');
  assert.deepEqual(sqli?.tool, { name: 'Semgrep OSS', version: '1.95.0' });
  // No security-severity: the rule's defaultConfiguration level "warning" decides.
  assert.equal(sqli?.severity, 'medium');
  assert.deepEqual(sqli?.location, {
    file: 'src/routes/users.js',
    line: 12,
    column: 3,
    endLine: 12,
    endColumn: 44,
  });
  assert.deepEqual(sqli?.properties?.['cwe'], ['CWE-89']);
  assert.equal(sqli?.suppressions, undefined);
  assert.equal(exec?.severity, 'high');
  assert.deepEqual(exec?.suppressions, [{ kind: 'inline' }]);
  assert.notEqual(sqli?.fingerprint, exec?.fingerprint);
});

test('CodeQL: rules in tool.extensions via toolComponent, security-severity bands, artifact index', () => {
  const findings = importSarif(fixture('codeql.sarif'), 'codeql.sarif');
  assert.deepEqual(
    findings.map((finding) => [finding.ruleId, finding.severity]),
    [
      ['js/path-injection', 'high'],
      ['js/sql-injection', 'critical'],
      ['js/insecure-randomness', 'high'],
    ],
  );
  const [path, sql, random] = findings;
  assert.deepEqual(path?.tool, { name: 'CodeQL', version: '2.19.3' });
  assert.equal(path?.properties?.['toolComponent'], 'codeql/javascript-queries');
  assert.deepEqual(path?.properties?.['cwe'], ['CWE-22', 'CWE-23', 'CWE-36']);
  // endLine omitted → same as startLine.
  assert.deepEqual(path?.location, {
    file: 'server/files.js',
    line: 18,
    column: 23,
    endLine: 18,
    endColumn: 31,
  });
  // Location through run.artifacts[index].
  assert.equal(sql?.location?.file, 'server/db.js');
  assert.equal(sql?.location?.endLine, 43);
  // underReview does not suppress; accepted does, with its justification.
  assert.equal(sql?.suppressions, undefined);
  assert.deepEqual(random?.suppressions, [
    { kind: 'external', justification: 'test-only helper, not reachable in production' },
  ]);
  assert.deepEqual(path?.properties?.['partialFingerprints'], {
    primaryLocationLineHash: '5d1d9e4f2c8b7a60:1',
    primaryLocationStartColumnFingerprint: '18',
  });
});

test('ESLint: file URIs decoded, ruleIndex lookup, eslint-disable justification', () => {
  const findings = importSarif(fixture('eslint.sarif'), 'eslint.sarif');
  assert.equal(findings.length, 2);
  const [evalFinding, fsFinding] = findings;
  assert.deepEqual(evalFinding?.tool, { name: 'ESLint', version: '8.57.0' });
  assert.equal(evalFinding?.location?.file, '/home/ci/checkout/app/lib/template engine.js');
  assert.equal(evalFinding?.severity, 'high');
  assert.equal(evalFinding?.properties?.['helpUri'], 'https://eslint.org/docs/rules/no-eval');
  assert.equal(fsFinding?.severity, 'medium');
  assert.deepEqual(fsFinding?.suppressions, [
    { kind: 'inline', justification: 'path is joined under a fixed root and normalised' },
  ]);
});

test('fingerprints are stable across runs and change with the producer fingerprint', () => {
  const first = importSarif(fixture('codeql.sarif'), 'a').map((finding) => finding.fingerprint);
  const second = importSarif(fixture('codeql.sarif'), 'b').map((finding) => finding.fingerprint);
  assert.deepEqual(first, second);
  const moved = fixture('codeql.sarif').replace('5d1d9e4f2c8b7a60:1', '5d1d9e4f2c8b7a61:1');
  assert.notEqual(importSarif(moved, 'c')[0]?.fingerprint, first[0]);
  // ESLint writes none: a computed one, still deterministic.
  const eslintA = importSarif(fixture('eslint.sarif'), 'x').map((finding) => finding.fingerprint);
  const eslintB = importSarif(fixture('eslint.sarif'), 'x').map((finding) => finding.fingerprint);
  assert.deepEqual(eslintA, eslintB);
  assert.match(eslintA[0] ?? '', /^[0-9a-f]{32}$/);
});

test('message placeholders and message ids resolve against the rule', () => {
  const log = {
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'T',
            rules: [{ id: 'r1', messageStrings: { default: { text: 'Value {0} flows to {1} {{sic}}' } } }],
          },
        },
        results: [
          { ruleId: 'r1', message: { id: 'default', arguments: ['x', 'sink'] } },
          { ruleId: 'r1', kind: 'pass', message: { text: 'ok' } },
          { ruleId: 'r1/sub', message: { text: 'no level' } },
        ],
      },
    ],
  };
  const findings = importSarif(JSON.stringify(log), 'x.sarif');
  assert.equal(findings.length, 2);
  assert.equal(findings[0]?.message, 'Value x flows to sink {sic}');
  // SARIF's default level is warning.
  assert.equal(findings[1]?.severity, 'medium');
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}

test('malformed SARIF: typed errors naming the file and line', () => {
  const syntax = thrown(() => importSarif('{\n  "version": "2.1.0",\n  "runs": [\n  }\n', 'bad.sarif'));
  assert.ok(syntax instanceof InputError);
  assert.equal(syntax.code, 'JSON_SYNTAX');
  assert.equal(syntax.file, 'bad.sarif');
  assert.equal(syntax.line, 4);

  const text = [
    '{',
    '  "version": "2.1.0",',
    '  "runs": [',
    '    {',
    '      "tool": { "driver": { "name": "X" } },',
    '      "results": [',
    '        { "ruleId": "a", "message": { "text": "m" },',
    '          "locations": { "not": "an array" } }',
    '      ]',
    '    }',
    '  ]',
    '}',
  ].join('\n');
  const structural = thrown(() => importSarif(text, 'shape.sarif'));
  assert.ok(structural instanceof InputError);
  assert.equal(structural.code, 'SARIF_INVALID');
  assert.equal(structural.file, 'shape.sarif');
  assert.equal(structural.line, 8);
  assert.match(structural.message, /runs\.0\.results\.0\.locations/);

  const version = thrown(() => importSarif('{\n"version": "2.0.0",\n"runs": []}', 'v.sarif'));
  assert.ok(version instanceof InputError);
  assert.equal(version.code, 'SARIF_VERSION_UNSUPPORTED');
  assert.equal(version.line, 2);

  const missing = thrown(() => importSarif('{"version":"2.1.0"}', 'm.sarif'));
  assert.ok(missing instanceof InputError);
  assert.equal(missing.code, 'SARIF_INVALID');
  assert.equal(missing.line, 1);
});

test('importSarif on arbitrary input throws only GatechainError and terminates', () => {
  const jsonish = fc.jsonValue({ maxDepth: 6 });
  const sarifish = fc.record({
    version: fc.oneof(fc.constant('2.1.0'), fc.string()),
    runs: fc.array(
      fc.record({
        tool: fc.record({ driver: fc.oneof(fc.record({ name: fc.string() }), jsonish) }),
        results: fc.oneof(fc.constant(null), fc.array(jsonish, { maxLength: 4 })),
        artifacts: fc.array(jsonish, { maxLength: 2 }),
      }),
      { maxLength: 3 },
    ),
  });
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        jsonish.map((v) => JSON.stringify(v)),
        sarifish.map((v) => JSON.stringify(v)),
      ),
      (text) => {
        try {
          importSarif(text, 'fuzz.sarif');
        } catch (error) {
          assert.ok(error instanceof GatechainError, String(error));
        }
      },
    ),
    { numRuns: 400 },
  );
});
