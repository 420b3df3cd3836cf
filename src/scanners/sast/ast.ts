import type { Expression, Node, ObjectExpression, ObjectProperty } from '@babel/types';

/** Deeper expressions than this are treated as unknown rather than recursed into. */
const MAX_DEPTH = 200;

/** Strips TypeScript-only wrappers (`x as T`, `x!`, `<T>x`, `x satisfies T`) and parentheses. */
export function unwrap(node: Node): Node {
  let current = node;
  for (let i = 0; i < MAX_DEPTH; i++) {
    switch (current.type) {
      case 'TSAsExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
      case 'TSSatisfiesExpression':
      case 'ParenthesizedExpression':
        current = current.expression;
        continue;
      default:
        return current;
    }
  }
  return current;
}

/** Name of a non-computed (or string-literal computed) member property / object key. */
export function propertyName(node: Node | null | undefined, computed = false): string | undefined {
  if (!node) return undefined;
  if (node.type === 'Identifier' && !computed) return node.name;
  if (node.type === 'StringLiteral') return node.value;
  if (node.type === 'PrivateName') return node.id.name;
  return undefined;
}

/** `a.b.c` → ['a','b','c']; undefined when any link is not a plain name. */
export function memberPath(node: Node): string[] | undefined {
  const parts: string[] = [];
  let current: Node = unwrap(node);
  for (let i = 0; i < MAX_DEPTH; i++) {
    if (current.type === 'Identifier') {
      parts.unshift(current.name);
      return parts;
    }
    if (current.type === 'ThisExpression') {
      parts.unshift('this');
      return parts;
    }
    if (current.type === 'MemberExpression' || current.type === 'OptionalMemberExpression') {
      const name = propertyName(current.property, current.computed);
      if (name === undefined) return undefined;
      parts.unshift(name);
      current = unwrap(current.object);
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** Value of a string-valued constant expression, when it is one without variables. */
export function constantString(node: Node | null | undefined, depth = 0): string | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  const inner = unwrap(node);
  if (inner.type === 'StringLiteral') return inner.value;
  if (inner.type === 'TemplateLiteral' && inner.expressions.length === 0) {
    return inner.quasis.map((quasi) => quasi.value.cooked ?? quasi.value.raw).join('');
  }
  if (inner.type === 'BinaryExpression' && inner.operator === '+' && inner.left.type !== 'PrivateName') {
    const left = constantString(inner.left, depth + 1);
    const right = left === undefined ? undefined : constantString(inner.right, depth + 1);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  return undefined;
}

/** True for literals and expressions built only from literals (no identifiers, calls or members). */
export function isConstant(node: Node | null | undefined, depth = 0): boolean {
  if (!node || depth > MAX_DEPTH) return false;
  const inner = unwrap(node);
  switch (inner.type) {
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
    case 'BigIntLiteral':
    case 'RegExpLiteral':
      return true;
    case 'TemplateLiteral':
      return inner.expressions.every((expression) => isConstant(expression, depth + 1));
    case 'BinaryExpression':
      return (
        inner.left.type !== 'PrivateName' &&
        isConstant(inner.left, depth + 1) &&
        isConstant(inner.right, depth + 1)
      );
    case 'UnaryExpression':
      return isConstant(inner.argument, depth + 1);
    case 'ArrayExpression':
      return inner.elements.every((element) => element !== null && isConstant(element, depth + 1));
    default:
      return false;
  }
}

/** True when an expression (`'a' + x`, `` `a${x}` ``) mixes string text with a non-constant part. */
export function isDynamicString(node: Node, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  const inner = unwrap(node);
  if (inner.type === 'TemplateLiteral') return !isConstant(inner);
  if (inner.type === 'BinaryExpression' && inner.operator === '+')
    return !isConstant(inner) && hasStringText(inner);
  if (inner.type === 'CallExpression') {
    // 'a'.concat(x) and [..].join('') build strings as well.
    const callee = unwrap(inner.callee);
    if (callee.type === 'MemberExpression' && propertyName(callee.property, callee.computed) === 'concat') {
      return !isConstant(inner.arguments[0]) || inner.arguments.some((argument) => !isConstant(argument));
    }
  }
  return false;
}

/** The literal text fragments of a string-building expression, joined with a space. */
export function stringText(node: Node, depth = 0): string {
  if (depth > MAX_DEPTH) return '';
  const inner = unwrap(node);
  if (inner.type === 'StringLiteral') return inner.value;
  if (inner.type === 'TemplateLiteral') return inner.quasis.map((quasi) => quasi.value.raw).join(' ');
  if (inner.type === 'BinaryExpression' && inner.operator === '+' && inner.left.type !== 'PrivateName') {
    return `${stringText(inner.left, depth + 1)} ${stringText(inner.right, depth + 1)}`;
  }
  return '';
}

function hasStringText(node: Node, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  const inner = unwrap(node);
  if (inner.type === 'StringLiteral' || inner.type === 'TemplateLiteral') return true;
  if (inner.type === 'BinaryExpression' && inner.operator === '+' && inner.left.type !== 'PrivateName') {
    return hasStringText(inner.left, depth + 1) || hasStringText(inner.right, depth + 1);
  }
  return false;
}

/** The property named `name` of an object literal, when written literally. */
export function getProperty(object: Node | null | undefined, name: string): ObjectProperty | undefined {
  if (!object) return undefined;
  const inner = unwrap(object);
  if (inner.type !== 'ObjectExpression') return undefined;
  for (const property of (inner as ObjectExpression).properties) {
    if (property.type === 'ObjectProperty' && propertyName(property.key, property.computed) === name) {
      return property;
    }
  }
  return undefined;
}

export function isBooleanLiteral(node: Node | null | undefined, value: boolean): boolean {
  if (!node) return false;
  const inner = unwrap(node);
  return inner.type === 'BooleanLiteral' && inner.value === value;
}

/** `false`, `0`, `'0'`, `'false'`: values libraries read as "off". */
export function isFalsy(node: Node | null | undefined): boolean {
  if (!node) return false;
  const inner = unwrap(node);
  if (inner.type === 'BooleanLiteral') return !inner.value;
  if (inner.type === 'NumericLiteral') return inner.value === 0;
  if (inner.type === 'StringLiteral') return inner.value === '0' || inner.value.toLowerCase() === 'false';
  return false;
}

/** Splits identifiers into lowercase words: `resetTokenValue` → reset, token, value. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** Names that describe where a value goes: the declared variable, assigned member, object key or function. */
export function contextNames(ancestors: readonly Node[]): string[] {
  const names: string[] = [];
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i]!;
    switch (node.type) {
      case 'VariableDeclarator':
        if (node.id.type === 'Identifier') names.push(node.id.name);
        break;
      case 'AssignmentExpression': {
        const path = memberPath(node.left);
        if (path) names.push(path[path.length - 1]!);
        break;
      }
      case 'ObjectProperty': {
        const name = propertyName(node.key, node.computed);
        if (name) names.push(name);
        break;
      }
      case 'ClassProperty': {
        const name = propertyName(node.key, node.computed);
        if (name) names.push(name);
        break;
      }
      case 'FunctionDeclaration':
      case 'FunctionExpression':
        if (node.id) names.push(node.id.name);
        return names;
      case 'ClassMethod':
      case 'ObjectMethod': {
        const name = propertyName(node.key, node.computed);
        if (name) names.push(name);
        return names;
      }
      case 'ArrowFunctionExpression':
        // An arrow's name is its declarator's, which the loop reaches next.
        break;
      default:
        break;
    }
  }
  return names;
}

export type { Expression };

/** True when a name contains one of the words, alone or as two joined words (`apiKey` → apikey). */
export function nameHasWord(name: string, vocabulary: ReadonlySet<string>): boolean {
  const parts = words(name);
  for (let i = 0; i < parts.length; i++) {
    if (vocabulary.has(parts[i]!)) return true;
    if (i + 1 < parts.length && vocabulary.has(parts[i]! + parts[i + 1]!)) return true;
  }
  return false;
}
