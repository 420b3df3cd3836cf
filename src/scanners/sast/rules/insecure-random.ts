import { contextNames, memberPath, nameHasWord, unwrap } from '../ast.ts';
import type { SastRule } from '../types.ts';

const SECRET_WORDS = new Set([
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'nonce',
  'salt',
  'otp',
  'session',
  'sid',
  'csrf',
  'xsrf',
  'apikey',
  'privatekey',
  'secretkey',
  'uuid',
  'guid',
  'id',
  'auth',
  'credential',
  'reset',
  'invite',
  'signature',
  'iv',
  'pin',
]);

export const insecureRandom: SastRule = {
  id: 'js/insecure-random',
  title: 'Math.random for a secret or identifier',
  description:
    'Math.random() is predictable; values used as tokens, ids, nonces or passwords must come from crypto.randomBytes/randomUUID/getRandomValues.',
  severity: 'medium',
  cwe: 'CWE-338',
  create(context) {
    return {
      CallExpression(node, ancestors) {
        if (memberPath(unwrap(node.callee))?.join('.') !== 'Math.random') return;
        const purpose = contextNames(ancestors).find((name) => nameHasWord(name, SECRET_WORDS));
        if (purpose)
          context.report(node, `Math.random() used for "${purpose}"; use crypto.randomBytes or randomUUID`);
      },
    };
  },
};
