/**
 * The compiled form of the Kyverno ClusterPolicy `verifyImages` subset gatechain enforces.
 * Everything here has been validated at load: defaults are filled in, regexps compiled, keys parsed.
 */
export type FailureAction = 'Audit' | 'Enforce';

export const CONDITION_OPERATORS = [
  'Equals',
  'NotEquals',
  'AnyIn',
  'AllIn',
  'AnyNotIn',
  'AllNotIn',
  'GreaterThan',
  'GreaterThanOrEquals',
  'LessThan',
  'LessThanOrEquals',
  'DurationGreaterThan',
  'DurationGreaterThanOrEquals',
  'DurationLessThan',
  'DurationLessThanOrEquals',
] as const;

export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export interface Condition {
  key: unknown;
  operator: ConditionOperator;
  value: unknown;
  message?: string;
}

/** One `{all, any}` block: every `all` holds, and at least one `any` holds when `any` is non-empty. */
export interface ConditionBlock {
  all: Condition[];
  any: Condition[];
}

export interface ResourceFilter {
  /** Kind names (the last segment of `group/version/Kind`); `*` matches every kind. */
  kinds: string[];
  /** Namespace globs; empty means every namespace. */
  namespaces: string[];
}

export interface ResourceMatch {
  any: ResourceFilter[];
  all: ResourceFilter[];
}

export interface KeyAttestor {
  type: 'key';
  /** One SPKI PEM; the engine resolves it to the attestation core's key ID. */
  publicKeyPem: string;
}

export interface KeylessAttestor {
  type: 'keyless';
  subject?: string;
  subjectRegExp?: string;
  issuer?: string;
  issuerRegExp?: string;
  /** `rekor.url`: must name a transparency log of the configured trusted root. */
  rekorUrl?: string;
}

export type AttestorEntry = KeyAttestor | KeylessAttestor;

export interface AttestorSet {
  /** How many entries must verify; defaults to all of them. */
  count: number;
  entries: AttestorEntry[];
}

export interface AttestationCheck {
  predicateType: string;
  name?: string;
  /** Attestors of the statements; when empty the entry's attestors apply. */
  attestors: AttestorSet[];
  conditions: ConditionBlock[];
}

export interface VerifyImagesEntry {
  /** Stable identity for caching and reports: `<policy>/<rule>/<index>`. */
  id: string;
  imageReferences: string[];
  skipImageReferences: string[];
  failureAction: FailureAction;
  attestors: AttestorSet[];
  attestations: AttestationCheck[];
  required: boolean;
  verifyDigest: boolean;
  mutateDigest: boolean;
  useCache: boolean;
}

export interface PolicyRule {
  name: string;
  match: ResourceMatch;
  exclude?: ResourceMatch;
  /** Whether the rule also applies to pod templates of controllers (Kyverno autogen). */
  autogenControllers: string[];
  verifyImages: VerifyImagesEntry[];
}

export interface AdmissionPolicy {
  name: string;
  /** File and line the policy came from, for messages. */
  source: { file?: string; line?: number };
  validationFailureAction: FailureAction;
  rules: PolicyRule[];
  /** sha256 of the policy's canonical JSON: part of every cache key. */
  hash: string;
}
