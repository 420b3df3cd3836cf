import { z } from 'zod';
import { parseDigestString, validateDigestSet } from '../model/digest.ts';
import { InputError } from '../util/errors.ts';
import { canonicalJson } from './canonical-json.ts';
import { MAX_ENTRY_BYTES } from './tiles.ts';

/**
 * Ledger entries are canonical-JSON records that commit to artifacts by digest only; the
 * artifacts themselves (attestation bundles, policies, reports) live in content-addressed storage.
 * One schema per kind, in one table. Every record carries `v: 1` so a later format can coexist.
 */
const digestString = z.string().refine(
  (text) => {
    try {
      parseDigestString(text);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be algorithm:lowercase-hex, e.g. sha256:…' },
);
const digestSet = z.record(z.string(), z.string()).refine(
  (set) => {
    try {
      validateDigestSet(set);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be a non-empty digest set of lowercase hex' },
);
const subjects = z.array(digestSet).min(1).max(256);
const text = (max: number) => z.string().min(1).max(max);
const time = z.iso.datetime({ offset: true }).optional();

export const RECORD_SCHEMAS = {
  attestation: z.strictObject({
    kind: z.literal('attestation'),
    v: z.literal(1),
    bundleDigest: digestString,
    predicateType: text(512),
    subjects,
    signerKeyId: text(512),
    time,
  }),
  exception: z.strictObject({
    kind: z.literal('exception'),
    v: z.literal(1),
    id: text(256),
    subjects,
    findings: z.array(text(256)).max(1024).optional(),
    reason: text(4096),
    approvedBy: text(256),
    expires: z.iso.datetime({ offset: true }).optional(),
    documentDigest: digestString.optional(),
    time,
  }),
  'scan-skip': z.strictObject({
    kind: z.literal('scan-skip'),
    v: z.literal(1),
    gate: text(128),
    scanner: text(128),
    subjects,
    reason: text(4096),
    actor: text(256),
    time,
  }),
  'break-glass': z.strictObject({
    kind: z.literal('break-glass'),
    v: z.literal(1),
    subjects,
    reason: text(4096),
    actor: text(256),
    ticket: text(256).optional(),
    documentDigest: digestString.optional(),
    time,
  }),
  'gate-decision': z.strictObject({
    kind: z.literal('gate-decision'),
    v: z.literal(1),
    gate: text(128),
    decision: z.enum(['pass', 'fail', 'warn']),
    subjects,
    policyDigest: digestString.optional(),
    attestationDigest: digestString.optional(),
    reasons: z.array(text(1024)).max(256).optional(),
    time,
  }),
} as const;

export type RecordKind = keyof typeof RECORD_SCHEMAS;
export type LedgerRecord = { [K in RecordKind]: z.infer<(typeof RECORD_SCHEMAS)[K]> }[RecordKind];
export const RECORD_KINDS = Object.keys(RECORD_SCHEMAS) as RecordKind[];

/** Validates a record and returns its canonical bytes (at most 65,535 B, the tile-bundle limit). */
export function encodeRecord(value: unknown): Buffer {
  const record = validateRecord(value);
  const bytes = Buffer.from(canonicalJson(record), 'utf8');
  if (bytes.length > MAX_ENTRY_BYTES) {
    throw new InputError(
      'LEDGER_ENTRY_TOO_LARGE',
      `record is ${bytes.length} bytes; the limit is ${MAX_ENTRY_BYTES}`,
    );
  }
  return bytes;
}

export function validateRecord(value: unknown): LedgerRecord {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(RECORD_SCHEMAS, kind)) {
    throw new InputError('LEDGER_RECORD_INVALID', `record kind must be one of ${RECORD_KINDS.join(', ')}`);
  }
  const result = RECORD_SCHEMAS[kind as RecordKind].safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : kind;
    throw new InputError('LEDGER_RECORD_INVALID', `invalid ${kind} record at ${where}: ${issue?.message}`);
  }
  return result.data as LedgerRecord;
}

/** Decodes stored entry bytes; they must be canonical (re-encoding gives the same bytes). */
export function decodeRecord(bytes: Uint8Array): LedgerRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new InputError('LEDGER_RECORD_INVALID', 'entry is not UTF-8 JSON');
  }
  const record = validateRecord(parsed);
  if (Buffer.compare(Buffer.from(canonicalJson(record), 'utf8'), Buffer.from(bytes)) !== 0) {
    throw new InputError('LEDGER_RECORD_INVALID', 'entry is not in canonical form');
  }
  return record;
}

/** The key `gatechain log proof <digest>` finds a record by: the attestation bundle digest. */
export function recordLookupKey(record: LedgerRecord): string | undefined {
  return record.kind === 'attestation' ? record.bundleDigest : undefined;
}

/** Every artifact digest a record commits to (for matching an entry file to a receipt). */
export function recordDigests(record: LedgerRecord): string[] {
  const out = new Set<string>();
  for (const set of record.subjects)
    for (const [algorithm, hex] of Object.entries(set)) out.add(`${algorithm}:${hex}`);
  for (const key of ['bundleDigest', 'documentDigest', 'policyDigest', 'attestationDigest'] as const) {
    const value = (record as Record<string, unknown>)[key];
    if (typeof value === 'string') out.add(value);
  }
  return [...out];
}
