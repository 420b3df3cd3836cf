import type { Node } from '@babel/types';
import { getProperty, memberPath, unwrap } from '../ast.ts';
import { isCallTo, resolveCall } from '../calls.ts';
import type { SastRule } from '../types.ts';

const SAFE_SCHEMAS = new Set([
  'SAFE_SCHEMA',
  'JSON_SCHEMA',
  'CORE_SCHEMA',
  'FAILSAFE_SCHEMA',
  'DEFAULT_SAFE_SCHEMA',
]);

function hasSafeSchema(options: Node | undefined): boolean {
  const schema = getProperty(options, 'schema');
  if (!schema) return false;
  const path = memberPath(unwrap(schema.value));
  return path !== undefined && SAFE_SCHEMAS.has(path[path.length - 1]!);
}

export const unsafeDeserialization: SastRule = {
  id: 'js/unsafe-deserialization',
  title: 'Unsafe deserialisation',
  description:
    'node-serialize unserialize() executes functions embedded in its input; js-yaml load() without a safe schema (js-yaml < 4, or an explicit full schema) builds functions and regexps from YAML tags.',
  severity: 'high',
  cwe: 'CWE-502',
  create(context) {
    return {
      CallExpression(node) {
        const target = resolveCall(context.imports, node.callee);
        if (isCallTo(target, 'node-serialize', ['unserialize'], ['serialize', 'nodeSerialize'])) {
          context.report(node, 'node-serialize unserialize() runs functions embedded in its input');
          return;
        }
        if (isCallTo(target, 'js-yaml', ['load', 'loadAll'], ['jsyaml', 'jsYaml'])) {
          const options = node.arguments.find(
            (argument, index) => index > 0 && unwrap(argument).type === 'ObjectExpression',
          );
          if (!hasSafeSchema(options)) {
            context.report(
              node,
              `js-yaml ${target?.name}() without a safe schema; pass { schema: JSON_SCHEMA } or use safeLoad`,
            );
          }
        }
      },
    };
  },
};
