import { normalizePypiName } from '../purl.ts';
import { isObject, objectAt, stringAt } from '../text/shape.ts';
import { parseToml } from '../text/toml.ts';
import type { DraftPackage, DraftRoot, ExtractContext } from '../types.ts';
import { siblingPath } from './paths.ts';

/** The project name at the start of a PEP 508 requirement (`name[extra] >=1; marker`), normalised. */
export function requirementName(requirement: string): string | undefined {
  const match = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/.exec(requirement);
  return match ? normalizePypiName(match[1]!) : undefined;
}

export interface PythonDeclared {
  name?: string;
  version?: string;
  production: string[];
  development: string[];
  optional: string[];
  /** Names of the `[project.optional-dependencies]` groups (extras). */
  extras: string[];
}

function namesOf(list: unknown): string[] {
  if (Array.isArray(list)) {
    return list
      .map((item) => (typeof item === 'string' ? requirementName(item) : undefined))
      .filter((n): n is string => !!n);
  }
  if (isObject(list))
    return Object.keys(list)
      .filter((n) => n.toLowerCase() !== 'python')
      .map(normalizePypiName);
  return [];
}

/**
 * Declared dependencies from a sibling pyproject.toml: PEP 621 `[project]`, PEP 735
 * `[dependency-groups]`, Poetry's `[tool.poetry.*]` and PDM's dev-dependencies.
 */
export function readPyproject(
  context: ExtractContext | undefined,
  lockfile: string,
): PythonDeclared | undefined {
  const text = context?.readSibling?.('pyproject.toml');
  if (text === undefined) return undefined;
  const doc = parseToml(text, siblingPath(lockfile, 'pyproject.toml'));
  const project = isObject(doc['project']) ? doc['project'] : {};
  const tool = isObject(doc['tool']) ? doc['tool'] : {};
  const poetry = isObject(tool['poetry']) ? tool['poetry'] : {};
  const pdm = isObject(tool['pdm']) ? tool['pdm'] : {};
  const production = [...namesOf(project['dependencies']), ...namesOf(poetry['dependencies'])];
  const optional = isObject(project['optional-dependencies'])
    ? Object.values(project['optional-dependencies']).flatMap(namesOf)
    : [];
  const development = [...namesOf(poetry['dev-dependencies'])];
  for (const groups of [doc['dependency-groups'], pdm['dev-dependencies']]) {
    if (isObject(groups)) for (const list of Object.values(groups)) development.push(...namesOf(list));
  }
  if (isObject(poetry['group'])) {
    for (const [group, body] of Object.entries(poetry['group'])) {
      if (!isObject(body)) continue;
      (group === 'main' ? production : development).push(...namesOf(body['dependencies']));
    }
  }
  const name =
    typeof project['name'] === 'string'
      ? project['name']
      : typeof poetry['name'] === 'string'
        ? poetry['name']
        : undefined;
  const version =
    typeof project['version'] === 'string'
      ? project['version']
      : typeof poetry['version'] === 'string'
        ? poetry['version']
        : undefined;
  const extras = isObject(project['optional-dependencies'])
    ? Object.keys(project['optional-dependencies'])
    : [];
  return { name, version, production, development, optional, extras };
}

/**
 * The project root of a Python lockfile: from pyproject.toml when present, otherwise the packages
 * no other package depends on (split by their stated scope).
 */
export function pythonRoot(
  declared: PythonDeclared | undefined,
  drafts: DraftPackage[],
  idByName: Map<string, string>,
): DraftRoot {
  const pick = (names: string[]) =>
    names.map((n) => idByName.get(n)).filter((id): id is string => id !== undefined);
  if (declared) {
    return {
      path: '.',
      name: declared.name ?? '.',
      version: declared.version,
      production: pick(declared.production),
      development: pick(declared.development),
      optional: pick(declared.optional),
    };
  }
  const required = new Set(drafts.flatMap((d) => [...d.dependsOn, ...(d.optionalDependsOn ?? [])]));
  const top = drafts.filter((d) => !required.has(d.id));
  return {
    path: '.',
    name: '.',
    production: top.filter((d) => d.scope !== 'development' && d.scope !== 'optional').map((d) => d.id),
    development: top.filter((d) => d.scope === 'development').map((d) => d.id),
    optional: top.filter((d) => d.scope === 'optional').map((d) => d.id),
  };
}

/** sha256 of the source distribution among a list of `{file, hash}` entries, when identifiable. */
export function sdistHash(files: unknown): string | undefined {
  if (!Array.isArray(files)) return undefined;
  for (const item of files) {
    if (isObject(item) && typeof item['file'] === 'string' && /\.(tar\.gz|zip)$/.test(item['file'])) {
      return typeof item['hash'] === 'string' ? item['hash'] : undefined;
    }
  }
  return undefined;
}

/**
 * One `[[package]]` table of a Python lockfile (poetry.lock, pdm.lock): its name and version
 * checked, and the draft package keyed by the PEP 503 name, as both formats spell them alike.
 */
export function lockPackageEntry(
  raw: unknown,
  file: string,
  line: number | undefined,
): { entry: Record<string, unknown>; name: string; draft: DraftPackage } {
  const entry = objectAt(raw, '[[package]]', file, line);
  const name = stringAt(entry['name'], 'package name', file, line);
  const version = stringAt(entry['version'], `version of ${name}`, file, line);
  const id = `${normalizePypiName(name)}@${version}`;
  return { entry, name, draft: { id, name, version, line, dependsOn: [] } };
}
