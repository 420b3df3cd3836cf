import type { Node } from '@babel/types';
import { isConstant, memberPath, unwrap } from '../ast.ts';
import type { RuleContext, SastRule } from '../types.ts';

function check(context: RuleContext, node: Node, callee: Node, args: readonly Node[]): void {
  const path = memberPath(unwrap(callee));
  if (path?.join('.') !== 'RegExp' && path?.join('.') !== 'globalThis.RegExp') return;
  const pattern = args[0];
  if (!pattern || isConstant(pattern)) return;
  const level = context.taint.of(pattern);
  if (!level) return;
  context.report(
    node,
    `RegExp built from ${level === 'request' ? 'request input' : 'a function parameter'}; escape it or use a linear-time engine (ReDoS)`,
    level === 'request' ? 'high' : undefined,
  );
}

export const regexpInjection: SastRule = {
  id: 'js/regexp-injection',
  title: 'Regular expression built from input',
  description:
    'new RegExp(input) lets the caller choose the pattern: a catastrophic-backtracking pattern blocks the event loop (ReDoS), and metacharacters change what matches.',
  severity: 'medium',
  cwe: 'CWE-1333',
  create(context) {
    return {
      NewExpression(node) {
        check(context, node, node.callee, node.arguments as Node[]);
      },
      CallExpression(node) {
        check(context, node, node.callee, node.arguments as Node[]);
      },
    };
  },
};
