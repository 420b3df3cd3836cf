import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDuration } from '../../src/admission/conditions/duration.ts';
import { evaluateConditions, OPERATORS, resolveOperand } from '../../src/admission/index.ts';
import type { ConditionOperator } from '../../src/admission/policy/types.ts';

const check = (operator: ConditionOperator, key: unknown, value: unknown) =>
  OPERATORS[operator](key, value).ok;

describe('condition operators (Kyverno semantics)', () => {
  test('Equals and NotEquals: globs, durations, numbers, deep values', () => {
    assert.equal(check('Equals', 'abc', 'abc'), true);
    assert.equal(check('Equals', '1.5.2', '1.5.*'), true);
    assert.equal(check('Equals', '1h', '60m'), true);
    assert.equal(check('Equals', 3600, '1h'), true);
    assert.equal(check('Equals', '5', 5), true);
    assert.equal(check('Equals', { a: [1] }, { a: [1] }), true);
    assert.equal(check('Equals', 'abc', 'abd'), false);
    assert.equal(check('Equals', '', 'x'), false);
    assert.equal(check('NotEquals', '', ''), false);
    assert.equal(check('NotEquals', '1.0', ''), true);
  });

  test('set operators', () => {
    assert.equal(check('AnyIn', ['a', 'z'], ['a', 'b']), true);
    assert.equal(check('AnyIn', ['y', 'z'], ['a', 'b']), false);
    assert.equal(check('AllIn', ['a', 'b'], ['a', 'b', 'c']), true);
    assert.equal(check('AllIn', ['a', 'd'], ['a', 'b', 'c']), false);
    assert.equal(check('AnyNotIn', ['a', 'd'], ['a', 'b']), true);
    assert.equal(check('AnyNotIn', ['a'], ['a', 'b']), false);
    assert.equal(check('AllNotIn', ['x', 'y'], ['a']), true);
    assert.equal(check('AllNotIn', ['x', 'a'], ['a']), false);
    assert.equal(check('AnyIn', 'CVE-1', ['CVE-*']), true);
    assert.equal(check('AllNotIn', [], ['a']), true);
  });

  test('ordering: numbers, numeric strings, durations, semantic versions', () => {
    assert.equal(check('GreaterThan', 5, 3), true);
    assert.equal(check('GreaterThan', 3, 3), false);
    assert.equal(check('GreaterThanOrEquals', '3', 3), true);
    assert.equal(check('LessThan', '1h', '2h'), true);
    assert.equal(check('LessThanOrEquals', '1.2.3', '1.10.0'), true);
    assert.equal(check('LessThan', 'abc', 3), false);
    assert.equal(check('DurationLessThanOrEquals', '167h', '168h'), true);
    assert.equal(check('DurationGreaterThan', '30m', '1h'), false);
    assert.equal(check('DurationGreaterThanOrEquals', 3600, '1h'), true);
    assert.equal(check('DurationLessThan', '5', '1h'), false, 'bare strings are not durations');
  });

  test('Go durations', () => {
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('1.5h'), 5_400_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('-2s'), -2000);
    assert.equal(parseDuration('0'), 0);
    assert.equal(parseDuration('h'), undefined);
    assert.equal(parseDuration('1d'), undefined);
    assert.equal(parseDuration(''), undefined);
  });
});

describe('templates and condition blocks', () => {
  const data = { metadata: { component: { version: '1.2.3' } }, list: [1, 2], count: 0 };

  test('a whole {{ }} keeps its JSON type; embedded ones interpolate; \\{{ escapes', () => {
    assert.deepEqual(resolveOperand('{{ list }}', data), [1, 2]);
    assert.equal(resolveOperand('{{ count }}', data), 0);
    assert.equal(resolveOperand('v{{ metadata.component.version }}!', data), 'v1.2.3!');
    assert.equal(resolveOperand('\\{{ literal }}', data), '{{ literal }}');
    assert.deepEqual(resolveOperand(['{{ count }}', 'x'], data), [0, 'x']);
  });

  test('a missing field fails the condition instead of comparing null', () => {
    const result = evaluateConditions(
      [{ all: [{ key: '{{ metadata.missing }}', operator: 'NotEquals', value: '' }], any: [] }],
      data,
    );
    assert.equal(result.passed, false);
    assert.match(result.reasons[0]!, /resolved to nothing/);
  });

  test('all must hold; any needs one', () => {
    const ok = { key: '{{ count }}', operator: 'Equals' as const, value: 0 };
    const bad = { key: '{{ count }}', operator: 'Equals' as const, value: 1, message: 'count must be one' };
    assert.equal(evaluateConditions([{ all: [ok], any: [bad, ok] }], data).passed, true);
    assert.equal(evaluateConditions([{ all: [ok], any: [bad] }], data).passed, false);
    const failed = evaluateConditions([{ all: [ok, bad], any: [] }], data);
    assert.equal(failed.passed, false);
    assert.match(failed.reasons[0]!, /^count must be one/);
    assert.equal(
      evaluateConditions(
        [
          { all: [ok], any: [] },
          { all: [bad], any: [] },
        ],
        data,
      ).passed,
      false,
    );
  });

  test('Kyverno JMESPath extension time_since over RFC 3339', () => {
    const recent = new Date(Date.now() - 3600_000).toISOString();
    const result = evaluateConditions(
      [
        {
          all: [
            {
              key: `{{ time_since('', '${recent}', '') }}`,
              operator: 'DurationLessThanOrEquals',
              value: '168h',
            },
          ],
          any: [],
        },
      ],
      data,
    );
    assert.equal(result.passed, true, result.reasons.join());
  });
});
