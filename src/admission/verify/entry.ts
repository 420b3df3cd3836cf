import { RE2JS } from 're2js';
import type { Evidence } from '../../policy/model.ts';
import type { ExceptionGrant } from '../../policy/vulnerabilities.ts';
import { evaluateConditions } from '../conditions/evaluate.ts';
import type { AttestorEntry, AttestorSet, VerifyImagesEntry } from '../policy/types.ts';
import type { DigestEvidence } from './evidence.ts';
import { applyExceptions, type ReliedOn } from './exceptions.ts';
import type { KeylessIdentity } from './keyless.ts';

export interface EntryOutcome {
  passed: boolean;
  reasons: string[];
  reliedOn: ReliedOn[];
}

export interface EntryContext {
  /** The attestation core's key ID of an attestor's PEM. */
  keyIdOf(publicKeyPem: string): string;
  exceptions: ExceptionGrant[];
  now: Date;
  /** Whether keyless evidence can exist at all (a trusted root is configured). */
  keylessEnabled: boolean;
}

function describeAttestor(entry: AttestorEntry, ctx: EntryContext): string {
  if (entry.type === 'key') return `key ${ctx.keyIdOf(entry.publicKeyPem).slice(0, 16)}`;
  return `keyless ${entry.subject ?? entry.subjectRegExp} from ${entry.issuer ?? entry.issuerRegExp}`;
}

const KEYLESS_UNSUPPORTED =
  'keyless attestors need a Sigstore trusted root: start the server with --trusted-root (see docs/admission.md)';

const compiledPatterns = new Map<string, RE2JS>();
/** RE2 semantics (linear time): certificate fields are attacker-influenced input. */
function re2(pattern: string): RE2JS {
  let compiled = compiledPatterns.get(pattern);
  if (!compiled) {
    compiled = RE2JS.compile(pattern);
    compiledPatterns.set(pattern, compiled);
  }
  return compiled;
}

function identityMatches(entry: AttestorEntry & { type: 'keyless' }, identity: KeylessIdentity): boolean {
  const subjectOk =
    (entry.subject === undefined || entry.subject === identity.subject) &&
    (entry.subjectRegExp === undefined || re2(entry.subjectRegExp).matcher(identity.subject).find());
  const issuerOk =
    (entry.issuer === undefined || entry.issuer === identity.issuer) &&
    (entry.issuerRegExp === undefined || re2(entry.issuerRegExp).matcher(identity.issuer).find());
  return subjectOk && issuerOk;
}

/** Whether one attestor entry signed one piece of evidence. */
function signedBy(
  entry: AttestorEntry,
  evidence: Evidence,
  digestEvidence: DigestEvidence,
  ctx: EntryContext,
): boolean {
  if (entry.type === 'key') return evidence.keyId === ctx.keyIdOf(entry.publicKeyPem);
  const identity = digestEvidence.identities.get(evidence.id);
  return identity !== undefined && identityMatches(entry, identity);
}

/**
 * Checks attestor sets against a list of verified statements: in each set at least `count`
 * entries must have signed one of them. Returns the reasons for failure (empty when it holds).
 */
function checkAttestors(
  sets: AttestorSet[],
  statements: Evidence[],
  evidence: DigestEvidence,
  ctx: EntryContext,
  what: string,
): string[] {
  const reasons: string[] = [];
  for (const set of sets) {
    let satisfied = 0;
    const missing: string[] = [];
    let keylessUnavailable = false;
    for (const entry of set.entries) {
      if (statements.some((statement) => signedBy(entry, statement, evidence, ctx))) {
        satisfied++;
      } else {
        if (entry.type === 'keyless' && !ctx.keylessEnabled) keylessUnavailable = true;
        missing.push(describeAttestor(entry, ctx));
      }
    }
    if (satisfied < set.count) {
      reasons.push(
        `${what}: ${satisfied} of the required ${set.count} attestor(s) verified; no valid signature from ${missing.join(', ')}${keylessUnavailable ? ` (${KEYLESS_UNSUPPORTED})` : ''}`,
      );
    }
  }
  return reasons;
}

function signedByAny(
  sets: AttestorSet[],
  statement: Evidence,
  evidence: DigestEvidence,
  ctx: EntryContext,
): boolean {
  return sets.some((set) => set.entries.some((entry) => signedBy(entry, statement, evidence, ctx)));
}

/**
 * Evaluates one verifyImages entry for one digest over verified evidence. Pure: the caller has
 * already fetched and verified the bundles; nothing here reads the network or the clock.
 */
export function evaluateEntry(
  entry: VerifyImagesEntry,
  evidence: DigestEvidence,
  ctx: EntryContext,
): EntryOutcome {
  const reasons: string[] = [];
  const reliedOn = new Map<string, ReliedOn>();
  if (entry.attestors.length > 0) {
    reasons.push(...checkAttestors(entry.attestors, evidence.verified, evidence, ctx, 'image signature'));
  }
  for (const check of entry.attestations) {
    const sets = check.attestors.length > 0 ? check.attestors : entry.attestors;
    const statements = evidence.verified.filter(
      (e) => e.statement.predicateType === check.predicateType && signedByAny(sets, e, evidence, ctx),
    );
    if (statements.length === 0) {
      const untrusted = evidence.rejected.filter((r) => r.predicateType === check.predicateType);
      const note =
        untrusted.length > 0
          ? `; ${untrusted.length} stored attestation(s) of that type failed verification (${untrusted[0]!.code})`
          : '';
      reasons.push(`no attestation of type ${check.predicateType} signed by the required attestors${note}`);
      continue;
    }
    reasons.push(...checkAttestors(sets, statements, evidence, ctx, `attestation ${check.predicateType}`));
    if (check.conditions.length === 0) continue;
    // Kyverno semantics: every statement of the type must satisfy the conditions.
    for (const statement of statements) {
      const view = applyExceptions(
        check.predicateType,
        statement.statement.predicate,
        ctx.exceptions,
        ctx.now,
      );
      const result = evaluateConditions(check.conditions, view.predicate);
      if (!result.passed) {
        const expired =
          view.expiredFor.length > 0 ? ` (exception expired for ${view.expiredFor.join(', ')})` : '';
        reasons.push(
          `attestation ${check.predicateType} ${statement.id.slice(0, 12)}: ${result.reasons.join('; ')}${expired}`,
        );
      } else {
        for (const item of view.reliedOn) reliedOn.set(item.id, item);
      }
    }
  }
  return {
    passed: reasons.length === 0,
    reasons,
    reliedOn: reasons.length === 0 ? [...reliedOn.values()] : [],
  };
}
