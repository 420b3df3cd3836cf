import type { SkippedDependency } from '../../../model/component.ts';
import { checkSize, formatError } from '../errors.ts';
import { finalize } from '../graph.ts';
import type { DraftPackage, DraftRoot, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';

interface Directive {
  verb: string;
  args: string[];
  comment: string;
  line: number;
}

function unquote(token: string): string {
  return token.length >= 2 && (token.startsWith('"') || token.startsWith('`')) ? token.slice(1, -1) : token;
}

/** go.mod's line syntax: `verb args // comment` or `verb ( ... )` blocks. */
function directives(text: string, file: string): Directive[] {
  const out: Directive[] = [];
  let block: string | undefined;
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const line = i + 1;
    const raw = rows[i]!.replace(/\r$/, '');
    const slashes = raw.indexOf('//');
    const body = (slashes === -1 ? raw : raw.slice(0, slashes)).trim();
    const comment = slashes === -1 ? '' : raw.slice(slashes + 2).trim();
    if (body === '') continue;
    const tokens = body.split(/\s+/).map(unquote);
    if (block !== undefined) {
      if (body === ')') {
        block = undefined;
        continue;
      }
      out.push({ verb: block, args: tokens, comment, line });
      continue;
    }
    const [verb, ...args] = tokens;
    if (args.length === 1 && args[0] === '(') {
      block = verb;
      continue;
    }
    if (body === ')') throw formatError(file, 'unexpected ")"', line);
    out.push({ verb: verb!, args, comment, line });
  }
  if (block !== undefined) throw formatError(file, `${block} block is never closed`, rows.length);
  return out;
}

const LOCAL_PATH = /^(\.{1,2}\/|\/|\.{1,2}$)/;

/**
 * go.mod: every `require` is a component (`// indirect` marks the transitive ones), after
 * `replace` directives; a module replaced by a local folder is reported as skipped. The `go` or
 * `toolchain` directive adds the `stdlib` component, as the Go vulnerability database keys it.
 */
export const goModExtractor: Extractor = {
  name: 'go-mod',
  ecosystem: 'Go',
  matches: MATCHERS['go-mod'],
  extract(text, file) {
    checkSize(text, file);
    const all = directives(text, file);
    const replacements = new Map<string, { path: string; version?: string; line: number }>();
    for (const d of all) {
      if (d.verb !== 'replace') continue;
      const arrow = d.args.indexOf('=>');
      if (arrow < 1) throw formatError(file, 'replace needs "old => new"', d.line);
      const key = arrow === 2 ? `${d.args[0]}@${d.args[1]}` : d.args[0]!;
      const target = d.args[arrow + 1];
      if (!target) throw formatError(file, 'replace needs a target after "=>"', d.line);
      replacements.set(key, { path: target, version: d.args[arrow + 2], line: d.line });
    }
    const drafts: DraftPackage[] = [];
    const skipped: SkippedDependency[] = [];
    let module = '.';
    let goVersion: { version: string; line: number } | undefined;
    for (const d of all) {
      if (d.verb === 'module' && d.args[0]) module = d.args[0];
      if (d.verb === 'go' && d.args[0] && !goVersion) goVersion = { version: d.args[0], line: d.line };
      if (d.verb === 'toolchain' && d.args[0]?.startsWith('go'))
        goVersion = { version: d.args[0].slice(2), line: d.line };
      if (d.verb !== 'require') continue;
      const [path, version] = d.args;
      if (!path || !version) throw formatError(file, 'require needs a module path and a version', d.line);
      const replaced = replacements.get(`${path}@${version}`) ?? replacements.get(path);
      if (replaced && LOCAL_PATH.test(replaced.path)) {
        skipped.push({
          name: path,
          reason: `replaced by the local folder ${replaced.path}`,
          location: { file, line: d.line },
        });
        continue;
      }
      const finalPath = replaced?.path ?? path;
      const finalVersion = replaced?.version ?? version;
      drafts.push({
        id: `${finalPath}@${finalVersion}`,
        name: finalPath,
        version: finalVersion.replace(/^v/, ''),
        line: d.line,
        dependsOn: [],
        scope: 'production',
        direct: !/(^|;)\s*indirect\s*(;|$)/.test(d.comment),
      });
    }
    if (goVersion) {
      drafts.push({
        id: 'stdlib',
        name: 'stdlib',
        version: goVersion.version.replace(/^go/, ''),
        line: goVersion.line,
        dependsOn: [],
        scope: 'production',
        direct: false,
      });
    }
    const root: DraftRoot = {
      path: '.',
      name: module,
      production: drafts.filter((d) => d.direct).map((d) => d.id),
      development: [],
      optional: [],
    };
    return finalize({ packages: drafts, roots: [root], skipped }, 'Go', file);
  },
};
