import { createHash } from 'node:crypto';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../util/errors.ts';
import { fileSha256 } from './file-digest.ts';

export const TREE_DIGEST_VERSION = 'gatechain-tree-v1';

/**
 * Names skipped at every level: git's own data (a `.git` directory, or the `.git` file of a
 * worktree or submodule) and gatechain's store, which changes each time an attestation about the
 * directory is recorded and so would change the directory's digest.
 */
export const TREE_EXCLUDED_NAMES: readonly string[] = ['.git', '.gatechain'];

/** Entries accepted in one directory subject: a source tree, not a file system. */
export const MAX_TREE_ENTRIES = 1_000_000;

export interface TreeEntry {
  /** Relative path with '/' separators. */
  path: string;
  /** git-style mode: 100644 regular, 100755 executable by anyone, 120000 symbolic link. */
  mode: '100644' | '100755' | '120000';
  /** sha256 hex of the file's bytes, or of the link target's UTF-8 bytes for a symlink. */
  sha256: string;
}

/**
 * Lists a directory's files and symlinks for the tree digest. TREE_EXCLUDED_NAMES are skipped at
 * every level; symlinks are recorded, never
 * followed; empty directories contribute nothing (as in git). Anything else (socket, FIFO,
 * device) is refused rather than silently left out.
 */
export async function listTree(root: string): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  const pending: string[] = [''];
  while (pending.length > 0) {
    const relative = pending.pop() as string;
    const names = await readdir(join(root, relative));
    for (const name of names) {
      if (TREE_EXCLUDED_NAMES.includes(name)) continue;
      const path = relative === '' ? name : `${relative}/${name}`;
      if (path.includes('\n')) {
        throw new InputError('TREE_PATH_INVALID', `path ${JSON.stringify(path)} contains a line break`, {
          file: path,
        });
      }
      const absolute = join(root, path);
      const stats = await lstat(absolute);
      if (stats.isDirectory()) {
        pending.push(path);
        continue;
      }
      if (entries.length >= MAX_TREE_ENTRIES) {
        throw new InputError('TREE_TOO_LARGE', `directory has more than ${MAX_TREE_ENTRIES} files`);
      }
      if (stats.isSymbolicLink()) {
        const target = await readlink(absolute);
        entries.push({
          path,
          mode: '120000',
          sha256: createHash('sha256').update(target, 'utf8').digest('hex'),
        });
      } else if (stats.isFile()) {
        entries.push({
          path,
          mode: stats.mode & 0o111 ? '100755' : '100644',
          sha256: await fileSha256(absolute),
        });
      } else {
        throw new InputError(
          'TREE_ENTRY_UNSUPPORTED',
          `${path} is neither a file, a directory nor a symlink`,
          {
            file: path,
          },
        );
      }
    }
  }
  return entries;
}

/**
 * The tree manifest: one line `<mode> <sha256> <path>\n` per entry, sorted by the UTF-8 bytes of
 * the path, after a version line. Its sha256 is the directory's digest. It depends only on paths,
 * contents and the executable bit: not on timestamps, owners, umask or traversal order.
 */
export function treeManifest(entries: readonly TreeEntry[]): string {
  const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  return `${TREE_DIGEST_VERSION}\n${sorted.map((entry) => `${entry.mode} ${entry.sha256} ${entry.path}\n`).join('')}`;
}

export async function treeDigest(root: string): Promise<string> {
  return createHash('sha256')
    .update(treeManifest(await listTree(root)), 'utf8')
    .digest('hex');
}
