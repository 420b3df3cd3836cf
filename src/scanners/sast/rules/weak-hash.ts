import type { Node } from '@babel/types';
import { constantString, contextNames, memberPath, nameHasWord, propertyName, unwrap } from '../ast.ts';
import { isCallTo, resolveCall } from '../calls.ts';
import type { SastRule } from '../types.ts';

const WEAK = new Set(['md5', 'md4', 'md2', 'sha1', 'sha-1', 'rsa-md5', 'rsa-sha1', 'ripemd', 'ripemd160']);
const SECURITY_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'secret',
  'token',
  'auth',
  'session',
  'sign',
  'signature',
  'salt',
  'credential',
  'credentials',
  'hmac',
  'jwt',
  'apikey',
  'privatekey',
  'secretkey',
  'verify',
  'otp',
]);

/** Names the hash input comes from: `.update(password)` after createHash in the same chain. */
function updateArgumentNames(ancestors: readonly Node[]): string[] {
  const names: string[] = [];
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i]!;
    if (node.type !== 'CallExpression') continue;
    const callee = unwrap(node.callee);
    if (callee.type !== 'MemberExpression' || propertyName(callee.property, callee.computed) !== 'update')
      continue;
    for (const argument of node.arguments) {
      const path = memberPath(argument);
      if (path) names.push(path[path.length - 1]!);
    }
  }
  return names;
}

export const weakHash: SastRule = {
  id: 'js/weak-hash',
  title: 'Weak hash for a security purpose',
  description:
    'MD5 or SHA-1 (createHash) applied to passwords, tokens, signatures or keys: both have practical collision attacks and are far too fast for passwords.',
  severity: 'medium',
  cwe: 'CWE-328',
  create(context) {
    return {
      CallExpression(node, ancestors) {
        const target = resolveCall(context.imports, node.callee);
        if (
          !isCallTo(target, 'crypto', ['createHash'], ['crypto']) &&
          !(target?.name === 'createHash' && !target.module && !target.object)
        ) {
          return;
        }
        const algorithm = constantString(node.arguments[0])?.toLowerCase();
        if (!algorithm || !WEAK.has(algorithm)) return;
        const names = [...contextNames(ancestors), ...updateArgumentNames(ancestors)];
        const purpose = names.find((name) => nameHasWord(name, SECURITY_WORDS));
        if (purpose)
          context.report(
            node,
            `${algorithm} used for "${purpose}"; use a modern hash (or scrypt/argon2 for passwords)`,
          );
      },
    };
  },
};
