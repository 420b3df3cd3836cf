import type { ProjectConfig } from '../config/index.ts';
import type { LedgerClaim } from '../pipeline/record.ts';

/**
 * The audit-log appender for a project, or undefined when the project has no ledger.
 * (Wired to the transparency log once it lands.)
 */
export function appendClaimFor(_config: ProjectConfig): ((claim: LedgerClaim) => Promise<void>) | undefined {
  return undefined;
}
