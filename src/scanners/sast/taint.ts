import type { LVal, Node } from '@babel/types';
import { memberPath, propertyName, unwrap } from './ast.ts';

/**
 * A deliberately simple taint notion, file-wide and scope-insensitive by name:
 * - `request`: read from an HTTP request (req.query/body/params/headers/cookies/url, Koa's
 *   ctx.request, Lambda's event), process.argv or the browser location — attacker input;
 * - `parameter`: a function parameter — input from a caller we cannot see.
 * A variable is tainted when its initialiser or an assignment to it mentions a tainted value;
 * a few calls (Number, parseInt, encodeURIComponent, path.basename, escapers) untaint.
 */
export type TaintLevel = 'request' | 'parameter';

export interface Taint {
  of(node: Node): TaintLevel | undefined;
}

const REQUEST_FIELDS = new Set([
  'query',
  'body',
  'params',
  'headers',
  'cookies',
  'signedCookies',
  'url',
  'originalUrl',
  'path',
  'files',
  'file',
  'hostname',
]);
const REQUEST_OBJECTS = new Set(['req', 'request']);
const KOA_FIELDS = new Set(['query', 'params', 'querystring', 'headers', 'header', 'url', 'path', 'cookies']);
const LAMBDA_FIELDS = new Set([
  'body',
  'queryStringParameters',
  'pathParameters',
  'headers',
  'multiValueQueryStringParameters',
]);
const LOCATION_FIELDS = new Set(['hash', 'search', 'href', 'pathname']);
const REQUEST_GETTERS = new Set(['get', 'header', 'param']);

const SANITIZERS = new Set([
  'Number',
  'parseInt',
  'parseFloat',
  'Boolean',
  'encodeURIComponent',
  'encodeURI',
  'basename',
  'escape',
  'escapeHtml',
  'escapeRegExp',
  'escapeStringRegexp',
  'escapeLiteral',
  'escapeIdentifier',
  'sanitize',
  'isValidObjectId',
]);

/** Whether a member path reads attacker-controlled input. */
export function isRequestSource(path: readonly string[]): boolean {
  const [first, second, third] = path;
  if (first === undefined || second === undefined) return false;
  if (REQUEST_OBJECTS.has(first) && REQUEST_FIELDS.has(second)) return true;
  if (first === 'ctx' && second === 'request' && third !== undefined && REQUEST_FIELDS.has(third))
    return true;
  if (first === 'ctx' && KOA_FIELDS.has(second)) return true;
  if (first === 'event' && LAMBDA_FIELDS.has(second)) return true;
  if (first === 'process' && second === 'argv') return true;
  if (first === 'location' && LOCATION_FIELDS.has(second)) return true;
  if (
    (first === 'window' || first === 'document') &&
    second === 'location' &&
    third &&
    LOCATION_FIELDS.has(third)
  ) {
    return true;
  }
  return first === 'document' && (second === 'URL' || second === 'referrer' || second === 'cookie');
}

function calleeName(node: Node): string | undefined {
  const callee = unwrap(node);
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression') return propertyName(callee.property, callee.computed);
  return undefined;
}

const COMPARISONS = new Set(['==', '!=', '===', '!==', '<', '<=', '>', '>=', 'in', 'instanceof']);

/** Bounded so a pathological expression costs linear time at worst. */
const MAX_VISITS = 4000;

function rank(level: TaintLevel | undefined): number {
  return level === 'request' ? 2 : level === 'parameter' ? 1 : 0;
}

function taintOfWith(root: Node, names: ReadonlyMap<string, TaintLevel>): TaintLevel | undefined {
  let found: TaintLevel | undefined;
  const stack: Node[] = [root];
  let visits = 0;
  while (stack.length > 0 && visits++ < MAX_VISITS) {
    const node = unwrap(stack.pop()!);
    switch (node.type) {
      case 'Identifier': {
        const level = names.get(node.name);
        if (level === 'request') return level;
        if (level) found = level;
        break;
      }
      case 'MemberExpression':
      case 'OptionalMemberExpression': {
        const path = memberPath(node);
        if (path && isRequestSource(path)) return 'request';
        const property = propertyName(node.property, node.computed);
        // A length or size is a number, whatever it was measured on.
        if (property === 'length' || property === 'size') break;
        stack.push(node.object);
        if (node.computed) stack.push(node.property);
        break;
      }
      case 'CallExpression':
      case 'OptionalCallExpression':
      case 'NewExpression': {
        const name = calleeName(node.callee);
        if (name && SANITIZERS.has(name)) break;
        const path = memberPath(node.callee);
        if (path && path.length === 2 && REQUEST_OBJECTS.has(path[0]!) && REQUEST_GETTERS.has(path[1]!)) {
          return 'request';
        }
        stack.push(node.callee);
        for (const argument of node.arguments) stack.push(argument);
        break;
      }
      case 'ObjectProperty':
        if (node.computed) stack.push(node.key);
        stack.push(node.value);
        break;
      case 'ConditionalExpression':
        // The test only picks a branch; the value is one of the branches.
        stack.push(node.consequent, node.alternate);
        break;
      case 'BinaryExpression':
        if (COMPARISONS.has(node.operator)) break;
        if (node.left.type !== 'PrivateName') stack.push(node.left);
        stack.push(node.right);
        break;
      case 'UnaryExpression':
        if (node.operator === 'typeof' || node.operator === '!' || node.operator === 'void') break;
        stack.push(node.argument);
        break;
      case 'ArrowFunctionExpression':
      case 'FunctionExpression':
      case 'ClassExpression':
        // A function value is not the data it will later receive.
        break;
      default:
        for (const key of Object.keys(node)) {
          if (key === 'loc' || key === 'extra' || key === 'typeAnnotation' || key.endsWith('Comments'))
            continue;
          const value = (node as unknown as Record<string, unknown>)[key];
          if (Array.isArray(value)) {
            for (const item of value)
              if (item && typeof item === 'object' && 'type' in item) stack.push(item as Node);
          } else if (value && typeof value === 'object' && 'type' in value) {
            stack.push(value as Node);
          }
        }
    }
  }
  return found;
}

/** Identifiers bound by a declaration or parameter pattern. */
export function boundNames(pattern: LVal | Node, out: string[] = [], depth = 0): string[] {
  if (depth > 50) return out;
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name);
      break;
    case 'AssignmentPattern':
      boundNames(pattern.left, out, depth + 1);
      break;
    case 'RestElement':
      boundNames(pattern.argument, out, depth + 1);
      break;
    case 'ObjectPattern':
      for (const property of pattern.properties) {
        boundNames(property.type === 'RestElement' ? property.argument : property.value, out, depth + 1);
      }
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements) if (element) boundNames(element, out, depth + 1);
      break;
    case 'TSParameterProperty':
      boundNames(pattern.parameter, out, depth + 1);
      break;
    default:
      break;
  }
  return out;
}

export interface TaintInputs {
  functions: Node[];
  declarators: Node[];
  assignments: Node[];
}

export function buildTaint(inputs: TaintInputs): Taint {
  const names = new Map<string, TaintLevel>();
  const raise = (name: string, level: TaintLevel): boolean => {
    if (rank(level) <= rank(names.get(name))) return false;
    names.set(name, level);
    return true;
  };
  for (const fn of inputs.functions) {
    if (!('params' in fn)) continue;
    for (const param of fn.params) for (const name of boundNames(param)) raise(name, 'parameter');
  }
  const flows: { target: Node; source: Node; targets?: string[] }[] = [];
  for (const node of inputs.declarators) {
    if (node.type === 'VariableDeclarator' && node.init) flows.push({ target: node.id, source: node.init });
  }
  for (const node of inputs.assignments) {
    if (node.type === 'AssignmentExpression') flows.push({ target: node.left, source: node.right });
  }
  // Propagate to a fixpoint; levels only rise and there are two, so this is bounded.
  for (let round = 0; round < 6; round++) {
    let changed = false;
    for (const flow of flows) {
      const { target, source } = flow;
      flow.targets ??= boundNames(target);
      // Already at the top level: nothing this flow can raise.
      if (flow.targets.every((name) => names.get(name) === 'request')) continue;
      const level = taintOfWith(source, names);
      if (!level) continue;
      for (const name of flow.targets) changed = raise(name, level) || changed;
    }
    if (!changed) break;
  }
  // Several rules ask about the same expression: answer each node once.
  const memo = new WeakMap<Node, TaintLevel | null>();
  return {
    of(node) {
      const known = memo.get(node);
      if (known !== undefined) return known ?? undefined;
      const level = taintOfWith(node, names);
      memo.set(node, level ?? null);
      return level;
    },
  };
}
