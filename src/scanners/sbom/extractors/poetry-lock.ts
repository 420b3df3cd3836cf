import type { DependencyScope } from '../../../model/component.ts';
import { checkSize } from '../errors.ts';
import { finalize } from '../graph.ts';
import { prefixedIntegrity } from '../hashes.ts';
import { normalizePypiName } from '../purl.ts';
import { isObject, optionalArray } from '../text/shape.ts';
import { arrayTableLines, parseToml } from '../text/toml.ts';
import type { DraftPackage, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';
import { lockPackageEntry, pythonRoot, readPyproject, sdistHash } from './python-common.ts';

function scopeOf(entry: Record<string, unknown>): DependencyScope | undefined {
  let scope: DependencyScope | undefined;
  if (entry['category'] === 'dev') scope = 'development';
  else if (entry['category'] === 'main') scope = 'production';
  if (Array.isArray(entry['groups'])) scope = entry['groups'].includes('main') ? 'production' : 'development';
  if (scope === 'production' && entry['optional'] === true) scope = 'optional';
  return scope;
}

export const poetryLockExtractor: Extractor = {
  name: 'poetry-lock',
  ecosystem: 'PyPI',
  matches: MATCHERS['poetry-lock'],
  extract(text, file, context) {
    checkSize(text, file);
    const doc = parseToml(text, file);
    const lines = arrayTableLines(text, 'package');
    const metadata = isObject(doc['metadata']) ? doc['metadata'] : {};
    const legacyFiles = isObject(metadata['files']) ? metadata['files'] : {};
    const drafts: DraftPackage[] = [];
    const idByName = new Map<string, string>();
    const depNames = new Map<string, string[]>();
    optionalArray(doc['package'], '[[package]]', file).forEach((raw, index) => {
      const line = lines[index];
      const { entry, name, draft } = lockPackageEntry(raw, file, line);
      const { id } = draft;
      const scope = scopeOf(entry);
      if (scope) draft.scope = scope;
      const hash = sdistHash(entry['files'] ?? legacyFiles[name]);
      const integrity = hash ? prefixedIntegrity(hash) : undefined;
      if (integrity) draft.integrity = integrity;
      drafts.push(draft);
      if (!idByName.has(normalizePypiName(name))) idByName.set(normalizePypiName(name), id);
      depNames.set(
        id,
        isObject(entry['dependencies']) ? Object.keys(entry['dependencies']).map(normalizePypiName) : [],
      );
    });
    for (const draft of drafts) {
      draft.dependsOn = (depNames.get(draft.id) ?? [])
        .map((n) => idByName.get(n))
        .filter((id): id is string => !!id);
    }
    return finalize(
      { packages: drafts, roots: [pythonRoot(readPyproject(context, file), drafts, idByName)] },
      'PyPI',
      file,
    );
  },
};
