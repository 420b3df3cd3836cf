import type { Comment } from '@babel/types';
import type { Suppression } from '../../model/finding.ts';

const MARKER = /gatechain-sast-ignore(?:\s+([\w/,.-]+))?(?:\s+--\s*(.*))?/;

interface InlineIgnore {
  rules: string[] | undefined;
  justification: string | undefined;
}

/**
 * `// gatechain-sast-ignore [rule-id[,rule-id]] [-- why]` suppresses matching findings on the
 * comment's own line (trailing comment) and on the line after it. Without rule ids it covers
 * every rule. Suppressed findings are still reported, marked, so the gate can count them.
 */
export class InlineSuppressions {
  private readonly byLine = new Map<number, InlineIgnore[]>();

  constructor(comments: readonly Comment[]) {
    for (const comment of comments) {
      const match = MARKER.exec(comment.value);
      if (!match || !comment.loc) continue;
      const ignore: InlineIgnore = {
        rules: match[1] ? match[1].split(',').filter((rule) => rule.length > 0) : undefined,
        justification: match[2]?.trim() || undefined,
      };
      for (const line of [comment.loc.end.line, comment.loc.end.line + 1]) {
        const list = this.byLine.get(line) ?? [];
        list.push(ignore);
        this.byLine.set(line, list);
      }
    }
  }

  for(ruleId: string, line: number): Suppression[] {
    const out: Suppression[] = [];
    for (const ignore of this.byLine.get(line) ?? []) {
      if (ignore.rules && !ignore.rules.includes(ruleId)) continue;
      out.push({ kind: 'inline', ...(ignore.justification ? { justification: ignore.justification } : {}) });
    }
    return out.slice(0, 1);
  }
}
