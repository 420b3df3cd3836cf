import { createHash } from 'node:crypto';
import { GatechainError, InputError } from '../../../util/errors.ts';
import type { ImportSummary, OsvDatabase } from './database.ts';
import { decodeRecord } from './decode.ts';
import type { OsvRecord } from './record.ts';
import { recordSources } from './sources.ts';

export interface ImportProgress {
  /** Files and archive entries read so far. */
  read: number;
  summary: ImportSummary;
  current: string;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Clock, injectable for tests. */
  now?: () => Date;
  batchSize?: number;
}

export interface ImportResult {
  summary: ImportSummary;
  /** Records and files refused, each a typed error with file and (when known) line. */
  problems: GatechainError[];
  startedAt: string;
  finishedAt: string;
}

const MAX_KEPT_PROBLEMS = 1000;

/**
 * Reads every record under `paths` into the database. A bad record is reported and skipped;
 * the good ones are stored in batches, each batch one transaction.
 */
export function importOsv(db: OsvDatabase, paths: string[], options: ImportOptions = {}): ImportResult {
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 1000;
  const startedAt = now().toISOString();
  const importId = db.startImport(paths, startedAt);
  const summary: ImportSummary = { added: 0, updated: 0, unchanged: 0, withdrawn: 0, rejected: 0 };
  const problems: GatechainError[] = [];
  let batch: OsvRecord[] = [];
  let digests: string[] = [];
  let read = 0;
  let current = '';
  const flush = () => {
    if (batch.length === 0) return;
    const result = db.putBatch(batch, startedAt, digests);
    summary.added += result.added;
    summary.updated += result.updated;
    summary.unchanged += result.unchanged;
    summary.withdrawn += result.withdrawn;
    batch = [];
    digests = [];
    options.onProgress?.({ read, summary: { ...summary }, current });
  };
  const reject = (error: GatechainError) => {
    summary.rejected++;
    if (problems.length < MAX_KEPT_PROBLEMS) problems.push(error);
  };
  for (const item of recordSources(paths)) {
    read++;
    if ('problem' in item) {
      reject(item.problem);
      continue;
    }
    current = item.file;
    const digest = createHash('sha256').update(item.text).digest('hex');
    if (db.hasSeen(digest)) {
      summary.unchanged++;
      if (read % 500 === 0) options.onProgress?.({ read, summary: { ...summary }, current });
      continue;
    }
    try {
      batch.push(decodeRecord(item.text, item.file, item.format));
      digests.push(digest);
    } catch (error) {
      if (error instanceof GatechainError) reject(error);
      else
        reject(
          new InputError('OSV_RECORD_INVALID', `cannot read record: ${String(error)}`, { file: item.file }),
        );
    }
    if (batch.length >= batchSize) flush();
  }
  flush();
  const finishedAt = now().toISOString();
  db.finishImport(importId, finishedAt, summary);
  options.onProgress?.({ read, summary: { ...summary }, current });
  return { summary, problems, startedAt, finishedAt };
}
