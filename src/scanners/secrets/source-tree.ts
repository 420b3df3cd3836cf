import { closeSync, type Dirent, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { InputError } from '../../util/errors.ts';
import type { Fragment } from './types.ts';

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Bytes sniffed for a NUL to tell a binary file from text (git uses the same idea). */
const SNIFF_BYTES = 8000;

export interface TreeOptions {
  maxFileBytes?: number;
}

export interface TreeStats {
  files: number;
  bytes: number;
  skippedBinary: number;
  skippedLarge: number;
}

interface Scope {
  /** Directory of the .gitignore, relative to the root ('' for the root). */
  base: string;
  rules: Ignore;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function ignoredBy(scopes: Scope[], rel: string, isDir: boolean): boolean {
  let ignored = false;
  for (const scope of scopes) {
    if (scope.base !== '' && !rel.startsWith(`${scope.base}/`)) continue;
    const local = scope.base === '' ? rel : rel.slice(scope.base.length + 1);
    const result = scope.rules.test(isDir ? `${local}/` : local);
    // Deeper .gitignore files come later and override shallower ones, as in git.
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

function isBinary(data: Uint8Array): boolean {
  const end = Math.min(data.length, SNIFF_BYTES);
  for (let i = 0; i < end; i++) if (data[i] === 0) return true;
  return false;
}

function sniffFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(SNIFF_BYTES);
    const read = readSync(fd, head, 0, SNIFF_BYTES, 0);
    return isBinary(head.subarray(0, read));
  } finally {
    closeSync(fd);
  }
}

/**
 * Walks a directory tree: honours every .gitignore on the way down, never enters .git, does not
 * follow symbolic links, skips binaries (NUL in the first 8000 bytes) and files over the size cap.
 * Yields one fragment per text file, path relative to the root with forward slashes.
 */
export function* walkTree(root: string, options: TreeOptions, stats: TreeStats): Generator<Fragment> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let rootStat: ReturnType<typeof statSync>;
  try {
    rootStat = statSync(root);
  } catch (error) {
    throw new InputError('SECRETS_PATH_UNREADABLE', `cannot read ${root}`, { file: root }, { cause: error });
  }
  if (rootStat.isFile()) {
    const fragment = readText(
      root,
      toPosix(relative(process.cwd(), root)) || root,
      rootStat.size,
      maxBytes,
      stats,
    );
    if (fragment) yield fragment;
    return;
  }
  const stack: { dir: string; scopes: Scope[] }[] = [{ dir: root, scopes: [] }];
  while (stack.length > 0) {
    const { dir, scopes: parentScopes } = stack.pop() as { dir: string; scopes: Scope[] };
    let scopes = parentScopes;
    const relDir = toPosix(relative(root, dir));
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    const gitignore = entries.find((entry) => entry.name === '.gitignore' && entry.isFile());
    if (gitignore) {
      try {
        const rules = ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8'));
        scopes = [...scopes, { base: relDir, rules }];
      } catch {
        // An unreadable .gitignore ignores nothing: scanning more is the safe side.
      }
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!ignoredBy(scopes, rel, true)) stack.push({ dir: full, scopes });
      } else if (entry.isFile()) {
        if (ignoredBy(scopes, rel, false)) continue;
        let size: number;
        try {
          size = statSync(full).size;
        } catch {
          continue;
        }
        const fragment = readText(full, rel, size, maxBytes, stats);
        if (fragment) yield fragment;
      }
    }
  }
}

function readText(
  full: string,
  rel: string,
  size: number,
  maxBytes: number,
  stats: TreeStats,
): Fragment | undefined {
  if (size > maxBytes) {
    stats.skippedLarge++;
    return undefined;
  }
  try {
    if (size > SNIFF_BYTES && sniffFile(full)) {
      stats.skippedBinary++;
      return undefined;
    }
    const data = readFileSync(full);
    if (isBinary(data)) {
      stats.skippedBinary++;
      return undefined;
    }
    stats.files++;
    stats.bytes += data.length;
    return { path: rel, data };
  } catch {
    return undefined;
  }
}
