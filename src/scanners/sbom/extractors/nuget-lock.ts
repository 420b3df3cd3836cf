import { parseJson } from '../../../util/errors.ts';
import { checkSize, formatError } from '../errors.ts';
import { finalize } from '../graph.ts';
import { base64Integrity } from '../hashes.ts';
import { LineIndex } from '../text/lines.ts';
import { isObject, objectAt, optionalObject, optionalString, stringMapKeys } from '../text/shape.ts';
import type { DraftPackage, DraftRoot, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';

/**
 * NuGet packages.lock.json: one dependency map per target framework; `type` says Direct,
 * Transitive, CentralTransitive or Project (a project reference: first-party, not a component).
 * Package ids are case-insensitive, so edges are matched ignoring case.
 */
export const nugetLockExtractor: Extractor = {
  name: 'nuget-packages-lock',
  ecosystem: 'NuGet',
  matches: MATCHERS['nuget-packages-lock'],
  extract(text, file) {
    checkSize(text, file);
    const lock = parseJson(text, file);
    if (!isObject(lock)) throw formatError(file, 'packages.lock.json must be a JSON object', 1);
    const frameworks = objectAt(lock['dependencies'], '"dependencies"', file);
    const lines = new LineIndex(text);
    const drafts: DraftPackage[] = [];
    const root: DraftRoot = { path: '.', name: '.', production: [], development: [], optional: [] };
    for (const [framework, rawDeps] of Object.entries(frameworks)) {
      lines.seek(`${JSON.stringify(framework)}:`);
      const deps = optionalObject(rawDeps, `framework ${JSON.stringify(framework)}`, file);
      const idOf = new Map<string, string>();
      const pending: [DraftPackage, string[]][] = [];
      for (const [name, rawEntry] of Object.entries(deps)) {
        const line = lines.next(`${JSON.stringify(name)}:`);
        const entry = optionalObject(rawEntry, `package ${JSON.stringify(name)}`, file, line);
        const type = optionalString(entry['type']) ?? 'Transitive';
        if (type === 'Project') continue;
        const version = optionalString(entry['resolved']);
        if (!version) throw formatError(file, `package ${name} has no "resolved" version`, line);
        const id = `${name.toLowerCase()}@${version}`;
        idOf.set(name.toLowerCase(), id);
        const draft: DraftPackage = { id, name, version, line, dependsOn: [], scope: 'production' };
        const hash = optionalString(entry['contentHash']);
        const integrity = hash ? base64Integrity('sha512', hash) : undefined;
        if (integrity) draft.integrity = integrity;
        drafts.push(draft);
        pending.push([draft, stringMapKeys(entry['dependencies'])]);
        if (type === 'Direct') root.production.push(id);
      }
      for (const [draft, names] of pending) {
        draft.dependsOn = names
          .map((n) => idOf.get(n.toLowerCase()))
          .filter((id): id is string => id !== undefined);
      }
    }
    return finalize({ packages: drafts, roots: [root] }, 'NuGet', file);
  },
};
