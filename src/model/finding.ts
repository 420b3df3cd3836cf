import type { Severity } from './severity.ts';

/** The kinds of finding gatechain's scanners and importers produce. */
export type FindingKind = 'secret' | 'sast' | 'license' | 'vulnerability' | 'iac' | 'dast';

export interface FindingLocation {
  file: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** For history scans: the commit that introduced the finding. */
  commit?: string;
  author?: string;
  date?: string;
}

export interface Suppression {
  kind: 'inline' | 'ignore-file' | 'baseline' | 'external' | 'exception';
  justification?: string;
  ticket?: string;
  expires?: string;
}

/**
 * One finding, whatever tool produced it. `fingerprint` is stable across runs for the same
 * issue at the same place (it never contains a secret's value), so baselines and ignore files
 * can key on it.
 */
export interface Finding {
  kind: FindingKind;
  ruleId: string;
  severity: Severity;
  message: string;
  fingerprint: string;
  location?: FindingLocation;
  tool: { name: string; version?: string };
  suppressions?: Suppression[];
  properties?: Record<string, unknown>;
}
