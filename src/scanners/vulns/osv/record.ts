import { InputError } from '../../../util/errors.ts';

/** The subset of the OSV schema (1.x) that gatechain reads; other fields are kept verbatim. */
export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: 'SEMVER' | 'ECOSYSTEM' | 'GIT';
  repo?: string;
  events: OsvEvent[];
}

export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  severity?: OsvSeverity[];
  ranges?: OsvRange[];
  versions?: string[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

export interface OsvRecord {
  schema_version?: string;
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  related?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: Array<{ type: string; url: string }>;
  database_specific?: Record<string, unknown>;
}

/** Where a validation problem sits: a path into the record, e.g. ['affected', 0, 'ranges']. */
export type RecordPath = Array<string | number>;

/** A record that does not follow the OSV schema; `path` lets the caller find the line. */
export class OsvShapeError extends Error {
  readonly path: RecordPath;
  constructor(path: RecordPath, message: string) {
    super(message);
    this.name = 'OsvShapeError';
    this.path = path;
  }
}

export function formatPath(path: RecordPath): string {
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
}

const RANGE_TYPES = new Set(['SEMVER', 'ECOSYSTEM', 'GIT']);
const EVENT_KEYS = new Set(['introduced', 'fixed', 'last_affected', 'limit']);
const MAX_ID_LENGTH = 200;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function fail(path: RecordPath, message: string): never {
  throw new OsvShapeError(path, `${formatPath(path) || 'record'}: ${message}`);
}

function optionalString(record: Record<string, unknown>, key: string, path: RecordPath): void {
  if (record[key] !== undefined && typeof record[key] !== 'string') fail([...path, key], 'must be a string');
}

function optionalStringArray(record: Record<string, unknown>, key: string, path: RecordPath): void {
  const value = record[key];
  if (value === undefined) return;
  if (!Array.isArray(value)) fail([...path, key], 'must be an array of strings');
  value.forEach((item, index) => {
    if (typeof item !== 'string') fail([...path, key, index], 'must be a string');
  });
}

function timestamp(record: Record<string, unknown>, key: string, path: RecordPath, required: boolean): void {
  const value = record[key];
  if (value === undefined && !required) return;
  if (typeof value !== 'string') fail([...path, key], 'must be an RFC 3339 timestamp string');
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) ||
    Number.isNaN(Date.parse(value))
  ) {
    fail([...path, key], `"${value}" is not an RFC 3339 timestamp`);
  }
}

function severityList(value: unknown, path: RecordPath): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) fail(path, 'must be an array');
  value.forEach((entry, index) => {
    if (!isObject(entry)) fail([...path, index], 'must be an object');
    if (typeof entry['type'] !== 'string') fail([...path, index, 'type'], 'must be a string');
    if (typeof entry['score'] !== 'string') fail([...path, index, 'score'], 'must be a string');
  });
}

function rangeShape(range: unknown, path: RecordPath): void {
  if (!isObject(range)) fail(path, 'must be an object');
  if (typeof range['type'] !== 'string' || !RANGE_TYPES.has(range['type'])) {
    fail([...path, 'type'], 'must be SEMVER, ECOSYSTEM or GIT');
  }
  const events = range['events'];
  if (!Array.isArray(events) || events.length === 0) fail([...path, 'events'], 'must be a non-empty array');
  let introduced = 0;
  let fixed = false;
  let lastAffected = false;
  events.forEach((event, index) => {
    const at = [...path, 'events', index];
    if (!isObject(event)) fail(at, 'must be an object');
    const keys = Object.keys(event);
    if (keys.length !== 1 || !EVENT_KEYS.has(keys[0] as string)) {
      fail(at, 'must hold exactly one of introduced, fixed, last_affected, limit');
    }
    const key = keys[0] as string;
    if (typeof event[key] !== 'string' || event[key] === '') fail([...at, key], 'must be a non-empty string');
    if (key === 'introduced') introduced++;
    if (key === 'fixed') fixed = true;
    if (key === 'last_affected') lastAffected = true;
  });
  if (introduced === 0) fail([...path, 'events'], 'needs at least one introduced event');
  if (fixed && lastAffected) fail([...path, 'events'], 'may hold fixed or last_affected events, not both');
  if (range['type'] === 'GIT' && typeof range['repo'] !== 'string')
    fail([...path, 'repo'], 'is required for GIT ranges');
}

function affectedShape(entry: unknown, path: RecordPath): void {
  if (!isObject(entry)) fail(path, 'must be an object');
  const pkg = entry['package'];
  if (pkg !== undefined) {
    if (!isObject(pkg)) fail([...path, 'package'], 'must be an object');
    if (typeof pkg['ecosystem'] !== 'string' || pkg['ecosystem'] === '') {
      fail([...path, 'package', 'ecosystem'], 'must be a non-empty string');
    }
    if (typeof pkg['name'] !== 'string' || pkg['name'] === '')
      fail([...path, 'package', 'name'], 'must be a non-empty string');
    optionalString(pkg, 'purl', [...path, 'package']);
  }
  severityList(entry['severity'], [...path, 'severity']);
  const ranges = entry['ranges'];
  if (ranges !== undefined) {
    if (!Array.isArray(ranges)) fail([...path, 'ranges'], 'must be an array');
    ranges.forEach((range, index) => {
      rangeShape(range, [...path, 'ranges', index]);
    });
  }
  optionalStringArray(entry, 'versions', path);
  for (const key of ['ecosystem_specific', 'database_specific']) {
    if (entry[key] !== undefined && !isObject(entry[key])) fail([...path, key], 'must be an object');
  }
}

/**
 * Checks a decoded value against the OSV schema's required shape. Throws OsvShapeError naming
 * the offending path; unknown fields pass (the schema is extensible).
 */
export function validateOsvShape(value: unknown): OsvRecord {
  if (!isObject(value)) fail([], 'an OSV record must be an object');
  if (typeof value['id'] !== 'string' || value['id'] === '' || value['id'].length > MAX_ID_LENGTH) {
    fail(['id'], `must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
  }
  timestamp(value, 'modified', [], true);
  timestamp(value, 'published', [], false);
  timestamp(value, 'withdrawn', [], false);
  optionalStringArray(value, 'aliases', []);
  optionalStringArray(value, 'related', []);
  optionalString(value, 'summary', []);
  optionalString(value, 'details', []);
  optionalString(value, 'schema_version', []);
  severityList(value['severity'], ['severity']);
  const affected = value['affected'];
  if (affected !== undefined) {
    if (!Array.isArray(affected)) fail(['affected'], 'must be an array');
    affected.forEach((entry, index) => {
      affectedShape(entry, ['affected', index]);
    });
  }
  if (value['database_specific'] !== undefined && !isObject(value['database_specific'])) {
    fail(['database_specific'], 'must be an object');
  }
  return value as unknown as OsvRecord;
}

/** The typed error a caller sees: the file, and the line when the text could be located. */
export function recordError(file: string, message: string, line?: number): InputError {
  return new InputError('OSV_RECORD_INVALID', message, { file, line });
}
