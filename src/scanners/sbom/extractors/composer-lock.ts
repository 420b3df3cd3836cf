import { parseJson } from '../../../util/errors.ts';
import { checkSize, formatError } from '../errors.ts';
import { finalize } from '../graph.ts';
import { hexIntegrity } from '../hashes.ts';
import { LineIndex } from '../text/lines.ts';
import { isObject, objectAt, optionalArray, stringAt, stringMapKeys } from '../text/shape.ts';
import type { DraftPackage, DraftRoot, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';
import { siblingPath } from './paths.ts';

/** Platform requirements (php, extensions, composer itself) are not packages. */
function isPlatform(name: string): boolean {
  return !name.includes('/') || name.startsWith('ext-') || name.startsWith('lib-');
}

function licenseOf(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const ids = value.filter((v): v is string => typeof v === 'string' && v !== '');
  if (ids.length === 0) return undefined;
  // Composer lists alternatives the user may choose between.
  return ids.length === 1 ? ids[0] : `(${ids.join(' OR ')})`;
}

/**
 * composer.lock: `packages` are production, `packages-dev` development. Direct dependencies come
 * from the sibling composer.json when present, otherwise from which packages nothing requires.
 */
export const composerLockExtractor: Extractor = {
  name: 'composer-lock',
  ecosystem: 'Packagist',
  matches: MATCHERS['composer-lock'],
  extract(text, file, context) {
    checkSize(text, file);
    const lock = parseJson(text, file);
    if (!isObject(lock)) throw formatError(file, 'composer.lock must be a JSON object', 1);
    const drafts: DraftPackage[] = [];
    const requires = new Map<string, string[]>();
    for (const [section, scope] of [
      ['packages', 'production'],
      ['packages-dev', 'development'],
    ] as const) {
      const lines = new LineIndex(text);
      lines.seek(`"${section}":`);
      for (const raw of optionalArray(lock[section], `"${section}"`, file)) {
        const entry = objectAt(raw, `an entry of "${section}"`, file);
        const name = stringAt(entry['name'], 'package name', file);
        const line = lines.next(`"name": ${JSON.stringify(name)}`);
        const version = stringAt(entry['version'], `version of ${name}`, file, line);
        const id = name.toLowerCase();
        const draft: DraftPackage = { id, name: id, version, line, dependsOn: [], scope };
        const license = licenseOf(entry['license']);
        if (license) draft.license = license;
        const dist = isObject(entry['dist']) ? entry['dist'] : {};
        const integrity =
          typeof dist['shasum'] === 'string' ? hexIntegrity('sha1', dist['shasum']) : undefined;
        if (integrity) draft.integrity = integrity;
        drafts.push(draft);
        requires.set(
          id,
          stringMapKeys(entry['require'])
            .filter((n) => !isPlatform(n))
            .map((n) => n.toLowerCase()),
        );
      }
    }
    const known = new Set(drafts.map((d) => d.id));
    for (const draft of drafts)
      draft.dependsOn = (requires.get(draft.id) ?? []).filter((id) => known.has(id));
    const manifestText = context?.readSibling?.('composer.json');
    const manifest =
      manifestText === undefined ? undefined : parseJson(manifestText, siblingPath(file, 'composer.json'));
    const root: DraftRoot = { path: '.', name: '.', production: [], development: [], optional: [] };
    if (isObject(manifest)) {
      if (typeof manifest['name'] === 'string') root.name = manifest['name'];
      root.production = stringMapKeys(manifest['require'])
        .map((n) => n.toLowerCase())
        .filter((id) => known.has(id));
      root.development = stringMapKeys(manifest['require-dev'])
        .map((n) => n.toLowerCase())
        .filter((id) => known.has(id));
    } else {
      const required = new Set(drafts.flatMap((d) => d.dependsOn));
      for (const draft of drafts) {
        if (required.has(draft.id)) continue;
        (draft.scope === 'development' ? root.development : root.production).push(draft.id);
      }
    }
    return finalize({ packages: drafts, roots: [root] }, 'Packagist', file);
  },
};
