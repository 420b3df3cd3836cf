import { checkSize, formatError } from '../errors.ts';
import { finalize } from '../graph.ts';
import { prefixedIntegrity } from '../hashes.ts';
import type { DraftPackage, DraftRoot, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';

const SPEC = /^([^\s(!]+)(?: \(([^)]*)\))?!?$/;

/** `1.15.4-x86_64-linux`: gem versions never contain `-`, so what follows is the platform. */
function splitPlatform(version: string): [string, string | undefined] {
  const dash = version.indexOf('-');
  return dash === -1 ? [version, undefined] : [version.slice(0, dash), version.slice(dash + 1)];
}

/**
 * Gemfile.lock: sections GEM/GIT/PATH list `specs:` (4 spaces: a gem and its version; 6 spaces:
 * its dependencies), DEPENDENCIES lists the direct ones, CHECKSUMS (Bundler 2.5+) their sha256.
 * Groups live in the Gemfile, not the lockfile, so every gem is production scope.
 */
export const gemfileLockExtractor: Extractor = {
  name: 'gemfile-lock',
  ecosystem: 'RubyGems',
  matches: MATCHERS['gemfile-lock'],
  extract(text, file) {
    checkSize(text, file);
    const drafts: DraftPackage[] = [];
    const idsByName = new Map<string, string>();
    const depNames = new Map<string, string[]>();
    const direct: string[] = [];
    const checksums = new Map<string, string>();
    let section = '';
    let inSpecs = false;
    let current: DraftPackage | undefined;
    const rows = text.split('\n');
    for (let i = 0; i < rows.length; i++) {
      const line = i + 1;
      const row = rows[i]!.replace(/\r$/, '');
      if (row.trim() === '') continue;
      const indent = row.length - row.trimStart().length;
      const body = row.trim();
      if (indent === 0) {
        section = body;
        inSpecs = false;
        current = undefined;
        continue;
      }
      if (section === 'GEM' || section === 'GIT' || section === 'PATH' || section === 'PLUGIN SOURCE') {
        if (indent === 2) {
          inSpecs = body === 'specs:';
          continue;
        }
        if (!inSpecs) continue;
        const match = SPEC.exec(body);
        if (!match) throw formatError(file, `cannot read the gem spec ${JSON.stringify(body)}`, line);
        if (indent === 4) {
          if (!match[2]) throw formatError(file, `gem ${match[1]} has no version`, line);
          const [version, platform] = splitPlatform(match[2]);
          const id = `${match[1]} ${match[2]}`;
          current = { id, name: match[1]!, version, line, dependsOn: [], scope: 'production' };
          if (platform) current.qualifiers = { platform };
          drafts.push(current);
          if (!idsByName.has(match[1]!) || !platform) idsByName.set(match[1]!, id);
          depNames.set(id, []);
        } else if (indent === 6 && current) {
          depNames.get(current.id)!.push(match[1]!);
        }
        continue;
      }
      if (section === 'DEPENDENCIES' && indent === 2) {
        const match = SPEC.exec(body);
        if (match) direct.push(match[1]!);
        continue;
      }
      if (section === 'CHECKSUMS' && indent === 2) {
        const match = /^(\S+) \(([^)]*)\)\s+(\S+)/.exec(body);
        if (match) checksums.set(`${match[1]} ${match[2]}`, match[3]!);
      }
    }
    for (const draft of drafts) {
      draft.dependsOn = (depNames.get(draft.id) ?? [])
        .map((name) => idsByName.get(name))
        .filter((id): id is string => id !== undefined);
      const sum = checksums.get(draft.id);
      const integrity = sum ? prefixedIntegrity(sum) : undefined;
      if (integrity) draft.integrity = integrity;
    }
    const root: DraftRoot = {
      path: '.',
      name: '.',
      production: direct.map((name) => idsByName.get(name)).filter((id): id is string => id !== undefined),
      development: [],
      optional: [],
    };
    return finalize({ packages: drafts, roots: [root] }, 'RubyGems', file);
  },
};
