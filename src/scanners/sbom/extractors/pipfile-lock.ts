import type { SkippedDependency } from '../../../model/component.ts';
import { parseJson } from '../../../util/errors.ts';
import { checkSize, formatError } from '../errors.ts';
import { finalize } from '../graph.ts';
import { normalizePypiName } from '../purl.ts';
import { LineIndex } from '../text/lines.ts';
import { isObject, optionalObject } from '../text/shape.ts';
import { parseToml } from '../text/toml.ts';
import type { DraftPackage, DraftRoot, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';
import { siblingPath } from './paths.ts';

/**
 * Pipfile.lock lists every installed package flat, without edges. Direct dependencies come from
 * the sibling Pipfile when there is one; without it no package is marked direct.
 */
export const pipfileLockExtractor: Extractor = {
  name: 'pipfile-lock',
  ecosystem: 'PyPI',
  matches: MATCHERS['pipfile-lock'],
  extract(text, file, context) {
    checkSize(text, file);
    const lock = parseJson(text, file);
    if (!isObject(lock)) throw formatError(file, 'Pipfile.lock must be a JSON object', 1);
    const drafts: DraftPackage[] = [];
    const skipped: SkippedDependency[] = [];
    const idByName = new Map<string, string>();
    for (const [section, scope] of [
      ['default', 'production'],
      ['develop', 'development'],
    ] as const) {
      const lines = new LineIndex(text);
      lines.seek(`"${section}":`);
      for (const [name, raw] of Object.entries(optionalObject(lock[section], `"${section}"`, file))) {
        const line = lines.next(`${JSON.stringify(name)}:`);
        const entry = optionalObject(raw, `package ${JSON.stringify(name)}`, file, line);
        const pin = typeof entry['version'] === 'string' ? /^===?\s*(\S+)$/.exec(entry['version']) : null;
        if (!pin) {
          skipped.push({
            name,
            reason: 'no pinned version (VCS, path or URL requirement)',
            location: { file, line },
          });
          continue;
        }
        const id = `${section}:${normalizePypiName(name)}`;
        drafts.push({ id, name, version: pin[1]!, line, dependsOn: [], scope });
        if (!idByName.has(normalizePypiName(name)) || scope === 'production')
          idByName.set(normalizePypiName(name), id);
      }
    }
    const pipfile = context?.readSibling?.('Pipfile');
    const roots: DraftRoot[] = [];
    if (pipfile !== undefined) {
      const doc = parseToml(pipfile, siblingPath(file, 'Pipfile'));
      const pick = (table: unknown) =>
        isObject(table)
          ? Object.keys(table)
              .map((n) => idByName.get(normalizePypiName(n)))
              .filter((id): id is string => !!id)
          : [];
      roots.push({
        path: '.',
        name: '.',
        production: pick(doc['packages']),
        development: pick(doc['dev-packages']),
        optional: [],
      });
    }
    for (const draft of drafts)
      draft.direct = roots.some((r) => r.production.includes(draft.id) || r.development.includes(draft.id));
    return finalize({ packages: drafts, roots, skipped }, 'PyPI', file);
  },
};
