import { constantString, isDynamicString, memberPath, unwrap } from '../ast.ts';
import type { SastRule } from '../types.ts';

const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'execScript']);
const GLOBALS = new Set(['window', 'globalThis', 'global', 'self']);

export const stringTimer: SastRule = {
  id: 'js/string-timer',
  title: 'Timer called with a string',
  description: 'setTimeout/setInterval with a string argument evaluates it as code, like eval().',
  severity: 'medium',
  cwe: 'CWE-95',
  create(context) {
    return {
      CallExpression(node) {
        const path = memberPath(unwrap(node.callee));
        const name = path?.[path.length - 1];
        if (!path || !name || !TIMERS.has(name)) return;
        if (path.length > 2 || (path.length === 2 && !GLOBALS.has(path[0]!))) return;
        const first = node.arguments[0];
        if (!first) return;
        if (constantString(first) !== undefined || isDynamicString(first)) {
          context.report(node, `${name}() with a string argument evaluates it as code`);
        }
      },
    };
  },
};
