import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { isGatechainError } from '../util/errors.ts';
import { parseCheckpointText } from './checkpoint.ts';
import { loadOrCreateKey } from './key-file.ts';
import { verifyConsistency } from './merkle.ts';
import { openNote, parseNote, signNote } from './note.ts';
import {
  formatVerifierKey,
  KEY_TYPE_COSIGNATURE_V1,
  KEY_TYPE_ED25519,
  type PrivateNoteKey,
  type PublicNoteKey,
  parseSignerKey,
  parseVerifierKey,
  publicPart,
} from './note-keys.ts';
import { signerFor, verifierFor } from './signers.ts';
import { parseAddCheckpoint, TLOG_SIZE_CONTENT_TYPE } from './witness-protocol.ts';

/**
 * The witness role (C2SP tlog-witness): for each configured log (by origin) it keeps the latest
 * checkpoint it cosigned in `<storeDir>/witness.db` and cosigns a new one only if it is
 * consistent with that. Check and update run in one IMMEDIATE transaction, so two concurrent
 * requests can never roll the recorded size back.
 */
export interface WitnessOptions {
  storeDir: string;
  /** Logs to witness: their verifier keys; the origin defaults to the key's name. */
  logs: { vkey: string; origin?: string }[];
  /** A `PRIVATE+KEY+…` key of type 0x04; default `<storeDir>/witness-key`, created on first use. */
  signerKey?: string;
  /** Name for a newly created witness key. */
  name?: string;
  now?: () => number;
}

export interface WitnessResponse {
  status: number;
  contentType: string;
  body: string;
}

function reply(status: number, body: string, contentType = 'text/plain; charset=utf-8'): WitnessResponse {
  return { status, contentType, body: body.endsWith('\n') ? body : `${body}\n` };
}

export class Witness {
  readonly key: PrivateNoteKey;
  readonly verifierKey: string;
  private readonly logs: Map<string, PublicNoteKey[]>;
  private readonly db: Database.Database;
  private readonly now: () => number;

  constructor(options: WitnessOptions) {
    const storeDir = resolve(options.storeDir);
    mkdirSync(storeDir, { recursive: true });
    this.key = options.signerKey
      ? parseSignerKey(options.signerKey)
      : loadOrCreateKey(storeDir, 'witness', options.name).key;
    if (this.key.type !== KEY_TYPE_COSIGNATURE_V1) {
      throw new Error('a witness key must be of type 0x04 (cosignature/v1)');
    }
    this.verifierKey = formatVerifierKey(publicPart(this.key));
    this.logs = new Map();
    for (const log of options.logs) {
      const key = parseVerifierKey(log.vkey);
      if (key.type !== KEY_TYPE_ED25519) throw new Error(`log key ${key.name} must be an Ed25519 note key`);
      const origin = log.origin ?? key.name;
      this.logs.set(origin, [...(this.logs.get(origin) ?? []), key]);
    }
    this.now = options.now ?? (() => Date.now());
    this.db = new Database(join(storeDir, 'witness.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS witnessed (origin TEXT PRIMARY KEY, size INTEGER NOT NULL, root BLOB NOT NULL, note TEXT NOT NULL, updated_at TEXT NOT NULL)',
    );
  }

  /** The latest checkpoint this witness cosigned for an origin. */
  latest(origin: string): { size: number; root: Buffer } | undefined {
    return this.db.prepare('SELECT size, root FROM witnessed WHERE origin = ?').get(origin) as
      | { size: number; root: Buffer }
      | undefined;
  }

  /** Handles an add-checkpoint request body; never throws. */
  addCheckpoint(body: string): WitnessResponse {
    try {
      return this.handle(body);
    } catch (error) {
      if (isGatechainError(error)) return reply(400, error.message);
      return reply(500, 'internal error');
    }
  }

  private handle(body: string): WitnessResponse {
    const request = parseAddCheckpoint(body);
    const note = parseNote(request.checkpoint);
    const checkpoint = parseCheckpointText(note.text);
    const keys = this.logs.get(checkpoint.origin);
    if (!keys) return reply(404, `unknown log origin ${checkpoint.origin}`);
    try {
      openNote(request.checkpoint, keys.map(verifierFor));
    } catch {
      return reply(403, 'no valid signature from a trusted log key');
    }
    if (request.oldSize > checkpoint.size) return reply(400, 'old size is larger than the checkpoint size');
    const update = this.db.transaction((): WitnessResponse => {
      const stored = this.latest(checkpoint.origin);
      const storedSize = stored?.size ?? 0;
      if (request.oldSize !== storedSize) return reply(409, String(storedSize), TLOG_SIZE_CONTENT_TYPE);
      if (stored && request.oldSize === checkpoint.size) {
        if (Buffer.compare(stored.root, checkpoint.root) !== 0) {
          return reply(409, String(storedSize), TLOG_SIZE_CONTENT_TYPE);
        }
        if (request.proof.length !== 0) return reply(422, 'the proof between equal sizes must be empty');
      } else if (request.oldSize === 0) {
        if (request.proof.length !== 0) return reply(422, 'the proof from size 0 must be empty');
      } else if (
        !verifyConsistency(
          request.oldSize,
          checkpoint.size,
          stored?.root ?? Buffer.alloc(32),
          checkpoint.root,
          request.proof,
        )
      ) {
        return reply(422, 'the consistency proof does not verify');
      }
      this.db
        .prepare(
          'INSERT INTO witnessed (origin, size, root, note, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root = excluded.root, note = excluded.note, updated_at = excluded.updated_at',
        )
        .run(
          checkpoint.origin,
          checkpoint.size,
          checkpoint.root,
          request.checkpoint,
          new Date(this.now()).toISOString(),
        );
      const signed = signNote(note.text, [signerFor(this.key, this.now)]);
      const line = signed.slice(note.text.length + 1);
      return reply(200, line);
    });
    return update.immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
