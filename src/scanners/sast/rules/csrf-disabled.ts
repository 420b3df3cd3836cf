import { isFalsy, propertyName } from '../ast.ts';
import type { SastRule } from '../types.ts';

const CSRF_KEYS = new Set(['csrf', 'csrfProtection', 'xsrf', 'xsrfProtection', 'checkCsrf']);

export const csrfDisabled: SastRule = {
  id: 'js/csrf-disabled',
  title: 'CSRF protection disabled',
  description:
    'A configuration key such as csrf: false (lusca, Sails, NestJS/Next options) turns off cross-site request forgery protection for cookie-authenticated requests.',
  severity: 'medium',
  cwe: 'CWE-352',
  create(context) {
    return {
      ObjectProperty(node) {
        const name = propertyName(node.key, node.computed);
        if (name && CSRF_KEYS.has(name) && isFalsy(node.value)) {
          context.report(node, `${name}: false disables CSRF protection`);
        }
      },
    };
  },
};
