import { constantString, getProperty, isBooleanLiteral, unwrap } from '../ast.ts';
import type { SastRule } from '../types.ts';

export const corsCredentialsWildcard: SastRule = {
  id: 'js/cors-credentials-wildcard',
  title: 'CORS allows any origin with credentials',
  description:
    "A CORS configuration with credentials: true and origin '*' or origin: true (reflect any origin) lets every website make authenticated requests and read the responses.",
  severity: 'medium',
  cwe: 'CWE-942',
  create(context) {
    return {
      ObjectExpression(node) {
        const credentials = getProperty(node, 'credentials');
        if (!credentials || !isBooleanLiteral(credentials.value, true)) return;
        const origin = getProperty(node, 'origin');
        if (!origin) return;
        const value = unwrap(origin.value);
        if (constantString(value) === '*' || isBooleanLiteral(value, true)) {
          context.report(origin, 'CORS credentials: true with an origin that matches every site');
        }
      },
    };
  },
};
