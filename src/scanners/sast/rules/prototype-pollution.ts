import type { Node } from '@babel/types';
import { isBooleanLiteral, memberPath, unwrap } from '../ast.ts';
import type { SastRule } from '../types.ts';

const MERGERS = new Set([
  'merge',
  'mergeWith',
  'defaultsDeep',
  'deepmerge',
  'mergeDeep',
  'deepMerge',
  'set',
  'setWith',
]);
const LIBRARIES = new Set(['_', 'lodash', 'deepmerge', 'merge', 'dot', 'objectPath', 'hoek', 'Hoek']);

export const prototypePollution: SastRule = {
  id: 'js/prototype-pollution',
  title: 'Object written through keys from the request',
  description:
    'obj[key] = value with a key from the request, or a (deep) merge of request data into an object: a "__proto__" or "constructor" key then modifies Object.prototype or the target\'s prototype.',
  severity: 'high',
  cwe: 'CWE-1321',
  create(context) {
    return {
      AssignmentExpression(node) {
        const left = unwrap(node.left);
        if (left.type !== 'MemberExpression' || !left.computed) return;
        if (context.taint.of(left.property) === 'request') {
          context.report(
            node,
            'property assigned through a key taken from the request (use a Map or reject __proto__)',
          );
        }
      },
      CallExpression(node) {
        const path = memberPath(unwrap(node.callee));
        if (!path) return;
        const name = path[path.length - 1]!;
        const args = node.arguments as Node[];
        let sources: Node[] = [];
        if (path.join('.') === 'Object.assign') {
          sources = args.slice(1);
        } else if (name === 'extend' && isBooleanLiteral(args[0], true)) {
          sources = args.slice(2);
        } else if (MERGERS.has(name) && (path.length === 1 || LIBRARIES.has(path[0]!))) {
          sources = name.startsWith('set') ? args.slice(1, 2) : args.slice(1);
        } else {
          return;
        }
        if (sources.some((source) => context.taint.of(source) === 'request')) {
          context.report(
            node,
            `${path.join('.')}() copies request data into an object, including "__proto__" keys`,
          );
        }
      },
    };
  },
};
