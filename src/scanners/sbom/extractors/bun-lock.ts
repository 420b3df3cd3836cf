import { checkSize, formatError } from '../errors.ts';
import { finalize } from '../graph.ts';
import { sriIntegrity } from '../hashes.ts';
import { parseJsonc } from '../text/jsonc.ts';
import { LineIndex } from '../text/lines.ts';
import { isObject, optionalObject, stringMapKeys } from '../text/shape.ts';
import type { DraftPackage, DraftRoot, Extraction, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';

/** Splits `name@ref`, the name possibly scoped. */
function splitSpec(spec: string): [string, string] | undefined {
  const at = spec.indexOf('@', 1);
  return at === -1 ? undefined : [spec.slice(0, at), spec.slice(at + 1)];
}

/** `a/@s/b/c` → [`a`, `@s/b`, `c`]. */
function packageUnits(key: string): string[] {
  if (key === '') return [];
  const segments = key.split('/');
  const units: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.startsWith('@') && i + 1 < segments.length) {
      units.push(`${segment}/${segments[i + 1]}`);
      i++;
    } else units.push(segment);
  }
  return units;
}

function extractBun(text: string, file: string): Extraction {
  checkSize(text, file);
  const lock = parseJsonc(text, file);
  if (!isObject(lock)) throw formatError(file, 'bun.lock must be a JSON object', 1);
  const lines = new LineIndex(text);
  const packages = optionalObject(lock['packages'], '"packages"', file);
  const workspaces = optionalObject(lock['workspaces'], '"workspaces"', file);
  const has = (key: string) => Object.hasOwn(packages, key);

  // bun nests a package under its dependent's key (`debug/ms`, `@a/b/@c/d`); resolution tries
  // the dependent's own key, then each enclosing package's key, then the top level. A key is a
  // chain of package names, and a scoped name spans two segments.
  const resolve = (from: string, name: string): string | undefined => {
    const units = packageUnits(from);
    for (let n = units.length; n > 0; n--) {
      const candidate = `${units.slice(0, n).join('/')}/${name}`;
      if (has(candidate)) return candidate;
    }
    return has(name) ? name : undefined;
  };

  lines.seek('"packages":');
  const local = new Set<string>();
  const drafts: DraftPackage[] = [];
  const entryOf = new Map<string, Record<string, unknown>>();
  for (const [key, raw] of Object.entries(packages)) {
    const line = lines.next(`${JSON.stringify(key)}:`);
    if (!Array.isArray(raw) || typeof raw[0] !== 'string') {
      throw formatError(
        file,
        `package ${JSON.stringify(key)} must be an array starting with "name@version"`,
        line,
      );
    }
    const spec = splitSpec(raw[0]);
    if (!spec) throw formatError(file, `cannot read a name and version from ${JSON.stringify(raw[0])}`, line);
    const [name, ref] = spec;
    if (/^(workspace|link|file|root):/.test(ref)) {
      local.add(key);
      continue;
    }
    const info = raw.find((item, index) => index > 0 && isObject(item));
    entryOf.set(key, isObject(info) ? info : {});
    const draft: DraftPackage = { id: key, name, version: ref.replace(/^npm:/, ''), line, dependsOn: [] };
    const last = raw[raw.length - 1];
    const integrity = typeof last === 'string' ? sriIntegrity(last) : undefined;
    if (integrity) draft.integrity = integrity;
    drafts.push(draft);
  }
  const ids = (from: string, deps: unknown) =>
    stringMapKeys(deps)
      .map((name) => resolve(from, name))
      .filter((id): id is string => id !== undefined && !local.has(id));
  for (const draft of drafts) {
    const info = entryOf.get(draft.id)!;
    const optionalPeers = Array.isArray(info['optionalPeers']) ? info['optionalPeers'] : [];
    const peers = stringMapKeys(info['peerDependencies']);
    const only = (names: string[]) => Object.fromEntries(names.map((n) => [n, '']));
    draft.dependsOn = [
      ...ids(draft.id, info['dependencies']),
      ...ids(draft.id, only(peers.filter((n) => !optionalPeers.includes(n)))),
    ];
    draft.weakDependsOn = ids(draft.id, only(peers.filter((n) => optionalPeers.includes(n))));
    draft.optionalDependsOn = ids(draft.id, info['optionalDependencies']);
  }

  const workspaceLines = new LineIndex(text);
  workspaceLines.seek('"workspaces":');
  const roots: DraftRoot[] = [];
  for (const [path, raw] of Object.entries(workspaces)) {
    const line = workspaceLines.next(`${JSON.stringify(path)}:`);
    const ws = optionalObject(raw, `workspace ${JSON.stringify(path)}`, file, line);
    const name = typeof ws['name'] === 'string' ? ws['name'] : path || '.';
    const from = path === '' ? '' : name;
    const optional = stringMapKeys(ws['optionalDependencies']);
    roots.push({
      path: path === '' ? '.' : path,
      name,
      version: typeof ws['version'] === 'string' ? ws['version'] : undefined,
      line,
      production: ids(
        from,
        Object.fromEntries(
          stringMapKeys(ws['dependencies'])
            .filter((n) => !optional.includes(n))
            .map((n) => [n, '']),
        ),
      ),
      development: ids(from, ws['devDependencies']),
      optional: ids(from, ws['optionalDependencies']),
    });
  }
  return finalize({ packages: drafts, roots }, 'npm', file);
}

export const bunLockExtractor: Extractor = {
  name: 'bun-lock',
  ecosystem: 'npm',
  matches: MATCHERS['bun-lock'],
  extract: extractBun,
};
