import { isConstant, memberPath, unwrap } from '../ast.ts';
import type { SastRule } from '../types.ts';

const GLOBALS = new Set(['window', 'globalThis', 'global', 'self']);

function globalName(node: Parameters<typeof memberPath>[0]): string | undefined {
  const path = memberPath(unwrap(node));
  if (!path) return undefined;
  if (path.length === 1) return path[0];
  if (path.length === 2 && GLOBALS.has(path[0]!)) return path[1];
  return undefined;
}

export const evalInjection: SastRule = {
  id: 'js/eval-injection',
  title: 'Dynamic code evaluation',
  description:
    'eval() or the Function constructor runs a string that is not a constant; whoever controls it runs code.',
  severity: 'high',
  cwe: 'CWE-95',
  create(context) {
    return {
      CallExpression(node) {
        const name = globalName(node.callee);
        if (name === 'eval') {
          const code = node.arguments[0];
          if (code && !isConstant(code)) {
            const request = context.taint.of(code) === 'request';
            context.report(node, 'eval() of a non-constant string', request ? 'critical' : undefined);
          }
        } else if (name === 'Function' && node.arguments.some((argument) => !isConstant(argument))) {
          context.report(node, 'Function() built from a non-constant string');
        }
      },
      NewExpression(node) {
        if (
          globalName(node.callee) === 'Function' &&
          node.arguments.some((argument) => !isConstant(argument))
        ) {
          context.report(node, 'new Function() built from a non-constant string');
        }
      },
    };
  },
};
