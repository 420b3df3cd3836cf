import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { MAX_WALK_DEPTH } from './limits.ts';

/** Folders never walked: installed dependencies and VCS metadata, not declarations. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'vendor', '.git', '.hg', '.svn']);

interface IgnoreScope {
  base: string;
  rules: Ignore;
}

function ignoredBy(scopes: IgnoreScope[], path: string, isFolder: boolean): boolean {
  for (const scope of scopes) {
    const relative = scope.base === '' ? path : path.slice(scope.base.length + 1);
    if (relative === '') continue;
    try {
      if (scope.rules.ignores(isFolder ? `${relative}/` : relative)) return true;
    } catch {
      // `ignore` rejects names it cannot express as relative paths (e.g. "..."): not ignored.
    }
  }
  return false;
}

/**
 * Files under `root` (relative, `/`-separated, sorted) for which `wanted` says yes, honouring
 * each folder's .gitignore and the extra `exclude` patterns (gitignore syntax, relative to root).
 * Symbolic links are not followed, so a link loop cannot trap the walk.
 */
export async function walk(
  root: string,
  wanted: (path: string) => boolean,
  exclude: string[] = [],
): Promise<string[]> {
  const found: string[] = [];
  const base: IgnoreScope[] = exclude.length > 0 ? [{ base: '', rules: ignore().add(exclude) }] : [];
  const visit = async (folder: string, scopes: IgnoreScope[], depth: number): Promise<void> => {
    if (depth > MAX_WALK_DEPTH) return;
    const absolute = folder === '' ? root : join(root, folder);
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(absolute, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing to declare
    }
    let here = scopes;
    if (entries.some((entry) => entry.isFile() && entry.name === '.gitignore')) {
      try {
        const text = await readFile(join(absolute, '.gitignore'), 'utf8');
        here = [...scopes, { base: folder, rules: ignore().add(text) }];
      } catch {
        // an unreadable .gitignore ignores nothing
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        if (SKIPPED_FOLDERS.has(entry.name) || ignoredBy(here, path, true)) continue;
        await visit(path, here, depth + 1);
      } else if (entry.isFile() && wanted(path) && !ignoredBy(here, path, false)) {
        found.push(path);
      }
    }
  };
  await visit('', base, 0);
  return found;
}
