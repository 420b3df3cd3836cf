import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import {
  buildCodeScanStatement,
  type CodeGateDeps,
  canonicalFindings,
  DEFAULT_CODE_GATE_POLICY,
  decideCodeGate,
  defaultCodeGateDeps,
  findingsDigest,
  parseCodeGatePolicy,
  runCodeGate,
} from '../../src/gates/code.ts';
import type { Finding } from '../../src/model/finding.ts';
import { PredicateType } from '../../src/model/predicate-types.ts';
import { validatePredicate } from '../../src/model/predicates/index.ts';
import { DEFAULT_LICENSE_POLICY } from '../../src/scanners/licenses/index.ts';
import { GatechainError, InputError } from '../../src/util/errors.ts';

const NOW = new Date('2026-12-04T12:00:00Z');
const FAKE_SECRET = 'AKIAIOSFODNN7EXAMPLEZZ';

function finding(
  kind: Finding['kind'],
  ruleId: string,
  severity: Finding['severity'],
  extra: Partial<Finding> = {},
): Finding {
  return {
    kind,
    ruleId,
    severity,
    message: `${ruleId} found`,
    fingerprint: `${kind}-${ruleId}-${extra.location?.line ?? 0}`,
    location: { file: 'src/a.ts', line: 1 },
    tool: { name: `tool-${kind}`, version: '1.0.0' },
    ...extra,
  };
}

test('defaults: any secret blocks, SAST high blocks and medium warns, license deny blocks and review warns', () => {
  const decide = (findings: Finding[]) => decideCodeGate(findings, DEFAULT_CODE_GATE_POLICY, NOW).result;
  assert.equal(decide([]), 'pass');
  assert.equal(decide([finding('secret', 'generic-api-key', 'low')]), 'block');
  assert.equal(decide([finding('sast', 'js/eval-injection', 'high')]), 'block');
  assert.equal(decide([finding('sast', 'js/weak-hash', 'medium')]), 'warn');
  assert.equal(decide([finding('sast', 'js/parse-error', 'info')]), 'pass');
  assert.equal(decide([finding('license', 'license/deny', 'high')]), 'block');
  assert.equal(decide([finding('license', 'license/review', 'medium')]), 'warn');
  assert.equal(decide([finding('license', 'license/exception-expired', 'low')]), 'warn');
  assert.equal(
    decide([finding('vulnerability', 'CVE-1', 'critical')]),
    'pass',
    'other kinds belong to other gates',
  );
});

test('suppressions: active ones do not block; expired ones do', () => {
  const suppressed = finding('secret', 'aws', 'high', { suppressions: [{ kind: 'baseline' }] });
  const future = finding('secret', 'aws', 'high', {
    suppressions: [{ kind: 'exception', expires: '2026-12-04' }],
  });
  const past = finding('secret', 'aws', 'high', {
    suppressions: [{ kind: 'exception', expires: '2026-12-03' }],
  });
  const decision = decideCodeGate([suppressed, future], DEFAULT_CODE_GATE_POLICY, NOW);
  assert.equal(decision.result, 'pass');
  assert.equal(decision.suppressed, 2);
  assert.equal(decideCodeGate([past], DEFAULT_CODE_GATE_POLICY, NOW).result, 'block');
});

test('policy: blockRules, ignoreRules, thresholds and audit mode', () => {
  const policy = parseCodeGatePolicy(
    [
      'mode: audit',
      'sast:',
      '  block: critical',
      '  warn: none',
      '  blockRules: [js/hardcoded-jwt-secret]',
      '  ignoreRules: [js/eval-injection]',
      'license:',
      '  block: [deny, review]',
    ].join('\n'),
    'gate.yaml',
  );
  assert.equal(policy.secrets.block, 'any', 'unspecified kinds keep their defaults');
  const decision = decideCodeGate(
    [
      finding('sast', 'js/eval-injection', 'critical'),
      finding('sast', 'js/sql-injection', 'high'),
      finding('sast', 'js/hardcoded-jwt-secret', 'low'),
      finding('license', 'license/review', 'medium'),
    ],
    policy,
    NOW,
  );
  assert.equal(decision.result, 'block');
  assert.equal(decision.enforced, false);
  assert.equal(decision.ignored, 1);
  assert.deepEqual(
    decision.blocking.map((reason) => reason.ruleId),
    ['license/review', 'js/hardcoded-jwt-secret'],
  );
  assert.deepEqual(decision.warnings, []);
});

test('gate policy errors name the line', () => {
  const error = (text: string) => {
    try {
      parseCodeGatePolicy(text, 'gate.yaml');
    } catch (caught) {
      assert.ok(caught instanceof InputError);
      assert.equal(caught.file, 'gate.yaml');
      return caught;
    }
    assert.fail('expected an error');
  };
  assert.equal(error('sast:\n  block: severe\n').line, 2);
  assert.equal(error('secrets:\n  block: any\n  colour: red\n').line, 3);
  assert.equal(error('license:\n  block: [deny, maybe]\n').line, 2);
  assert.equal(error('sast: [\n').code, 'GATE_POLICY_SYNTAX');
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (text) => {
      try {
        parseCodeGatePolicy(text, 'fuzz.yaml');
      } catch (caught) {
        assert.ok(caught instanceof GatechainError, String(caught));
      }
    }),
    { numRuns: 300 },
  );
});

const subject = [{ name: 'repo', digest: { gitCommit: 'a'.repeat(40) } }];

function statementFor(findings: Finding[]) {
  const decision = decideCodeGate(findings, DEFAULT_CODE_GATE_POLICY, NOW);
  return buildCodeScanStatement({
    subject,
    tools: [
      { name: 'gatechain-secrets', version: '1.0.0' },
      { name: 'gatechain-sast', version: '1.0.0' },
    ],
    ruleSets: [
      { kind: 'sast', tool: 'gatechain-sast', sha256: 'b'.repeat(64) },
      { kind: 'secrets', tool: 'gatechain-secrets', sha256: 'c'.repeat(64) },
    ],
    findings,
    decision,
    policy: { gate: DEFAULT_CODE_GATE_POLICY, licenses: DEFAULT_LICENSE_POLICY },
    startedOn: NOW,
    finishedOn: NOW,
  });
}

test('code-scan statement: matches schemas/code-scan.schema.json, counts, decision, no secret values', () => {
  const findings = [
    finding('secret', 'aws-access-key', 'high', {
      message: `AWS key ${FAKE_SECRET.slice(0, 4)}…`,
      properties: { secret: FAKE_SECRET, match: `key=${FAKE_SECRET}` },
      location: { file: 'config.env', line: 3 },
    }),
    finding('sast', 'js/sql-injection', 'critical', { location: { file: 'src/db.ts', line: 10 } }),
    finding('sast', 'js/sql-injection', 'critical', { location: { file: 'src/db.ts', line: 20 } }),
    finding('sast', 'js/weak-hash', 'medium', { suppressions: [{ kind: 'inline' }] }),
  ];
  const statement = statementFor(findings);
  assert.equal(statement.predicateType, PredicateType.codeScan);
  assert.deepEqual(validatePredicate(statement.predicateType, statement.predicate), {
    type: PredicateType.codeScan,
    validated: true,
  });
  const predicate = statement.predicate;
  assert.equal(predicate.decision, 'fail');
  assert.equal(predicate.gate.result, 'block');
  assert.deepEqual(predicate.counts.byRule, { 'secret:aws-access-key': 1, 'sast:js/sql-injection': 2 });
  assert.deepEqual(predicate.counts.bySeverity, { critical: 2, high: 1, medium: 0, low: 0 });
  assert.equal(predicate.counts.suppressed, 1);
  assert.equal(predicate.counts.total, 4);
  assert.match(predicate.ruleSetDigest['sha256'] ?? '', /^[0-9a-f]{64}$/);
  assert.deepEqual(
    predicate.ruleSets.map((set) => set.kind),
    ['sast', 'secrets'],
  );
  const text = JSON.stringify(statement);
  assert.ok(!text.includes(FAKE_SECRET), 'the secret value never reaches the statement');
  assert.ok(!text.includes('AWS key'), 'messages are not carried');
});

test('findings digest: independent of input order, sensitive to content, excludes messages', () => {
  const a = finding('sast', 'js/xss-sink', 'high', { location: { file: 'a.tsx', line: 4 } });
  const b = finding('secret', 'github-pat', 'high', { location: { file: 'b.env', line: 1 } });
  assert.deepEqual(findingsDigest([a, b], NOW), findingsDigest([b, a], NOW));
  assert.deepEqual(findingsDigest([a], NOW), findingsDigest([{ ...a, message: 'other words' }], NOW));
  assert.notDeepEqual(findingsDigest([a], NOW), findingsDigest([{ ...a, severity: 'medium' }], NOW));
  assert.notDeepEqual(findingsDigest([a], NOW), findingsDigest([a, b], NOW));
  assert.deepEqual(Object.keys(canonicalFindings([a], NOW)[0] ?? {}).sort(), [
    'file',
    'fingerprint',
    'kind',
    'line',
    'ruleId',
    'severity',
    'suppressed',
    'tool',
  ]);
  // The policy digest changes with the policy.
  const one = statementFor([a]).predicate.policyDigest;
  const decision = decideCodeGate([a], DEFAULT_CODE_GATE_POLICY, NOW);
  const other = buildCodeScanStatement({
    subject,
    tools: [{ name: 't', version: '1' }],
    ruleSets: [],
    findings: [a],
    decision,
    policy: { gate: { ...DEFAULT_CODE_GATE_POLICY, mode: 'audit' }, licenses: DEFAULT_LICENSE_POLICY },
    startedOn: NOW,
    finishedOn: NOW,
  }).predicate.policyDigest;
  assert.notDeepEqual(one, other);
});

test('runCodeGate wires scanners, licenses and decision with injected dependencies', async () => {
  const deps: CodeGateDeps = {
    secretsTool: { name: 'gatechain-secrets', version: '9.9.9' },
    now: () => NOW,
    scanSecrets: async (options) => {
      assert.equal(options.mode, 'tree');
      return { findings: [], ruleSetDigest: 'd'.repeat(64), stats: { files: 0, bytes: 0, durationMs: 0 } };
    },
    scanSast: async () => ({
      findings: [finding('sast', 'js/weak-hash', 'medium')],
      tools: [{ name: 'gatechain-sast', version: '1.0.0' }],
      rulesetDigest: `sha256:${'e'.repeat(64)}`,
      stats: { files: 3, lines: 10, bytes: 100, skipped: [], parseErrors: 0 },
    }),
    loadComponents: async () => ({
      components: [
        {
          ref: 'pkg:npm/a@1.0.0',
          name: 'a',
          version: '1.0.0',
          purl: 'pkg:npm/a@1.0.0',
          ecosystem: 'npm',
          scope: 'production',
          direct: true,
          dependsOn: [],
          license: 'AGPL-3.0-only',
          location: { file: 'package-lock.json' },
        },
      ],
    }),
  };
  const run = await runCodeGate(
    {
      root: '/nowhere',
      subject,
      gatePolicy: DEFAULT_CODE_GATE_POLICY,
      licensePolicy: DEFAULT_LICENSE_POLICY,
    },
    deps,
  );
  assert.equal(run.decision.result, 'block');
  assert.deepEqual(
    run.decision.blocking.map((reason) => reason.ruleId),
    ['license/deny'],
  );
  assert.deepEqual(run.counts, { secrets: 0, sast: 1, license: 1, components: 1, files: 3 });
  assert.deepEqual(
    run.statement.predicate.tools.map((tool) => `${tool.name}@${tool.version}`),
    ['gatechain-secrets@9.9.9', 'gatechain-sast@1.0.0', 'gatechain-licenses@1.0.0'],
  );
  validatePredicate(PredicateType.codeScan, run.statement.predicate);
});

const root = mkdtempSync(join(tmpdir(), 'gatechain-gate-code-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('runCodeGate with the real scanners over a small tree', async () => {
  writeFileSync(join(root, 'server.js'), "app.get('/x', (req, res) => res.redirect(req.query.next));\n");
  writeFileSync(
    join(root, 'package-lock.json'),
    JSON.stringify({
      name: 'demo',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'demo', version: '1.0.0', dependencies: { 'left-pad': '1.3.0', gplthing: '2.0.0' } },
        'node_modules/left-pad': {
          version: '1.3.0',
          resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz',
          license: 'WTFPL',
        },
        'node_modules/gplthing': {
          version: '2.0.0',
          resolved: 'https://registry.npmjs.org/gplthing/-/gplthing-2.0.0.tgz',
          license: 'GPL-3.0-only',
        },
      },
    }),
  );
  const run = await runCodeGate(
    { root, subject, gatePolicy: DEFAULT_CODE_GATE_POLICY, licensePolicy: DEFAULT_LICENSE_POLICY },
    defaultCodeGateDeps,
  );
  const rules = run.findings.map((f) => `${f.kind}:${f.ruleId}`).sort();
  assert.ok(rules.includes('sast:js/open-redirect'), rules.join(','));
  assert.ok(rules.includes('license:license/deny'), rules.join(','));
  assert.equal(run.counts.components, 2);
  assert.equal(run.decision.result, 'block');
  validatePredicate(PredicateType.codeScan, run.statement.predicate);
});
