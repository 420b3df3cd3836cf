import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { keyIdOf, loadTrustedKey, verifyAttestationBundle } from '../attest/index.ts';
import type { TrustedKey } from '../attest/types.ts';
import type { ChainPolicy } from '../policy/model.ts';
import type { Store } from '../store/index.ts';
import { InputError } from '../util/errors.ts';
import { AdmissionEngine, type Keyring } from './engine.ts';
import { digestSubject, type ImageReference } from './images/reference.ts';
import { checkUniquePolicyNames, loadPolicies } from './policy/load.ts';
import type { AdmissionPolicy, AttestorEntry, FailureAction, PolicyRule } from './policy/types.ts';
import { DEFAULT_BREAK_GLASS_TTL_SECONDS } from './verify/break-glass.ts';
import type { AttestationSource } from './verify/evidence.ts';
import { createKeylessVerifier } from './verify/keyless.ts';

export interface AdmissionSetup {
  store: Store;
  policies: AdmissionPolicy[];
  chainPolicy?: ChainPolicy;
  /** PEM public keys whose vuln-exceptions count. */
  securityKeys?: string[];
  /** PEM public keys whose break-glass attestations count. */
  breakGlassKeys?: string[];
  breakGlassTtlSeconds?: number;
  /** A Sigstore trusted_root.json (parsed), enabling keyless attestors. */
  trustedRoot?: unknown;
  mode?: FailureAction;
  chainAction?: FailureAction;
  resolveTag?: (reference: ImageReference) => Promise<string | undefined>;
  cacheMaxTtlMs?: number;
  /** Verified-bundle verdicts kept across requests; 0 turns that cache off. */
  bundleCacheEntries?: number;
  now?: () => Date;
}

/** `sha256:<hex>` of some bytes. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * The policyDigest of gate-decision records: with one policy file, the sha256 of its bytes (so
 * `sha256sum policy.yaml` checks it); with several, the sha256 of their digests, one
 * `sha256:<hex>` line each in command-line order (Kyverno files, then the chain policy).
 */
export function policySetDigest(fileDigests: readonly string[]): string | undefined {
  if (fileDigests.length === 0) return undefined;
  if (fileDigests.length === 1) return fileDigests[0];
  return sha256Digest(Buffer.from(fileDigests.map((d) => `${d}\n`).join(''), 'utf8'));
}

/**
 * Reads and loads every policy file (errors name the file and line), also giving the sha256 of
 * each file's bytes as read (one read per file).
 */
export async function readPolicyFiles(
  paths: string[],
): Promise<{ policies: AdmissionPolicy[]; fileDigests: string[] }> {
  const policies: AdmissionPolicy[] = [];
  const fileDigests: string[] = [];
  for (const path of paths) {
    const bytes = await readFile(path);
    fileDigests.push(sha256Digest(bytes));
    policies.push(...loadPolicies(bytes.toString('utf8'), path));
  }
  checkUniquePolicyNames(policies);
  return { policies, fileDigests };
}

/** Every attestor of the policies (entry-level and attestation-level), in policy order. */
function* policyAttestors(
  policies: AdmissionPolicy[],
): Generator<{ policy: AdmissionPolicy; rule: PolicyRule; attestor: AttestorEntry }> {
  for (const policy of policies)
    for (const rule of policy.rules)
      for (const entry of rule.verifyImages)
        for (const set of [...entry.attestors, ...entry.attestations.flatMap((a) => a.attestors)])
          for (const attestor of set.entries) yield { policy, rule, attestor };
}

/** Builds the keyring: every attestor key of the policies plus the security and break-glass keys. */
export function buildKeyring(
  policies: AdmissionPolicy[],
  securityKeys: string[],
  breakGlassKeys: string[],
): Keyring {
  const byId = new Map<string, TrustedKey>();
  const idByPem = new Map<string, string>();
  const add = (pem: string, name: string): string => {
    const known = idByPem.get(pem);
    if (known) return known;
    const key = loadTrustedKey(pem, name);
    idByPem.set(pem, key.keyId);
    if (!byId.has(key.keyId)) byId.set(key.keyId, key);
    return key.keyId;
  };
  for (const { policy, rule, attestor } of policyAttestors(policies))
    if (attestor.type === 'key') add(attestor.publicKeyPem, `${policy.name}/${rule.name}`);
  const securityKeyIds = new Set(securityKeys.map((pem) => add(pem, 'security')));
  const breakGlassKeyIds = new Set(breakGlassKeys.map((pem) => add(pem, 'break-glass')));
  const trustedKeys = [...byId.values()];
  return {
    trustedKeys,
    keyIdOf: (pem) => idByPem.get(pem) ?? keyIdOf(pem),
    securityKeyIds,
    breakGlassKeyIds,
  };
}

/**
 * A keyless attestor's `rekor.url` must name a log of the trusted root: the logs trusted are the
 * root's, so a URL naming another log would otherwise be silently meaningless.
 */
export function checkRekorUrls(policies: AdmissionPolicy[], logUrls: string[]): void {
  for (const { policy, rule, attestor } of policyAttestors(policies)) {
    if (attestor.type !== 'keyless' || attestor.rekorUrl === undefined) continue;
    if (!logUrls.includes(attestor.rekorUrl.replace(/\/+$/, ''))) {
      throw new InputError(
        'ADMISSION_POLICY_INVALID',
        `policy ${policy.name}, rule ${rule.name}: keyless rekor.url ${attestor.rekorUrl} is not a transparency log of the trusted root (${logUrls.join(', ') || 'it lists none'})`,
        policy.source,
      );
    }
  }
}

/** The store as an attestation source for one digest. */
export function storeSource(store: Store): AttestationSource {
  return async (subjectDigest) =>
    (await store.findAttestations({ subjectDigest, limit: 500 })).map((row) => ({
      id: row.id,
      bundleJson: row.bundleJson,
      createdAt: row.createdAt,
    }));
}

/** Wires the engine to the store, the attestation core and (when configured) the chain verifier. */
export async function createAdmissionEngine(setup: AdmissionSetup): Promise<AdmissionEngine> {
  const keyring = buildKeyring(setup.policies, setup.securityKeys ?? [], setup.breakGlassKeys ?? []);
  const keyless = setup.trustedRoot !== undefined ? createKeylessVerifier(setup.trustedRoot) : undefined;
  if (keyless) checkRekorUrls(setup.policies, keyless.logUrls);
  let chain: ((digest: string, now: Date) => Promise<import('../policy/model.ts').ChainResult>) | undefined;
  if (setup.chainPolicy) {
    const { verifyChain } = await import('../verify/index.ts');
    const policy = setup.chainPolicy;
    chain = (digest, now) => verifyChain({ store: setup.store, policy, subject: digestSubject(digest), now });
  }
  return new AdmissionEngine({
    policies: setup.policies,
    source: storeSource(setup.store),
    verify: verifyAttestationBundle,
    keyring,
    ...(keyless ? { keyless } : {}),
    breakGlassTtlSeconds: setup.breakGlassTtlSeconds ?? DEFAULT_BREAK_GLASS_TTL_SECONDS,
    ...(chain ? { chain } : {}),
    ...(setup.mode ? { modeOverride: setup.mode } : {}),
    ...(setup.chainAction ? { chainAction: setup.chainAction } : {}),
    ...(setup.resolveTag ? { resolveTag: setup.resolveTag } : {}),
    ...(setup.cacheMaxTtlMs !== undefined ? { cacheMaxTtlMs: setup.cacheMaxTtlMs } : {}),
    ...(setup.bundleCacheEntries !== undefined ? { bundleCacheEntries: setup.bundleCacheEntries } : {}),
    ...(setup.now ? { now: setup.now } : {}),
  });
}
