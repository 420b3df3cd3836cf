import { isFalsy, memberPath, propertyName, unwrap } from '../ast.ts';
import type { SastRule } from '../types.ts';

const VERIFY_KEYS = new Set(['rejectUnauthorized', 'strictSSL']);

export const tlsVerificationDisabled: SastRule = {
  id: 'js/tls-verification-disabled',
  title: 'TLS certificate verification disabled',
  description:
    'rejectUnauthorized: false, strictSSL: false or NODE_TLS_REJECT_UNAUTHORIZED=0 accept any certificate, so anyone on the path can read and alter the traffic.',
  severity: 'high',
  cwe: 'CWE-295',
  create(context) {
    return {
      ObjectProperty(node) {
        const name = propertyName(node.key, node.computed);
        if (name && VERIFY_KEYS.has(name) && isFalsy(node.value)) {
          context.report(node, `${name}: false disables TLS certificate verification`);
        }
      },
      AssignmentExpression(node) {
        const path = memberPath(unwrap(node.left));
        if (path?.join('.') === 'process.env.NODE_TLS_REJECT_UNAUTHORIZED' && isFalsy(node.right)) {
          context.report(
            node,
            'NODE_TLS_REJECT_UNAUTHORIZED=0 disables TLS verification for the whole process',
          );
        }
      },
    };
  },
};
