import { checkSize } from '../errors.ts';
import { finalize } from '../graph.ts';
import { prefixedIntegrity } from '../hashes.ts';
import { normalizePypiName } from '../purl.ts';
import { optionalArray } from '../text/shape.ts';
import { arrayTableLines, parseToml } from '../text/toml.ts';
import type { DraftPackage, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';
import { lockPackageEntry, pythonRoot, readPyproject, requirementName, sdistHash } from './python-common.ts';

/** pdm.lock: `groups` says the scope ("default" is production), `dependencies` are PEP 508 strings. */
export const pdmLockExtractor: Extractor = {
  name: 'pdm-lock',
  ecosystem: 'PyPI',
  matches: MATCHERS['pdm-lock'],
  extract(text, file, context) {
    checkSize(text, file);
    const doc = parseToml(text, file);
    const lines = arrayTableLines(text, 'package');
    const declared = readPyproject(context, file);
    const extras = declared?.extras ?? [];
    const drafts: DraftPackage[] = [];
    const idByName = new Map<string, string>();
    const depNames = new Map<string, string[]>();
    optionalArray(doc['package'], '[[package]]', file).forEach((raw, index) => {
      const line = lines[index];
      const { entry, name, draft } = lockPackageEntry(raw, file, line);
      const { id } = draft;
      if (Array.isArray(entry['groups'])) {
        const groups = entry['groups'];
        draft.scope = groups.includes('default')
          ? 'production'
          : groups.some((g) => extras.includes(g))
            ? 'optional'
            : 'development';
      }
      const hash = sdistHash(entry['files']);
      const integrity = hash ? prefixedIntegrity(hash) : undefined;
      if (integrity) draft.integrity = integrity;
      drafts.push(draft);
      if (!idByName.has(normalizePypiName(name))) idByName.set(normalizePypiName(name), id);
      const deps = optionalArray(entry['dependencies'], `dependencies of ${name}`, file, line);
      depNames.set(
        id,
        deps
          .map((d) => (typeof d === 'string' ? requirementName(d) : undefined))
          .filter((n): n is string => !!n),
      );
    });
    for (const draft of drafts) {
      draft.dependsOn = (depNames.get(draft.id) ?? [])
        .map((n) => idByName.get(n))
        .filter((id): id is string => !!id);
    }
    return finalize({ packages: drafts, roots: [pythonRoot(declared, drafts, idByName)] }, 'PyPI', file);
  },
};
