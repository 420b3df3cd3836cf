/**
 * Predicate type URIs gatechain reads and writes. gatechain's own predicates live under one
 * versioned namespace; a breaking change to one of them gets a new version segment.
 */
export const GATECHAIN_PREDICATE_NAMESPACE = 'https://gatechain.dev/attestation';

export const PredicateType = {
  slsaProvenance: 'https://slsa.dev/provenance/v1',
  cyclonedx: 'https://cyclonedx.org/bom',
  spdx23: 'https://spdx.dev/Document/v2.3',
  vulns: 'https://in-toto.io/attestation/vulns/v0.2',
  cosignVuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  testResult: 'https://in-toto.io/attestation/test-result/v0.1',
  vsa: 'https://slsa.dev/verification_summary/v1',
  codeScan: `${GATECHAIN_PREDICATE_NAMESPACE}/code-scan/v1`,
  vulnException: `${GATECHAIN_PREDICATE_NAMESPACE}/vuln-exception/v1`,
  scanSkip: `${GATECHAIN_PREDICATE_NAMESPACE}/scan-skip/v1`,
  breakGlass: `${GATECHAIN_PREDICATE_NAMESPACE}/break-glass/v1`,
} as const;

export type KnownPredicateType = (typeof PredicateType)[keyof typeof PredicateType];

/** Short names accepted on the command line and in policies (`--type vuln-scan`). */
export const PREDICATE_ALIASES: Readonly<Record<string, string>> = {
  provenance: PredicateType.slsaProvenance,
  'slsa-provenance': PredicateType.slsaProvenance,
  sbom: PredicateType.cyclonedx,
  cyclonedx: PredicateType.cyclonedx,
  spdx: PredicateType.spdx23,
  'vuln-scan': PredicateType.vulns,
  vulns: PredicateType.vulns,
  'cosign-vuln': PredicateType.cosignVuln,
  'test-result': PredicateType.testResult,
  vsa: PredicateType.vsa,
  'code-scan': PredicateType.codeScan,
  'vuln-exception': PredicateType.vulnException,
  'scan-skip': PredicateType.scanSkip,
  'break-glass': PredicateType.breakGlass,
};

/** Resolves an alias to its URI; a URI passes through unchanged. */
export function resolvePredicateType(nameOrUri: string): string {
  return PREDICATE_ALIASES[nameOrUri] ?? nameOrUri;
}
