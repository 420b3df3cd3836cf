import { randomBytes } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GatechainError } from '../util/errors.ts';
import type { LedgerReader } from './reader.ts';
import { TILE_WIDTH, tilePath, tilesAtLevel, topLevel } from './tiles.ts';

/**
 * Writes the log as static tlog-tiles files any web server can host: hash tiles, entry bundles,
 * one tlog-proof receipt per entry under `receipts/`, and the checkpoint. Full tiles are
 * immutable, so existing ones are kept (an export can be refreshed incrementally); the checkpoint
 * is written last, so a reader never sees a checkpoint whose tiles are not there yet.
 */
export interface ExportResult {
  size: number;
  written: number;
  kept: number;
}

async function writeAtomic(file: string, data: Buffer | string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, data);
  await rename(temp, file);
}

async function existsWithSize(file: string, size: number): Promise<boolean> {
  try {
    return (await stat(file)).size === size;
  } catch {
    return false;
  }
}

export async function exportLedger(
  reader: LedgerReader,
  dir: string,
  options: { receipts?: boolean; verifierKey?: string } = {},
): Promise<ExportResult> {
  const published = await reader.latestPublished();
  if (!published?.published)
    throw new GatechainError('LEDGER_NOT_PUBLISHED', 'the ledger has no published checkpoint yet');
  const size = published.size;
  let written = 0;
  let kept = 0;
  const levels = [...Array.from({ length: topLevel(size) + 1 }, (_, level) => level)];
  const refs = [
    ...levels.flatMap((level) => tilesAtLevel(size, level)),
    ...tilesAtLevel(size, 0).map((ref) => ({ ...ref, level: 'entries' as const })),
  ];
  for (const ref of refs) {
    const file = join(dir, tilePath(ref));
    const bytes = await reader.tile(ref);
    if (!bytes)
      throw new GatechainError('LEDGER_STORE_CORRUPT', `tile ${tilePath(ref)} is missing from the store`);
    if (ref.width === TILE_WIDTH && (await existsWithSize(file, bytes.length))) {
      kept++;
      continue;
    }
    await writeAtomic(file, bytes);
    written++;
  }
  if (options.receipts ?? true) {
    for (let index = 0; index < size; index++) {
      await writeAtomic(join(dir, 'receipts', `${index}.tlog-proof`), await reader.receipt(index));
      written++;
    }
  }
  if (options.verifierKey) await writeAtomic(join(dir, 'vkey'), `${options.verifierKey}\n`);
  await writeAtomic(join(dir, 'checkpoint'), published.published);
  return { size, written: written + 1, kept };
}
