import type { Allowlist } from './types.ts';

/** What an allowlist can look at for one match. */
export interface MatchContext {
  secret: string;
  match: string;
  line: string;
  path: string;
  commit: string | undefined;
}

/** gitleaks semantics: OR = any configured criterion matches; AND = every configured criterion does. */
export function allowlistMatches(allowlist: Allowlist, ctx: MatchContext): boolean {
  const checks: boolean[] = [];
  if (allowlist.commits.length > 0) {
    checks.push(ctx.commit !== undefined && allowlist.commits.includes(ctx.commit.toLowerCase()));
  }
  if (allowlist.paths.length > 0) checks.push(allowlist.paths.some((regex) => regex.test(ctx.path)));
  if (allowlist.regexes.length > 0) {
    const target =
      allowlist.regexTarget === 'match'
        ? ctx.match
        : allowlist.regexTarget === 'line'
          ? ctx.line
          : ctx.secret;
    checks.push(allowlist.regexes.some((regex) => regex.test(target)));
  }
  if (allowlist.stopwords.length > 0) {
    const lower = ctx.secret.toLowerCase();
    checks.push(allowlist.stopwords.some((word) => lower.includes(word)));
  }
  return allowlist.condition === 'AND' ? checks.length > 0 && checks.every(Boolean) : checks.some(Boolean);
}
