import type { TrustedKey } from '../attest/types.ts';
import type { ChainResult } from '../policy/model.ts';
import { singleflight, VerificationCache } from './cache.ts';
import { containerImages } from './images/pod-specs.ts';
import { type ImageReference, parseImageReference } from './images/reference.ts';
import { matchRequest } from './match.ts';
import { mutateRequest } from './mutate.ts';
import type { AdmissionPolicy, FailureAction, VerifyImagesEntry } from './policy/types.ts';
import type { AdmissionRequest } from './review/parse.ts';
import type { AdmissionDecision } from './review/response.ts';
import { type BreakGlassGrant, findBreakGlass } from './verify/break-glass.ts';
import { type EntryOutcome, evaluateEntry } from './verify/entry.ts';
import {
  type AttestationSource,
  BundleVerdictCache,
  type BundleVerifier,
  collectEvidence,
  type DigestEvidence,
} from './verify/evidence.ts';
import { exceptionGrants } from './verify/exceptions.ts';
import type { KeylessVerifier } from './verify/keyless.ts';

/** The keys the engine trusts, by role. All of them verify bundles; roles decide what a signature means. */
export interface Keyring {
  /** Every key: attestor keys of the policies plus security and break-glass keys. */
  trustedKeys: TrustedKey[];
  keyIdOf(publicKeyPem: string): string;
  securityKeyIds: ReadonlySet<string>;
  breakGlassKeyIds: ReadonlySet<string>;
}

export interface EngineOptions {
  policies: AdmissionPolicy[];
  source: AttestationSource;
  verify: BundleVerifier;
  keyring: Keyring;
  /** Verifies certificate (keyless) bundles against a trusted root; absent, keyless attestors fail. */
  keyless?: KeylessVerifier;
  breakGlassTtlSeconds: number;
  /** Whole-chain check of one digest, when a chain policy is configured. */
  chain?: (digest: string, now: Date) => Promise<ChainResult>;
  /** Overrides every policy's failure action (`--mode`). */
  modeOverride?: FailureAction;
  /** Failure action of the chain check when no override is given. */
  chainAction?: FailureAction;
  resolveTag?: (reference: ImageReference) => Promise<string | undefined>;
  cacheMaxTtlMs?: number;
  cacheMaxEntries?: number;
  /** Verdicts of verified bundles kept (content-addressed, never stale); 0 turns the cache off. */
  bundleCacheEntries?: number;
  now?: () => Date;
}

export interface Violation {
  policy: string;
  rule: string;
  image: string;
  digest?: string;
  action: FailureAction;
  message: string;
}

export interface ResourceRef {
  uid: string;
  kind: string;
  namespace: string;
  name: string;
  apiVersion: string;
}

export interface ValidationOutcome {
  decision: AdmissionDecision;
  resource: ResourceRef;
  violations: Violation[];
  breakGlass: Array<{ image: string; digest: string; grant: BreakGlassGrant }>;
  /** Images checked and found compliant, for pass counts in reports. */
  passed: number;
}

export { UNTRUSTED_ANNOTATION_PREFIX } from './mutate.ts';

export const CHAIN_RULE = { policy: 'gatechain-chain-policy', rule: 'chain' };

function defaultActionOf(options: EngineOptions): FailureAction {
  const anyEnforce = options.policies.some((p) =>
    p.rules.some((r) => r.verifyImages.some((e) => e.failureAction === 'Enforce')),
  );
  return anyEnforce || (options.chain && (options.chainAction ?? 'Enforce') === 'Enforce')
    ? 'Enforce'
    : 'Audit';
}

/**
 * The admission decision core. Validation reads nothing from the request but the object's kind,
 * namespace and container images: annotations that claim a prior verification are ignored.
 */
export class AdmissionEngine {
  readonly options: EngineOptions;
  readonly cache: VerificationCache<EntryOutcome>;
  readonly chainCache: VerificationCache<ChainResult>;
  readonly verdicts: BundleVerdictCache;
  /** Mode for failures that belong to no single rule (internal errors, malformed objects). */
  readonly defaultAction: FailureAction;
  readonly #evidenceInflight = new Map<string, Promise<DigestEvidence>>();
  readonly #now: () => Date;

  constructor(options: EngineOptions) {
    this.options = options;
    this.#now = options.now ?? (() => new Date());
    // The cache runs on the engine's clock, so an entry dies exactly when the exception it used does.
    const cacheOptions = {
      maxTtlMs: options.cacheMaxTtlMs ?? 60_000,
      maxEntries: options.cacheMaxEntries ?? 10_000,
      clock: () => this.#now().getTime(),
    };
    this.cache = new VerificationCache(cacheOptions);
    this.chainCache = new VerificationCache(cacheOptions);
    this.verdicts = new BundleVerdictCache(options.bundleCacheEntries ?? 20_000);
    // Fixed by the options, and read on every request (metrics label, failure answers): derive once.
    this.defaultAction = options.modeOverride ?? defaultActionOf(options);
  }

  #action(action: FailureAction): FailureAction {
    return this.options.modeOverride ?? action;
  }

  /** Fetches and verifies a digest's attestations once, shared by every caller until it settles. */
  #evidence(digest: string, memo: Map<string, Promise<DigestEvidence>>): Promise<DigestEvidence> {
    let promise = memo.get(digest);
    if (!promise) {
      const { source, verify, keyring, keyless } = this.options;
      promise = singleflight(this.#evidenceInflight, digest, () =>
        collectEvidence(source, verify, keyring.trustedKeys, digest, keyless, this.verdicts),
      );
      memo.set(digest, promise);
    }
    return promise;
  }

  async #entryOutcome(
    policy: AdmissionPolicy,
    entry: VerifyImagesEntry,
    digest: string,
    memo: Map<string, Promise<DigestEvidence>>,
  ): Promise<EntryOutcome> {
    const compute = async (): Promise<EntryOutcome> => {
      const evidence = await this.#evidence(digest, memo);
      const now = this.#now();
      return evaluateEntry(entry, evidence, {
        keyIdOf: this.options.keyring.keyIdOf,
        exceptions: exceptionGrants(evidence.verified, this.options.keyring.securityKeyIds),
        now,
        keylessEnabled: this.options.keyless !== undefined,
      });
    };
    if (!entry.useCache) return compute();
    return this.cache.getOrCompute(`${policy.hash}|${entry.id}|${digest}`, compute, (outcome) => ({
      // Only successes are cached (as Kyverno does): a failure is re-checked as soon as evidence lands.
      cache: outcome.passed,
      validUntil: Math.min(...outcome.reliedOn.map((r) => Date.parse(r.expires))),
    }));
  }

  async #chainOutcome(digest: string): Promise<ChainResult> {
    const chain = this.options.chain!;
    return this.chainCache.getOrCompute(
      `chain|${digest}`,
      () => chain(digest, this.#now()),
      (result) => ({
        cache: result.passed,
        ...(result.validUntil ? { validUntil: Date.parse(result.validUntil) } : {}),
      }),
    );
  }

  /** The key that signed one verified attestation of a digest (for the audit trail). */
  async #signerOf(
    digest: string,
    attestationId: string,
    memo: Map<string, Promise<DigestEvidence>>,
  ): Promise<string | undefined> {
    try {
      const evidence = await this.#evidence(digest, memo);
      return evidence.verified.find((e) => e.id === attestationId)?.keyId;
    } catch {
      return undefined;
    }
  }

  /** Every container image digest a request names (in order, once each), in scope or not. */
  imageDigests(request: AdmissionRequest): string[] {
    const { images } = containerImages(request.kind.kind, request.object ?? {});
    const digests = new Set<string>();
    for (const image of images) {
      try {
        const digest = parseImageReference(image.image).digest;
        if (digest) digests.add(digest);
      } catch {
        // An unparseable reference names no content; the engine reports it as a violation.
      }
    }
    return [...digests];
  }

  resourceOf(request: AdmissionRequest): ResourceRef {
    const object = (request.object ?? {}) as Record<string, unknown>;
    const metadata = (object['metadata'] ?? {}) as Record<string, unknown>;
    const name =
      request.name ||
      (typeof metadata['name'] === 'string' ? metadata['name'] : '') ||
      String(metadata['generateName'] ?? '');
    const { group, version, kind } = request.kind;
    return {
      uid: request.uid,
      kind,
      namespace: request.namespace ?? '',
      name,
      apiVersion: group ? `${group}/${version}` : version,
    };
  }

  /** The validating webhook: verify every in-scope image by digest and decide. */
  async validate(request: AdmissionRequest): Promise<ValidationOutcome> {
    const resource = this.resourceOf(request);
    const empty = {
      decision: { allowed: true, warnings: [], patch: [] },
      resource,
      violations: [],
      breakGlass: [],
      passed: 0,
    };
    if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return empty;
    const { images, problems, inScope } = matchRequest(this.options.policies, request);
    const violations: Violation[] = [];
    const chainOnly = this.options.policies.length === 0 && this.options.chain !== undefined;
    if (inScope || chainOnly) {
      for (const problem of problems) {
        violations.push({
          policy: '-',
          rule: '-',
          image: '-',
          action: this.defaultAction,
          message: `malformed object: ${problem}`,
        });
      }
    }
    const memo = new Map<string, Promise<DigestEvidence>>();
    const chainDigests = new Set<string>();
    let passed = 0;
    const work = images.map(async (image) => {
      if (image.entries.length === 0 && !chainOnly) return;
      const digest = image.reference?.digest;
      let imagePassed = true;
      for (const { policy, rule, entry } of image.entries) {
        const base = {
          policy: policy.name,
          rule: rule.name,
          image: image.container.image,
          action: this.#action(entry.failureAction),
        };
        if (image.parseError) {
          violations.push({ ...base, message: image.parseError });
          imagePassed = false;
          continue;
        }
        if (!digest) {
          violations.push({
            ...base,
            message: `image ${image.container.image} is referenced by tag only; tags are mutable, so gatechain admits images by digest (name@sha256:…)`,
          });
          imagePassed = false;
          continue;
        }
        try {
          const outcome = await this.#entryOutcome(policy, entry, digest, memo);
          if (!outcome.passed) {
            violations.push({ ...base, digest, message: outcome.reasons.join('; ') });
            imagePassed = false;
          }
        } catch (error) {
          violations.push({
            ...base,
            digest,
            message: `internal error while verifying: ${(error as Error).message}`,
          });
          imagePassed = false;
        }
      }
      if (this.options.chain) {
        if (digest) chainDigests.add(digest);
        else if (image.entries.length === 0) {
          violations.push({
            ...CHAIN_RULE,
            image: image.container.image,
            action: this.#action(this.options.chainAction ?? 'Enforce'),
            message: `image ${image.container.image} is referenced by tag only; the chain policy needs a digest`,
          });
          imagePassed = false;
        }
      }
      if (imagePassed) passed++;
    });
    await Promise.all(work);
    const warnings: string[] = [];
    const chainBreakGlass: ValidationOutcome['breakGlass'] = [];
    if (this.options.chain) {
      await Promise.all(
        [...chainDigests].map(async (digest) => {
          const image = images.find((i) => i.reference?.digest === digest)!.container.image;
          const action = this.#action(this.options.chainAction ?? 'Enforce');
          try {
            const result = await this.#chainOutcome(digest);
            if (!result.passed) {
              const failed = result.gates.flatMap((g) =>
                g.requirements
                  .filter((r) => !r.passed)
                  .map((r) => `gate ${g.gate} ${r.predicateType}: ${r.reason}`),
              );
              violations.push({
                ...CHAIN_RULE,
                image,
                digest,
                action,
                message: `chain policy ${result.policy.name} failed: ${failed.join('; ') || result.decision}`,
              });
            } else {
              warnings.push(...result.warnings.map((w) => `${image}: ${w}`));
              // The chain policy's own break-glass admitted it: audit and notify as for ours.
              if (result.decision === 'break-glass' && result.breakGlass) {
                const { id, reason, ticket, expires } = result.breakGlass;
                const keyId = await this.#signerOf(digest, id, memo);
                chainBreakGlass.push({
                  image,
                  digest,
                  grant: { id, reason, ...(ticket ? { ticket } : {}), ...(keyId ? { keyId } : {}), expires },
                });
              }
            }
          } catch (error) {
            violations.push({
              ...CHAIN_RULE,
              image,
              digest,
              action,
              message: `internal error in chain verification: ${(error as Error).message}`,
            });
          }
        }),
      );
    }
    const outcome = await this.#decide(resource, violations, warnings, memo, passed);
    outcome.breakGlass.push(...chainBreakGlass);
    return outcome;
  }

  async #decide(
    resource: ResourceRef,
    violations: Violation[],
    warnings: string[],
    memo: Map<string, Promise<DigestEvidence>>,
    passed: number,
  ): Promise<ValidationOutcome> {
    const breakGlass: ValidationOutcome['breakGlass'] = [];
    const denials: string[] = [];
    const enforced = violations.filter((v) => v.action === 'Enforce');
    const byDigest = new Map<string, Violation[]>();
    for (const violation of enforced) {
      if (!violation.digest) {
        denials.push(`${violation.image}: ${violation.policy}/${violation.rule}: ${violation.message}`);
        continue;
      }
      const list = byDigest.get(violation.digest) ?? [];
      list.push(violation);
      byDigest.set(violation.digest, list);
    }
    const now = this.#now();
    for (const [digest, list] of byDigest) {
      let lookup: ReturnType<typeof findBreakGlass> = { state: 'none' };
      if (this.options.keyring.breakGlassKeyIds.size > 0) {
        try {
          const evidence = await this.#evidence(digest, memo);
          lookup = findBreakGlass(
            evidence.verified,
            this.options.keyring.breakGlassKeyIds,
            this.options.breakGlassTtlSeconds,
            now,
          );
        } catch (error) {
          lookup = { state: 'expired', reasons: [`break-glass lookup failed: ${(error as Error).message}`] };
        }
      }
      if (lookup.state === 'valid') {
        const image = list[0]!.image;
        breakGlass.push({ image, digest, grant: lookup.grant });
        warnings.push(
          `BREAK-GLASS ${lookup.grant.ticket ?? lookup.grant.id.slice(0, 12)} admits ${image} until ${lookup.grant.expires}`,
        );
        continue;
      }
      const extra = lookup.state === 'expired' ? ` [${lookup.reasons.join('; ')}]` : '';
      for (const violation of list)
        denials.push(
          `${violation.image}: ${violation.policy}/${violation.rule}: ${violation.message}${extra}`,
        );
    }
    for (const violation of violations.filter((v) => v.action === 'Audit')) {
      warnings.push(
        `[audit] ${violation.policy}/${violation.rule}: ${violation.image}: ${violation.message}`,
      );
    }
    const label = `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.name}`;
    const decision: AdmissionDecision =
      denials.length > 0
        ? {
            allowed: false,
            status: { code: 403, message: `gatechain denied ${label}: ${denials.join(' | ')}` },
            warnings,
            patch: [],
          }
        : { allowed: true, warnings, patch: [] };
    return { decision, resource, violations, breakGlass, passed };
  }

  /**
   * The mutating webhook: pins tag-only images to a digest where a matching entry has
   * mutateDigest, and strips annotations under gatechain.dev/ that a client may have forged.
   * It never admits or denies on verification grounds: the validating webhook does that.
   */
  async mutate(request: AdmissionRequest): Promise<{ decision: AdmissionDecision; resource: ResourceRef }> {
    const resource = this.resourceOf(request);
    const decision = await mutateRequest(this.options.policies, request, this.options.resolveTag);
    return { decision, resource };
  }
}
