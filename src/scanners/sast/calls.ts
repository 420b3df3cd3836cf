import type { Node } from '@babel/types';
import { memberPath, propertyName, unwrap } from './ast.ts';
import { type ImportMap, requiredModule } from './imports.ts';

/** What a callee refers to: the function `name`, from `module` when the import is known. */
export interface CallTarget {
  name: string;
  module?: string;
  /** The identifier the function was read from (`crypto` in crypto.createHash), when not imported. */
  object?: string;
}

/**
 * Resolves `exec`, `cp.exec`, `require('child_process').exec`, `fs.promises.readFile` and
 * similar to {module, name} through the file's imports.
 */
export function resolveCall(imports: ImportMap, calleeNode: Node): CallTarget | undefined {
  const callee = unwrap(calleeNode);
  if (callee.type === 'Identifier') {
    const binding = imports.get(callee.name);
    if (!binding) return { name: callee.name };
    return { module: binding.module, name: binding.imported === '*' ? '*' : binding.imported };
  }
  if (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') return undefined;
  const name = propertyName(callee.property, callee.computed);
  if (name === undefined) return undefined;
  const object = unwrap(callee.object);
  const required = requiredModule(object);
  if (required) return { module: required, name };
  const path = memberPath(object);
  if (!path) return { name };
  const binding = imports.get(path[0]!);
  if (binding) {
    // fs.promises.readFile, crypto.webcrypto…: the module family decides, the last name is the function.
    return { module: binding.module, name };
  }
  return { name, object: path[path.length - 1]! };
}

/** True when the target is `name` from `module`, or `object.name` with a conventional object name. */
export function isCallTo(
  target: CallTarget | undefined,
  module: string,
  names: readonly string[],
  conventionalObjects: readonly string[] = [],
): boolean {
  if (!target || !names.includes(target.name)) return false;
  if (target.module !== undefined) return target.module === module;
  return target.object !== undefined && conventionalObjects.includes(target.object);
}
