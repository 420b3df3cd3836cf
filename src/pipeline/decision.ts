import type { ResourceDescriptor } from '../model/statement.ts';
import type { ChainResult } from '../policy/model.ts';
import { gatechainVersion } from '../util/version.ts';
import { chainDecisionRecord, vsaStatement } from '../verify/vsa.ts';
import { type RecordContext, recordStatement } from './record.ts';

/**
 * Signs a chain verification result as a VSA, stores it (gate 4: the pre-deploy decision) and
 * logs a gate-decision record that commits to the policy and the VSA by digest.
 */
export async function recordChainDecision(
  context: RecordContext,
  result: ChainResult,
  subject: ResourceDescriptor,
  policyUri: string,
): Promise<{ vsa: string; logIndex?: number }> {
  const statement = vsaStatement(result, subject, { policyUri, version: gatechainVersion() });
  const recorded = await recordStatement(context, statement, { gate: 4, source: 'verify' });
  const logged = await context.ledger?.appendRecord(chainDecisionRecord(result, recorded.id));
  return { vsa: recorded.id, ...(logged ? { logIndex: logged.index } : {}) };
}
