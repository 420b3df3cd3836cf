import { checkSize } from '../errors.ts';
import { finalize } from '../graph.ts';
import { hexIntegrity } from '../hashes.ts';
import { objectAt, optionalArray, stringAt } from '../text/shape.ts';
import { arrayTableLines, parseToml } from '../text/toml.ts';
import type { DraftPackage, DraftRoot, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';

/**
 * Cargo.lock: packages without `source` are the workspace's own crates (roots); dependencies are
 * `name`, `name version` or `name version (source)`. The lockfile does not separate dev
 * dependencies, so every crate is production scope.
 */
export const cargoLockExtractor: Extractor = {
  name: 'cargo-lock',
  ecosystem: 'crates.io',
  matches: MATCHERS['cargo-lock'],
  extract(text, file) {
    checkSize(text, file);
    const doc = parseToml(text, file);
    const lines = arrayTableLines(text, 'package');
    const drafts: DraftPackage[] = [];
    const roots: DraftRoot[] = [];
    const byName = new Map<string, string[]>();
    const deps = new Map<string, unknown[]>();
    const rootDeps = new Map<DraftRoot, unknown[]>();
    optionalArray(doc['package'], '[[package]]', file).forEach((raw, index) => {
      const line = lines[index];
      const entry = objectAt(raw, '[[package]]', file, line);
      const name = stringAt(entry['name'], 'package name', file, line);
      const version = stringAt(entry['version'], `version of ${name}`, file, line);
      const id = `${name} ${version}`;
      const list = optionalArray(entry['dependencies'], `dependencies of ${name}`, file, line);
      byName.set(name, [...(byName.get(name) ?? []), id]);
      if (typeof entry['source'] !== 'string') {
        const root: DraftRoot = {
          path: name,
          name,
          version,
          line,
          production: [],
          development: [],
          optional: [],
        };
        roots.push(root);
        rootDeps.set(root, list);
        return;
      }
      const draft: DraftPackage = { id, name, version, line, dependsOn: [] };
      const integrity =
        typeof entry['checksum'] === 'string' ? hexIntegrity('sha256', entry['checksum']) : undefined;
      if (integrity) draft.integrity = integrity;
      drafts.push(draft);
      deps.set(id, list);
    });
    const known = new Set(drafts.map((d) => d.id));
    const resolve = (list: unknown[]) =>
      list
        .map((item) => {
          if (typeof item !== 'string') return undefined;
          const [name = '', version] = item.split(' ');
          const ids = byName.get(name) ?? [];
          return version ? ids.find((id) => id === `${name} ${version}`) : ids[0];
        })
        .filter((id): id is string => id !== undefined && known.has(id));
    for (const draft of drafts) draft.dependsOn = resolve(deps.get(draft.id) ?? []);
    for (const [root, list] of rootDeps) root.production = resolve(list);
    return finalize({ packages: drafts, roots }, 'crates.io', file);
  },
};
