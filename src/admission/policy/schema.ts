import { z } from 'zod';
import { CONDITION_OPERATORS } from './types.ts';

/**
 * The accepted subset of Kyverno's ClusterPolicy, as strict zod schemas: an unknown field is an
 * error naming that field, never silently ignored. Semantics live in compile.ts.
 */
const failureAction = z.enum(['Audit', 'Enforce', 'audit', 'enforce']);
const nonEmpty = z.string().min(1);

const resourceDescription = z.strictObject({
  kinds: z.array(nonEmpty).min(1).optional(),
  namespaces: z.array(nonEmpty).min(1).optional(),
});

const resourceFilter = z.strictObject({ resources: resourceDescription });

const resourceMatch = z.strictObject({
  any: z.array(resourceFilter).min(1).optional(),
  all: z.array(resourceFilter).min(1).optional(),
  resources: resourceDescription.optional(),
});

const rekor = z.strictObject({
  url: nonEmpty.optional(),
  pubkey: nonEmpty.optional(),
  ignoreTlog: z.boolean().optional(),
});

const ctlog = z.strictObject({
  ignoreSCT: z.boolean().optional(),
  pubkey: nonEmpty.optional(),
});

const keys = z.strictObject({
  publicKeys: nonEmpty,
  signatureAlgorithm: z.enum(['sha256']).optional(),
  rekor: rekor.optional(),
  ctlog: ctlog.optional(),
});

const keyless = z.strictObject({
  subject: nonEmpty.optional(),
  subjectRegExp: nonEmpty.optional(),
  issuer: nonEmpty.optional(),
  issuerRegExp: nonEmpty.optional(),
  rekor: rekor.optional(),
  ctlog: ctlog.optional(),
});

const attestorEntry = z.strictObject({ keys: keys.optional(), keyless: keyless.optional() });

const attestorSet = z.strictObject({
  count: z.number().int().min(1).optional(),
  entries: z.array(attestorEntry).min(1),
});

const condition = z.strictObject({
  key: z.unknown(),
  operator: z.enum(CONDITION_OPERATORS),
  value: z.unknown().optional(),
  message: z.string().optional(),
});

const conditionBlock = z.strictObject({
  all: z.array(condition).optional(),
  any: z.array(condition).optional(),
});

const attestation = z.strictObject({
  name: nonEmpty.optional(),
  type: nonEmpty.optional(),
  predicateType: nonEmpty.optional(),
  attestors: z.array(attestorSet).optional(),
  conditions: z.array(conditionBlock).optional(),
});

const verifyImagesEntry = z.strictObject({
  type: z.enum(['Cosign']).optional(),
  imageReferences: z.array(nonEmpty).min(1),
  skipImageReferences: z.array(nonEmpty).optional(),
  failureAction: failureAction.optional(),
  attestors: z.array(attestorSet).optional(),
  attestations: z.array(attestation).optional(),
  // gatechain verifies every in-scope image in the validating webhook and admits digests only,
  // so turning these off would have no effect: refused rather than ignored.
  required: z
    .literal(true, {
      error:
        'gatechain verifies every matching image on validation; required: false has no effect, remove it',
    })
    .optional(),
  verifyDigest: z
    .literal(true, {
      error: 'gatechain admits images by digest only; verifyDigest: false has no effect, remove it',
    })
    .optional(),
  mutateDigest: z.boolean().optional(),
  useCache: z.boolean().optional(),
});

const rule = z.strictObject({
  name: nonEmpty,
  match: resourceMatch,
  exclude: resourceMatch.optional(),
  verifyImages: z.array(verifyImagesEntry).min(1),
});

export const clusterPolicySchema = z.strictObject({
  apiVersion: z.literal('kyverno.io/v1'),
  kind: z.literal('ClusterPolicy'),
  metadata: z.strictObject({
    name: nonEmpty,
    annotations: z.record(z.string(), z.string()).optional(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.strictObject({
    validationFailureAction: failureAction.optional(),
    background: z
      .literal(false, { error: 'gatechain runs no background scans; set background: false or remove it' })
      .optional(),
    rules: z.array(rule).min(1),
  }),
});

export type ClusterPolicyInput = z.infer<typeof clusterPolicySchema>;
export type RuleInput = z.infer<typeof rule>;
export type VerifyImagesInput = z.infer<typeof verifyImagesEntry>;
export type AttestorSetInput = z.infer<typeof attestorSet>;
export type ResourceMatchInput = z.infer<typeof resourceMatch>;
export type ConditionBlockInput = z.infer<typeof conditionBlock>;
