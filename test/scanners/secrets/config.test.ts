import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  createMatcher,
  DEFAULT_CONFIG,
  loadRuleSet,
  type RuleSet,
  ruleSetDigest,
} from '../../../src/scanners/secrets/index.ts';
import { GatechainError, InputError } from '../../../src/util/errors.ts';
import { HEX, j, LOWNUM, r, UPNUM } from './samples.ts';

const fixtures = join(import.meta.dirname, 'fixtures');

function findIds(ruleSet: RuleSet, text: string, path = 'src/app.ts', commit?: string): string[] {
  return createMatcher(ruleSet)
    .scan({ path, data: Buffer.from(text), ...(commit ? { commit } : {}) })
    .map((match) => match.ruleId);
}

test('a gitleaks-format file loads: rules, secretGroup, entropy, keywords, tags, path-only rules', () => {
  const ruleSet = loadRuleSet({ configPath: join(fixtures, 'gitleaks-custom.toml') });
  assert.deepEqual(
    ruleSet.rules.map((rule) => rule.id),
    ['acme-api-key', 'beta-token', 'keystore-file'],
  );
  const acme = ruleSet.rules[0];
  assert.equal(acme?.secretGroup, 1);
  assert.equal(acme?.entropy, 3);
  assert.deepEqual(acme?.keywords, ['acme_']);
  assert.deepEqual(acme?.tags, ['custom']);
  assert.equal(acme?.allowlists.length, 2);
  assert.equal(ruleSet.rules[1]?.allowlists.length, 1, 'legacy [rules.allowlist] is read');
  assert.equal(ruleSet.allowlists.length, 2);
  const key = j('acme', '_', r(LOWNUM, 24));
  assert.deepEqual(findIds(ruleSet, `ACME_KEY = "${key}"`), ['acme-api-key']);
  assert.deepEqual(findIds(ruleSet, `ACME_KEY = "acme_${'a'.repeat(24)}"`), [], 'entropy gate');
  assert.deepEqual(findIds(ruleSet, 'binary', 'certs/prod.jks'), ['keystore-file']);
});

test('rule allowlists: OR over paths, AND over line regex and path', () => {
  const ruleSet = loadRuleSet({ configPath: join(fixtures, 'gitleaks-custom.toml') });
  const line = `acme_key = "${j('acme', '_', r(LOWNUM, 24))}" // TEST_ONLY`;
  assert.deepEqual(findIds(ruleSet, line, 'test/fixtures/keys.txt'), [], 'path allowlist');
  assert.deepEqual(findIds(ruleSet, line, 'pkg/client_test.go'), [], 'AND: line regex and path both match');
  assert.deepEqual(findIds(ruleSet, line, 'pkg/client.go'), ['acme-api-key'], 'AND: only the line matches');
  const noMarker = `acme_key = "${j('acme', '_', r(LOWNUM, 24))}"`;
  assert.deepEqual(
    findIds(ruleSet, noMarker, 'pkg/client_test.go'),
    ['acme-api-key'],
    'AND: only the path matches',
  );
});

test('global allowlists: paths for every rule, targetRules with regexTarget match, stopwords', () => {
  const ruleSet = loadRuleSet({ configPath: join(fixtures, 'gitleaks-custom.toml') });
  const beta = j('beta', '-', r(UPNUM, 20));
  assert.deepEqual(findIds(ruleSet, beta), ['beta-token']);
  assert.deepEqual(findIds(ruleSet, beta, 'vendor/lib/x.js'), []);
  assert.deepEqual(findIds(ruleSet, j('beta', '-REVOKED', r(UPNUM, 13))), [], 'targetRules + match target');
  assert.deepEqual(findIds(ruleSet, j('beta', '-EXAMP', r(UPNUM, 15))), [], 'stopword (case-insensitive)');
});

test('[extend] useDefault: default rules kept, disabledRules dropped, overrides merged, new rules added', () => {
  const ruleSet = loadRuleSet({ configPath: join(fixtures, 'gitleaks-extend.toml') });
  const ids = ruleSet.rules.map((rule) => rule.id);
  assert.equal(ids.length, DEFAULT_CONFIG.rules.length - 2 + 1);
  assert.ok(!ids.includes('jwt') && !ids.includes('twilio-api-key'));
  assert.ok(ids.includes('internal-service-key') && ids.includes('aws-access-key-id'));
  const github = ruleSet.rules.find((rule) => rule.id === 'github-pat');
  assert.equal(github?.description, 'GitHub PAT (team override)');
  assert.ok(github?.regex, 'the default regex is kept when the override sets none');
  const token = j('gh', 'p_', r(LOWNUM, 36));
  assert.deepEqual(findIds(ruleSet, `t = "${token}"`), ['github-pat']);
  assert.deepEqual(
    findIds(ruleSet, `t = "${token}" # ci-fixture-token`),
    [],
    'allowlist appended by the override',
  );
  assert.deepEqual(findIds(ruleSet, j('isk', '_', r(HEX, 32))), ['internal-service-key']);
  assert.deepEqual(findIds(ruleSet, j('isk', '_', 'deadbeefdeadbeef', r(HEX, 16))), [], 'global stopword');
  // The default global allowlist comes along: lockfiles are skipped.
  assert.deepEqual(findIds(ruleSet, `t = "${token}"`, 'web/package-lock.json'), []);
});

test('[extend] path: a file extends another file, relative to itself', () => {
  const ruleSet = loadRuleSet({ configPath: join(fixtures, 'gitleaks-extend-path.toml') });
  assert.deepEqual(
    ruleSet.rules.map((rule) => rule.id),
    ['acme-api-key', 'beta-token'],
  );
  assert.equal(ruleSet.rules[1]?.entropy, 4.5);
  assert.equal(ruleSet.rules[1]?.allowlists.length, 1);
});

test('the default rule set is what an empty [extend] useDefault gives, digest included', () => {
  const viaExtend = loadRuleSet({ configText: '[extend]\nuseDefault = true\n' });
  const direct = loadRuleSet();
  assert.equal(ruleSetDigest(viaExtend), ruleSetDigest(direct));
  assert.match(ruleSetDigest(direct), /^[0-9a-f]{64}$/);
});

test('the digest changes with any rule change and not with key order', () => {
  const a = loadRuleSet({ configText: '[[rules]]\nid = "x"\nregex = "abc"\nkeywords = ["abc"]\n' });
  const b = loadRuleSet({ configText: '[[rules]]\nkeywords = ["abc"]\nregex = "abc"\nid = "x"\n' });
  const c = loadRuleSet({ configText: '[[rules]]\nid = "x"\nregex = "abd"\nkeywords = ["abc"]\n' });
  assert.equal(ruleSetDigest(a), ruleSetDigest(b));
  assert.notEqual(ruleSetDigest(a), ruleSetDigest(c));
});

test('an invalid regex is a typed error naming the file and the line of the rule', () => {
  const file = join(fixtures, 'invalid-regex.toml');
  assert.throws(
    () => loadRuleSet({ configPath: file }),
    (error: unknown) =>
      error instanceof InputError &&
      error.code === 'SECRETS_REGEX_INVALID' &&
      error.file === file &&
      error.line === 3,
  );
});

test('invalid TOML is a typed error with file and line', () => {
  const file = join(fixtures, 'invalid-syntax.toml');
  assert.throws(
    () => loadRuleSet({ configPath: file }),
    (error: unknown) =>
      error instanceof InputError &&
      error.code === 'SECRETS_CONFIG_SYNTAX' &&
      error.file === file &&
      error.line === 6,
  );
});

test('schema errors are typed: missing id, no regex or path, bad secretGroup, bad condition, empty allowlist', () => {
  const cases: [string, RegExp][] = [
    ['[[rules]]\nregex = "a"\n', /has no id/],
    ['[[rules]]\nid = "a"\n', /needs a regex or a path/],
    ['[[rules]]\nid = "a"\nregex = "(b)"\nsecretGroup = 2\n', /secretGroup 2/],
    [
      '[[rules]]\nid = "a"\nregex = "b"\n[[rules.allowlists]]\ncondition = "XOR"\npaths = ["x"]\n',
      /condition/,
    ],
    ['[[rules]]\nid = "a"\nregex = "b"\n[[rules.allowlists]]\ndescription = "nothing"\n', /at least one/],
    ['[[rules]]\nid = "a"\nregex = "b"\n[[rules]]\nid = "a"\nregex = "c"\n', /duplicate/],
    ['[extend]\nurl = "https://example.test/x.toml"\n', /url is not supported/],
    ['rules = 3\n', /array of tables/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => loadRuleSet({ configText: text }),
      (error: unknown) => error instanceof InputError && message.test(error.message),
      text,
    );
  }
});

test('a missing configuration file is a typed error', () => {
  assert.throws(
    () => loadRuleSet({ configPath: join(fixtures, 'does-not-exist.toml') }),
    (error: unknown) => error instanceof InputError && error.code === 'SECRETS_CONFIG_UNREADABLE',
  );
});

test('existing gitleaks syntax compiles unchanged: inline flags, named groups, \\z, POSIX classes', () => {
  const text = readFileSync(join(fixtures, 'gitleaks-custom.toml'), 'utf8').replace(
    "'''\\b(beta-[A-Z0-9]{20})\\b'''",
    "'''(?i:\\bbeta)-(?P<body>[[:upper:][:digit:]]{20})(?:\\b|\\z)'''",
  );
  assert.ok(text.includes('(?P<body>'), 'the fixture regex was replaced');
  const ruleSet = loadRuleSet({ configText: text });
  assert.deepEqual(findIds(ruleSet, j('beta', '-', r(UPNUM, 20))), ['beta-token']);
});

test('property: arbitrary configuration text yields a rule set or a typed error, never another exception', () => {
  const tomlish = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc
      .tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 }), fc.string({ maxLength: 10 }))
      .map(
        ([id, regex, kw]) =>
          `[[rules]]\nid = ${JSON.stringify(id)}\nregex = ${JSON.stringify(regex)}\nkeywords = [${JSON.stringify(kw)}]\n`,
      ),
  );
  fc.assert(
    fc.property(tomlish, (text) => {
      try {
        loadRuleSet({ configText: text });
      } catch (error) {
        assert.ok(error instanceof GatechainError, String(error));
      }
    }),
    { numRuns: 300 },
  );
});

test('composite rules: required companions within lines, skipReport companions are not reported', () => {
  const ruleSet = loadRuleSet({
    configText: [
      "[[rules]]\nid = \"client-id\"\nregex = '''client_id=([0-9]{6})'''\nkeywords = [\"client_id\"]\nskipReport = true\n",
      "[[rules]]\nid = \"client-secret\"\nregex = '''client_secret=([a-z0-9]{12})'''\nkeywords = [\"client_secret\"]\n",
      '[[rules.required]]\nid = "client-id"\nwithinLines = 2\n',
    ].join(''),
  });
  const secret = `client_secret=${r(LOWNUM, 12)}`;
  assert.deepEqual(findIds(ruleSet, `client_id=123456\n${secret}\n`), ['client-secret']);
  assert.deepEqual(findIds(ruleSet, `client_id=123456\n\n\n\n${secret}\n`), [], 'companion too far away');
  assert.deepEqual(findIds(ruleSet, `${secret}\n`), [], 'no companion');
  assert.throws(
    () =>
      loadRuleSet({ configText: '[[rules]]\nid = "a"\nregex = "b"\n[[rules.required]]\nid = "missing"\n' }),
    /unknown rule "missing"/,
  );
});
