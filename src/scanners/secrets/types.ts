import type { Severity } from '../../model/severity.ts';

/** A compiled linear-time regular expression (RE2 semantics). */
export interface LinearRegex {
  /** The source pattern, exactly as configured. */
  readonly source: string;
  /** True when the pattern matches anywhere in `text`. */
  test(text: string): boolean;
  /** Every non-overlapping match, leftmost first: [start, end] of group 0 and of each group (-1 when unset). */
  matchAll(text: string): Int32Array[];
  readonly groupCount: number;
}

export type AllowlistCondition = 'OR' | 'AND';
export type RegexTarget = 'secret' | 'match' | 'line';

/** One allowlist: a finding it matches is dropped. Empty criteria are not evaluated. */
export interface Allowlist {
  description?: string;
  condition: AllowlistCondition;
  regexTarget: RegexTarget;
  regexes: LinearRegex[];
  paths: LinearRegex[];
  /** Lowercase commit SHAs. */
  commits: string[];
  /** Lowercase; a secret containing one of them is allowed. */
  stopwords: string[];
  /** Global allowlists only: restrict to these rule IDs (empty = all rules). */
  targetRules: string[];
}

/** Proximity requirement of a composite rule (gitleaks `[[rules.required]]`). */
export interface RequiredRule {
  id: string;
  withinLines?: number;
  withinColumns?: number;
}

export interface Rule {
  id: string;
  description: string;
  severity: Severity;
  regex?: LinearRegex;
  /** Capture group holding the secret; 0 = use the first non-empty group, else the whole match. */
  secretGroup: number;
  /** Minimum Shannon entropy (bits per byte); the secret must exceed it. 0 = no check. */
  entropy: number;
  /** Lowercase keywords; the rule runs only near one of them. Empty = run on every fragment. */
  keywords: string[];
  path?: LinearRegex;
  tags: string[];
  allowlists: Allowlist[];
  required: RequiredRule[];
  skipReport: boolean;
  /** True when the regex may match across a line break (so it gets a wider window). */
  multiline: boolean;
}

export interface RuleSet {
  rules: Rule[];
  allowlists: Allowlist[];
  /** Where the rules came from (default, a file, or text), for reports. */
  origin: string;
  /** The canonical JSON the digest is computed over (never contains secrets: rules only). */
  canonical: string;
}

/** One match after filtering, before it becomes a shared Finding. The raw secret stays inside the matcher. */
export interface RawMatch {
  ruleId: string;
  /** 1-based line and column (UTF-16 code units) of the match start within the fragment. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Redacted forms only: see redact.ts. */
  secretDigest: string;
  secretRedacted: string;
  matchRedacted: string;
  entropy: number;
  /** True when the line carries `gatechain:allow` / `gitleaks:allow`. */
  inlineAllowed: boolean;
}

/** What the matcher scans: one file's text or the added lines of one file in one commit. */
export interface Fragment {
  path: string;
  /** UTF-8 bytes (a file, or the added lines of one file in one commit joined by \n). */
  data: Uint8Array;
  commit?: string;
  author?: string;
  email?: string;
  date?: string;
  message?: string;
  /** For diff fragments: the real line number of each fragment line (1-based index → file line). */
  lineMap?: number[];
}
