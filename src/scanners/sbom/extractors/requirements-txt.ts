import type { SkippedDependency } from '../../../model/component.ts';
import { checkSize } from '../errors.ts';
import { finalize } from '../graph.ts';
import { prefixedIntegrity } from '../hashes.ts';
import { normalizePypiName } from '../purl.ts';
import type { DraftPackage, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';
import { basename } from './paths.ts';

interface LogicalLine {
  text: string;
  line: number;
}

/** Joins backslash continuations and strips comments, remembering where each requirement began. */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pending = '';
  let start = 0;
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    let row = rows[i]!.replace(/\r$/, '');
    if (pending === '') start = i + 1;
    // A comment starts at `#` at the line start or after whitespace (pip's rule).
    const hash = row.search(/(^|\s)#/);
    if (hash !== -1) row = row.slice(0, hash);
    if (row.endsWith('\\')) {
      pending += `${row.slice(0, -1)} `;
      continue;
    }
    const full = (pending + row).trim();
    pending = '';
    if (full !== '') out.push({ text: full, line: start });
  }
  if (pending.trim() !== '') out.push({ text: pending.trim(), line: start });
  return out;
}

const REQUIREMENT = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$/;

/** A requirements.txt is development scope when its name says so (requirements-dev.txt, test-requirements.txt). */
function isDevFile(file: string): boolean {
  return /(^|[-_.])(dev|test|tests|testing|lint|docs)([-_.]|$)/i.test(basename(file).replace(/\.txt$/, ''));
}

/**
 * requirements.txt: only `name==version` pins are components (all direct: the file lists what
 * was asked for). Ranges, URLs, editables and includes are reported as skipped, never dropped.
 */
export const requirementsTxtExtractor: Extractor = {
  name: 'requirements-txt',
  ecosystem: 'PyPI',
  matches: MATCHERS['requirements-txt'],
  extract(text, file) {
    checkSize(text, file);
    const drafts: DraftPackage[] = [];
    const skipped: SkippedDependency[] = [];
    const scope = isDevFile(file) ? 'development' : 'production';
    for (const { text: entry, line } of logicalLines(text)) {
      if (entry.startsWith('-')) {
        const option = /^(-[a-zA-Z]|--[a-z-]+)/.exec(entry)?.[0] ?? entry;
        if (['-r', '--requirement', '-c', '--constraint', '-e', '--editable'].includes(option)) {
          skipped.push({
            name: entry,
            reason: `${option} entries are not followed`,
            location: { file, line },
          });
        }
        continue;
      }
      const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(entry) ? null : REQUIREMENT.exec(entry);
      if (!match) {
        skipped.push({
          name: entry,
          reason: 'not a package requirement (URL or path)',
          location: { file, line },
        });
        continue;
      }
      const name = match[1]!;
      const rest = match[3]!;
      const [spec = '', ...options] = rest.split(/\s+--/);
      const versionSpec = spec.split(';')[0]!.trim();
      const pin = /^===?\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)$/.exec(versionSpec);
      if (!pin || versionSpec.includes('*')) {
        const reason = versionSpec.startsWith('@')
          ? 'direct URL reference'
          : `not pinned with == (${versionSpec || 'no version'})`;
        skipped.push({ name, reason, location: { file, line } });
        continue;
      }
      const draft: DraftPackage = {
        id: normalizePypiName(name),
        name,
        version: pin[1]!,
        line,
        dependsOn: [],
        scope,
        direct: true,
      };
      for (const option of options) {
        const hash = /^hash[=\s]+(\S+)/.exec(option);
        const integrity = hash ? prefixedIntegrity(hash[1]!) : undefined;
        if (integrity && (!draft.integrity || integrity.value.length > draft.integrity.value.length))
          draft.integrity = integrity;
      }
      drafts.push(draft);
    }
    const ids = drafts.map((d) => d.id);
    const root = {
      path: '.',
      name: '.',
      production: scope === 'production' ? ids : [],
      development: scope === 'development' ? ids : [],
      optional: [],
    };
    return finalize({ packages: drafts, roots: [root], skipped }, 'PyPI', file);
  },
};
