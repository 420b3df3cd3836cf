import type { Node } from '@babel/types';
import { getProperty, isConstant, memberPath, propertyName, unwrap } from '../ast.ts';
import type { SastRule } from '../types.ts';

const HTML_PROPERTIES = new Set(['innerHTML', 'outerHTML']);
const SANITIZERS = new Set(['sanitize', 'escapeHtml', 'escape', 'encode', 'purify']);

/** Constant, or passed through a sanitiser (DOMPurify.sanitize, escapeHtml, ...). */
function isSafeHtml(node: Node): boolean {
  if (isConstant(node)) return true;
  const inner = unwrap(node);
  if (inner.type !== 'CallExpression') return false;
  const path = memberPath(inner.callee);
  return path !== undefined && SANITIZERS.has(path[path.length - 1]!);
}

const JQUERY_HTML = new Set(['html', 'append', 'prepend', 'after', 'before', 'replaceWith']);

/** `$(…).html(x)` / `jQuery(…).append(x)`: jQuery parses string arguments as HTML. */
function isJqueryHtml(calleeNode: Node): boolean {
  const callee = unwrap(calleeNode);
  if (callee.type !== 'MemberExpression') return false;
  const method = propertyName(callee.property, callee.computed);
  if (!method || !JQUERY_HTML.has(method)) return false;
  const object = unwrap(callee.object);
  return (
    object.type === 'CallExpression' &&
    object.callee.type === 'Identifier' &&
    ['$', 'jQuery'].includes(object.callee.name)
  );
}

export const xssSink: SastRule = {
  id: 'js/xss-sink',
  title: 'HTML sink with a non-constant value',
  description:
    'innerHTML/outerHTML, insertAdjacentHTML, document.write, jQuery .html() or React dangerouslySetInnerHTML receive a non-constant, unsanitised value; markup in it runs as script.',
  severity: 'high',
  cwe: 'CWE-79',
  create(context) {
    return {
      AssignmentExpression(node) {
        const left = unwrap(node.left);
        if (left.type !== 'MemberExpression') return;
        const name = propertyName(left.property, left.computed);
        if (name && HTML_PROPERTIES.has(name) && !isSafeHtml(node.right)) {
          context.report(node, `${name} assigned a non-constant, unsanitised value`);
        }
      },
      CallExpression(node) {
        const path = memberPath(unwrap(node.callee)) ?? [];
        const joined = path.join('.');
        if (joined === 'document.write' || joined === 'document.writeln') {
          const value = node.arguments[0];
          if (value && !isSafeHtml(value)) context.report(node, `${joined}() of a non-constant value`);
        } else if (isJqueryHtml(node.callee)) {
          const value = node.arguments[0];
          if (value && !isSafeHtml(value)) context.report(node, 'jQuery .html() with a non-constant value');
        } else if (path[path.length - 1] === 'insertAdjacentHTML') {
          const value = node.arguments[1];
          if (value && !isSafeHtml(value))
            context.report(node, 'insertAdjacentHTML() with a non-constant value');
        }
      },
      JSXAttribute(node) {
        if (node.name.type !== 'JSXIdentifier' || node.name.name !== 'dangerouslySetInnerHTML') return;
        if (node.value?.type !== 'JSXExpressionContainer') return;
        const html = getProperty(node.value.expression as Node, '__html');
        if (html && !isSafeHtml(html.value)) {
          context.report(node, 'dangerouslySetInnerHTML with a non-constant, unsanitised __html');
        }
      },
    };
  },
};
