import type { Node } from '@babel/types';
import { constantString, getProperty, unwrap } from '../ast.ts';
import { isCallTo, resolveCall } from '../calls.ts';
import type { SastRule } from '../types.ts';

const MIDDLEWARE = new Set(['expressjwt', 'expressJwt', 'jwtMiddleware', 'koaJwt']);

export const hardcodedJwtSecret: SastRule = {
  id: 'js/hardcoded-jwt-secret',
  title: 'Hard-coded JWT secret',
  description:
    'jwt.sign/verify (jsonwebtoken) or express-jwt with a secret written in the source: anyone with the code can mint valid tokens. Read it from a secret store or the environment.',
  severity: 'high',
  cwe: 'CWE-798',
  create(context) {
    // `const SECRET = 'x'` anywhere in the file: a literal by another name.
    const constants = new Set<string>();
    const isLiteralSecret = (node: Node | undefined): boolean => {
      if (!node) return false;
      const inner = unwrap(node);
      if (inner.type === 'Identifier') return constants.has(inner.name);
      const value = constantString(inner);
      return value !== undefined && value.length > 0;
    };
    return {
      VariableDeclarator(node) {
        if (node.id.type === 'Identifier' && node.init && constantString(node.init))
          constants.add(node.id.name);
      },
      CallExpression(node) {
        const target = resolveCall(context.imports, node.callee);
        if (isCallTo(target, 'jsonwebtoken', ['sign', 'verify'], ['jwt', 'jsonwebtoken'])) {
          if (isLiteralSecret(node.arguments[1] as Node | undefined)) {
            context.report(node, `jwt.${target?.name}() with a secret written in the source`);
          }
          return;
        }
        const name =
          target?.module === 'express-jwt' || target?.module === 'koa-jwt' ? 'middleware' : target?.name;
        if (name !== 'middleware' && !(name && MIDDLEWARE.has(name))) return;
        const secret = getProperty(node.arguments[0] as Node | undefined, 'secret');
        if (secret && isLiteralSecret(secret.value)) {
          context.report(secret, 'JWT middleware configured with a secret written in the source');
        }
      },
    };
  },
};
