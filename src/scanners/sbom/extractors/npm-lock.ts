import type { DependencyScope } from '../../../model/component.ts';
import { parseJson } from '../../../util/errors.ts';
import { checkSize, formatError } from '../errors.ts';
import { finalize } from '../graph.ts';
import { sriIntegrity } from '../hashes.ts';
import { LineIndex } from '../text/lines.ts';
import { isObject, objectAt, optionalObject, optionalString, stringMapKeys } from '../text/shape.ts';
import type { DraftPackage, DraftRoot, ExtractContext, Extraction, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';
import { readNpmManifest } from './npm-manifest.ts';

type Packages = Map<string, Record<string, unknown>>;

/** Node's resolution: look in `<from>/node_modules/<name>`, then each enclosing node_modules. */
function resolveFrom(packages: Packages, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages.has(candidate)) return candidate;
    if (base === '') return undefined;
    const up = base.lastIndexOf('/node_modules/');
    base = up === -1 ? '' : base.slice(0, up);
  }
}

function nameFromPath(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  return path.slice(at + 'node_modules/'.length);
}

function scopeOf(entry: Record<string, unknown>): DependencyScope {
  if (entry['dev'] === true) return 'development';
  if (entry['optional'] === true || entry['devOptional'] === true) return 'optional';
  return 'production';
}

function licenseOf(entry: Record<string, unknown>): string | undefined {
  return optionalString(entry['license']);
}

/** lockfileVersion 2 and 3: the flat `packages` map keyed by install path. */
function extractPackages(lock: Record<string, unknown>, text: string, file: string): Extraction {
  const lines = new LineIndex(text);
  const raw = objectAt(lock['packages'], '"packages"', file);
  lines.seek('"packages":');
  const packages: Packages = new Map();
  const entryLines = new Map<string, number | undefined>();
  for (const [key, value] of Object.entries(raw)) {
    const line = lines.next(`${JSON.stringify(key)}:`);
    entryLines.set(key, line);
    packages.set(key, objectAt(value, `"packages" entry ${JSON.stringify(key)}`, file, line));
  }
  // Links point at workspace folders; edges into a workspace are first-party and not components.
  const follow = (path: string | undefined): string | undefined => {
    if (path === undefined) return undefined;
    const entry = packages.get(path);
    if (entry?.['link'] === true) return undefined;
    return path;
  };
  const depsOf = (path: string, entry: Record<string, unknown>, fields: string[]): string[] => {
    const out: string[] = [];
    for (const field of fields) {
      for (const name of stringMapKeys(entry[field])) {
        const target = follow(resolveFrom(packages, path, name));
        if (target !== undefined) out.push(target);
      }
    }
    return out;
  };

  const drafts: DraftPackage[] = [];
  const roots: DraftRoot[] = [];
  for (const [path, entry] of packages) {
    const line = entryLines.get(path);
    const isWorkspace = path === '' || !path.includes('node_modules/');
    if (isWorkspace) {
      const optional = stringMapKeys(entry['optionalDependencies']);
      const prodFields = stringMapKeys(entry['dependencies']).filter((name) => !optional.includes(name));
      const resolveNames = (names: string[]) =>
        names
          .map((name) => follow(resolveFrom(packages, path, name)))
          .filter((id): id is string => id !== undefined);
      roots.push({
        path: path === '' ? '.' : path,
        name: optionalString(entry['name']) ?? optionalString(lock['name']) ?? (path || '.'),
        version:
          optionalString(entry['version']) ?? (path === '' ? optionalString(lock['version']) : undefined),
        line,
        production: resolveNames(prodFields),
        development: resolveNames(stringMapKeys(entry['devDependencies'])),
        optional: resolveNames(optional),
      });
      continue;
    }
    if (entry['link'] === true) continue;
    const version = optionalString(entry['version']);
    if (!version) continue; // an unresolved optional or extraneous placeholder
    // An optional peer is only used when something else installs it.
    const peerMeta = isObject(entry['peerDependenciesMeta']) ? entry['peerDependenciesMeta'] : {};
    const optionalPeer = (name: string) => isObject(peerMeta[name]) && peerMeta[name]['optional'] === true;
    const peers = stringMapKeys(entry['peerDependencies']);
    const draft: DraftPackage = {
      id: path,
      name: optionalString(entry['name']) ?? nameFromPath(path),
      version,
      line,
      dependsOn: [
        ...depsOf(path, entry, ['dependencies']),
        ...depsOf(
          path,
          { peers: Object.fromEntries(peers.filter((n) => !optionalPeer(n)).map((n) => [n, ''])) },
          ['peers'],
        ),
      ],
      optionalDependsOn: depsOf(path, entry, ['optionalDependencies']),
      weakDependsOn: depsOf(
        path,
        { peers: Object.fromEntries(peers.filter(optionalPeer).map((n) => [n, ''])) },
        ['peers'],
      ),
      scope: scopeOf(entry),
    };
    const license = licenseOf(entry);
    if (license) draft.license = license;
    const integrity = sriIntegrity(optionalString(entry['integrity']) ?? '');
    if (integrity) draft.integrity = integrity;
    drafts.push(draft);
  }
  return finalize({ packages: drafts, roots }, 'npm', file);
}

/** lockfileVersion 1: nested `dependencies`, edges in `requires`. Ids mimic v2 install paths. */
function extractNested(
  lock: Record<string, unknown>,
  text: string,
  file: string,
  context?: ExtractContext,
): Extraction {
  const lines = new LineIndex(text);
  const entries = new Map<string, Record<string, unknown>>();
  const entryLines = new Map<string, number | undefined>();
  const workspaces: string[] = [];
  const visit = (deps: unknown, base: string, depth: number) => {
    if (depth > 512) throw formatError(file, 'dependencies nested too deeply');
    for (const [name, value] of Object.entries(optionalObject(deps, '"dependencies"', file))) {
      const line = lines.next(`${JSON.stringify(name)}: {`);
      const entry = objectAt(value, `dependency ${JSON.stringify(name)}`, file, line);
      const path = `${base ? `${base}/` : ''}node_modules/${name}`;
      entries.set(path, entry);
      entryLines.set(path, line);
      if (typeof entry['version'] === 'string' && entry['version'].startsWith('file:')) workspaces.push(path);
      visit(entry['dependencies'], path, depth + 1);
    }
  };
  visit(lock['dependencies'], '', 0);

  const isWorkspace = new Set(workspaces);
  const resolve = (from: string, name: string): string | undefined => {
    const found = resolveFrom(entries, from, name);
    return found === undefined || isWorkspace.has(found) ? undefined : found;
  };
  const drafts: DraftPackage[] = [];
  const required = new Set<string>();
  for (const [path, entry] of entries) {
    if (isWorkspace.has(path)) continue;
    const version = optionalString(entry['version']);
    if (!version) continue;
    const dependsOn = stringMapKeys(entry['requires'])
      .map((name) => resolve(path, name))
      .filter((id): id is string => id !== undefined);
    for (const id of dependsOn) required.add(id);
    // An alias records the installed package in its version: `npm:real-name@1.2.3`.
    const alias = /^npm:(@?[^@]+)@(.+)$/.exec(version);
    const draft: DraftPackage = {
      id: path,
      name: alias ? alias[1]! : nameFromPath(path),
      version: alias ? alias[2]! : version,
      line: entryLines.get(path),
      dependsOn,
      scope: scopeOf(entry),
    };
    const integrity = sriIntegrity(optionalString(entry['integrity']) ?? '');
    if (integrity) draft.integrity = integrity;
    drafts.push(draft);
  }

  const roots: DraftRoot[] = [];
  const manifest = readNpmManifest(context, 'package.json', file);
  const resolveAll = (from: string, names: string[]) =>
    names.map((name) => resolve(from, name)).filter((id): id is string => id !== undefined);
  if (manifest) {
    roots.push({
      path: '.',
      name: manifest.name ?? optionalString(lock['name']) ?? '.',
      version: manifest.version ?? optionalString(lock['version']),
      production: resolveAll('', manifest.production),
      development: resolveAll('', manifest.development),
      optional: resolveAll('', manifest.optional),
    });
  } else {
    // Without package.json, the top-level packages nothing else requires are the direct ones.
    const top = drafts.filter((d) => !d.id.includes('/node_modules/') && !required.has(d.id));
    roots.push({
      path: '.',
      name: optionalString(lock['name']) ?? '.',
      version: optionalString(lock['version']),
      production: top.filter((d) => d.scope === 'production').map((d) => d.id),
      development: top.filter((d) => d.scope === 'development').map((d) => d.id),
      optional: top.filter((d) => d.scope === 'optional').map((d) => d.id),
    });
  }
  for (const path of workspaces) {
    const entry = entries.get(path)!;
    roots.push({
      path: String(entry['version']).slice('file:'.length),
      name: nameFromPath(path),
      line: entryLines.get(path),
      production: resolveAll(path, stringMapKeys(entry['requires'])),
      development: [],
      optional: [],
    });
  }
  return finalize({ packages: drafts, roots }, 'npm', file);
}

export const npmLockExtractor: Extractor = {
  name: 'npm-package-lock',
  ecosystem: 'npm',
  matches: MATCHERS['npm-package-lock'],
  extract(text, file, context) {
    checkSize(text, file);
    const lock = parseJson(text, file);
    if (!isObject(lock)) throw formatError(file, 'a package lock must be a JSON object', 1);
    const version = lock['lockfileVersion'];
    if (version === 2 || version === 3 || (version === undefined && isObject(lock['packages']))) {
      return extractPackages(lock, text, file);
    }
    if (version === 1 || version === undefined) return extractNested(lock, text, file, context);
    throw formatError(
      file,
      `unsupported lockfileVersion ${JSON.stringify(version)}`,
      new LineIndex(text).first('"lockfileVersion"'),
    );
  },
};
