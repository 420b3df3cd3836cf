import type { CallExpression, File, Node } from '@babel/types';
import { propertyName, unwrap } from './ast.ts';

/** Local name → the module and export it is bound to ('*' for the module object itself). */
export type ImportMap = ReadonlyMap<string, { module: string; imported: string }>;

/** `node:fs` → fs, `fs/promises` → fs: rules match on the module family. */
export function normaliseModule(specifier: string): string {
  const bare = specifier.replace(/^node:/, '');
  if (bare === 'fs/promises' || bare === 'fs-extra' || bare === 'graceful-fs') return 'fs';
  if (bare === 'child_process') return 'child_process';
  return bare;
}

export function requiredModule(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  const inner = unwrap(node);
  if (inner.type !== 'CallExpression') return undefined;
  const call = inner as CallExpression;
  if (call.callee.type !== 'Identifier' || call.callee.name !== 'require') return undefined;
  const argument = call.arguments[0];
  return argument?.type === 'StringLiteral' ? normaliseModule(argument.value) : undefined;
}

/** Collects ES imports and CommonJS `require` bindings anywhere in the file. */
export function collectImports(ast: File, declarators: readonly Node[]): ImportMap {
  const map = new Map<string, { module: string; imported: string }>();
  for (const statement of ast.program.body) {
    if (statement.type !== 'ImportDeclaration') continue;
    const module = normaliseModule(statement.source.value);
    for (const specifier of statement.specifiers) {
      if (specifier.type === 'ImportNamespaceSpecifier' || specifier.type === 'ImportDefaultSpecifier') {
        map.set(specifier.local.name, { module, imported: '*' });
      } else {
        const imported = propertyName(specifier.imported) ?? specifier.local.name;
        map.set(specifier.local.name, { module, imported: imported === 'default' ? '*' : imported });
      }
    }
  }
  for (const node of declarators) {
    if (node.type !== 'VariableDeclarator' || !node.init) continue;
    let init = unwrap(node.init);
    if (init.type === 'AwaitExpression') init = unwrap(init.argument);
    let module = requiredModule(init);
    let member: string | undefined;
    if (!module && init.type === 'MemberExpression') {
      module = requiredModule(init.object);
      member = propertyName(init.property, init.computed);
      if (module && member === undefined) module = undefined;
    }
    if (!module) continue;
    if (node.id.type === 'Identifier') {
      map.set(node.id.name, { module, imported: member ?? '*' });
    } else if (node.id.type === 'ObjectPattern' && member === undefined) {
      for (const property of node.id.properties) {
        if (property.type !== 'ObjectProperty') continue;
        const imported = propertyName(property.key, property.computed);
        const local = property.value.type === 'Identifier' ? property.value.name : undefined;
        if (imported && local) map.set(local, { module, imported });
      }
    }
  }
  return map;
}
