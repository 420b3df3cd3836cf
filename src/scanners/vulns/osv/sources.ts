import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { Unzip, UnzipInflate } from 'fflate';
import { InputError } from '../../../util/errors.ts';
import { formatOf, MAX_RECORD_BYTES, type RecordFormat } from './decode.ts';

/** One record file's text, from disk or from inside an archive. */
export interface RecordSource {
  /** Path for messages: the file, or `archive.zip:entry.json`. */
  file: string;
  format: RecordFormat;
  text: string;
}

/** A file or entry that could not be read; the import reports it and carries on. */
export interface SourceProblem {
  problem: InputError;
}

export type SourceItem = RecordSource | SourceProblem;

/** Largest archive read (osv.dev's biggest per-ecosystem all.zip is a few hundred MB). */
export const MAX_ARCHIVE_BYTES = 2 * 1024 * 1024 * 1024;
const MAX_DIRECTORY_DEPTH = 32;
const CHUNK = 1024 * 1024;

/**
 * Every record under the given paths: JSON and YAML files, folders (recursively; symlinks are not
 * followed, so a link loop cannot hang the walk) and zip archives in osv.dev's all.zip layout.
 */
export function* recordSources(paths: string[]): Generator<SourceItem> {
  for (const input of paths) {
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(input);
    } catch {
      yield {
        problem: new InputError('OSV_SOURCE_MISSING', `${input} does not exist or cannot be read`, {
          file: input,
        }),
      };
      continue;
    }
    if (stat.isDirectory()) yield* walk(input, 0);
    else yield* fileSources(input, stat.size, true);
  }
}

function* walk(dir: string, depth: number): Generator<SourceItem> {
  if (depth > MAX_DIRECTORY_DEPTH) {
    yield {
      problem: new InputError(
        'OSV_SOURCE_TOO_DEEP',
        `${dir} is nested deeper than ${MAX_DIRECTORY_DEPTH} levels`,
        { file: dir },
      ),
    };
    return;
  }
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full, depth + 1);
    else if (entry.isFile()) yield* fileSources(full, lstatSync(full).size, false);
  }
}

function* fileSources(file: string, size: number, explicit: boolean): Generator<SourceItem> {
  if (file.toLowerCase().endsWith('.zip')) {
    yield* zipSources(file, size);
    return;
  }
  const format = formatOf(file);
  if (!format) {
    // Inside folders, other files (READMEs, licences) are skipped; named explicitly, they are an error.
    if (explicit) {
      yield {
        problem: new InputError('OSV_SOURCE_UNSUPPORTED', `${file}: expected .json, .yaml, .yml or .zip`, {
          file,
        }),
      };
    }
    return;
  }
  if (size > MAX_RECORD_BYTES) {
    yield {
      problem: new InputError(
        'OSV_RECORD_INVALID',
        `record file is ${size} bytes; the limit is ${MAX_RECORD_BYTES}`,
        { file },
      ),
    };
    return;
  }
  yield { file, format, text: readFileSync(file, 'utf8') };
}

function* zipSources(archive: string, size: number): Generator<SourceItem> {
  if (size > MAX_ARCHIVE_BYTES) {
    yield {
      problem: new InputError(
        'OSV_ARCHIVE_TOO_LARGE',
        `archive is ${size} bytes; the limit is ${MAX_ARCHIVE_BYTES}`,
        { file: archive },
      ),
    };
    return;
  }
  const ready: SourceItem[] = [];
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  const decoder = new TextDecoder('utf-8');
  let entries = 0;
  unzip.onfile = (entry) => {
    entries++;
    const label = `${archive}:${entry.name}`;
    const format = formatOf(entry.name);
    if (!format || entry.name.endsWith('/')) return;
    if (entry.originalSize !== undefined && entry.originalSize > MAX_RECORD_BYTES) {
      ready.push({
        problem: new InputError(
          'OSV_RECORD_INVALID',
          `entry is ${entry.originalSize} bytes; the limit is ${MAX_RECORD_BYTES}`,
          { file: label },
        ),
      });
      return;
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    let failed = false;
    entry.ondata = (error, data, final) => {
      if (failed) return;
      if (error) {
        failed = true;
        ready.push({
          problem: new InputError('OSV_ARCHIVE_INVALID', `cannot inflate entry: ${error.message}`, {
            file: label,
          }),
        });
        return;
      }
      total += data.length;
      if (total > MAX_RECORD_BYTES) {
        // The header may understate the size: stop inflating instead of trusting it.
        failed = true;
        entry.terminate();
        ready.push({
          problem: new InputError('OSV_RECORD_INVALID', `entry inflates past ${MAX_RECORD_BYTES} bytes`, {
            file: label,
          }),
        });
        return;
      }
      chunks.push(data);
      if (final) ready.push({ file: label, format, text: decoder.decode(Buffer.concat(chunks)) });
    };
    entry.start();
  };
  const fd = openSync(archive, 'r');
  try {
    let position = 0;
    for (;;) {
      // A fresh buffer per chunk: the unzipper may hold on to a chunk it has not finished with.
      const buffer = Buffer.alloc(CHUNK);
      const read = readSync(fd, buffer, 0, CHUNK, position);
      position += read;
      try {
        unzip.push(buffer.subarray(0, read), read === 0);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        ready.push({
          problem: new InputError('OSV_ARCHIVE_INVALID', `not a readable zip archive: ${message}`, {
            file: archive,
          }),
        });
        yield* ready.splice(0);
        return;
      }
      yield* ready.splice(0);
      if (read === 0) break;
    }
    if (entries === 0) {
      yield {
        problem: new InputError('OSV_ARCHIVE_INVALID', 'no zip entries found: not a zip archive?', {
          file: archive,
        }),
      };
    }
  } finally {
    closeSync(fd);
  }
}
