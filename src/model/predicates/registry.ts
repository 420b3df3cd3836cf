import { PredicateType } from '../predicate-types.ts';

/** One row per predicate type gatechain knows: its URI, the short alias, and its JSON Schema file. */
export interface PredicateDefinition {
  uri: string;
  /** Short name used in policies and on the command line; also the schema file's base name. */
  alias: string;
  description: string;
  /** File name under schemas/. */
  schemaFile: string;
  /** True for gatechain's own predicates, whose schema is normative; false for the loose standard shapes. */
  own: boolean;
}

export const PREDICATE_DEFINITIONS: readonly PredicateDefinition[] = [
  {
    uri: PredicateType.slsaProvenance,
    alias: 'slsa-provenance',
    description: 'SLSA build provenance v1: how, from what and by whom an artifact was built (gate 3).',
    schemaFile: 'slsa-provenance.schema.json',
    own: false,
  },
  {
    uri: PredicateType.cyclonedx,
    alias: 'cyclonedx',
    description: 'CycloneDX software bill of materials (gate 2).',
    schemaFile: 'cyclonedx.schema.json',
    own: false,
  },
  {
    uri: PredicateType.spdx23,
    alias: 'spdx',
    description: 'SPDX 2.3 software bill of materials.',
    schemaFile: 'spdx.schema.json',
    own: false,
  },
  {
    uri: PredicateType.vulns,
    alias: 'vulns',
    description: 'in-toto vulnerability scan result v0.2 (gate 2, "vuln-scan").',
    schemaFile: 'vulns.schema.json',
    own: false,
  },
  {
    uri: PredicateType.cosignVuln,
    alias: 'cosign-vuln',
    description: "cosign's vulnerability attestation v1 (read for interoperability).",
    schemaFile: 'cosign-vuln.schema.json',
    own: false,
  },
  {
    uri: PredicateType.testResult,
    alias: 'test-result',
    description: 'in-toto test result v0.1: PASSED/WARNED/FAILED with test names.',
    schemaFile: 'test-result.schema.json',
    own: false,
  },
  {
    uri: PredicateType.vsa,
    alias: 'vsa',
    description: 'SLSA verification summary v1: a signed verification decision (gate 4 admission).',
    schemaFile: 'vsa.schema.json',
    own: false,
  },
  {
    uri: PredicateType.codeScan,
    alias: 'code-scan',
    description: 'gatechain code-scan v1: tools, rule set, finding counts and decision of gate 1.',
    schemaFile: 'code-scan.schema.json',
    own: true,
  },
  {
    uri: PredicateType.vulnException,
    alias: 'vuln-exception',
    description: 'gatechain vuln-exception v1: ticket, vulnerability IDs, expiry, reason, optional scope.',
    schemaFile: 'vuln-exception.schema.json',
    own: true,
  },
  {
    uri: PredicateType.scanSkip,
    alias: 'scan-skip',
    description: 'gatechain scan-skip v1: scanner outage fail-open with reason, deadline and page.',
    schemaFile: 'scan-skip.schema.json',
    own: true,
  },
  {
    uri: PredicateType.breakGlass,
    alias: 'break-glass',
    description:
      'gatechain break-glass v1: emergency override with reason, ticket, TTL (default 2 h) and incident.',
    schemaFile: 'break-glass.schema.json',
    own: true,
  },
];

export function predicateDefinition(uri: string): PredicateDefinition | undefined {
  return PREDICATE_DEFINITIONS.find((definition) => definition.uri === uri);
}
