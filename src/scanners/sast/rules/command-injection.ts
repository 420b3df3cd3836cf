import type { Node } from '@babel/types';
import { getProperty, isBooleanLiteral, isConstant, unwrap } from '../ast.ts';
import { isCallTo, resolveCall } from '../calls.ts';
import type { SastRule } from '../types.ts';

const SHELL_ALWAYS = ['exec', 'execSync'];
const SHELL_OPTIONAL = ['spawn', 'spawnSync', 'execFile', 'execFileSync'];
const CONVENTIONAL = ['cp', 'childProcess', 'child_process', 'child'];

function enablesShell(options: Node | undefined): boolean {
  const shell = getProperty(options, 'shell');
  if (!shell) return false;
  const value = unwrap(shell.value);
  // shell: true, or a shell path string; shell: false is the safe default.
  return isBooleanLiteral(value, true) || value.type === 'StringLiteral' || value.type === 'TemplateLiteral';
}

function dynamicParts(args: readonly Node[]): Node[] {
  const out: Node[] = [];
  for (const argument of args) {
    const inner = unwrap(argument);
    if (inner.type === 'ObjectExpression') continue;
    if (inner.type === 'ArrayExpression') {
      for (const element of inner.elements) if (element && !isConstant(element)) out.push(element);
    } else if (!isConstant(inner)) {
      out.push(inner);
    }
  }
  return out;
}

export const commandInjection: SastRule = {
  id: 'js/command-injection',
  title: 'Shell command built from input',
  description:
    'child_process exec/execSync, or spawn/execFile with shell enabled, run a command line containing a non-constant value; shell metacharacters in it run other commands.',
  severity: 'high',
  cwe: 'CWE-78',
  create(context) {
    // `const run = promisify(exec)` / `util.promisify(cp.exec)`: calls to `run` are calls to exec.
    const aliases = new Map<string, string>();
    return {
      VariableDeclarator(node) {
        if (node.id.type !== 'Identifier' || !node.init) return;
        const init = unwrap(node.init);
        if (init.type !== 'CallExpression' || resolveCall(context.imports, init.callee)?.name !== 'promisify')
          return;
        const wrapped = init.arguments[0];
        if (!wrapped) return;
        const target = resolveCall(context.imports, wrapped);
        if (isCallTo(target, 'child_process', [...SHELL_ALWAYS, ...SHELL_OPTIONAL], CONVENTIONAL)) {
          aliases.set(node.id.name, target!.name);
        }
      },
      CallExpression(node) {
        const callee = unwrap(node.callee);
        const alias = callee.type === 'Identifier' ? aliases.get(callee.name) : undefined;
        const target = alias
          ? { module: 'child_process', name: alias }
          : resolveCall(context.imports, node.callee);
        const args = node.arguments as Node[];
        let dynamic: Node[] = [];
        if (isCallTo(target, 'child_process', SHELL_ALWAYS, CONVENTIONAL)) {
          dynamic = args[0] ? dynamicParts([args[0]]) : [];
        } else if (isCallTo(target, 'child_process', SHELL_OPTIONAL, CONVENTIONAL)) {
          const options = args.find((argument) => unwrap(argument).type === 'ObjectExpression');
          if (!enablesShell(options)) return;
          dynamic = dynamicParts(args.slice(0, 2));
        } else {
          return;
        }
        if (dynamic.length === 0) return;
        const request = dynamic.some((part) => context.taint.of(part) === 'request');
        context.report(
          node,
          `${target?.name}() runs a shell command containing a non-constant value${request ? ' from the request' : ''}`,
          request ? 'critical' : undefined,
        );
      },
    };
  },
};
