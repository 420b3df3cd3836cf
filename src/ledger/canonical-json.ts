import { InputError } from '../util/errors.ts';

/**
 * Canonical JSON for ledger records: object keys sorted by UTF-16 code units (as RFC 8785 does),
 * no insignificant whitespace, integers only (no floats, so number formatting is never in doubt).
 * The same value always yields the same bytes, so the leaf hash commits to the meaning.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, 0);
}

function encode(value: unknown, depth: number): string {
  if (depth > 32) throw new InputError('LEDGER_RECORD_INVALID', 'record nests deeper than 32 levels');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      if (!value.isWellFormed())
        throw new InputError('LEDGER_RECORD_INVALID', 'record has a malformed string');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isSafeInteger(value)) {
        throw new InputError('LEDGER_RECORD_INVALID', `record numbers must be safe integers, got ${value}`);
      }
      return String(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => encode(item, depth + 1)).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, item]) => item !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${encode(item, depth + 1)}`).join(',')}}`;
    }
    default:
      throw new InputError('LEDGER_RECORD_INVALID', `record cannot hold a ${typeof value}`);
  }
}
