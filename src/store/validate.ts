import { DIGEST_HEX_LENGTH } from '../model/digest.ts';
import { StoreError } from './errors.ts';
import type { AttestationQuery, NewAttestation } from './types.ts';

/**
 * Pure checks and normalisation of everything the store accepts, done before any SQL runs so that
 * bad input is a typed error and never reaches a database (PostgreSQL rejects NUL in text, and a
 * lone UTF-16 surrogate cannot be stored as UTF-8 and read back unchanged).
 */

export const LIMITS = {
  bundleBytes: 32 * 1024 * 1024,
  subjects: 100_000,
  text: 4096,
  metaKey: 256,
  metaValueBytes: 1024 * 1024,
  findLimit: 100_000,
  offset: 2 ** 31 - 1,
} as const;

const SHA256_HEX = /^[0-9a-f]{64}$/;
const HEX = /^[0-9a-f]+$/;
const ALGORITHM = /^[A-Za-z0-9_-]{1,32}$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

export interface SubjectRow {
  algorithm: string;
  hex: string;
}

export interface NormalizedAttestation {
  id: string;
  bytes: Buffer;
  subjectsJson: string;
  subjectRows: SubjectRow[];
  predicateType: string;
  signerKeyId: string;
  gate: number | null;
  createdAt: string;
  source: string | null;
}

export interface NormalizedQuery {
  subject?: SubjectRow;
  predicateType?: string;
  signerKeyId?: string;
  gate?: number;
  since?: string;
  limit?: number;
  offset?: number;
}

function inputError(message: string): StoreError {
  return new StoreError('STORE_INPUT_INVALID', message);
}

function queryError(message: string): StoreError {
  return new StoreError('STORE_QUERY_INVALID', message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Text that survives UTF-8 and every backend: well-formed, no NUL, bounded. */
function checkText(
  value: unknown,
  field: string,
  fail: (message: string) => StoreError,
  max: number,
): string {
  if (typeof value !== 'string') throw fail(`${field} must be a string`);
  if (value.length > max) throw fail(`${field} is longer than ${max} characters`);
  if (!value.isWellFormed()) throw fail(`${field} contains an unpaired UTF-16 surrogate`);
  if (value.includes('\u0000')) throw fail(`${field} contains a NUL character`);
  return value;
}

function checkDigest(algorithm: string, hex: unknown, fail: (message: string) => StoreError): SubjectRow {
  if (!ALGORITHM.test(algorithm))
    throw fail(`digest algorithm ${JSON.stringify(algorithm)} is not a valid name`);
  if (typeof hex !== 'string' || !HEX.test(hex) || hex.length > 512) {
    throw fail(`digest ${algorithm} must be lowercase hex`);
  }
  const expected = DIGEST_HEX_LENGTH[algorithm];
  // git object ids are SHA-1 (40) or, in SHA-256 repositories, 64 hex digits.
  const ok =
    expected === undefined || hex.length === expected || (algorithm.startsWith('git') && hex.length === 64);
  if (!ok) throw fail(`digest ${algorithm} has ${hex.length} hex digits, expected ${expected}`);
  return { algorithm, hex };
}

/** RFC 3339 → `YYYY-MM-DDTHH:MM:SS.sssZ`, the one form stored, so text order is time order. */
export function normalizeTimestamp(
  value: unknown,
  field: string,
  fail: (message: string) => StoreError,
): string {
  if (typeof value !== 'string' || value.length > 40) throw fail(`${field} must be an RFC 3339 timestamp`);
  const match = RFC3339.exec(value);
  if (!match) throw fail(`${field} ${JSON.stringify(value)} is not an RFC 3339 timestamp`);
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const daysInMonth = new Date(Date.UTC(year as number, month as number, 0)).getUTCDate();
  const valid =
    (month as number) >= 1 &&
    (month as number) <= 12 &&
    (day as number) >= 1 &&
    (day as number) <= daysInMonth &&
    (hour as number) <= 23 &&
    (minute as number) <= 59 &&
    (second as number) <= 59;
  if (!valid) throw fail(`${field} ${JSON.stringify(value)} is not a valid date and time`);
  // Millisecond precision is what Date keeps; finer digits are dropped, not rounded.
  const fraction = match[7] ? match[7].slice(0, 4).padEnd(4, '0') : '';
  const iso = `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}${fraction}${match[8]?.toUpperCase()}`;
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) throw fail(`${field} ${JSON.stringify(value)} is not a valid date and time`);
  const normalized = new Date(millis).toISOString();
  // An offset can push year 0000 or 9999 outside four digits; such a value would not sort as text.
  if (!/^\d{4}-/.test(normalized)) throw fail(`${field} ${JSON.stringify(value)} is out of range`);
  return normalized;
}

function checkGate(value: unknown, fail: (message: string) => StoreError): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 5) {
    throw fail('gate must be an integer from 1 to 5');
  }
  return value;
}

export function normalizeAttestation(
  record: NewAttestation,
  now: () => Date = () => new Date(),
): NormalizedAttestation {
  if (!isObject(record)) throw inputError('attestation must be an object');
  const id = record.bundleDigest;
  if (typeof id !== 'string' || !SHA256_HEX.test(id)) {
    throw inputError('bundleDigest must be 64 lowercase hex digits (sha256)');
  }
  const bundleJson = record.bundleJson;
  if (typeof bundleJson !== 'string') throw inputError('bundleJson must be a string');
  if (!bundleJson.isWellFormed()) throw inputError('bundleJson contains an unpaired UTF-16 surrogate');
  const bytes = Buffer.from(bundleJson, 'utf8');
  if (bytes.length > LIMITS.bundleBytes) {
    throw inputError(`bundleJson is ${bytes.length} bytes; the store accepts at most ${LIMITS.bundleBytes}`);
  }
  if (!Array.isArray(record.subjects) || record.subjects.length === 0) {
    throw inputError('subjects must be a non-empty array');
  }
  if (record.subjects.length > LIMITS.subjects) throw inputError(`more than ${LIMITS.subjects} subjects`);
  const seen = new Set<string>();
  const subjectRows: SubjectRow[] = [];
  const subjects = record.subjects.map((subject, index) => {
    if (!isObject(subject)) throw inputError(`subjects[${index}] must be an object`);
    const digest = subject.digest;
    if (!isObject(digest) || Object.keys(digest).length === 0) {
      throw inputError(`subjects[${index}].digest must be a non-empty object`);
    }
    const clean: Record<string, string> = {};
    for (const [algorithm, hex] of Object.entries(digest)) {
      const row = checkDigest(algorithm, hex, (message) => inputError(`subjects[${index}]: ${message}`));
      clean[algorithm] = row.hex;
      const key = `${row.algorithm}:${row.hex}`;
      if (!seen.has(key)) {
        seen.add(key);
        subjectRows.push(row);
      }
    }
    if (subject.name === undefined) return { digest: clean };
    return {
      name: checkText(subject.name, `subjects[${index}].name`, inputError, LIMITS.text),
      digest: clean,
    };
  });
  return {
    id,
    bytes,
    subjectsJson: JSON.stringify(subjects),
    subjectRows,
    predicateType: checkNonEmpty(
      checkText(record.predicateType, 'predicateType', inputError, LIMITS.text),
      'predicateType',
    ),
    signerKeyId: checkNonEmpty(
      checkText(record.signerKeyId, 'signerKeyId', inputError, LIMITS.text),
      'signerKeyId',
    ),
    gate: record.gate === undefined ? null : checkGate(record.gate, inputError),
    createdAt:
      record.createdAt === undefined
        ? now().toISOString()
        : normalizeTimestamp(record.createdAt, 'createdAt', inputError),
    source: record.source === undefined ? null : checkText(record.source, 'source', inputError, LIMITS.text),
  };
}

function checkNonEmpty(value: string, field: string): string {
  if (value.length === 0) throw inputError(`${field} must not be empty`);
  return value;
}

/** `algorithm:hex` → a subject index key, or STORE_QUERY_INVALID. */
export function parseSubjectDigest(value: unknown): SubjectRow {
  if (typeof value !== 'string') throw queryError('subjectDigest must be a string of the form algorithm:hex');
  const colon = value.indexOf(':');
  if (colon <= 0 || value.length > 600) {
    throw queryError(`subjectDigest ${JSON.stringify(value.slice(0, 80))} is not of the form algorithm:hex`);
  }
  return checkDigest(value.slice(0, colon), value.slice(colon + 1), (message) =>
    queryError(`subjectDigest: ${message}`),
  );
}

function checkCount(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw queryError(`${field} must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function normalizeQuery(query: AttestationQuery | undefined): NormalizedQuery {
  if (query === undefined) return {};
  if (!isObject(query)) throw queryError('query must be an object');
  const out: NormalizedQuery = {};
  if (query.subjectDigest !== undefined) out.subject = parseSubjectDigest(query.subjectDigest);
  if (query.predicateType !== undefined) {
    out.predicateType = checkText(query.predicateType, 'predicateType', queryError, LIMITS.text);
  }
  if (query.signerKeyId !== undefined) {
    out.signerKeyId = checkText(query.signerKeyId, 'signerKeyId', queryError, LIMITS.text);
  }
  if (query.gate !== undefined) out.gate = checkGate(query.gate, queryError);
  if (query.since !== undefined) out.since = normalizeTimestamp(query.since, 'since', queryError);
  if (query.limit !== undefined) out.limit = checkCount(query.limit, 'limit', 1, LIMITS.findLimit);
  if (query.offset !== undefined) out.offset = checkCount(query.offset, 'offset', 0, LIMITS.offset);
  return out;
}

/** A full id or a prefix of ≥ 8 hex digits; `sha256:` and upper case are accepted as typed by people. */
export function normalizeIdPrefix(value: unknown): string {
  if (typeof value !== 'string') throw queryError('attestation id must be a string');
  const bare = value.startsWith('sha256:') ? value.slice('sha256:'.length) : value;
  const lower = bare.toLowerCase();
  if (!/^[0-9a-f]{8,64}$/.test(lower)) {
    throw queryError(
      `attestation id ${JSON.stringify(value.slice(0, 80))} must be 8 to 64 hex digits (a full id or a unique prefix)`,
    );
  }
  return lower;
}

export function checkMetaKey(key: unknown, reading = false): string {
  const fail = reading ? queryError : inputError;
  const text = checkText(key, 'meta key', fail, LIMITS.metaKey);
  if (text.length === 0) throw fail('meta key must not be empty');
  return text;
}

export function checkMetaValue(value: unknown): string {
  const text = checkText(value, 'meta value', inputError, LIMITS.metaValueBytes);
  if (Buffer.byteLength(text, 'utf8') > LIMITS.metaValueBytes) {
    throw inputError(`meta value is larger than ${LIMITS.metaValueBytes} bytes`);
  }
  return text;
}
