import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { InputError } from '../../util/errors.ts';

/** Where gatechain looks for the ignore file when none is given. */
export const DEFAULT_IGNORE_FILE = '.gatechain/vuln-ignore.yaml';
export const MAX_IGNORE_FILE_BYTES = 1024 * 1024;
const MAX_ALIASES = 20;
const ENTRY_FIELDS = ['id', 'purl', 'package', 'reason', 'ticket', 'expires'];

/**
 * One accepted risk: the advisory (by id or any alias), optionally narrowed to one package (by
 * purl, or by name), with why, the tracking ticket, and when the acceptance lapses.
 */
export interface IgnoreEntry {
  id: string;
  purl?: string;
  package?: string;
  reason: string;
  ticket?: string;
  /** As written: a date (valid through that whole UTC day) or an RFC 3339 timestamp. */
  expires: string;
  /** Epoch ms from which the entry no longer suppresses. */
  expiresAtMs: number;
  line?: number;
}

/** `2026-03-01` lapses at the start of 2026-03-02 UTC; a timestamp lapses at that instant. */
export function expiryInstant(text: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const start = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(start) ? undefined : start + 24 * 60 * 60 * 1000;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const at = Date.parse(text);
    return Number.isNaN(at) ? undefined : at;
  }
  return undefined;
}

/**
 * Parses `.gatechain/vuln-ignore.yaml`:
 *
 *   ignore:
 *     - id: GHSA-xxxx-xxxx-xxxx      # advisory id or alias (required)
 *       purl: pkg:npm/lodash@4.17.20 # optional: only this package (a purl without @version matches any version)
 *       package: lodash              # optional: only packages of this name
 *       reason: not reachable        # required
 *       ticket: SEC-123              # optional
 *       expires: 2026-03-31          # required
 */
export function parseIgnoreFile(text: string, file: string): IgnoreEntry[] {
  if (text.length > MAX_IGNORE_FILE_BYTES) {
    throw new InputError('IGNORE_FILE_INVALID', `ignore file is larger than ${MAX_IGNORE_FILE_BYTES} bytes`, {
      file,
    });
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) {
    throw new InputError('YAML_SYNTAX', `not valid YAML: ${problem.message.split('\n')[0]}`, {
      file,
      line: counter.linePos(problem.pos[0]).line,
    });
  }
  const lineOf = (node: unknown): number | undefined => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? counter.linePos(range[0]).line : undefined;
  };
  const fail = (node: unknown, message: string): never => {
    throw new InputError('IGNORE_FILE_INVALID', message, { file, line: lineOf(node) });
  };
  try {
    doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    fail(doc.contents, `cannot expand YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const root = doc.contents;
  if (root === null) return [];
  if (!isMap(root)) return fail(root, 'the ignore file must be a mapping with an "ignore" list');
  const list = root.get('ignore', true);
  if (list === undefined || list === null) return [];
  if (!isSeq(list)) return fail(list, '"ignore" must be a list of entries');
  const entries: IgnoreEntry[] = [];
  for (const item of list.items) {
    if (!isMap(item)) return fail(item, 'each ignore entry must be a mapping');
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key !== 'string' || !ENTRY_FIELDS.includes(key)) {
        fail(pair.key, `unknown ignore entry field ${JSON.stringify(key ?? null)}`);
      }
    }
    const read = (key: string, required: boolean): string | undefined => {
      const node = item.get(key, true);
      if (node === undefined || node === null) {
        if (required) fail(item, `ignore entry is missing "${key}"`);
        return undefined;
      }
      const raw = isScalar(node) ? node.value : undefined;
      // Ticket numbers and numeric ids are often written bare (ticket: 4711).
      const value = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
      if (typeof value !== 'string' || value.trim() === '')
        return fail(node, `"${key}" must be a non-empty string`);
      return value.trim();
    };
    const expires = read('expires', true) as string;
    const expiresAtMs = expiryInstant(expires);
    if (expiresAtMs === undefined) {
      return fail(
        item.get('expires', true),
        `"expires" must be a date (YYYY-MM-DD) or an RFC 3339 timestamp, got "${expires}"`,
      );
    }
    const purl = read('purl', false);
    if (purl !== undefined && !purl.startsWith('pkg:'))
      fail(item.get('purl', true), '"purl" must start with "pkg:"');
    const pkg = read('package', false);
    const ticket = read('ticket', false);
    const line = lineOf(item);
    entries.push({
      id: read('id', true) as string,
      ...(purl !== undefined ? { purl } : {}),
      ...(pkg !== undefined ? { package: pkg } : {}),
      reason: read('reason', true) as string,
      ...(ticket !== undefined ? { ticket } : {}),
      expires,
      expiresAtMs,
      ...(line !== undefined ? { line } : {}),
    });
  }
  return entries;
}
