import type { Node } from '@babel/types';
import { memberPath, propertyName, unwrap } from '../ast.ts';
import type { SastRule } from '../types.ts';

const REDIRECTS = new Set(['redirect', 'location']);
const LOCATION_TARGETS = new Set([
  'location',
  'location.href',
  'window.location',
  'window.location.href',
  'document.location',
  'document.location.href',
]);
const RESPONSE_OBJECTS = new Set(['res', 'response', 'ctx', 'reply', 'h']);

export const openRedirect: SastRule = {
  id: 'js/open-redirect',
  title: 'Redirect to a URL from the request',
  description:
    "res.redirect()/res.location() (Express, Koa, Fastify), or location assignment in the browser, with a target taken from the request or page address lets an attacker send users to any site under your domain's name.",
  severity: 'medium',
  cwe: 'CWE-601',
  create(context) {
    return {
      AssignmentExpression(node) {
        const path = memberPath(unwrap(node.left))?.join('.');
        if (path && LOCATION_TARGETS.has(path) && context.taint.of(node.right) === 'request') {
          context.report(
            node,
            `${path} set to a URL taken from the page address or request; allow-list the destination`,
          );
        }
      },
      CallExpression(node) {
        const path = memberPath(unwrap(node.callee))?.join('.');
        if (
          (path === 'location.assign' ||
            path === 'location.replace' ||
            path === 'window.location.assign' ||
            path === 'window.location.replace') &&
          node.arguments[0] &&
          context.taint.of(node.arguments[0]) === 'request'
        ) {
          context.report(
            node,
            `${path}() to a URL taken from the page address or request; allow-list the destination`,
          );
          return;
        }
        const callee = unwrap(node.callee);
        if (callee.type !== 'MemberExpression') return;
        const method = propertyName(callee.property, callee.computed);
        const object = memberPath(callee.object);
        if (!method || !REDIRECTS.has(method) || !object || !RESPONSE_OBJECTS.has(object[object.length - 1]!))
          return;
        // Express accepts (status, url) as well as (url).
        const url = node.arguments[node.arguments.length - 1] as Node | undefined;
        if (url && context.taint.of(url) === 'request') {
          context.report(node, `${method}() to a URL taken from the request; allow-list the destination`);
        }
      },
    };
  },
};
