import type { Node } from '@babel/types';
import { isConstant } from '../ast.ts';
import { isCallTo, resolveCall } from '../calls.ts';
import type { RuleContext, SastRule } from '../types.ts';

const RUNNERS = ['runInNewContext', 'runInThisContext', 'runInContext', 'compileFunction', 'Script'];

function check(context: RuleContext, node: Node, callee: Node, args: readonly Node[]): void {
  const target = resolveCall(context.imports, callee);
  if (!isCallTo(target, 'vm', RUNNERS, ['vm'])) return;
  const code = args[0];
  if (!code || isConstant(code)) return;
  const level = context.taint.of(code);
  if (!level) return;
  context.report(
    node,
    `vm ${target?.name} runs code derived from ${level === 'request' ? 'the request' : 'a function parameter'}; the vm module is not a security boundary`,
    level === 'request' ? 'critical' : undefined,
  );
}

export const vmCodeInjection: SastRule = {
  id: 'js/vm-code-injection',
  title: 'Code from input run in node:vm',
  description:
    'vm.runInNewContext/runInContext/Script with code derived from input: node:vm contexts can be escaped, so this is code execution.',
  severity: 'high',
  cwe: 'CWE-94',
  create(context) {
    return {
      CallExpression(node) {
        check(context, node, node.callee, node.arguments as Node[]);
      },
      NewExpression(node) {
        check(context, node, node.callee, node.arguments as Node[]);
      },
    };
  },
};
