import { z } from 'zod';
import { SEVERITIES } from '../model/severity.ts';

/**
 * The chain policy file (YAML). One file says, per gate, which predicate types must be present
 * for the artifact, who may sign them, and what their predicates must say.
 */
const signerName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'signer names are lowercase words (a-z, 0-9, _ . -)');

const publicKeySigner = z
  .object({
    publicKey: z.string().min(1).optional(),
    publicKeyPem: z.string().min(1).optional(),
  })
  .strict()
  .refine((value) => (value.publicKey === undefined) !== (value.publicKeyPem === undefined), {
    message: 'give exactly one of publicKey (a file path) or publicKeyPem',
  });

// Keyless identities (a CI workflow's OIDC identity): the shape is reserved so policies can be
// written now; verification of Fulcio certificates against a local trusted root comes later.
const keylessSigner = z
  .object({ keyless: z.object({ subject: z.string().min(1), issuer: z.string().min(1) }).strict() })
  .strict();

export const signerSchema = z.union([publicKeySigner, keylessSigner]);

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const CONDITION_OPERATORS = [
  'equals',
  'notEquals',
  'in',
  'notIn',
  'lessThan',
  'lessThanOrEquals',
  'greaterThan',
  'greaterThanOrEquals',
  'exists',
] as const;

export const conditionSchema = z
  .object({
    /** A JMESPath expression evaluated on the predicate. */
    path: z.string().min(1),
    equals: scalar.optional(),
    notEquals: scalar.optional(),
    in: z.array(scalar).optional(),
    notIn: z.array(scalar).optional(),
    lessThan: z.number().optional(),
    lessThanOrEquals: z.number().optional(),
    greaterThan: z.number().optional(),
    greaterThanOrEquals: z.number().optional(),
    exists: z.boolean().optional(),
    message: z.string().optional(),
  })
  .strict()
  .refine((value) => CONDITION_OPERATORS.filter((op) => value[op] !== undefined).length === 1, {
    message: `a condition needs exactly one operator of: ${CONDITION_OPERATORS.join(', ')}`,
  });

export const vulnerabilityRuleSchema = z
  .object({
    /** Findings at these severities fail the requirement unless a valid exception covers them. */
    block: z.array(z.enum(SEVERITIES)).min(1).default(['critical']),
    /** When true, only findings with a known fix block (the gate-2 default of the design). */
    onlyWithFix: z.boolean().default(false),
    /** Signers whose vuln-exception attestations are honoured until their expiry. */
    exceptionSigners: z.array(signerName).default([]),
  })
  .strict();

export const requirementSchema = z
  .object({
    /** A predicate type URI or alias (code-scan, sbom, vuln-scan, provenance, …). */
    predicateType: z.string().min(1),
    /** Names from `signers`; any one of them is enough. */
    signers: z.array(signerName).min(1),
    conditions: z.array(conditionSchema).default([]),
    vulnerabilities: vulnerabilityRuleSchema.optional(),
    /** Signers whose scan-skip attestation (before its deadline) stands in for a missing one. */
    skipSigners: z.array(signerName).default([]),
  })
  .strict();

export const gateSchema = z
  .object({
    gate: z.number().int().min(1).max(5),
    name: z.string().min(1),
    /** Which subject the gate's claims are about: the source the artifact was built from, or the artifact. */
    about: z.enum(['source', 'artifact']).optional(),
    require: z.array(requirementSchema).min(1),
  })
  .strict();

export const chainPolicySchema = z
  .object({
    apiVersion: z.literal('gatechain.dev/v1'),
    kind: z.literal('ChainPolicy'),
    metadata: z.object({ name: z.string().min(1) }).strict(),
    signers: z.record(signerName, signerSchema),
    gates: z.array(gateSchema).min(1),
    breakGlass: z
      .object({
        signers: z.array(signerName).min(1),
        /** Maximum lifetime honoured, whatever the attestation itself claims. */
        maxTtlSeconds: z.number().int().positive().default(7200),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ChainPolicyDocument = z.infer<typeof chainPolicySchema>;
export type GateDocument = z.infer<typeof gateSchema>;
export type RequirementDocument = z.infer<typeof requirementSchema>;
export type ConditionDocument = z.infer<typeof conditionSchema>;
export type VulnerabilityRule = z.infer<typeof vulnerabilityRuleSchema>;
export type SignerDocument = z.infer<typeof signerSchema>;
