/** allow: may ship; review: a person must look; deny: may not ship. */
export type LicenseVerdict = 'allow' | 'review' | 'deny';

/** How a component's license string was read before any policy applied. */
export type LicenseCategory = 'spdx' | 'missing' | 'unlicensed' | 'see-license-in' | 'custom' | 'non-spdx';

export interface LicenseException {
  /** `pkg:npm/name@version` (version optional) or `name@semver-range` / `name`. */
  package: string;
  verdict: LicenseVerdict;
  /** When set, the exception applies only while the component declares exactly this license. */
  license?: string;
  /** ISO date (valid through the end of that day, UTC) or date-time. */
  expires: string;
  justification: string;
  ticket?: string;
  /** Line in the policy file, for reports. */
  line?: number;
}

export interface LicensePolicy {
  allow: string[];
  deny: string[];
  review: string[];
  /** Verdict for a valid SPDX id that is on no list. */
  unknown: LicenseVerdict;
  /** Verdicts for license strings that are not SPDX expressions. */
  special: Record<Exclude<LicenseCategory, 'spdx'>, LicenseVerdict>;
  exceptions: LicenseException[];
}

export interface LicenseResult {
  component: { ref: string; name: string; version: string; purl: string };
  /** The license string as the component declares it (undefined when none). */
  license: string | undefined;
  category: LicenseCategory;
  verdict: LicenseVerdict;
  /** The verdict from the lists alone, before any exception. */
  policyVerdict: LicenseVerdict;
  reason: string;
  /** License ids (with WITH exceptions) that decided the verdict. */
  decidingLicenses: string[];
  exception?: LicenseException;
  /** Exceptions that matched this component but have expired: they no longer apply. */
  expiredExceptions?: LicenseException[];
}
