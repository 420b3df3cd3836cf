import type { Component } from '../../model/component.ts';
import { type CompiledLists, canonicalEntry, compileLists, evaluateExpression } from './evaluate.ts';
import { compilePackageMatcher, isExpired } from './exceptions.ts';
import { classifyLicense, parseLicenseEntry } from './expression.ts';
import type { LicenseException, LicensePolicy, LicenseResult, LicenseVerdict } from './types.ts';

const SPECIAL_REASON = {
  missing: 'no license declared',
  unlicensed: 'declared UNLICENSED (no rights granted)',
  'see-license-in': 'license is in a file (SEE LICENSE IN …), not an SPDX expression',
  custom: 'custom or proprietary license',
  'non-spdx': 'not a valid SPDX expression',
} as const;

function canonical(entry: string): string {
  const parsed = parseLicenseEntry(entry);
  return parsed && !entry.endsWith('*') ? canonicalEntry(parsed) : entry;
}

/**
 * Evaluates every component's declared license against the policy at time `now`. Pure: the
 * same inputs give the same results. An exception that matches but has expired does not apply
 * and is listed in `expiredExceptions`.
 */
export function checkLicenses(
  components: readonly Component[],
  policy: LicensePolicy,
  now: Date,
): LicenseResult[] {
  const lists: CompiledLists = compileLists(policy, canonical);
  const exceptions = policy.exceptions.map((exception) => ({
    exception,
    matches: compilePackageMatcher(exception.package),
  }));
  return components.map((component) => {
    const classified = classifyLicense(component.license);
    let verdict: LicenseVerdict;
    let reason: string;
    let deciding: string[] = [];
    if (classified.category === 'spdx') {
      const evaluation = evaluateExpression(classified.expression, lists, policy.unknown);
      verdict = evaluation.verdict;
      deciding = evaluation.deciding;
      reason =
        evaluation.unknown.length > 0 && verdict === policy.unknown
          ? `not on any list: ${evaluation.unknown.join(', ')}`
          : `${verdict === 'allow' ? 'allowed' : verdict === 'deny' ? 'denied' : 'needs review'}: ${deciding.join(', ')}`;
    } else {
      verdict = policy.special[classified.category];
      reason = SPECIAL_REASON[classified.category];
    }
    const result: LicenseResult = {
      component: {
        ref: component.ref,
        name: component.name,
        version: component.version,
        purl: component.purl,
      },
      license: component.license,
      category: classified.category,
      verdict,
      policyVerdict: verdict,
      reason,
      decidingLicenses: deciding,
    };
    const expired: LicenseException[] = [];
    for (const { exception, matches } of exceptions) {
      if (!matches?.(component)) continue;
      if (exception.license !== undefined && exception.license.trim() !== (component.license ?? '').trim())
        continue;
      if (isExpired(exception, now)) {
        expired.push(exception);
        continue;
      }
      if (!result.exception) {
        result.exception = exception;
        result.verdict = exception.verdict;
        result.reason = `exception until ${exception.expires}: ${exception.justification} (policy said ${verdict}: ${reason})`;
      }
    }
    if (expired.length > 0) result.expiredExceptions = expired;
    return result;
  });
}
