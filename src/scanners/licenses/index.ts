export { checkLicenses } from './check.ts';
export { compilePackageMatcher, isExpired } from './exceptions.ts';
export { classifyLicense } from './expression.ts';
export { LICENSE_TOOL, licenseFindings } from './findings.ts';
export { loadComponents } from './inventory.ts';
export { DEFAULT_LICENSE_POLICY, parseLicensePolicy } from './policy.ts';
export { LICENSE_FORMATS, type LicenseFormat, renderLicenses } from './report.ts';
export type {
  LicenseCategory,
  LicenseException,
  LicensePolicy,
  LicenseResult,
  LicenseVerdict,
} from './types.ts';
