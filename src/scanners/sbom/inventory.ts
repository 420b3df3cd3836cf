import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Component, Inventory, InventoryRoot, SkippedDependency } from '../../model/component.ts';
import { InputError } from '../../util/errors.ts';
import { formatFor } from './extractors/formats.ts';
import { dirname } from './extractors/paths.ts';
import { MAX_FILE_BYTES } from './limits.ts';
import type { ExtractContext, Extraction } from './types.ts';
import { walk } from './walk.ts';

export interface InventoryOptions {
  /** Extra gitignore-style patterns, relative to the root, to leave out. */
  exclude?: string[];
  /** Keep development-scope components (default: leave them out). */
  includeDev?: boolean;
}

function tooLarge(file: string): InputError {
  return new InputError(
    'FILE_TOO_LARGE',
    `${file} is larger than ${MAX_FILE_BYTES} bytes; refusing to read it`,
    { file },
  );
}

/** Sibling-file access for one lockfile, bounded by the same size limit as lockfiles. */
function contextFor(root: string, file: string): ExtractContext {
  const folder = join(root, dirname(file));
  return {
    readSibling(relativePath) {
      const path = join(folder, relativePath);
      try {
        if (statSync(path).size > MAX_FILE_BYTES) throw tooLarge(relativePath);
        return readFileSync(path, 'utf8');
      } catch (error) {
        if (error instanceof InputError) throw error;
        return undefined;
      }
    },
    listFolders(relativePath) {
      try {
        return readdirSync(join(folder, relativePath), { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
          .map((entry) => entry.name)
          .sort();
      } catch {
        return [];
      }
    },
  };
}

/**
 * Makes refs unique across files: the first file to use a purl keeps it as its ref; later files
 * get `<purl>|<file>`. Edges inside each file are rewritten to match.
 */
function mergeExtractions(
  parts: [string, Extraction][],
): Pick<Inventory, 'components' | 'roots' | 'skipped'> {
  const used = new Set<string>();
  const components: Component[] = [];
  const roots: InventoryRoot[] = [];
  const skipped: SkippedDependency[] = [];
  for (const [file, extraction] of parts) {
    const renamed = new Map<string, string>();
    for (const component of extraction.components) {
      const ref = used.has(component.ref) ? `${component.ref}|${file}` : component.ref;
      renamed.set(component.ref, ref);
      used.add(ref);
    }
    const rename = (refs: string[]) => refs.map((ref) => renamed.get(ref) ?? ref);
    for (const component of extraction.components) {
      components.push({
        ...component,
        ref: renamed.get(component.ref)!,
        dependsOn: rename(component.dependsOn),
      });
    }
    for (const root of extraction.roots) roots.push({ ...root, dependsOn: rename(root.dependsOn) });
    skipped.push(...extraction.skipped);
  }
  return { components, roots, skipped };
}

/** Drops development-scope components and every edge that pointed at them. */
function withoutDevelopment(inventory: Inventory): Inventory {
  const dropped = new Set(inventory.components.filter((c) => c.scope === 'development').map((c) => c.ref));
  const keep = (refs: string[]) => refs.filter((ref) => !dropped.has(ref));
  return {
    ...inventory,
    components: inventory.components
      .filter((c) => !dropped.has(c.ref))
      .map((c) => ({ ...c, dependsOn: keep(c.dependsOn) })),
    roots: (inventory.roots ?? []).map((r) => ({ ...r, dependsOn: keep(r.dependsOn) })),
  };
}

/**
 * Walks `root` for lockfiles and manifests of every supported format and extracts their
 * components. Honours .gitignore, never enters node_modules, vendor or VCS folders, refuses files
 * over the size limit, and throws only GatechainError subclasses for bad input.
 */
export async function extractInventory(root: string, options: InventoryOptions = {}): Promise<Inventory> {
  const absoluteRoot = resolve(root);
  const info = await stat(absoluteRoot).catch(() => undefined);
  if (!info?.isDirectory())
    throw new InputError('NOT_A_DIRECTORY', `${root} is not a folder to scan`, { file: root });
  const files = await walk(absoluteRoot, (path) => formatFor(path) !== undefined, options.exclude);
  const parts: [string, Extraction][] = [];
  for (const file of files) {
    const extractor = await formatFor(file)!.load();
    const absolute = join(absoluteRoot, file);
    let text: string;
    try {
      if ((await stat(absolute)).size > MAX_FILE_BYTES) throw tooLarge(file);
      text = await readFile(absolute, 'utf8');
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(
        'FILE_UNREADABLE',
        `cannot read ${file}: ${(error as Error).message}`,
        { file },
        { cause: error },
      );
    }
    parts.push([file, extractor.extract(text, file, contextFor(absoluteRoot, file))]);
  }
  const inventory: Inventory = { root: absoluteRoot, sources: files, ...mergeExtractions(parts) };
  return options.includeDev ? inventory : withoutDevelopment(inventory);
}
