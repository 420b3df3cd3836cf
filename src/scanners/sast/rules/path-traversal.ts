import type { Node } from '@babel/types';
import { getProperty, propertyName, unwrap } from '../ast.ts';
import { isCallTo, resolveCall } from '../calls.ts';
import type { SastRule } from '../types.ts';

const FS_PATH_FUNCTIONS = [
  'readFile',
  'readFileSync',
  'writeFile',
  'writeFileSync',
  'appendFile',
  'appendFileSync',
  'createReadStream',
  'createWriteStream',
  'open',
  'openSync',
  'unlink',
  'unlinkSync',
  'rm',
  'rmSync',
  'rmdir',
  'rmdirSync',
  'readdir',
  'readdirSync',
  'mkdir',
  'mkdirSync',
  'rename',
  'renameSync',
  'copyFile',
  'copyFileSync',
  'stat',
  'statSync',
  'access',
  'accessSync',
  'existsSync',
  'readJson',
  'outputFile',
];
const SEND_FILE = new Set(['sendFile', 'download']);

export const pathTraversal: SastRule = {
  id: 'js/path-traversal',
  title: 'File path from request input',
  description:
    'An fs call (or res.sendFile/download without a root) opens a path built from request input; "../" in it reaches files outside the intended directory.',
  severity: 'high',
  cwe: 'CWE-22',
  create(context) {
    return {
      CallExpression(node) {
        const path = node.arguments[0];
        if (!path) return;
        const target = resolveCall(context.imports, node.callee);
        if (isCallTo(target, 'fs', FS_PATH_FUNCTIONS, ['fs', 'fsp', 'fse', 'promises'])) {
          if (context.taint.of(path) === 'request')
            context.report(node, `fs ${target?.name}() opens a path derived from the request`);
          return;
        }
        const callee = unwrap(node.callee);
        if (callee.type !== 'MemberExpression') return;
        const method = propertyName(callee.property, callee.computed);
        if (!method || !SEND_FILE.has(method)) return;
        const options = node.arguments
          .slice(1)
          .find((argument) => unwrap(argument).type === 'ObjectExpression');
        if (getProperty(options as Node | undefined, 'root')) return;
        if (context.taint.of(path) !== 'request') return;
        context.report(node, `res.${method}() sends a path derived from the request without a root option`);
      },
    };
  },
};
