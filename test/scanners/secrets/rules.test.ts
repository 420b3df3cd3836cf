import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMatcher, DEFAULT_CONFIG, defaultRuleSet } from '../../../src/scanners/secrets/index.ts';
import { buildSamples } from './samples.ts';

const ruleSet = defaultRuleSet();
const matcher = createMatcher(ruleSet);
const samples = buildSamples();

function ruleIdsFound(text: string, path: string): string[] {
  return matcher.scan({ path, data: Buffer.from(text) }).map((match) => match.ruleId);
}

test('the default rule set has at least 100 rules, each with a description, severity and keywords', () => {
  assert.ok(ruleSet.rules.length >= 100, `only ${ruleSet.rules.length} rules`);
  for (const rule of ruleSet.rules) {
    assert.ok(rule.description.length > 0, rule.id);
    assert.ok(rule.keywords.length > 0, `${rule.id} has no keywords, so it would run on every file`);
    assert.ok(rule.regex, rule.id);
  }
  const tags = new Set(ruleSet.rules.flatMap((rule) => rule.tags));
  for (const family of [
    'cloud',
    'vcs',
    'ci',
    'registry',
    'payment',
    'chat',
    'email',
    'key',
    'token',
    'generic',
  ]) {
    assert.ok(tags.has(family), `no rule tagged ${family}`);
  }
});

test('every default rule has positive and negative samples', () => {
  const ids = DEFAULT_CONFIG.rules.map((rule) => rule.id).sort();
  const sampled = Object.keys(samples).sort();
  assert.deepEqual(
    ids.filter((id) => !sampled.includes(id)),
    [],
    'rules without samples',
  );
  assert.deepEqual(
    sampled.filter((id) => !ids.includes(id)),
    [],
    'samples for unknown rules',
  );
  for (const [id, sample] of Object.entries(samples)) {
    assert.ok(sample.positives.length > 0 && sample.negatives.length > 0, id);
  }
});

for (const [id, sample] of Object.entries(samples)) {
  test(`rule ${id}: positives match, negatives do not`, () => {
    const path = sample.path ?? 'src/app.ts';
    sample.positives.forEach((text, i) => {
      assert.ok(ruleIdsFound(text, path).includes(id), `${id} positive #${i + 1} not found`);
      // The same text inside a larger file, on a later line, is found too.
      const embedded = `// header\nfunction f() { return 1; }\n${text}\n// trailer\n`;
      assert.ok(ruleIdsFound(embedded, path).includes(id), `${id} positive #${i + 1} not found in context`);
    });
    sample.negatives.forEach((text, i) => {
      assert.ok(!ruleIdsFound(text, path).includes(id), `${id} negative #${i + 1} matched`);
    });
  });
}
