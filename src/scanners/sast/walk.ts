import type { Node } from '@babel/types';

const SKIP_KEYS = new Set([
  'type',
  'loc',
  'start',
  'end',
  'range',
  'extra',
  'leadingComments',
  'trailingComments',
  'innerComments',
  'comments',
  'tokens',
  'errors',
  'typeAnnotation',
  'returnType',
  'typeParameters',
  'superTypeParameters',
]);

function isNode(value: unknown): value is Node {
  return (
    value !== null && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string'
  );
}

/** Child nodes in source order, skipping type annotations (no security sink lives in a type). */
export function children(node: Node): Node[] {
  const out: Node[] = [];
  pushChildren(node, out);
  return out;
}

/** Node types that never have child nodes gatechain looks at: most nodes are these, so skip the key scan. */
const LEAVES = new Set([
  'StringLiteral',
  'NumericLiteral',
  'BooleanLiteral',
  'NullLiteral',
  'BigIntLiteral',
  'RegExpLiteral',
  'TemplateElement',
  'ThisExpression',
  'Super',
  'Import',
  'EmptyStatement',
  'DebuggerStatement',
  'JSXText',
  'JSXIdentifier',
  'DirectiveLiteral',
]);

function pushChildren(node: Node, out: Node[]): void {
  if (LEAVES.has(node.type)) return;
  // Identifiers only have children when decorated (TS parameter decorators).
  if (node.type === 'Identifier' && node.decorators === undefined) return;
  const record = node as unknown as Record<string, unknown>;
  for (const key in record) {
    if (SKIP_KEYS.has(key)) continue;
    const value = record[key];
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) {
      out.push(value);
    }
  }
}

/** Pre-order node list with each node's depth: one traversal shared by several passes. */
export interface Flattened {
  nodes: Node[];
  depths: number[];
}

/**
 * Depth-first, pre-order flattening with an explicit stack (deeply nested input cannot overflow
 * the call stack).
 */
export function flatten(root: Node): Flattened {
  const nodes: Node[] = [];
  const depths: number[] = [];
  const stack: Node[] = [root];
  const stackDepths: number[] = [0];
  const scratch: Node[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const depth = stackDepths.pop()!;
    nodes.push(node);
    depths.push(depth);
    scratch.length = 0;
    pushChildren(node, scratch);
    for (let i = scratch.length - 1; i >= 0; i--) {
      stack.push(scratch[i]!);
      stackDepths.push(depth + 1);
    }
  }
  return { nodes, depths };
}

/** Replays a flattened traversal, rebuilding the ancestor stack (root first) from the depths. */
export function replay(flat: Flattened, enter: (node: Node, ancestors: readonly Node[]) => void): void {
  const ancestors: Node[] = [];
  for (let i = 0; i < flat.nodes.length; i++) {
    ancestors.length = flat.depths[i]!;
    const node = flat.nodes[i]!;
    enter(node, ancestors);
    ancestors.push(node);
  }
}

/** Pre-order walk: `enter` receives each node and its ancestors, root first. */
export function walk(root: Node, enter: (node: Node, ancestors: readonly Node[]) => void): void {
  replay(flatten(root), enter);
}
