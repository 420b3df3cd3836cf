import { compile, type JSONValue, TreeInterpreter } from '@jmespath-community/jmespath';
import { InputError } from '../../util/errors.ts';
import './functions.ts';

type ExpressionNode = ReturnType<typeof compile>;

/** A condition operand: a literal, one `{{ expr }}` (keeps the JSON type), or text with `{{ }}` inside. */
export type Template =
  | { kind: 'literal'; value: string }
  | { kind: 'expression'; source: string; node: ExpressionNode }
  | { kind: 'interpolated'; parts: Array<string | { source: string; node: ExpressionNode }> };

const MAX_TEMPLATE_LENGTH = 4096;
const compiled = new Map<string, Template>();

/** Parses a string operand; a JMESPath syntax error is an InputError (policy load reports its line). */
export function parseTemplate(text: string): Template {
  const cached = compiled.get(text);
  if (cached) return cached;
  if (text.length > MAX_TEMPLATE_LENGTH) {
    throw new InputError('ADMISSION_TEMPLATE_INVALID', `template is over ${MAX_TEMPLATE_LENGTH} characters`);
  }
  const parts: Array<string | { source: string; node: ExpressionNode }> = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('\\{{', i)) {
      literal += '{{';
      i += 3;
      continue;
    }
    if (text.startsWith('{{', i)) {
      const end = text.indexOf('}}', i + 2);
      if (end < 0) throw new InputError('ADMISSION_TEMPLATE_INVALID', `unclosed {{ in "${text}"`);
      const source = text.slice(i + 2, end).trim();
      if (source.includes('{{')) {
        throw new InputError('ADMISSION_TEMPLATE_INVALID', `nested {{ }} is not supported in "${text}"`);
      }
      if (source.length === 0) throw new InputError('ADMISSION_TEMPLATE_INVALID', `empty {{ }} in "${text}"`);
      let node: ExpressionNode;
      try {
        node = compile(source);
      } catch (cause) {
        throw new InputError(
          'ADMISSION_TEMPLATE_INVALID',
          `not a valid JMESPath expression "${source}": ${(cause as Error).message}`,
        );
      }
      if (literal) parts.push(literal);
      literal = '';
      parts.push({ source, node });
      i = end + 2;
      continue;
    }
    literal += text[i];
    i++;
  }
  if (literal) parts.push(literal);
  let template: Template;
  const only = parts[0];
  if (parts.length === 0) template = { kind: 'literal', value: '' };
  else if (parts.length === 1 && typeof only === 'string') template = { kind: 'literal', value: only };
  else if (parts.length === 1 && only && typeof only !== 'string') template = { kind: 'expression', ...only };
  else template = { kind: 'interpolated', parts };
  if (compiled.size > 10_000) compiled.clear();
  compiled.set(text, template);
  return template;
}

/** A template whose expression found nothing: a condition on a missing field fails, never passes. */
export class UnresolvedVariableError extends Error {
  readonly source: string;
  constructor(source: string) {
    super(`{{ ${source} }} resolved to nothing (the field is missing)`);
    this.source = source;
  }
}

/** Substitutes variables in any operand (strings, and strings inside arrays and objects). */
export function resolveOperand(operand: unknown, data: unknown): unknown {
  if (typeof operand === 'string') return resolveString(operand, data);
  if (Array.isArray(operand)) return operand.map((item) => resolveOperand(item, data));
  if (operand !== null && typeof operand === 'object') {
    return Object.fromEntries(Object.entries(operand).map(([k, v]) => [k, resolveOperand(v, data)]));
  }
  return operand;
}

function evaluate(source: string, node: ExpressionNode, data: unknown): unknown {
  const result = TreeInterpreter.search(node, data as JSONValue);
  if (result === null || result === undefined) throw new UnresolvedVariableError(source);
  return result;
}

function resolveString(text: string, data: unknown): unknown {
  const template = parseTemplate(text);
  if (template.kind === 'literal') return template.value;
  if (template.kind === 'expression') return evaluate(template.source, template.node, data);
  return template.parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const value = evaluate(part.source, part.node, data);
      return typeof value === 'string' ? value : JSON.stringify(value);
    })
    .join('');
}
