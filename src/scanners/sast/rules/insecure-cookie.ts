import type { Node } from '@babel/types';
import { getProperty, isFalsy, memberPath, propertyName, unwrap } from '../ast.ts';
import { resolveCall } from '../calls.ts';
import type { RuleContext, SastRule } from '../types.ts';

const SESSION_MODULES = new Set([
  'express-session',
  'cookie-session',
  'koa-session',
  '@fastify/session',
  '@fastify/cookie',
]);
const SESSION_NAMES = new Set(['session', 'expressSession', 'cookieSession']);

function checkOptions(context: RuleContext, options: Node | undefined, what: string): void {
  if (!options) return;
  const off = ['secure', 'httpOnly'].filter((flag) => isFalsy(getProperty(options, flag)?.value));
  if (off.length === 0) return;
  const first = getProperty(options, off[0]!)!;
  context.report(first, `${what} sets ${off.map((flag) => `${flag}: false`).join(' and ')}`);
}

export const insecureCookie: SastRule = {
  id: 'js/insecure-cookie',
  title: 'Cookie without Secure or HttpOnly',
  description:
    'res.cookie() or a session middleware with secure: false or httpOnly: false: the cookie travels over plain HTTP or is readable by any script on the page.',
  severity: 'medium',
  cwe: 'CWE-614',
  create(context) {
    return {
      CallExpression(node) {
        const callee = unwrap(node.callee);
        const args = node.arguments as Node[];
        if (
          callee.type === 'MemberExpression' &&
          propertyName(callee.property, callee.computed) === 'cookie'
        ) {
          const object = memberPath(callee.object);
          if (object && ['res', 'response', 'reply', 'ctx', 'cookies'].includes(object[object.length - 1]!)) {
            checkOptions(context, args[2], 'cookie');
          }
          return;
        }
        const target = resolveCall(context.imports, node.callee);
        const isSession =
          (target?.module !== undefined && SESSION_MODULES.has(target.module)) ||
          (target?.module === undefined &&
            target?.object === undefined &&
            SESSION_NAMES.has(target?.name ?? ''));
        if (!isSession) return;
        const options = args[0];
        checkOptions(context, options, 'session middleware');
        checkOptions(context, getProperty(options, 'cookie')?.value, 'session cookie');
      },
    };
  },
};
