import { isMap, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../../model/severity.ts';
import { lineOfNode } from '../../scanners/yaml-locate.ts';
import { InputError } from '../../util/errors.ts';

/** A severity threshold, or `any` (every finding) / `none` (no finding) by severity. */
export type Threshold = Severity | 'any' | 'none';

export interface FindingKindPolicy {
  /** Findings at or above this severity block. */
  block: Threshold;
  /** Findings at or above this severity (and not blocking) warn. */
  warn: Threshold;
  /** Rules that block whatever their severity. */
  blockRules: string[];
  /** Rules that never block or warn (still counted). */
  ignoreRules: string[];
}

export interface CodeGatePolicy {
  /** audit: decide and attest, but a block does not fail the command (roll-out mode). */
  mode: 'enforce' | 'audit';
  secrets: FindingKindPolicy;
  sast: FindingKindPolicy;
  license: { block: ('deny' | 'review')[]; warn: ('deny' | 'review')[] };
}

/** Any un-suppressed secret blocks; SAST high and above blocks, medium warns; license deny blocks, review warns. */
export const DEFAULT_CODE_GATE_POLICY: CodeGatePolicy = {
  mode: 'enforce',
  secrets: { block: 'any', warn: 'none', blockRules: [], ignoreRules: [] },
  sast: { block: 'high', warn: 'medium', blockRules: [], ignoreRules: [] },
  license: { block: ['deny'], warn: ['review'] },
};

const threshold = z.enum(['any', 'none', ...SEVERITIES]);
const kindSchema = (defaults: FindingKindPolicy) =>
  z
    .strictObject({
      block: threshold.default(defaults.block),
      warn: threshold.default(defaults.warn),
      blockRules: z.array(z.string().min(1)).default([]),
      ignoreRules: z.array(z.string().min(1)).default([]),
    })
    .default(defaults);
const verdicts = z.array(z.enum(['deny', 'review']));

const schema = z.strictObject({
  mode: z.enum(['enforce', 'audit']).default('enforce'),
  secrets: kindSchema(DEFAULT_CODE_GATE_POLICY.secrets),
  sast: kindSchema(DEFAULT_CODE_GATE_POLICY.sast),
  license: z
    .strictObject({ block: verdicts.default(['deny']), warn: verdicts.default(['review']) })
    .default(DEFAULT_CODE_GATE_POLICY.license),
});

export const MAX_GATE_POLICY_BYTES = 256 * 1024;

/** Reads a code-gate policy YAML; errors name the file and line. Missing keys take the defaults. */
export function parseCodeGatePolicy(text: string, file: string): CodeGatePolicy {
  if (text.length > MAX_GATE_POLICY_BYTES) {
    throw new InputError(
      'GATE_POLICY_TOO_LARGE',
      `gate policy is larger than ${MAX_GATE_POLICY_BYTES} bytes`,
      { file },
    );
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    throw new InputError('GATE_POLICY_SYNTAX', `not valid YAML: ${syntax.message.split('\n')[0]}`, {
      file,
      line: counter.linePos(syntax.pos[0]).line,
    });
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new InputError('GATE_POLICY_INVALID', 'gate policy must be a mapping', { file, line: 1 });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new InputError('GATE_POLICY_SYNTAX', `cannot read YAML: ${(error as Error).message}`, { file });
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [
    ...(issue?.path ?? []),
    ...(issue?.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : []),
  ];
  throw new InputError(
    'GATE_POLICY_INVALID',
    `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    { file, line: lineOfNode(doc, counter, path) },
  );
}
