import type { Component } from '../../model/component.ts';
import type { Finding } from '../../model/finding.ts';
import type { ResourceDescriptor, Statement } from '../../model/statement.ts';
import {
  checkLicenses,
  LICENSE_TOOL,
  type LicensePolicy,
  type LicenseResult,
  licenseFindings,
} from '../../scanners/licenses/index.ts';
import type { SastOptions, SastResult } from '../../scanners/sast/index.ts';
import type { ScanSecretsOptions, ScanSecretsResult } from '../../scanners/secrets/index.ts';
import { canonicalJson } from '../../util/canonical-json.ts';
import { sha256Hex } from './canonical.ts';
import { type CodeGateDecision, decideCodeGate } from './decide.ts';
import type { CodeGatePolicy } from './policy.ts';
import { buildCodeScanStatement, type GatechainCodeScanPredicate, type RuleSetRecord } from './statement.ts';

/** The scanners and clock gate 1 uses, passed in so the orchestration is testable without I/O. */
export interface CodeGateDeps {
  scanSecrets(options: ScanSecretsOptions): Promise<ScanSecretsResult>;
  scanSast(options: SastOptions): Promise<SastResult>;
  loadComponents(root: string): Promise<{ components: Component[] }>;
  now(): Date;
  secretsTool: { name: string; version: string };
}

export interface CodeGateOptions {
  root: string;
  subject: ResourceDescriptor[];
  sarifFiles?: string[];
  gatePolicy: CodeGatePolicy;
  licensePolicy: LicensePolicy;
}

export interface CodeGateRun {
  findings: Finding[];
  licenseResults: LicenseResult[];
  decision: CodeGateDecision;
  statement: Statement<GatechainCodeScanPredicate>;
  counts: { secrets: number; sast: number; license: number; components: number; files: number };
}

function hexOf(digest: string): string {
  return digest.replace(/^sha256:/, '');
}

/** Runs secrets, SAST and licenses over one tree, decides, and builds the code-scan statement. */
export async function runCodeGate(options: CodeGateOptions, deps: CodeGateDeps): Promise<CodeGateRun> {
  const startedOn = deps.now();
  const secrets = await deps.scanSecrets({ root: options.root, mode: 'tree' });
  const sast = await deps.scanSast({
    root: options.root,
    ...(options.sarifFiles ? { sarifFiles: options.sarifFiles } : {}),
  });
  const { components } = await deps.loadComponents(options.root);
  const finishedOn = deps.now();
  const licenseResults = checkLicenses(components, options.licensePolicy, finishedOn);
  const licenses = licenseFindings(licenseResults);
  const findings = [...secrets.findings, ...sast.findings, ...licenses];
  const decision = decideCodeGate(findings, options.gatePolicy, finishedOn);
  const tools = [deps.secretsTool, ...sast.tools, LICENSE_TOOL];
  const ruleSets: RuleSetRecord[] = [
    { kind: 'secrets', tool: deps.secretsTool.name, sha256: hexOf(secrets.ruleSetDigest) },
    { kind: 'sast', tool: sast.tools[0]?.name ?? 'gatechain-sast', sha256: hexOf(sast.rulesetDigest) },
    { kind: 'license', tool: LICENSE_TOOL.name, sha256: sha256Hex(canonicalJson(options.licensePolicy)) },
  ];
  const statement = buildCodeScanStatement({
    subject: options.subject,
    tools,
    ruleSets,
    findings,
    decision,
    policy: { gate: options.gatePolicy, licenses: options.licensePolicy },
    startedOn,
    finishedOn,
  });
  return {
    findings,
    licenseResults,
    decision,
    statement,
    counts: {
      secrets: secrets.findings.length,
      sast: sast.findings.length,
      license: licenses.length,
      components: components.length,
      files: sast.stats.files,
    },
  };
}
