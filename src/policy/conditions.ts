import { compile, type JSONValue, search, TreeInterpreter } from '@jmespath-community/jmespath';
import { InputError } from '../util/errors.ts';
import type { ConditionDocument } from './schema.ts';

export interface ConditionOutcome {
  passed: boolean;
  /** What was found and what was expected, for the verification tree. */
  reason: string;
}

const compiled = new Map<string, ReturnType<typeof compile>>();

/** Compiles (and caches) a JMESPath expression, refusing a bad one with a typed error. */
export function compileExpression(expression: string): ReturnType<typeof compile> {
  let ast = compiled.get(expression);
  if (!ast) {
    try {
      ast = compile(expression);
    } catch (error) {
      throw new InputError(
        'POLICY_EXPRESSION_INVALID',
        `invalid JMESPath "${expression}": ${(error as Error).message}`,
      );
    }
    compiled.set(expression, ast);
  }
  return ast;
}

function evaluate(expression: string, data: unknown): unknown {
  const ast = compileExpression(expression);
  try {
    return TreeInterpreter.search(ast, data as JSONValue);
  } catch {
    // A runtime type error (e.g. length() of a number) means the predicate does not have the
    // shape the condition expects: treat as "not found" so the condition fails closed.
    return null;
  }
}

const show = (value: unknown) => JSON.stringify(value) ?? 'undefined';

/** Evaluates one condition on a predicate. Pure; never throws for predicate content. */
export function evaluateCondition(condition: ConditionDocument, predicate: unknown): ConditionOutcome {
  const actual = evaluate(condition.path, predicate);
  const prefix = condition.message ? `${condition.message}: ` : '';
  const fail = (expected: string) => ({
    passed: false,
    reason: `${prefix}${condition.path} is ${show(actual)}, expected ${expected}`,
  });
  const ok = { passed: true, reason: `${prefix}${condition.path} is ${show(actual)}` };
  if (condition.exists !== undefined) {
    const present = actual !== null && actual !== undefined;
    return present === condition.exists ? ok : fail(condition.exists ? 'to exist' : 'to be absent');
  }
  if (condition.equals !== undefined)
    return deepEqual(actual, condition.equals) ? ok : fail(`= ${show(condition.equals)}`);
  if (condition.notEquals !== undefined) {
    return deepEqual(actual, condition.notEquals) ? fail(`≠ ${show(condition.notEquals)}`) : ok;
  }
  if (condition.in !== undefined) {
    return condition.in.some((item) => deepEqual(actual, item)) ? ok : fail(`one of ${show(condition.in)}`);
  }
  if (condition.notIn !== undefined) {
    return condition.notIn.some((item) => deepEqual(actual, item))
      ? fail(`none of ${show(condition.notIn)}`)
      : ok;
  }
  if (typeof actual !== 'number') {
    return fail('a number');
  }
  const numeric: [number | undefined, (a: number, b: number) => boolean, string][] = [
    [condition.lessThan, (a, b) => a < b, '<'],
    [condition.lessThanOrEquals, (a, b) => a <= b, '≤'],
    [condition.greaterThan, (a, b) => a > b, '>'],
    [condition.greaterThanOrEquals, (a, b) => a >= b, '≥'],
  ];
  for (const [bound, compare, symbol] of numeric) {
    if (bound !== undefined) return compare(actual, bound) ? ok : fail(`${symbol} ${bound}`);
  }
  return fail('a known operator');
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a as object);
  const keysB = Object.keys(b as object);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) =>
    deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

export { search as searchJmesPath };
