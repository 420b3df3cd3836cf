import { parseJson } from '../../../util/errors.ts';
import { isObject, stringMapKeys } from '../text/shape.ts';
import type { ExtractContext } from '../types.ts';
import { siblingPath } from './paths.ts';

/** The dependency lists of a package.json, read through the walker's sibling reader. */
export interface NpmManifest {
  name?: string;
  version?: string;
  production: string[];
  development: string[];
  optional: string[];
  workspaces: string[];
  /** Declared range per dependency name, across all dependency maps. */
  ranges: Map<string, string>;
}

export function readNpmManifest(
  context: ExtractContext | undefined,
  path: string,
  lockfile: string,
): NpmManifest | undefined {
  const text = context?.readSibling?.(path);
  if (text === undefined) return undefined;
  const value = parseJson(text, siblingPath(lockfile, path));
  if (!isObject(value)) return undefined;
  const optional = stringMapKeys(value['optionalDependencies']);
  const workspacesField = value['workspaces'];
  const workspaceList = Array.isArray(workspacesField)
    ? workspacesField
    : isObject(workspacesField) && Array.isArray(workspacesField['packages'])
      ? workspacesField['packages']
      : [];
  const ranges = new Map<string, string>();
  for (const field of ['devDependencies', 'dependencies', 'optionalDependencies']) {
    const map = value[field];
    if (!isObject(map)) continue;
    for (const [name, range] of Object.entries(map)) if (typeof range === 'string') ranges.set(name, range);
  }
  return {
    ranges,
    name: typeof value['name'] === 'string' ? value['name'] : undefined,
    version: typeof value['version'] === 'string' ? value['version'] : undefined,
    // npm lists optional dependencies in both maps; optional wins.
    production: stringMapKeys(value['dependencies']).filter((name) => !optional.includes(name)),
    development: stringMapKeys(value['devDependencies']),
    optional,
    workspaces: workspaceList.filter((item): item is string => typeof item === 'string'),
  };
}

/**
 * Workspace folders from package.json `workspaces` patterns. Literal folders and a trailing `/*`
 * are expanded (the forms npm and yarn document); other globs are not, and add nothing.
 */
export function expandWorkspaces(patterns: string[], context: ExtractContext | undefined): string[] {
  const out: string[] = [];
  for (const raw of patterns) {
    const pattern = raw.replace(/^\.\//, '').replace(/\/$/, '');
    if (pattern.endsWith('/*') && !pattern.slice(0, -2).includes('*')) {
      const parent = pattern.slice(0, -2);
      for (const name of context?.listFolders?.(parent) ?? []) out.push(`${parent}/${name}`);
    } else if (!pattern.includes('*')) {
      out.push(pattern);
    }
  }
  return [...new Set(out)].sort();
}
