import type { Finding, FindingLocation, Suppression } from '../../model/finding.ts';
import type { Severity } from '../../model/severity.ts';
import { InputError, parseJson } from '../../util/errors.ts';
import { lineOfTextPath } from '../yaml-locate.ts';
import { stableFingerprint } from './fingerprint.ts';
import { severityFromLevel, severityFromSecurityScore } from './levels.ts';
import {
  type SarifReportingDescriptor,
  type SarifResult,
  type SarifRun,
  type SarifToolComponent,
  sarifLogSchema,
} from './schema.ts';
import { FINGERPRINT_KEY } from './write.ts';

/** SARIF files larger than this are refused rather than parsed. */
export const MAX_SARIF_BYTES = 256 * 1024 * 1024;

/**
 * Reads a SARIF 2.1.0 log (Semgrep, CodeQL, ESLint or any conforming producer) into findings.
 * Results of kind `pass`/`notApplicable` are dropped. Malformed input → InputError with the
 * file and, when it can be located, the line.
 */
export function importSarif(text: string, file: string): Finding[] {
  if (text.length > MAX_SARIF_BYTES) {
    throw new InputError('SARIF_TOO_LARGE', `SARIF file is larger than ${MAX_SARIF_BYTES} bytes`, { file });
  }
  const parsed = sarifLogSchema.safeParse(parseJson(text, file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    throw new InputError(
      'SARIF_INVALID',
      `not a valid SARIF 2.1.0 log: ${path.length > 0 ? path.join('.') : '(root)'}: ${issue?.message ?? 'invalid'}`,
      { file, line: lineOfTextPath(text, path) },
    );
  }
  const log = parsed.data;
  if (log.version !== '2.1.0') {
    throw new InputError(
      'SARIF_VERSION_UNSUPPORTED',
      `SARIF version ${JSON.stringify(log.version)} is not supported; expected 2.1.0`,
      { file, line: lineOfTextPath(text, ['version']) },
    );
  }
  const findings: Finding[] = [];
  for (const run of log.runs) {
    for (const result of run.results ?? []) {
      const finding = toFinding(run, result);
      if (finding) findings.push(finding);
    }
  }
  return findings;
}

function toFinding(run: SarifRun, result: SarifResult): Finding | undefined {
  if (result.kind === 'pass' || result.kind === 'notApplicable') return undefined;
  const driver = run.tool.driver;
  const component = componentOf(run, result);
  const rule = ruleOf(run, component, result);
  const ruleId = result.ruleId ?? result.rule?.id ?? rule?.id ?? 'unknown';
  const tags = tagsOf(rule, result);
  const severity = severityOf(rule, result);
  const location = locationOf(run, result);
  const suppressions = suppressionsOf(result);
  const toolVersion = driver.semanticVersion ?? driver.version;
  const properties: Record<string, unknown> = {};
  if (tags.length > 0) properties['tags'] = tags;
  const cwe = cweOf(tags);
  if (cwe.length > 0) properties['cwe'] = cwe;
  if (component !== driver) properties['toolComponent'] = component.name;
  if (result.baselineState) properties['baselineState'] = result.baselineState;
  if (result.partialFingerprints) properties['partialFingerprints'] = result.partialFingerprints;
  if (result.fingerprints) properties['fingerprints'] = result.fingerprints;
  if (rule?.helpUri) properties['helpUri'] = rule.helpUri;
  return {
    kind: 'sast',
    ruleId,
    severity,
    message: messageOf(rule, result, ruleId),
    fingerprint: fingerprintOf(driver.name, ruleId, result, location),
    ...(location ? { location } : {}),
    tool: { name: driver.name, ...(toolVersion ? { version: toolVersion } : {}) },
    ...(suppressions.length > 0 ? { suppressions } : {}),
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  };
}

/** The tool component holding the result's rule: `rule.toolComponent` points into `extensions`. */
function componentOf(run: SarifRun, result: SarifResult): SarifToolComponent {
  const reference = result.rule?.toolComponent;
  const extensions = run.tool.extensions ?? [];
  if (reference?.index !== undefined && reference.index >= 0) {
    return extensions[reference.index] ?? run.tool.driver;
  }
  if (reference?.name) {
    return extensions.find((extension) => extension.name === reference.name) ?? run.tool.driver;
  }
  return run.tool.driver;
}

function ruleOf(
  run: SarifRun,
  component: SarifToolComponent,
  result: SarifResult,
): SarifReportingDescriptor | undefined {
  const index = result.rule?.index ?? result.ruleIndex;
  const id = result.ruleId ?? result.rule?.id;
  if (index !== undefined && index >= 0) {
    const byIndex = component.rules?.[index];
    if (byIndex && (id === undefined || byIndex.id === id || id.startsWith(`${byIndex.id}/`))) return byIndex;
  }
  if (id === undefined) return undefined;
  // Hierarchical ids ("CA2000/1") fall back to their base rule (SARIF §3.27.5).
  const candidates = [component, run.tool.driver, ...(run.tool.extensions ?? [])];
  for (const candidate of candidates) {
    const found = candidate.rules?.find((rule) => rule.id === id || id.startsWith(`${rule.id}/`));
    if (found) return found;
  }
  return undefined;
}

function severityOf(rule: SarifReportingDescriptor | undefined, result: SarifResult): Severity {
  const fromScore =
    severityFromSecurityScore(result.properties?.['security-severity']) ??
    severityFromSecurityScore(rule?.properties?.['security-severity']);
  if (fromScore) return fromScore;
  if (result.kind === 'informational') return 'info';
  return severityFromLevel(result.level ?? rule?.defaultConfiguration?.level);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function tagsOf(rule: SarifReportingDescriptor | undefined, result: SarifResult): string[] {
  return [
    ...new Set([...stringList(rule?.properties?.['tags']), ...stringList(result.properties?.['tags'])]),
  ];
}

/** CWE ids from tags in the forms CodeQL ("external/cwe/cwe-089") and Semgrep ("CWE-89: ...") use. */
function cweOf(tags: string[]): string[] {
  const out = new Set<string>();
  for (const tag of tags) {
    const match = /(?:^|\/)cwe[-/](\d+)/i.exec(tag);
    if (match?.[1]) out.add(`CWE-${Number(match[1])}`);
  }
  return [...out];
}

function messageOf(rule: SarifReportingDescriptor | undefined, result: SarifResult, ruleId: string): string {
  let template = result.message.text;
  if (template === undefined && result.message.id) template = rule?.messageStrings?.[result.message.id]?.text;
  template ??= rule?.shortDescription?.text ?? rule?.fullDescription?.text ?? ruleId;
  const args = result.message.arguments ?? [];
  // SARIF placeholders {0}, {1}… (§3.11.5); "{{" and "}}" are literal braces.
  return template.replace(/\{\{|\}\}|\{(\d+)\}/g, (whole, digits: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    return args[Number(digits)] ?? whole;
  });
}

function uriToPath(uri: string): string {
  let path = uri;
  if (/^file:/i.test(path)) path = path.replace(/^file:(\/\/[^/]*)?/i, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    // A stray "%" is kept as written.
  }
  return path.replace(/^\.\//, '');
}

function locationOf(run: SarifRun, result: SarifResult): FindingLocation | undefined {
  const physical = result.locations?.[0]?.physicalLocation;
  if (!physical) return undefined;
  const artifact = physical.artifactLocation;
  let uri = artifact?.uri;
  if (uri === undefined && artifact?.index !== undefined && artifact.index >= 0) {
    uri = run.artifacts?.[artifact.index]?.location?.uri;
  }
  if (uri === undefined) return undefined;
  const region = physical.region;
  const out: FindingLocation = { file: uriToPath(uri) };
  if (region?.startLine !== undefined && region.startLine >= 1) {
    out.line = region.startLine;
    if (region.startColumn !== undefined && region.startColumn >= 1) out.column = region.startColumn;
    // An omitted endLine means the region ends on its start line (§3.30.7).
    out.endLine =
      region.endLine !== undefined && region.endLine >= region.startLine ? region.endLine : region.startLine;
    if (region.endColumn !== undefined && region.endColumn >= 1) out.endColumn = region.endColumn;
  }
  return out;
}

function suppressionsOf(result: SarifResult): Suppression[] {
  const out: Suppression[] = [];
  for (const suppression of result.suppressions ?? []) {
    // An absent status means accepted (§3.34.3); under review or rejected does not suppress.
    if (suppression.status !== undefined && suppression.status !== 'accepted') continue;
    out.push({
      kind: suppression.kind === 'inSource' ? 'inline' : 'external',
      ...(suppression.justification ? { justification: suppression.justification } : {}),
    });
  }
  return out;
}

/**
 * The producer's own fingerprints when present (ours verbatim; others hashed with tool and rule
 * so two tools' keys never collide), else one computed from rule, file, line and message.
 */
function fingerprintOf(
  toolName: string,
  ruleId: string,
  result: SarifResult,
  location: FindingLocation | undefined,
): string {
  const own = result.partialFingerprints?.[FINGERPRINT_KEY];
  if (own) return own;
  const producer = { ...result.partialFingerprints, ...result.fingerprints };
  const keys = Object.keys(producer).sort();
  if (keys.length > 0) {
    return stableFingerprint(['sarif', toolName, ruleId, ...keys.map((key) => `${key}=${producer[key]}`)]);
  }
  return stableFingerprint([
    'sarif-computed',
    toolName,
    ruleId,
    location?.file ?? '',
    String(location?.line ?? ''),
    String(location?.column ?? ''),
    result.message.text ?? result.message.id ?? '',
  ]);
}
