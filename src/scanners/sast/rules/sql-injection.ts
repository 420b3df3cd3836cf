import type { Node } from '@babel/types';
import { isConstant, isDynamicString, propertyName, stringText, unwrap } from '../ast.ts';
import type { SastRule } from '../types.ts';

const QUERY_METHODS = new Set([
  'query',
  'execute',
  'raw',
  'prepare',
  'all',
  'get',
  'run',
  'exec',
  'whereRaw',
  'orderByRaw',
  'havingRaw',
  'joinRaw',
  'selectRaw',
  '$queryRawUnsafe',
  '$executeRawUnsafe',
  'sequelizeQuery',
]);
/** Methods whose argument is SQL by definition: no need to recognise SQL text in it. */
const RAW_METHODS = new Set([
  'raw',
  'whereRaw',
  'orderByRaw',
  'havingRaw',
  'joinRaw',
  'selectRaw',
  '$queryRawUnsafe',
  '$executeRawUnsafe',
]);
const SQL =
  /\b(select\b[\s\S]*\bfrom|insert\s+into|update\b[\s\S]*\bset|delete\s+from|where|order\s+by|group\s+by|values\s*\(|create\s+table|drop\s+table|alter\s+table)\b/i;

function looksLikeSql(node: Node): boolean {
  return SQL.test(stringText(node));
}

export const sqlInjection: SastRule = {
  id: 'js/sql-injection',
  title: 'SQL built from strings',
  description:
    'A SQL statement built by concatenation or template interpolation of a non-constant value is passed to query/execute/raw; use bound parameters instead.',
  severity: 'high',
  cwe: 'CWE-89',
  create(context) {
    // Variables that hold SQL text, and those of them that were built from a non-constant.
    const sqlVariables = new Set<string>();
    const dynamicSql = new Map<string, Node>();
    const noteValue = (name: string, value: Node, append: boolean) => {
      const inner = unwrap(value);
      if (looksLikeSql(inner)) sqlVariables.add(name);
      if (!sqlVariables.has(name)) return;
      if (isDynamicString(inner) || (append && !isConstant(inner))) dynamicSql.set(name, inner);
    };
    return {
      VariableDeclarator(node) {
        if (node.id.type === 'Identifier' && node.init) noteValue(node.id.name, node.init, false);
      },
      AssignmentExpression(node) {
        if (node.left.type !== 'Identifier') return;
        if (node.operator === '=') noteValue(node.left.name, node.right, false);
        else if (node.operator === '+=') noteValue(node.left.name, node.right, true);
      },
      CallExpression(node) {
        const callee = unwrap(node.callee);
        if (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') return;
        const method = propertyName(callee.property, callee.computed);
        if (!method || !QUERY_METHODS.has(method)) return;
        const first = node.arguments[0];
        if (!first) return;
        const inner = unwrap(first);
        let built: Node | undefined;
        if (isDynamicString(inner) && (RAW_METHODS.has(method) || looksLikeSql(inner))) built = inner;
        else if (inner.type === 'Identifier') built = dynamicSql.get(inner.name);
        if (!built) return;
        const request = context.taint.of(built) === 'request';
        context.report(
          node,
          `${method}() receives SQL built from a non-constant value${request ? ' from the request' : ''}; use bound parameters`,
          request ? 'critical' : undefined,
        );
      },
    };
  },
};
