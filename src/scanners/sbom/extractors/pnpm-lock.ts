import type { DependencyScope } from '../../../model/component.ts';
import { checkSize, formatError } from '../errors.ts';
import { finalize } from '../graph.ts';
import { sriIntegrity } from '../hashes.ts';
import { isObject, optionalObject, optionalString } from '../text/shape.ts';
import { parseYaml } from '../text/yaml.ts';
import type { DraftPackage, DraftRoot, Extraction, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';
import { readNpmManifest } from './npm-manifest.ts';

type Dialect = 5 | 6 | 9;

/** The version reference of an importer or package dependency: a string (v5) or {version} (v6+). */
function refOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (isObject(value)) return optionalString(value['version']);
  return undefined;
}

function withoutPeers(ref: string, dialect: Dialect): string {
  if (dialect === 5) {
    const underscore = ref.indexOf('_');
    return underscore === -1 ? ref : ref.slice(0, underscore);
  }
  const paren = ref.indexOf('(');
  return paren === -1 ? ref : ref.slice(0, paren);
}

/** Key of the `packages` (v5/v6) or `snapshots` (v9) entry a dependency reference points at. */
function keyFor(name: string, ref: string, dialect: Dialect): string | undefined {
  if (ref.startsWith('link:') || ref.startsWith('workspace:')) return undefined;
  const bare = withoutPeers(ref, dialect);
  if (dialect === 9) return bare.lastIndexOf('@') > 0 || bare.includes(':') ? ref : `${name}@${ref}`;
  if (ref.startsWith('/') || bare.includes('/') || bare.includes(':')) return ref;
  return dialect === 5 ? `/${name}/${ref}` : `/${name}@${ref}`;
}

/** Name and version from a package key such as `/@scope/a/1.0.0_x`, `/a@1.0.0(x)` or `a@1.0.0`. */
function nameAndVersion(key: string, dialect: Dialect): [string, string] | undefined {
  const bare = withoutPeers(key.startsWith('/') ? key.slice(1) : key, dialect);
  if (dialect === 5) {
    const slash = bare.lastIndexOf('/');
    if (slash <= 0) return undefined;
    return [bare.slice(0, slash), bare.slice(slash + 1)];
  }
  const at = bare.lastIndexOf('@');
  if (at <= 0) return undefined;
  return [bare.slice(0, at), bare.slice(at + 1)];
}

function dialectOf(version: unknown, file: string): Dialect {
  const major = Number.parseFloat(String(version));
  if (Number.isNaN(major))
    throw formatError(file, `lockfileVersion ${JSON.stringify(version)} is not a number`, 1);
  if (major >= 5 && major < 6) return 5;
  if (major >= 6 && major < 7) return 6;
  if (major >= 9 && major < 10) return 9;
  throw formatError(file, `unsupported pnpm lockfileVersion ${String(version)} (5.x, 6.x and 9.x are)`, 1);
}

function extractPnpm(text: string, file: string, context?: Parameters<Extractor['extract']>[2]): Extraction {
  checkSize(text, file);
  const parsed = parseYaml(text, file);
  if (!isObject(parsed.value)) throw formatError(file, 'a pnpm lockfile must be a mapping', 1);
  const lock = parsed.value;
  const dialect = dialectOf(lock['lockfileVersion'], file);
  const packages = optionalObject(lock['packages'], '"packages"', file);
  const packageLines = parsed.keyLines(['packages']);
  const graphSection = dialect === 9 ? optionalObject(lock['snapshots'], '"snapshots"', file) : packages;
  const graphLines = dialect === 9 ? parsed.keyLines(['snapshots']) : packageLines;

  const depIds = (deps: unknown): string[] => {
    const out: string[] = [];
    if (!isObject(deps)) return out;
    for (const [name, value] of Object.entries(deps)) {
      const ref = refOf(value);
      const key = ref === undefined ? undefined : keyFor(name, ref, dialect);
      if (key !== undefined && Object.hasOwn(graphSection, key)) out.push(key);
    }
    return out;
  };

  const drafts: DraftPackage[] = [];
  for (const [key, raw] of Object.entries(graphSection)) {
    const line = dialect === 9 ? graphLines.get(key) : packageLines.get(key);
    const entry = optionalObject(raw, `package ${JSON.stringify(key)}`, file, line);
    const info =
      dialect === 9
        ? optionalObject(
            Object.hasOwn(packages, withoutPeers(key, 9)) ? packages[withoutPeers(key, 9)] : undefined,
            `package ${JSON.stringify(key)}`,
            file,
            line,
          )
        : entry;
    const parsedKey = nameAndVersion(key, dialect);
    const name = optionalString(info['name']) ?? parsedKey?.[0];
    const version = optionalString(info['version']) ?? parsedKey?.[1];
    if (!name || !version)
      throw formatError(file, `cannot read a name and version from ${JSON.stringify(key)}`, line);
    const draft: DraftPackage = {
      id: key,
      name,
      version,
      line: dialect === 9 ? (packageLines.get(withoutPeers(key, 9)) ?? line) : line,
      dependsOn: depIds(entry['dependencies']),
      optionalDependsOn: depIds(entry['optionalDependencies']),
    };
    if (dialect !== 9 && 'dev' in entry) {
      // v5/v6: dev true = only dev, dev false = only prod (optional if so flagged), absent = both.
      const scope: DependencyScope =
        entry['dev'] === true ? 'development' : entry['optional'] === true ? 'optional' : 'production';
      draft.scope = scope;
    }
    const resolution = isObject(info['resolution']) ? info['resolution'] : {};
    const integrity = sriIntegrity(optionalString(resolution['integrity']) ?? '');
    if (integrity) draft.integrity = integrity;
    drafts.push(draft);
  }

  const importers = isObject(lock['importers']) ? lock['importers'] : { '.': lock };
  const importerLines = parsed.keyLines(['importers']);
  const roots: DraftRoot[] = [];
  for (const [path, raw] of Object.entries(importers)) {
    const importer = optionalObject(raw, `importer ${JSON.stringify(path)}`, file, importerLines.get(path));
    const manifest = readNpmManifest(context, path === '.' ? 'package.json' : `${path}/package.json`, file);
    roots.push({
      path,
      name: manifest?.name ?? path,
      version: manifest?.version,
      line: importerLines.get(path),
      production: depIds(importer['dependencies']),
      development: depIds(importer['devDependencies']),
      optional: depIds(importer['optionalDependencies']),
    });
  }
  return finalize({ packages: drafts, roots }, 'npm', file);
}

export const pnpmLockExtractor: Extractor = {
  name: 'pnpm-lock',
  ecosystem: 'npm',
  matches: MATCHERS['pnpm-lock'],
  extract: extractPnpm,
};
