import { checkSize, formatError } from '../errors.ts';
import { finalize } from '../graph.ts';
import { sriIntegrity } from '../hashes.ts';
import { isObject, stringEntries } from '../text/shape.ts';
import { parseYaml } from '../text/yaml.ts';
import type { DraftPackage, DraftRoot, ExtractContext, Extraction, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';
import { expandWorkspaces, readNpmManifest } from './npm-manifest.ts';

interface YarnEntry {
  descriptors: string[];
  line: number;
  fields: Record<string, string>;
  dependencies: [string, string][];
  optionalDependencies: [string, string][];
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  return v;
}

/** Splits `name value` (yarn v1 field syntax), the name possibly quoted. */
function splitField(text: string): [string, string] {
  const t = text.trim();
  if (t.startsWith('"')) {
    const end = t.indexOf('"', 1);
    if (end === -1) return [t, ''];
    return [t.slice(1, end), t.slice(end + 1).trim()];
  }
  const space = t.indexOf(' ');
  return space === -1 ? [t, ''] : [t.slice(0, space), t.slice(space + 1).trim()];
}

/** yarn v1's own line format: unindented descriptor lists, two-space fields, four-space maps. */
function parseClassic(text: string, file: string): YarnEntry[] {
  const entries: YarnEntry[] = [];
  let current: YarnEntry | undefined;
  let section: '' | 'dependencies' | 'optionalDependencies' | 'other' = '';
  const rows = text.split('\n');
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!.replace(/\r$/, '');
    const line = index + 1;
    if (row.trim() === '' || row.trimStart().startsWith('#')) continue;
    const indent = row.length - row.trimStart().length;
    if (indent === 0) {
      if (!row.endsWith(':'))
        throw formatError(file, 'expected a package descriptor list ending in ":"', line);
      const descriptors = row
        .slice(0, -1)
        .split(',')
        .map((d) => unquote(d))
        .filter((d) => d !== '');
      current = { descriptors, line, fields: {}, dependencies: [], optionalDependencies: [] };
      entries.push(current);
      section = '';
      continue;
    }
    if (!current) throw formatError(file, 'indented line outside a package entry', line);
    if (indent === 2) {
      const body = row.trim();
      if (body.endsWith(':')) {
        const key = body.slice(0, -1);
        section = key === 'dependencies' || key === 'optionalDependencies' ? key : 'other';
        continue;
      }
      section = '';
      const [key, value] = splitField(body);
      current.fields[key] = unquote(value);
      continue;
    }
    if (indent >= 4 && section !== '') {
      if (section === 'other') continue;
      const [name, range] = splitField(row);
      current[section].push([name, unquote(range)]);
      continue;
    }
    throw formatError(file, `unexpected indentation of ${indent} spaces`, line);
  }
  return entries;
}

/** Name of a descriptor `name@range` (the name may start with `@`). */
function descriptorName(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  return at === -1 ? descriptor : descriptor.slice(0, at);
}

function parseBerry(text: string, file: string): YarnEntry[] {
  const parsed = parseYaml(text, file);
  if (!isObject(parsed.value)) throw formatError(file, 'a yarn lockfile must be a mapping', 1);
  const lines = parsed.keyLines([]);
  const entries: YarnEntry[] = [];
  for (const [key, value] of Object.entries(parsed.value)) {
    if (key === '__metadata') continue;
    const line = lines.get(key) ?? 1;
    if (!isObject(value)) throw formatError(file, `entry ${JSON.stringify(key)} must be a mapping`, line);
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(value))
      if (typeof v === 'string' || typeof v === 'number') fields[k] = String(v);
    const meta = isObject(value['dependenciesMeta']) ? value['dependenciesMeta'] : {};
    const optionalNames = new Set(
      Object.entries(meta)
        .filter(([, m]) => isObject(m) && m['optional'] === true)
        .map(([name]) => name),
    );
    const all = stringEntries(value['dependencies']);
    entries.push({
      descriptors: key.split(',').map((d) => d.trim()),
      line,
      fields,
      dependencies: all.filter(([name]) => !optionalNames.has(name)),
      optionalDependencies: [
        ...all.filter(([name]) => optionalNames.has(name)),
        ...stringEntries(value['optionalDependencies']),
      ],
    });
  }
  return entries;
}

/** The installed package's name: an alias `alias@npm:real@range` installs `real`. */
function realName(descriptor: string): string {
  const name = descriptorName(descriptor);
  const range = descriptor.slice(name.length + 1);
  if (range.startsWith('npm:')) {
    const target = range.slice(4);
    if (target.lastIndexOf('@') > 0) return descriptorName(target);
  }
  return name;
}

/** Berry resolution `name@npm:1.2.3`, `name@workspace:path`, `name@patch:...`: protocol and rest. */
function parseResolution(resolution: string): { name: string; protocol: string; rest: string } {
  const name = descriptorName(resolution);
  const reference = resolution.slice(name.length + 1);
  const colon = reference.indexOf(':');
  return colon === -1
    ? { name, protocol: '', rest: reference }
    : { name, protocol: reference.slice(0, colon), rest: reference.slice(colon + 1) };
}

function extractYarn(text: string, file: string, context?: ExtractContext): Extraction {
  checkSize(text, file);
  const berry = /^__metadata:/m.test(text);
  const entries = berry ? parseBerry(text, file) : parseClassic(text, file);
  const byDescriptor = new Map<string, YarnEntry>();
  for (const entry of entries) for (const d of entry.descriptors) byDescriptor.set(d, entry);
  const lookup = (name: string, range: string): YarnEntry | undefined =>
    byDescriptor.get(`${name}@${range}`) ?? (berry ? byDescriptor.get(`${name}@npm:${range}`) : undefined);

  const ids = new Map<YarnEntry, string>();
  const workspaceEntries: YarnEntry[] = [];
  const drafts: DraftPackage[] = [];
  for (const entry of entries) {
    const version = entry.fields['version'];
    const first = entry.descriptors[0] ?? '';
    let name = realName(first);
    if (berry) {
      const resolution = parseResolution(entry.fields['resolution'] ?? first);
      name = resolution.name;
      if (resolution.protocol === 'workspace') {
        workspaceEntries.push(entry);
        continue;
      }
      // link:/portal:/file: point at local folders, not registry packages.
      if (['link', 'portal', 'file'].includes(resolution.protocol)) continue;
    }
    if (!version) throw formatError(file, `entry ${JSON.stringify(first)} has no version`, entry.line);
    const id = `${name}@${version}`;
    ids.set(entry, id);
    const draft: DraftPackage = { id, name, version, line: entry.line, dependsOn: [] };
    // yarn v1 records the registry tarball's SRI; berry's checksum hashes its own zip, not the tarball.
    const integrity = berry ? undefined : sriIntegrity(entry.fields['integrity'] ?? '');
    if (integrity) draft.integrity = integrity;
    drafts.push(draft);
  }
  const resolveIds = (deps: [string, string][]): string[] =>
    deps
      .map(([name, range]) => {
        const target = lookup(name, range);
        return target ? ids.get(target) : undefined;
      })
      .filter((id): id is string => id !== undefined);
  const draftById = new Map(drafts.map((d) => [d.id, d]));
  for (const entry of entries) {
    const id = ids.get(entry);
    if (!id) continue;
    const draft = draftById.get(id)!;
    draft.dependsOn.push(...resolveIds(entry.dependencies));
    draft.optionalDependsOn = [...(draft.optionalDependsOn ?? []), ...resolveIds(entry.optionalDependencies)];
  }

  const roots: DraftRoot[] = [];
  // Scope and direct-ness come from the manifests: the lockfile does not record dev dependencies.
  const addRoot = (path: string, lockEntry: YarnEntry | undefined) => {
    const manifest = readNpmManifest(context, path === '.' ? 'package.json' : `${path}/package.json`, file);
    const declared = new Map<string, string>();
    for (const [name, range] of [
      ...(lockEntry?.dependencies ?? []),
      ...(lockEntry?.optionalDependencies ?? []),
    ]) {
      declared.set(name, range);
    }
    const resolveName = (name: string): string | undefined => {
      const range = declared.get(name);
      if (range !== undefined) {
        const target = lookup(name, range);
        return target ? ids.get(target) : undefined;
      }
      // yarn v1 keeps no workspace entries: find the descriptor through the manifest's range.
      const manifestRange = manifest?.ranges.get(name);
      const target = manifestRange === undefined ? undefined : lookup(name, manifestRange);
      return target ? ids.get(target) : undefined;
    };
    const pick = (names: string[]) => names.map(resolveName).filter((id): id is string => id !== undefined);
    if (manifest) {
      roots.push({
        path,
        name: manifest.name ?? path,
        version: manifest.version,
        line: lockEntry?.line,
        production: pick(manifest.production),
        development: pick(manifest.development),
        optional: pick(manifest.optional),
      });
    } else if (lockEntry) {
      roots.push({
        path,
        name: descriptorName(lockEntry.descriptors[0] ?? path),
        line: lockEntry.line,
        production: resolveIds(lockEntry.dependencies),
        development: [],
        optional: resolveIds(lockEntry.optionalDependencies),
      });
    }
  };
  if (berry) {
    for (const entry of workspaceEntries) {
      const resolution = parseResolution(entry.fields['resolution'] ?? entry.descriptors[0] ?? '');
      addRoot(resolution.rest === '.' ? '.' : resolution.rest, entry);
    }
  } else {
    addRoot('.', undefined);
    const rootManifest = readNpmManifest(context, 'package.json', file);
    for (const folder of expandWorkspaces(rootManifest?.workspaces ?? [], context))
      addRoot(folder, undefined);
  }
  return finalize({ packages: drafts, roots }, 'npm', file);
}

export const yarnLockExtractor: Extractor = {
  name: 'yarn-lock',
  ecosystem: 'npm',
  matches: MATCHERS['yarn-lock'],
  extract: extractYarn,
};
