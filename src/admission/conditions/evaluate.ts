import type { Condition, ConditionBlock } from '../policy/types.ts';
import { OPERATORS } from './operators.ts';
import { resolveOperand, UnresolvedVariableError } from './template.ts';

export interface ConditionsResult {
  passed: boolean;
  /** Why it failed: one line per failed condition, with the policy's message when it has one. */
  reasons: string[];
}

function evaluateOne(condition: Condition, data: unknown): string | undefined {
  let key: unknown;
  let value: unknown;
  try {
    key = resolveOperand(condition.key, data);
    value = resolveOperand(condition.value, data);
  } catch (error) {
    if (error instanceof UnresolvedVariableError) return condition.message ?? error.message;
    return `${condition.message ? `${condition.message}: ` : ''}expression failed: ${(error as Error).message}`;
  }
  const result = OPERATORS[condition.operator](key, value);
  if (result.ok) return undefined;
  return condition.message ? `${condition.message} (${result.reason})` : result.reason;
}

/** Every block must hold; within a block every `all` and at least one `any` (when present). */
export function evaluateConditions(blocks: ConditionBlock[], data: unknown): ConditionsResult {
  const reasons: string[] = [];
  for (const block of blocks) {
    for (const condition of block.all) {
      const reason = evaluateOne(condition, data);
      if (reason) reasons.push(reason);
    }
    if (block.any.length > 0) {
      const anyReasons: string[] = [];
      for (const condition of block.any) {
        const reason = evaluateOne(condition, data);
        if (!reason) {
          anyReasons.length = 0;
          break;
        }
        anyReasons.push(reason);
      }
      if (anyReasons.length > 0) reasons.push(`none of the any conditions held: ${anyReasons.join('; ')}`);
    }
  }
  return { passed: reasons.length === 0, reasons };
}
