import type { Finding, Suppression } from '../../model/finding.ts';
import type { Severity } from '../../model/severity.ts';
import { levelFromSeverity, securityScoreFromSeverity } from './levels.ts';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifRuleInfo {
  id: string;
  description: string;
  /** A one-line title for `shortDescription`; the description is used when absent. */
  title?: string;
  /** `properties.tags`, e.g. "security" and "external/cwe/cwe-79" as GitHub code scanning reads them. */
  tags?: string[];
  severity: Severity;
  helpUri?: string;
}

export interface SarifToolInfo {
  name: string;
  version: string;
  informationUri?: string;
  rules?: SarifRuleInfo[];
}

/** The fingerprint key gatechain writes into `partialFingerprints` (versioned, per SARIF §3.27.17). */
export const FINGERPRINT_KEY = 'gatechainFingerprint/v1';

function ruleDescriptor(rule: SarifRuleInfo): Record<string, unknown> {
  const score = securityScoreFromSeverity(rule.severity);
  const properties: Record<string, unknown> = { severity: rule.severity };
  if (rule.tags && rule.tags.length > 0) properties['tags'] = rule.tags;
  // GitHub code scanning reads the score as a string holding a number (e.g. "8.0").
  if (score !== undefined) properties['security-severity'] = score.toFixed(1);
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.title ?? rule.description },
    fullDescription: { text: rule.description },
    defaultConfiguration: { level: levelFromSeverity(rule.severity) },
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    properties,
  };
}

function suppressionObject(suppression: Suppression): Record<string, unknown> {
  return {
    kind: suppression.kind === 'inline' ? 'inSource' : 'external',
    status: 'accepted',
    ...(suppression.justification ? { justification: suppression.justification } : {}),
    properties: {
      gatechainKind: suppression.kind,
      ...(suppression.ticket ? { ticket: suppression.ticket } : {}),
      ...(suppression.expires ? { expires: suppression.expires } : {}),
    },
  };
}

function location(finding: Finding): Record<string, unknown>[] {
  const loc = finding.location;
  if (!loc?.file) return [];
  const region: Record<string, number> = {};
  if (loc.line !== undefined && loc.line >= 1) {
    region['startLine'] = loc.line;
    if (loc.column !== undefined && loc.column >= 1) region['startColumn'] = loc.column;
    if (loc.endLine !== undefined && loc.endLine >= loc.line) region['endLine'] = loc.endLine;
    if (loc.endColumn !== undefined && loc.endColumn >= 1) region['endColumn'] = loc.endColumn;
  }
  return [
    {
      physicalLocation: {
        artifactLocation: { uri: toUri(loc.file) },
        ...(Object.keys(region).length > 0 ? { region } : {}),
      },
    },
  ];
}

/** Relative paths become relative URI references with forward slashes; absolute ones become file URIs. */
function toUri(file: string): string {
  const slashed = file.replaceAll('\\', '/');
  const encoded = slashed.split('/').map(encodeURIComponent).join('/');
  return slashed.startsWith('/') ? `file://${encoded}` : encoded;
}

/**
 * Findings → one SARIF 2.1.0 log with one run. Rules not described in `tool.rules` get a
 * descriptor derived from their first finding, so every result's `ruleIndex` resolves.
 */
export function toSarif(findings: Finding[], tool: SarifToolInfo): object {
  const rules: SarifRuleInfo[] = [...(tool.rules ?? [])];
  const index = new Map<string, number>();
  rules.forEach((rule, i) => {
    if (!index.has(rule.id)) index.set(rule.id, i);
  });
  for (const finding of findings) {
    if (index.has(finding.ruleId)) continue;
    index.set(finding.ruleId, rules.length);
    rules.push({ id: finding.ruleId, description: finding.message, severity: finding.severity });
  }
  const results = findings.map((finding) => {
    const score = securityScoreFromSeverity(finding.severity);
    const result: Record<string, unknown> = {
      ruleId: finding.ruleId,
      ruleIndex: index.get(finding.ruleId),
      kind: 'fail',
      level: levelFromSeverity(finding.severity),
      message: { text: finding.message },
      locations: location(finding),
      partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
      properties: {
        severity: finding.severity,
        findingKind: finding.kind,
        ...(score !== undefined ? { 'security-severity': score.toFixed(1) } : {}),
      },
    };
    // An empty array would claim "suppressions were looked for and none apply"; omit when unknown.
    if (finding.suppressions && finding.suppressions.length > 0) {
      result['suppressions'] = finding.suppressions.map(suppressionObject);
    }
    return result;
  });
  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            ...(/^\d+\.\d+\.\d+/.test(tool.version) ? { semanticVersion: tool.version } : {}),
            ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
            rules: rules.map(ruleDescriptor),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
