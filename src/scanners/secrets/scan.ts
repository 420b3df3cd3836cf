import type { Finding } from '../../model/finding.ts';
import { InputError } from '../../util/errors.ts';
import { ruleSetDigest } from './config.ts';
import { defaultRuleSet } from './default-set.ts';
import { createMatcher } from './engine.ts';
import { toFinding } from './findings.ts';
import { streamGitFragments } from './source-git.ts';
import { type TreeStats, walkTree } from './source-tree.ts';
import { applySuppressions, loadBaseline, loadIgnoreEntries } from './suppress.ts';
import type { Fragment, Rule, RuleSet } from './types.ts';

export type ScanMode = 'tree' | 'git' | 'staged';

export interface ScanSecretsOptions {
  root: string;
  mode: ScanMode;
  ruleSet?: RuleSet;
  /** A previous report (path to gatechain or gitleaks JSON) or its findings: those findings do not block. */
  baseline?: string | Finding[];
  /** Ignore file path; default: `.gatechainignore-secrets` and `.gitleaksignore` in root; false for none. */
  ignoreFile?: string | false;
  /** History mode: a revision range (`main..HEAD`) instead of every ref (`--all`). */
  range?: string;
  /** Files larger than this are skipped in tree mode (default 5 MiB). */
  maxFileBytes?: number;
}

export interface ScanStats {
  files: number;
  bytes: number;
  commits?: number;
  skippedBinary?: number;
  skippedLarge?: number;
  durationMs: number;
}

export interface ScanSecretsResult {
  findings: Finding[];
  ruleSetDigest: string;
  stats: ScanStats;
}

/**
 * Scans a directory tree, the whole git history or the staged changes with a rule set, and
 * returns findings (secrets redacted) with suppressions from inline markers, the ignore file and
 * the baseline applied as marks.
 */
export async function scanSecrets(options: ScanSecretsOptions): Promise<ScanSecretsResult> {
  const started = performance.now();
  const ruleSet = options.ruleSet ?? defaultRuleSet();
  const matcher = createMatcher(ruleSet);
  const rulesById = new Map<string, Rule>(ruleSet.rules.map((rule) => [rule.id, rule]));
  const findings: Finding[] = [];
  const onFragment = (fragment: Fragment) => {
    for (const raw of matcher.scan(fragment))
      findings.push(toFinding(raw, rulesById.get(raw.ruleId) as Rule, fragment));
  };
  const ignoreEntries = loadIgnoreEntries(options.root, options.ignoreFile);
  const baseline =
    options.baseline === undefined
      ? new Set<string>()
      : typeof options.baseline === 'string'
        ? loadBaseline(options.baseline)
        : new Set(options.baseline.map((finding) => finding.fingerprint));

  let stats: ScanStats;
  if (options.mode === 'tree') {
    const tree: TreeStats = { files: 0, bytes: 0, skippedBinary: 0, skippedLarge: 0 };
    let sinceYield = 0;
    for (const fragment of walkTree(options.root, { maxFileBytes: options.maxFileBytes }, tree)) {
      onFragment(fragment);
      sinceYield += fragment.data.length;
      // Let timers and signals run on long scans.
      if (sinceYield > 32 * 1024 * 1024) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    stats = { ...tree, durationMs: 0 };
  } else if (options.mode === 'git' || options.mode === 'staged') {
    const git = await streamGitFragments(options.root, options.mode, onFragment, options.range);
    stats = { files: git.files, bytes: git.bytes, durationMs: 0 };
    if (options.mode === 'git') stats.commits = git.commits;
  } else {
    throw new InputError('SECRETS_MODE_INVALID', `unknown scan mode ${String(options.mode)}`);
  }
  applySuppressions(findings, ignoreEntries, baseline);
  stats.durationMs = Math.round(performance.now() - started);
  return { findings, ruleSetDigest: ruleSetDigest(ruleSet), stats };
}
