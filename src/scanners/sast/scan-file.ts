import type { Node } from '@babel/types';
import type { Finding } from '../../model/finding.ts';
import type { Severity } from '../../model/severity.ts';
import { GatechainError } from '../../util/errors.ts';
import { stableFingerprint } from '../sarif/fingerprint.ts';
import { collectImports } from './imports.ts';
import { parseSource } from './parse.ts';
import { InlineSuppressions } from './suppress.ts';
import { buildTaint } from './taint.ts';
import type { RuleContext, SastRule } from './types.ts';
import { flatten, replay } from './walk.ts';

export const SAST_TOOL_NAME = 'gatechain-sast';
export const SAST_ENGINE_VERSION = '1.0.0';
export const PARSE_ERROR_RULE_ID = 'js/parse-error';

/** At most this many parse problems are reported per file; the rest only count. */
const MAX_PARSE_FINDINGS = 5;

type Callback = (node: Node, ancestors: readonly Node[]) => void;

/**
 * Scans one file's text with the given rules. Never throws for bad input: syntax errors become
 * `js/parse-error` findings (severity info) with the file and line, and the rules still run on
 * whatever error recovery could parse. A rule that fails throws SAST_RULE_FAILED (a bug, typed).
 */
export function scanSource(text: string, file: string, rules: readonly SastRule[]): Finding[] {
  const lines = text.split(/\r\n|\r|\n/);
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  const tool = { name: SAST_TOOL_NAME, version: SAST_ENGINE_VERSION };
  const { ast, problems } = parseSource(text, file);

  const push = (
    ruleId: string,
    severity: Severity,
    message: string,
    location: { line: number; column: number; endLine?: number; endColumn?: number },
    properties: Record<string, unknown>,
    suppressions: Finding['suppressions'],
  ) => {
    // Fingerprint on the line's text, not its number, so edits elsewhere keep it stable;
    // the occurrence count tells identical lines apart.
    const lineText = (lines[location.line - 1] ?? '').trim();
    const key = `${ruleId}\n${lineText}`;
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    findings.push({
      kind: 'sast',
      ruleId,
      severity,
      message,
      fingerprint: stableFingerprint([SAST_TOOL_NAME, ruleId, file, lineText, String(occurrence)]),
      location: { file, ...location },
      tool,
      ...(suppressions && suppressions.length > 0 ? { suppressions } : {}),
      properties,
    });
  };

  for (const problem of problems.slice(0, MAX_PARSE_FINDINGS)) {
    push(
      PARSE_ERROR_RULE_ID,
      'info',
      `could not parse: ${problem.message}`,
      { line: problem.line, column: problem.column },
      {
        parseError: true,
        ...(problems.length > MAX_PARSE_FINDINGS ? { totalParseErrors: problems.length } : {}),
      },
      undefined,
    );
  }
  if (!ast) return findings;

  const functions: Node[] = [];
  const declarators: Node[] = [];
  const assignments: Node[] = [];
  const flat = flatten(ast);
  for (const node of flat.nodes) {
    if (node.type === 'VariableDeclarator') declarators.push(node);
    else if (node.type === 'AssignmentExpression') assignments.push(node);
    else if ('params' in node && Array.isArray(node.params)) functions.push(node);
  }
  const imports = collectImports(ast, declarators);
  const taint = buildTaint({ functions, declarators, assignments });
  const suppressions = new InlineSuppressions(ast.comments ?? []);

  const dispatch = new Map<string, { rule: SastRule; callback: Callback }[]>();
  for (const rule of rules) {
    const context: RuleContext = {
      file,
      imports,
      taint,
      report(node, message, severity) {
        const start = node.loc?.start;
        const end = node.loc?.end;
        const line = start?.line ?? 1;
        push(
          rule.id,
          severity ?? rule.severity,
          message,
          {
            line,
            column: (start?.column ?? 0) + 1,
            ...(end ? { endLine: end.line, endColumn: end.column + 1 } : {}),
          },
          { cwe: rule.cwe, title: rule.title },
          suppressions.for(rule.id, line),
        );
      },
    };
    for (const [type, callback] of Object.entries(rule.create(context))) {
      const list = dispatch.get(type) ?? [];
      list.push({ rule, callback: callback as Callback });
      dispatch.set(type, list);
    }
  }
  replay(flat, (node, ancestors) => {
    const list = dispatch.get(node.type);
    if (!list) return;
    for (const { rule, callback } of list) {
      try {
        callback(node, ancestors);
      } catch (error) {
        throw new GatechainError(
          'SAST_RULE_FAILED',
          `rule ${rule.id} failed: ${error instanceof Error ? error.message : String(error)}`,
          { file, line: node.loc?.start.line },
          { cause: error },
        );
      }
    }
  });
  return findings;
}
