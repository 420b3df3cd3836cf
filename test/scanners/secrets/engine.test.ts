import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  createMatcher,
  defaultRuleSet,
  loadRuleSet,
  shannonEntropy,
} from '../../../src/scanners/secrets/index.ts';
import { buildKeywordAutomaton } from '../../../src/scanners/secrets/prefilter.ts';
import { mayCrossLines } from '../../../src/scanners/secrets/regex.ts';
import { ALNUM, j, r } from './samples.ts';

const matcher = createMatcher(defaultRuleSet());
const scan = (text: string, path = 'src/app.ts') => matcher.scan({ path, data: Buffer.from(text) });

test('Shannon entropy: bits per byte, 0 for one repeated symbol, log2(n) for n distinct', () => {
  assert.equal(shannonEntropy(''), 0);
  assert.equal(shannonEntropy('aaaa'), 0);
  assert.equal(shannonEntropy('abcd'), 2);
  assert.equal(shannonEntropy('0123456789abcdef'), 4);
  assert.ok(shannonEntropy('é') < shannonEntropy('ab'), 'divided by UTF-8 byte length, as gitleaks does');
});

test('the keyword automaton finds exactly what a naive case-insensitive search finds', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(
        fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom('a', 'b', 'A', '_', '-') }),
        {
          minLength: 1,
          maxLength: 6,
        },
      ),
      fc.string({ maxLength: 200, unit: fc.constantFrom('a', 'b', 'B', '_', '-', 'x', '\n') }),
      (keywords, text) => {
        const lowered = keywords.map((k) => k.toLowerCase());
        const unique = [...new Set(lowered)];
        const automaton = buildKeywordAutomaton(unique);
        const got: string[] = [];
        automaton.scan(Buffer.from(text), (k, start) => got.push(`${unique[k]}@${start}`));
        const expected: string[] = [];
        const lower = text.toLowerCase();
        unique.forEach((keyword) => {
          for (let at = lower.indexOf(keyword); at !== -1; at = lower.indexOf(keyword, at + 1)) {
            expected.push(`${keyword}@${at}`);
          }
        });
        assert.deepEqual(got.sort(), expected.sort());
      },
    ),
    { numRuns: 300 },
  );
});

test('line and column of a match are exact, also after multi-byte characters', () => {
  const token = j('gh', 'p_', r(ALNUM, 36));
  const text = `first line\n// ünïcödé → here\n  é→ x = "${token}"\n`;
  const [match] = scan(text);
  assert.equal(match?.ruleId, 'github-pat');
  assert.equal(match?.line, 3);
  // UTF-16 code units: two spaces, é, →, space, x, space, =, space, quote.
  assert.equal(match?.column, 11);
  assert.equal(match?.endLine, 3);
});

test('a keyword on a very long (minified) line still finds the secret next to it, with the right column', () => {
  const token = j('gh', 'p_', r(ALNUM, 36));
  const filler = 'var a=1;'.repeat(200_000);
  const [match] = scan(`${filler}t="${token}";${filler}`);
  assert.equal(match?.ruleId, 'github-pat');
  assert.equal(match?.line, 1);
  assert.equal(match?.column, filler.length + 4);
});

test('private keys spanning many lines are found from their header keyword', () => {
  const body = Array.from({ length: 40 }, () => r(`${ALNUM}+/`, 64)).join('\n');
  const text = `x\n-----${j('BEGIN ', 'OPENSSH PRIVATE KEY')}-----\n${body}\n-----${j('END ', 'OPENSSH PRIVATE KEY')}-----\n`;
  const matches = scan(text).filter((m) => m.ruleId === 'private-key-openssh');
  assert.equal(matches.length, 1);
  assert.equal(matches[0]?.line, 2);
  assert.equal(matches[0]?.endLine, 43);
  // A block right after a leading empty line (window start at the second byte of the file).
  const leading = scan(`\n${text.slice(2)}`).filter((m) => m.ruleId === 'private-key-openssh');
  assert.deepEqual(
    leading.map((m) => [m.line, m.column]),
    [[2, 1]],
  );
});

test('inline markers: gatechain:allow and gitleaks:allow mark the match, other lines are unaffected', () => {
  const a = j('gh', 'p_', r(ALNUM, 36));
  const b = j('gh', 'p_', r(ALNUM, 36));
  const c = j('gh', 'p_', r(ALNUM, 36));
  const matches = scan(`a = "${a}" // gatechain:allow\nb = "${b}" # gitleaks:allow\nc = "${c}"\n`);
  assert.deepEqual(
    matches.map((m) => [m.line, m.inlineAllowed]),
    [
      [1, true],
      [2, true],
      [3, false],
    ],
  );
});

test('rules run only near their keywords: a matching shape without the keyword on its line is not reported', () => {
  const ruleSet = loadRuleSet({
    configText: "[[rules]]\nid = \"near\"\nregex = '''value-([0-9]{6})'''\nkeywords = [\"marker\"]\n",
  });
  const m = createMatcher(ruleSet);
  const ids = (text: string) => m.scan({ path: 'a', data: Buffer.from(text) }).map((x) => x.line);
  assert.deepEqual(ids('marker value-123456\n'), [1]);
  assert.deepEqual(ids('marker\nvalue-123456\n'), []);
  // A rule without keywords runs everywhere.
  const everywhere = createMatcher(
    loadRuleSet({ configText: "[[rules]]\nid = \"e\"\nregex = '''value-([0-9]{6})'''\n" }),
  );
  assert.equal(everywhere.scan({ path: 'a', data: Buffer.from('x\nvalue-123456') }).length, 1);
});

test('multiline detection is conservative', () => {
  assert.equal(mayCrossLines(String.raw`\b(ghp_[A-Za-z0-9]{36})(?:[^A-Za-z0-9_\n-]|(?m:$))`), false);
  assert.equal(mayCrossLines(String.raw`key\s*=\s*"x"`), true);
  assert.equal(mayCrossLines('a[^"]b'), true);
  assert.equal(mayCrossLines(String.raw`a[^"\s]b`), false);
  assert.equal(mayCrossLines('(?s)a.b'), true);
  assert.equal(mayCrossLines(String.raw`a\Wb`), true);
  assert.equal(mayCrossLines(String.raw`a\\sb`), false);
});

// Inputs that make backtracking engines take exponential or quadratic time. With RE2 semantics
// each completes in linear time; the test only bounds input sizes, never measures time.
test('pathological inputs finish against every default rule (100k-character runs)', () => {
  const runs = [
    'a'.repeat(100_000),
    'A'.repeat(100_000),
    '0'.repeat(100_000),
    `password = "${'a'.repeat(100_000)}`,
    `token=${'x-'.repeat(50_000)}`,
    `-----${j('BEGIN ', 'RSA PRIVATE KEY')}-----${'\n'.repeat(50_000)}${'A'.repeat(50_000)}`,
    `curl ${'-u '.repeat(30_000)}`,
    `postgres://${'a:'.repeat(50_000)}@`,
    `${'secret'.repeat(20_000)}`,
    `Server=x;${'Password='.repeat(10_000)}`,
    `${'eyJ'.repeat(30_000)}.`,
    `sk-${'T3BlbkFJ'.repeat(12_000)}`,
  ];
  for (const text of runs) {
    const matches = scan(text);
    assert.ok(Array.isArray(matches));
  }
});

test('every default rule regex on its own, without the prefilter, finishes on 100k-character runs', () => {
  const runs = ['A'.repeat(100_000), 'a1'.repeat(50_000), `${'-'.repeat(50_000)}${' '.repeat(50_000)}`];
  for (const rule of defaultRuleSet().rules) {
    const regex = rule.regex;
    assert.ok(regex);
    for (const run of runs) {
      // The keyword first, so patterns anchored on it get as far as they can before failing.
      const text = `${rule.keywords[0] ?? ''}${run}`;
      assert.ok(Array.isArray(regex.matchAll(text)), rule.id);
    }
  }
});

test('pathological configured rules are linear too (nested quantifiers)', () => {
  const ruleSet = loadRuleSet({
    configText: [
      "[[rules]]\nid = \"nested\"\nregex = '''(a+)+$'''\n",
      "[[rules]]\nid = \"alt\"\nregex = '''(a|aa)+b'''\n",
      "[[rules]]\nid = \"star\"\nregex = '''(.*a){12}'''\n",
    ].join(''),
  });
  const m = createMatcher(ruleSet);
  const found = m.scan({ path: 'x', data: Buffer.from(`${'a'.repeat(100_000)}!`) });
  assert.deepEqual([...new Set(found.map((f) => f.ruleId))], ['star']);
});

test('property: the matcher never throws on arbitrary bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
      assert.ok(Array.isArray(matcher.scan({ path: 'x.bin', data: bytes })));
    }),
    { numRuns: 200 },
  );
});
