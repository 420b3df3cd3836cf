import { InputError } from './errors.ts';

/** Nesting depth accepted by the encoder; deeper input is refused, not recursed. */
export const MAX_JSON_DEPTH = 200;

/**
 * Canonical JSON (RFC 8785 shape, as @sigstore/core's json.canonicalize): object keys sorted by
 * UTF-16 code units, no whitespace, strings and numbers as ECMAScript serialises them.
 * Unlike the library function it never calls a `toJSON` member (an input key of that name is
 * data, not a method) and refuses nesting deeper than MAX_JSON_DEPTH instead of overflowing
 * the stack, so it is safe on untrusted parsed JSON.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, 0, parts);
  return parts.join('');
}

function write(value: unknown, depth: number, out: string[]): void {
  if (depth > MAX_JSON_DEPTH) {
    throw new InputError('JSON_TOO_DEEP', `JSON nesting deeper than ${MAX_JSON_DEPTH} levels`);
  }
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    out.push(JSON.stringify(value));
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InputError('JSON_INVALID', 'non-finite number in JSON value');
    out.push(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i] === undefined ? null : value[i], depth + 1, out);
    }
    out.push(']');
    return;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    out.push('{');
    keys.forEach((key, index) => {
      if (index > 0) out.push(',');
      out.push(JSON.stringify(key), ':');
      write(record[key], depth + 1, out);
    });
    out.push('}');
    return;
  }
  throw new InputError('JSON_INVALID', `a ${typeof value} is not a JSON value`);
}
