import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILTIN_RULES, scanSource } from '../../../src/scanners/sast/index.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const MARKER = '// expect-finding';

function fixtureFile(dir: string, stem: 'bad' | 'good'): string {
  const name = readdirSync(join(FIXTURES, dir)).find((file) => file.startsWith(`${stem}.`));
  assert.ok(name, `fixture ${dir}/${stem}.* is missing`);
  return join(dir, name);
}

function markedLines(text: string): number[] {
  return text.split('\n').flatMap((line, index) => (line.includes(MARKER) ? [index + 1] : []));
}

test('there are at least 15 built-in rules, each with a fixture folder', () => {
  assert.ok(BUILTIN_RULES.length >= 15, `only ${BUILTIN_RULES.length} rules`);
  const ids = BUILTIN_RULES.map((rule) => rule.id);
  assert.equal(new Set(ids).size, ids.length, 'rule ids are unique');
  const folders = new Set(readdirSync(FIXTURES));
  for (const rule of BUILTIN_RULES) {
    assert.match(rule.id, /^js\/[a-z0-9-]+$/);
    assert.match(rule.cwe, /^CWE-\d+$/);
    assert.ok(folders.has(rule.id.slice(3)), `no fixtures for ${rule.id}`);
  }
});

for (const rule of BUILTIN_RULES) {
  const dir = rule.id.slice(3);
  test(`${rule.id}: reports exactly the marked lines of bad, nothing in good`, () => {
    const bad = fixtureFile(dir, 'bad');
    const badText = readFileSync(join(FIXTURES, bad), 'utf8');
    const expected = markedLines(badText);
    assert.ok(expected.length > 0, 'bad fixture marks at least one line');
    const badFindings = scanSource(badText, bad, [rule]);
    assert.deepEqual(
      badFindings.filter((finding) => finding.ruleId === 'js/parse-error'),
      [],
      'bad fixture parses cleanly',
    );
    assert.deepEqual(
      badFindings.map((finding) => finding.location?.line).sort((a, b) => (a ?? 0) - (b ?? 0)),
      expected,
    );
    for (const finding of badFindings) {
      assert.equal(finding.ruleId, rule.id);
      assert.equal(finding.location?.file, bad);
      assert.equal(finding.properties?.['cwe'], rule.cwe);
    }

    const good = fixtureFile(dir, 'good');
    const goodText = readFileSync(join(FIXTURES, good), 'utf8');
    assert.deepEqual(markedLines(goodText), []);
    const goodFindings = scanSource(goodText, good, [rule]);
    assert.deepEqual(
      goodFindings.map((finding) => `${finding.ruleId}@${finding.location?.line}: ${finding.message}`),
      [],
    );
  });
}
