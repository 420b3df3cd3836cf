import { renameSync, writeFileSync } from 'node:fs';
import { GatechainError, InputError, parseJson, VerificationError } from '../util/errors.ts';
import { verifyCheckpoint, type WitnessPolicy } from './checkpoint.ts';
import { consistencyRanges, foldRight, perfectNodes, verifyConsistency } from './merkle.ts';
import { decodeNoteBytes, MAX_NOTE_BYTES } from './note.ts';
import { decodeBase64Strict } from './note-keys.ts';
import { decodeRecord } from './records.ts';
import type { TileFetcher } from './tile-fetcher.ts';
import { VerifiedTileReader } from './tile-reader.ts';

/**
 * A monitor for any C2SP tlog-tiles log. It keeps the last checkpoint it verified; for each new
 * one it checks the signature, recomputes the root from the right-edge tiles, computes the
 * consistency proof from the old size out of verified tiles and runs the RFC 9162 verifier on it,
 * then reads the new entries from verified bundles. Any failure is a VerificationError; the
 * state only moves forward after everything checked out.
 */
export interface MonitorState {
  origin: string;
  size: number;
  root: string;
  checkpoint: string;
}

/** Reads a saved MonitorState (JSON), refusing one without origin, size, root and checkpoint. */
export function parseMonitorState(text: string, file: string): MonitorState {
  const value = parseJson(text, file) as Record<string, unknown>;
  const ok =
    value !== null &&
    typeof value === 'object' &&
    typeof value['origin'] === 'string' &&
    Number.isSafeInteger(value['size']) &&
    (value['size'] as number) >= 0 &&
    typeof value['root'] === 'string' &&
    typeof value['checkpoint'] === 'string';
  if (!ok)
    throw new InputError(
      'LEDGER_STATE_INVALID',
      'monitor state must have origin, size, root and checkpoint',
      { file },
    );
  return value as unknown as MonitorState;
}

/** Saves the state atomically: a crash leaves the old state or the new one, never half of one. */
export function saveMonitorState(file: string, state: MonitorState): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export interface MonitorResult {
  state: MonitorState;
  previousSize: number | undefined;
  newEntries: number;
  /** Counts of gatechain record kinds among the new entries (other logs' entries count as "other"). */
  kinds: Record<string, number>;
  tilesFetched: number;
}

export interface MonitorOptions {
  fetcher: TileFetcher;
  vkey: string;
  state?: MonitorState | undefined;
  origin?: string;
  policy?: WitnessPolicy;
  /** Download and check new entry bundles (default true). */
  readEntries?: boolean;
  onEntry?: (index: number, entry: Buffer) => void | Promise<void>;
}

export async function monitorOnce(options: MonitorOptions): Promise<MonitorResult> {
  const { fetcher, state } = options;
  const bytes = await fetcher.get('checkpoint', MAX_NOTE_BYTES);
  if (!bytes) throw new GatechainError('LEDGER_FETCH_FAILED', `${fetcher.location} serves no checkpoint`);
  const origin = state?.origin ?? options.origin;
  const noteText = decodeNoteBytes(bytes);
  const verified = verifyCheckpoint(noteText, options.vkey, {
    ...(origin ? { origin } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  const { size, root } = verified.checkpoint;
  const oldRoot = state ? decodeBase64Strict(state.root) : undefined;
  if (state && !oldRoot)
    throw new GatechainError('LEDGER_STATE_INVALID', 'monitor state has a malformed root');
  if (state && size < state.size) {
    throw new VerificationError(
      'LEDGER_ROLLBACK',
      `the log now serves size ${size}, smaller than the ${state.size} already verified: it rolled back or is serving a stale view`,
    );
  }
  if (state && size === state.size && Buffer.compare(root, oldRoot as Buffer) !== 0) {
    throw new VerificationError(
      'LEDGER_FORK_DETECTED',
      `fork: two checkpoints of size ${size} with different roots (${state.root} and ${root.toString('base64')})`,
    );
  }
  const reader = new VerifiedTileReader(fetcher, size, root);
  await reader.verifyRoot();
  if (state && state.size > 0 && size > state.size) {
    const ranges = consistencyRanges(state.size, size);
    const proof: Buffer[] = [];
    for (const range of ranges) {
      const hashes: Buffer[] = [];
      for (const node of perfectNodes(range)) hashes.push(await reader.nodeHash(node));
      proof.push(foldRight(hashes));
    }
    if (!verifyConsistency(state.size, size, oldRoot as Buffer, root, proof)) {
      throw new VerificationError(
        'LEDGER_FORK_DETECTED',
        `the checkpoint of size ${size} is not consistent with the verified one of size ${state.size}: the log rewrote its history`,
      );
    }
  }
  const kinds: Record<string, number> = {};
  const start = state?.size ?? 0;
  if (options.readEntries ?? true) {
    await reader.entries(start, size, async (index, entry) => {
      let kind = 'other';
      try {
        kind = decodeRecord(entry).kind;
      } catch {
        // Not a gatechain record: any tlog-tiles log is fine to follow.
      }
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      await options.onEntry?.(index, entry);
    });
  }
  return {
    state: { origin: verified.checkpoint.origin, size, root: root.toString('base64'), checkpoint: noteText },
    previousSize: state?.size,
    newEntries: size - start,
    kinds,
    tilesFetched: reader.tilesFetched,
  };
}
