import { constantString } from '../ast.ts';
import { isCallTo, resolveCall } from '../calls.ts';
import type { SastRule } from '../types.ts';

const WEAK_CIPHER = /(^|-)ecb$|^des(-|$)|^des-ede|^rc2|^rc4|^bf(-|$)|^blowfish|^cast5?(-|$)/i;

export const weakCipher: SastRule = {
  id: 'js/weak-cipher',
  title: 'Deprecated or weak cipher',
  description:
    'crypto.createCipher/createDecipher derive the key with one MD5 pass and no IV (deprecated, removed in Node 22); ECB mode, DES, RC2, RC4 and Blowfish leak plaintext structure or are broken.',
  severity: 'high',
  cwe: 'CWE-327',
  create(context) {
    return {
      CallExpression(node) {
        const target = resolveCall(context.imports, node.callee);
        if (isCallTo(target, 'crypto', ['createCipher', 'createDecipher'], ['crypto'])) {
          context.report(
            node,
            `crypto.${target?.name}() is deprecated: MD5 key derivation and no IV; use createCipheriv with AES-GCM`,
          );
          return;
        }
        if (!isCallTo(target, 'crypto', ['createCipheriv', 'createDecipheriv'], ['crypto'])) return;
        const algorithm = constantString(node.arguments[0]);
        if (algorithm && WEAK_CIPHER.test(algorithm)) {
          context.report(
            node,
            `cipher ${algorithm} is weak (ECB mode or a broken algorithm); use aes-256-gcm`,
          );
        }
      },
    };
  },
};
