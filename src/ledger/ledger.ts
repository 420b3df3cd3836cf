import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GatechainError, InputError } from '../util/errors.ts';
import { type Checkpoint, formatCheckpoint, verifyCheckpoint } from './checkpoint.ts';
import { loadOrCreateKey } from './key-file.ts';
import { CompactRange, EMPTY_ROOT, edgeNodes, leafHash, type NodeCoord } from './merkle.ts';
import { signNote } from './note.ts';
import {
  formatVerifierKey,
  KEY_TYPE_ED25519,
  type PrivateNoteKey,
  parseSignerKey,
  publicPart,
} from './note-keys.ts';
import { publishCheckpoint } from './publisher.ts';
import { LedgerReader } from './reader.ts';
import { type VerifiedReceipt, verifyReceipt } from './receipt.ts';
import { encodeRecord, type LedgerRecord, recordLookupKey } from './records.ts';
import { signerFor } from './signers.ts';
import { LEDGER_DB_FILE, openSqliteStorage } from './sqlite-storage.ts';
import type { LedgerStorage, StoredCheckpoint } from './storage.ts';
import { TILE_WIDTH } from './tiles.ts';
import {
  LEDGER_CONFIG_FILE,
  parseWitnessConfig,
  validateWitnessConfig,
  type WitnessConfig,
} from './witness-config.ts';

export { LEDGER_CONFIG_FILE, LEDGER_DB_FILE };
export const MAX_BATCH_ENTRIES = 256;
export const MAX_BATCH_DELAY_MS = 250;
const FULL_CHECK_LIMIT = 100_000;

export interface OpenLedgerOptions {
  storeDir: string;
  /** Checkpoint origin; must equal the key's name. Default: the name in ledger-key, else a new one. */
  origin?: string;
  /** A `PRIVATE+KEY+…` signer key; default: `<storeDir>/ledger-key`, generated on first open. */
  signerKey?: string;
  /** Witnesses whose cosignatures a checkpoint needs before it is published (or `ledger.json`). */
  witnesses?: WitnessConfig;
  /**
   * How long a non-full batch waits for more entries before it commits (0 = the next tick).
   * Capped at 250 ms; a batch also commits as soon as it holds 256 entries.
   */
  batchDelayMs?: number;
  /**
   * `full` rehashes every entry at start-up; `edge` recomputes the root from the stored right-edge
   * subtree hashes and rehashes only the newest 256 entries; `auto` (default) is `full` up to
   * 100,000 entries and `edge` above, so a command opening a large log stays fast.
   */
  startupCheck?: 'full' | 'edge' | 'auto';
  /** Storage driver; default SQLite in `<storeDir>/ledger.db`. */
  storage?: LedgerStorage;
}

interface Pending {
  data: Buffer;
  lookupKey: string | undefined;
  resolve: (index: number) => void;
  reject: (error: unknown) => void;
}

export interface CheckpointInfo {
  origin: string;
  size: number;
  root: string;
  note: string;
}

const openWriters = new Set<string>();

/**
 * The sequencer: the one writer of a ledger store. Appends are queued and committed in groups
 * (≤ 256 entries, ≤ 250 ms wait) in one durable transaction that also stores the checkpoint
 * signed for the new size. `append` resolves only after that transaction is on disk.
 */
export class Ledger extends LedgerReader {
  readonly origin: string;
  readonly verifierKey: string;
  private readonly key: PrivateNoteKey;
  private readonly witnesses: WitnessConfig | undefined;
  private readonly batchDelayMs: number;
  private readonly storeKey: string;
  private range: CompactRange;
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private chain: Promise<void> = Promise.resolve();
  private publishing: Promise<void> | undefined;
  private publishAgain = false;
  private publishChain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    storage: LedgerStorage,
    key: PrivateNoteKey,
    range: CompactRange,
    options: { witnesses?: WitnessConfig; batchDelayMs: number; storeKey: string },
  ) {
    super(storage);
    this.key = key;
    this.origin = key.name;
    this.verifierKey = formatVerifierKey(publicPart(key));
    this.range = range;
    this.witnesses = options.witnesses;
    this.batchDelayMs = options.batchDelayMs;
    this.storeKey = options.storeKey;
  }

  /** Appends one record; resolves with its index once the batch holding it is durable. */
  append(record: LedgerRecord | Record<string, unknown>): Promise<{ index: number }> {
    let data: Buffer;
    let lookupKey: string | undefined;
    try {
      if (this.closed) throw new GatechainError('LEDGER_CLOSED', 'the ledger is closed');
      data = encodeRecord(record);
      lookupKey = recordLookupKey(record as LedgerRecord);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolvePromise, reject) => {
      this.pending.push({ data, lookupKey, resolve: (index) => resolvePromise({ index }), reject });
      this.schedule();
    });
  }

  appendMany(records: readonly (LedgerRecord | Record<string, unknown>)[]): Promise<{ index: number }[]> {
    // Validate all first so a bad record rejects the call before anything is queued.
    for (const record of records) encodeRecord(record);
    return Promise.all(records.map((record) => this.append(record)));
  }

  private schedule(): void {
    if (this.pending.length >= MAX_BATCH_ENTRIES) {
      this.clearTimer();
      this.enqueueFlush();
      return;
    }
    if (this.timer) return;
    const fire = () => {
      this.timer = undefined;
      this.enqueueFlush();
    };
    this.timer = this.batchDelayMs > 0 ? setTimeout(fire, this.batchDelayMs) : setImmediate(fire);
  }

  private clearTimer(): void {
    if (!this.timer) return;
    if (this.batchDelayMs > 0) clearTimeout(this.timer as NodeJS.Timeout);
    else clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
  }

  private enqueueFlush(): void {
    this.chain = this.chain.then(() => this.flushPending());
  }

  private async flushPending(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH_ENTRIES);
      try {
        const firstIndex = this.range.size;
        await this.commit(batch);
        batch.forEach((item, i) => {
          item.resolve(firstIndex + i);
        });
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
  }

  private signCheckpoint(size: number, root: Buffer): { note: string; checkpoint: Checkpoint } {
    const checkpoint: Checkpoint = { origin: this.origin, size, root, extensions: [] };
    return { checkpoint, note: signNote(formatCheckpoint(checkpoint), [signerFor(this.key)]) };
  }

  private async commit(batch: Pending[]): Promise<void> {
    const range = this.range.clone();
    const nodes: { coord: NodeCoord; hash: Buffer }[] = [];
    for (const item of batch) {
      range.append(leafHash(item.data), (coord, hash) => {
        nodes.push({ coord, hash });
      });
    }
    const root = range.root();
    const { note } = this.signCheckpoint(range.size, root);
    await this.storage.commitBatch({
      firstIndex: this.range.size,
      entries: batch.map((item) => ({ data: item.data, lookupKey: item.lookupKey })),
      nodes,
      checkpoint: { size: range.size, root, note, published: this.witnesses ? null : note },
    });
    this.range = range;
    if (this.witnesses) this.publishInBackground();
  }

  /** Signs the checkpoint for the empty tree when a store is new, so readers always find one. */
  async initEmpty(): Promise<void> {
    const { note } = this.signCheckpoint(0, EMPTY_ROOT);
    await this.storage.commitBatch({
      firstIndex: 0,
      entries: [],
      nodes: [],
      checkpoint: { size: 0, root: EMPTY_ROOT, note, published: this.witnesses ? null : note },
    });
  }

  /**
   * One publication round at a time; commits made meanwhile ask for another round, so the newest
   * checkpoint gets published even when appends stop. A missed quorum ends the rounds; the next
   * commit, checkpoint() or receipt() tries again.
   */
  private publishInBackground(): void {
    if (this.publishing) {
      this.publishAgain = true;
      return;
    }
    this.publishing = (async () => {
      do {
        this.publishAgain = false;
        try {
          await this.publish();
        } catch {
          return;
        }
      } while (this.publishAgain && !this.closed);
    })().finally(() => {
      this.publishing = undefined;
    });
  }

  /**
   * Collects witness cosignatures for the latest checkpoint and publishes it once the quorum is
   * met. Rounds are serialised: two rounds racing would each invalidate the other's old size at
   * the witnesses (409s).
   */
  publish(): Promise<StoredCheckpoint> {
    const round = this.publishChain.then(() => this.publishLatest());
    this.publishChain = round.then(
      () => {},
      () => {},
    );
    return round;
  }

  private async publishLatest(): Promise<StoredCheckpoint> {
    const latest = await this.storage.latestCheckpoint();
    if (!latest) throw new GatechainError('LEDGER_EMPTY', 'the ledger has no checkpoint yet');
    if (latest.published || !this.witnesses) return latest;
    const published = await publishCheckpoint(latest, this.witnesses, {
      consistencyProof: (from, to) => this.consistencyProof(from, to),
      witnessSize: (url) => this.storage.witnessSize(url),
      setWitnessSize: (url, size) => this.storage.setWitnessSize(url, size),
      logVerifierKey: this.verifierKey,
    });
    await this.storage.setPublished(latest.size, published);
    return { ...latest, published };
  }

  /** Waits for queued appends, then returns the latest published checkpoint (publishing it if needed). */
  async checkpoint(): Promise<CheckpointInfo> {
    await this.flush();
    await this.publishing;
    const latest = await this.publish();
    const note = latest.published ?? latest.note;
    return { origin: this.origin, size: latest.size, root: latest.root.toString('base64'), note };
  }

  override async receipt(index: number): Promise<string> {
    const published = await this.storage.latestPublished();
    if (this.witnesses && (!published || published.size <= index)) {
      await this.flush();
      await this.publish();
    }
    return super.receipt(index);
  }

  /** The pure offline check of a receipt (see receipt.ts); defaults to this log's verifier key. */
  verifyReceipt(
    receiptText: string,
    entryBytes?: Uint8Array,
    verifierKey: string = this.verifierKey,
  ): VerifiedReceipt {
    return verifyReceipt(receiptText, entryBytes, verifierKey);
  }

  /** Commits everything queued so far. */
  async flush(): Promise<void> {
    if (this.pending.length > 0) {
      this.clearTimer();
      this.enqueueFlush();
    }
    await this.chain;
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    await this.publishing;
    this.closed = true;
    try {
      await this.storage.releaseWriterLock();
    } finally {
      openWriters.delete(this.storeKey);
      await this.storage.close();
    }
  }
}

function readConfigFile(storeDir: string): WitnessConfig | undefined {
  const file = join(storeDir, LEDGER_CONFIG_FILE);
  if (!existsSync(file)) return undefined;
  return parseWitnessConfig(readFileSync(file, 'utf8'), file);
}

/** Recomputes the tree from the store and checks it against the last signed checkpoint. */
async function recoverRange(
  storage: LedgerStorage,
  key: PrivateNoteKey,
  mode: 'full' | 'edge',
): Promise<CompactRange> {
  const size = await storage.treeSize();
  const latest = await storage.latestCheckpoint();
  let range: CompactRange;
  if (mode === 'full') {
    range = new CompactRange();
    for await (const chunk of storage.scanEntries(4096))
      for (const entry of chunk) range.append(leafHash(entry));
    if (range.size !== size) throw mismatch(`entries are not contiguous (${range.size} read, size ${size})`);
    const stored = await storage.nodes(edgeNodes(size));
    const edge = range.edge();
    if (stored.some((hash, i) => Buffer.compare(hash, edge[i] as Buffer) !== 0)) {
      throw mismatch('stored tree nodes do not match the entries');
    }
  } else {
    range = CompactRange.from(size, await storage.nodes(edgeNodes(size)));
    // The newest entries must still hash to their stored leaves.
    const first = Math.max(0, size - TILE_WIDTH);
    const entries = await storage.entries(first, size - first);
    const leaves = await storage.nodes(entries.map((_, i) => ({ height: 0, index: first + i })));
    if (entries.some((entry, i) => Buffer.compare(leafHash(entry), leaves[i] as Buffer) !== 0)) {
      throw mismatch('the newest entries do not match their stored leaf hashes');
    }
  }
  if (!latest) {
    if (size !== 0) throw mismatch(`the store holds ${size} entries but no signed checkpoint`);
    return range;
  }
  if (latest.size !== size) {
    throw mismatch(`the last signed checkpoint has size ${latest.size} but the store holds ${size} entries`);
  }
  const verified = verifyCheckpoint(latest.note, publicPart(key));
  if (
    Buffer.compare(range.root(), latest.root) !== 0 ||
    Buffer.compare(verified.checkpoint.root, latest.root) !== 0
  ) {
    throw mismatch(`the recomputed root of ${size} entries differs from the last signed checkpoint`);
  }
  return range;
}

function mismatch(detail: string): GatechainError {
  return new GatechainError(
    'LEDGER_ROOT_MISMATCH',
    `refusing to run: ${detail}. The store was altered outside the ledger; restore it from a backup`,
  );
}

/** Opens (creating if needed) the ledger in `storeDir` as its single writer. */
export async function openLedger(options: OpenLedgerOptions): Promise<Ledger> {
  const storeDir = resolve(options.storeDir);
  mkdirSync(storeDir, { recursive: true });
  const key = options.signerKey
    ? parseSignerKey(options.signerKey)
    : loadOrCreateKey(storeDir, 'ledger', options.origin).key;
  if (key.type !== KEY_TYPE_ED25519) {
    throw new InputError('LEDGER_KEY_MALFORMED', 'the ledger key must be an Ed25519 note key (type 0x01)');
  }
  if (options.origin !== undefined && options.origin !== key.name) {
    throw new InputError(
      'LEDGER_ORIGIN_MISMATCH',
      `origin ${JSON.stringify(options.origin)} differs from the signing key's name ${JSON.stringify(key.name)}`,
    );
  }
  if (openWriters.has(storeDir)) {
    throw new GatechainError('LEDGER_LOCKED', `the ledger in ${storeDir} is already open in this process`);
  }
  const witnesses = options.witnesses ? validateWitnessConfig(options.witnesses) : readConfigFile(storeDir);
  const storage = options.storage ?? openSqliteStorage(join(storeDir, LEDGER_DB_FILE));
  try {
    await storage.acquireWriterLock();
  } catch (error) {
    await storage.close();
    throw error;
  }
  openWriters.add(storeDir);
  try {
    const latest = await storage.latestCheckpoint();
    const check = options.startupCheck ?? 'auto';
    const mode = check === 'auto' ? ((latest?.size ?? 0) <= FULL_CHECK_LIMIT ? 'full' : 'edge') : check;
    const range = await recoverRange(storage, key, mode);
    const ledger = new Ledger(storage, key, range, {
      ...(witnesses ? { witnesses } : {}),
      batchDelayMs: Math.min(Math.max(options.batchDelayMs ?? 0, 0), MAX_BATCH_DELAY_MS),
      storeKey: storeDir,
    });
    if (!latest) await ledger.initEmpty();
    return ledger;
  } catch (error) {
    openWriters.delete(storeDir);
    await storage.releaseWriterLock().catch(() => {});
    await storage.close();
    throw error;
  }
}
