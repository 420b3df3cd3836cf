import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import ignore, { type Ignore } from 'ignore';

export const SOURCE_EXTENSIONS = /\.(?:[mc]?[jt]s|[jt]sx)$/i;
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface SourceListing {
  /** Paths relative to the root, with forward slashes, sorted. */
  files: string[];
  skipped: { file: string; reason: string }[];
}

interface Matcher {
  /** Directory of the .gitignore, relative to the root ('' for the root). */
  base: string;
  rules: Ignore;
}

function isIgnored(matchers: readonly Matcher[], relative: string, directory: boolean): boolean {
  for (const matcher of matchers) {
    if (matcher.base && !relative.startsWith(`${matcher.base}/`)) continue;
    const inner = matcher.base ? relative.slice(matcher.base.length + 1) : relative;
    if (inner && matcher.rules.ignores(directory ? `${inner}/` : inner)) return true;
  }
  return false;
}

/**
 * JS/TS files under root: .gitignore files (root and nested) respected, node_modules and VCS
 * folders skipped, symlinks not followed. Size is checked by the reader.
 */
export async function listSourceFiles(root: string): Promise<SourceListing> {
  const files: string[] = [];
  const skipped: SourceListing['skipped'] = [];
  const visit = async (relative: string, inherited: Matcher[]): Promise<void> => {
    const absolute = relative ? join(root, relative) : root;
    const entries = await readdir(absolute, { withFileTypes: true });
    let matchers = inherited;
    if (entries.some((entry) => entry.isFile() && entry.name === '.gitignore')) {
      const text = await readFile(join(absolute, '.gitignore'), 'utf8').catch(() => '');
      matchers = [...inherited, { base: relative, rules: ignore().add(text) }];
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = relative ? posix.join(relative, entry.name) : entry.name;
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED.has(entry.name) || isIgnored(matchers, path, true)) continue;
        await visit(path, matchers);
      } else if (entry.isFile() && SOURCE_EXTENSIONS.test(entry.name) && !isIgnored(matchers, path, false)) {
        if (/\.d\.[mc]?ts$/i.test(entry.name)) {
          skipped.push({ file: path, reason: 'type declarations' });
          continue;
        }
        files.push(path);
      }
    }
  };
  await visit('', []);
  return { files, skipped };
}
