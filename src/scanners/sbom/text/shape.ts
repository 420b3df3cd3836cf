import { formatError } from '../errors.ts';

/** Narrowing helpers for parsed JSON/TOML/YAML values: wrong shapes become typed errors. */
export type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown, what: string, file: string, line?: number): Obj {
  if (!isObject(value)) throw formatError(file, `${what} must be an object`, line);
  return value;
}

/** An optional object field: absent is {}, anything else but an object is an error. */
export function optionalObject(value: unknown, what: string, file: string, line?: number): Obj {
  if (value === undefined || value === null) return {};
  return objectAt(value, what, file, line);
}

export function optionalArray(value: unknown, what: string, file: string, line?: number): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw formatError(file, `${what} must be an array`, line);
  return value;
}

export function stringAt(value: unknown, what: string, file: string, line?: number): string {
  if (typeof value !== 'string' || value === '')
    throw formatError(file, `${what} must be a non-empty string`, line);
  return value;
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Own keys of an object with string values, ignoring the rest (e.g. `{name: range}` maps). */
export function stringMapKeys(value: unknown): string[] {
  if (!isObject(value)) return [];
  return Object.keys(value);
}

export function stringEntries(value: unknown): [string, string][] {
  if (!isObject(value)) return [];
  const out: [string, string][] = [];
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') out.push([key, item]);
  return out;
}
