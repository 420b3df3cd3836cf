import type { SkippedDependency } from '../../../model/component.ts';
import { checkSize } from '../errors.ts';
import { finalize } from '../graph.ts';
import { prefixedIntegrity } from '../hashes.ts';
import { normalizePypiName } from '../purl.ts';
import { isObject, objectAt, optionalArray, stringAt } from '../text/shape.ts';
import { arrayTableLines, parseToml } from '../text/toml.ts';
import type { DraftPackage, DraftRoot, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';

interface DepRef {
  name: string;
  version?: string;
}

function depRefs(list: unknown): DepRef[] {
  if (!Array.isArray(list)) return [];
  const out: DepRef[] = [];
  for (const item of list) {
    if (isObject(item) && typeof item['name'] === 'string') {
      out.push({
        name: normalizePypiName(item['name']),
        version: typeof item['version'] === 'string' ? item['version'] : undefined,
      });
    }
  }
  return out;
}

function groupRefs(table: unknown): DepRef[] {
  return isObject(table) ? Object.values(table).flatMap(depRefs) : [];
}

/**
 * uv.lock: the project and workspace members are packages whose source is `editable` or
 * `virtual`; they become roots, their `dependencies`, `optional-dependencies` and
 * `dev-dependencies` the production, optional and development edges.
 */
export const uvLockExtractor: Extractor = {
  name: 'uv-lock',
  ecosystem: 'PyPI',
  matches: MATCHERS['uv-lock'],
  extract(text, file) {
    checkSize(text, file);
    const doc = parseToml(text, file);
    const lines = arrayTableLines(text, 'package');
    const drafts: DraftPackage[] = [];
    const skipped: SkippedDependency[] = [];
    const rootEntries: { entry: Record<string, unknown>; line?: number; name: string }[] = [];
    const byName = new Map<string, string[]>();
    const entries: { id: string; entry: Record<string, unknown> }[] = [];
    optionalArray(doc['package'], '[[package]]', file).forEach((raw, index) => {
      const line = lines[index];
      const entry = objectAt(raw, '[[package]]', file, line);
      const name = stringAt(entry['name'], 'package name', file, line);
      const source = isObject(entry['source']) ? entry['source'] : {};
      if ('editable' in source || 'virtual' in source) {
        rootEntries.push({ entry, line, name });
        return;
      }
      if (typeof entry['version'] !== 'string') {
        skipped.push({ name, reason: 'no version (path or directory source)', location: { file, line } });
        return;
      }
      const version = entry['version'];
      const id = `${normalizePypiName(name)}@${version}`;
      const draft: DraftPackage = { id, name, version, line, dependsOn: [] };
      const sdist = isObject(entry['sdist']) ? entry['sdist'] : {};
      const integrity = typeof sdist['hash'] === 'string' ? prefixedIntegrity(sdist['hash']) : undefined;
      if (integrity) draft.integrity = integrity;
      drafts.push(draft);
      entries.push({ id, entry });
      const key = normalizePypiName(name);
      byName.set(key, [...(byName.get(key) ?? []), id]);
    });
    const resolve = (refs: DepRef[]) =>
      refs
        .map((ref) => {
          const ids = byName.get(ref.name) ?? [];
          return ref.version ? ids.find((id) => id === `${ref.name}@${ref.version}`) : ids[0];
        })
        .filter((id): id is string => !!id);
    const draftById = new Map(drafts.map((d) => [d.id, d]));
    for (const { id, entry } of entries) {
      const draft = draftById.get(id)!;
      draft.dependsOn = resolve(depRefs(entry['dependencies']));
      draft.optionalDependsOn = resolve(groupRefs(entry['optional-dependencies']));
    }
    const roots: DraftRoot[] = rootEntries.map(({ entry, line, name }) => {
      const source = entry['source'] as Record<string, unknown>;
      const path = String(source['editable'] ?? source['virtual'] ?? '.');
      return {
        path,
        name,
        version: typeof entry['version'] === 'string' ? entry['version'] : undefined,
        line,
        production: resolve(depRefs(entry['dependencies'])),
        optional: resolve(groupRefs(entry['optional-dependencies'])),
        development: resolve([
          ...groupRefs(entry['dev-dependencies']),
          ...groupRefs(entry['dependency-groups']),
        ]),
      };
    });
    return finalize({ packages: drafts, roots, skipped }, 'PyPI', file);
  },
};
