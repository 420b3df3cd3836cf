export { type ScannerInfo, sbomStatement, type VulnScanPredicate, vulnScanStatement } from './statements.ts';
