import { isDeepStrictEqual } from 'node:util';
import semver from 'semver';
import { globMatch, hasWildcard } from '../policy/glob.ts';
import type { ConditionOperator } from '../policy/types.ts';
import { parseDuration } from './duration.ts';

/**
 * Kyverno's condition operators as a table: one pure function per operator over resolved
 * operands. A comparison between incomparable values is false with a reason, never a throw.
 */
export type OperatorResult = { ok: true } | { ok: false; reason: string };
type Operator = (key: unknown, value: unknown) => OperatorResult;

const pass: OperatorResult = { ok: true };
const no = (reason: string): OperatorResult => ({ ok: false, reason });
const show = (value: unknown) => JSON.stringify(value) ?? String(value);

/** Equality with Kyverno's conveniences: globs in the value, durations, numeric strings. */
export function looseEquals(key: unknown, value: unknown): boolean {
  if (typeof key === 'string' && typeof value === 'string') {
    if (key === value) return true;
    if (hasWildcard(value) && globMatch(value, key)) return true;
    const a = parseDuration(key);
    const b = parseDuration(value);
    if (a !== undefined && b !== undefined && /[a-zµ]/.test(key + value)) return a === b;
    return false;
  }
  if (typeof key === 'number' || typeof value === 'number') {
    const a = toNumber(key);
    const b = toNumber(value);
    if (a !== undefined && b !== undefined) return a === b;
    const da = parseDuration(key);
    const db = parseDuration(value);
    return da !== undefined && db !== undefined && da === db;
  }
  return isDeepStrictEqual(key, value);
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function contains(list: unknown, item: unknown): boolean {
  return asList(list).some((candidate) => looseEquals(item, candidate));
}

/** Orders two values: numbers, then durations, then semantic versions. */
function compare(key: unknown, value: unknown, durationsOnly: boolean): number | string {
  if (!durationsOnly) {
    const a = toNumber(key);
    const b = toNumber(value);
    if (a !== undefined && b !== undefined) return a - b;
  }
  const da = parseDuration(key);
  const db = parseDuration(value);
  if (da !== undefined && db !== undefined) return da - db;
  if (!durationsOnly && typeof key === 'string' && typeof value === 'string') {
    const va = semver.valid(semver.coerce(key));
    const vb = semver.valid(semver.coerce(value));
    if (va && vb && semver.valid(key) && semver.valid(value)) return semver.compare(key, value);
  }
  return `cannot compare ${show(key)} with ${show(value)}${durationsOnly ? ' as durations' : ''}`;
}

function ordering(test: (difference: number) => boolean, durationsOnly: boolean, symbol: string): Operator {
  return (key, value) => {
    const difference = compare(key, value, durationsOnly);
    if (typeof difference === 'string') return no(difference);
    return test(difference) ? pass : no(`${show(key)} is not ${symbol} ${show(value)}`);
  };
}

export const OPERATORS: Readonly<Record<ConditionOperator, Operator>> = {
  Equals: (key, value) => (looseEquals(key, value) ? pass : no(`${show(key)} does not equal ${show(value)}`)),
  NotEquals: (key, value) => (looseEquals(key, value) ? no(`${show(key)} equals ${show(value)}`) : pass),
  AnyIn: (key, value) =>
    asList(key).some((item) => contains(value, item))
      ? pass
      : no(`none of ${show(key)} is in ${show(value)}`),
  AllIn: (key, value) =>
    asList(key).every((item) => contains(value, item))
      ? pass
      : no(`not all of ${show(key)} are in ${show(value)}`),
  AnyNotIn: (key, value) =>
    asList(key).some((item) => !contains(value, item))
      ? pass
      : no(`all of ${show(key)} are in ${show(value)}`),
  AllNotIn: (key, value) =>
    asList(key).every((item) => !contains(value, item))
      ? pass
      : no(`some of ${show(key)} are in ${show(value)}`),
  GreaterThan: ordering((d) => d > 0, false, '>'),
  GreaterThanOrEquals: ordering((d) => d >= 0, false, '>='),
  LessThan: ordering((d) => d < 0, false, '<'),
  LessThanOrEquals: ordering((d) => d <= 0, false, '<='),
  DurationGreaterThan: ordering((d) => d > 0, true, '>'),
  DurationGreaterThanOrEquals: ordering((d) => d >= 0, true, '>='),
  DurationLessThan: ordering((d) => d < 0, true, '<'),
  DurationLessThanOrEquals: ordering((d) => d <= 0, true, '<='),
};
