export { ratingFromScore } from '../../../model/severity.ts';
export { cvss2BaseScore, ratingFromV2Score } from './cvss2.ts';
export { type Cvss3Result, cvss3BaseScore, roundUp30, roundUp31 } from './cvss3.ts';
export { cvss4Score } from './cvss4.ts';
export { ownSeverity, type ResolvedSeverity, resolveSeverity, UNKNOWN_SEVERITY } from './resolve.ts';
