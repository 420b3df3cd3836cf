import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Severity } from '../../model/severity.ts';
import type { ResourceDescriptor, Statement } from '../../model/statement.ts';
import type { DepsScan } from '../../scanners/vulns/scan.ts';
import { InputError } from '../../util/errors.ts';
import { type DepsGateResult, decideDeps, type VerifiedVulnException } from '../deps.ts';
import {
  DEFAULT_IGNORE_FILE,
  type IgnoreEntry,
  MAX_IGNORE_FILE_BYTES,
  parseIgnoreFile,
} from './ignore-file.ts';

export interface DepsRun {
  scan: DepsScan;
  gate: DepsGateResult;
  ignoreFile?: string;
}

function loadIgnores(root: string, given: string | undefined): { entries: IgnoreEntry[]; file?: string } {
  const file = given ?? path.join(root, DEFAULT_IGNORE_FILE);
  if (!existsSync(file)) {
    if (given)
      throw new InputError('IGNORE_FILE_MISSING', `ignore file ${given} does not exist`, { file: given });
    return { entries: [] };
  }
  const text = readFileSync(file, 'utf8');
  if (text.length > MAX_IGNORE_FILE_BYTES) {
    throw new InputError('IGNORE_FILE_INVALID', `ignore file is larger than ${MAX_IGNORE_FILE_BYTES} bytes`, {
      file,
    });
  }
  return { entries: parseIgnoreFile(text, file), file };
}

export interface DepsRunOptions {
  /** Store directory holding osv.db. */
  storeDir: string;
  failOn: Severity;
  blockUnfixed?: boolean;
  audit?: boolean;
  ignoreFile?: string;
  includeDev?: boolean;
  exceptions?: VerifiedVulnException[];
}

/**
 * Extraction + matching + decision: what `scan deps` prints and `gate deps` attests. The ignore
 * file defaults to `.gatechain/vuln-ignore.yaml` under the root and may be absent.
 */
export async function runDeps(root: string, options: DepsRunOptions): Promise<DepsRun> {
  const [{ scanDeps }, { extractInventory }] = await Promise.all([
    import('../../scanners/vulns/scan.ts'),
    import('../../scanners/sbom/index.ts'),
  ]);
  const ignores = loadIgnores(root, options.ignoreFile);
  const scan = await scanDeps({
    root,
    storeDir: options.storeDir,
    extract: (dir) => extractInventory(dir, { includeDev: options.includeDev === true }),
  });
  const gate = decideDeps(scan.matches, {
    policy: {
      failOn: options.failOn,
      requireFix: options.blockUnfixed !== true,
      mode: options.audit ? 'audit' : 'enforce',
    },
    ignores: ignores.entries,
    exceptions: options.exceptions ?? [],
    now: scan.finishedOn,
  });
  return { scan, gate, ...(ignores.file ? { ignoreFile: ignores.file } : {}) };
}

/** The JSON shape both commands print. */
export function depsJson(run: DepsRun): Record<string, unknown> {
  return {
    verdict: run.gate.verdict,
    wouldBlock: run.gate.wouldBlock,
    counts: run.gate.counts,
    components: run.scan.inventory.components.length,
    sources: run.scan.inventory.sources,
    database: {
      path: run.scan.db.path,
      advisories: run.scan.db.advisories,
      snapshot: run.scan.db.newestModified,
    },
    findings: run.gate.findings.map((f) => ({
      id: f.match.advisory.id,
      aliases: f.match.advisory.aliases,
      summary: f.match.advisory.summary,
      package: f.match.component.name,
      ecosystem: f.match.component.ecosystem,
      purl: f.match.component.purl,
      installed: f.match.component.version,
      fixed: f.match.fixedIn ?? null,
      severity: f.match.severity,
      location: f.match.component.location,
      decision: f.decision,
      reason: f.reason,
    })),
    expiredIgnores: run.gate.expiredIgnores.map(({ expiresAtMs: _ms, ...entry }) => entry),
    expiredExceptions: run.gate.expiredExceptions,
  };
}

export function summaryLine(run: DepsRun): string {
  const c = run.gate.counts;
  const expired = run.gate.expiredIgnores.map(
    (e) => `${e.id} (expired ${e.expires}${e.line ? `, ${run.ignoreFile}:${e.line}` : ''})`,
  );
  const lapsed = run.gate.expiredExceptions.map(
    (e) => `${e.ticket} for ${e.vulnerabilities.join(', ')} (expired ${e.expires})`,
  );
  return [
    `${run.scan.inventory.components.length} components, ${run.gate.findings.length} findings: ${c.block} blocking, ${c.allow} allowed, ${c.ignored} ignored, ${c.excepted} excepted — ${run.gate.verdict.toUpperCase()}`,
    ...(expired.length > 0 ? [`expired ignore entries (no longer suppress): ${expired.join(', ')}`] : []),
    ...(lapsed.length > 0 ? [`expired vuln-exceptions (no longer apply): ${lapsed.join('; ')}`] : []),
  ].join('\n');
}

/** Days beyond which the advisory data is called stale. */
export const STALE_AFTER_DAYS = 7;

/** A warning when the OSV data was last imported more than STALE_AFTER_DAYS before `now`. */
export function stalenessWarning(run: DepsRun, now: Date): string | undefined {
  const imported = run.scan.db.lastImport?.finishedAt ?? run.scan.db.lastImport?.startedAt;
  if (!imported) return 'the OSV database has no recorded import: findings may be missing';
  const days = Math.floor((now.getTime() - Date.parse(imported)) / 86_400_000);
  if (days <= STALE_AFTER_DAYS) return undefined;
  return `OSV data last imported ${days} days ago (${imported}): run "gatechain vulns db import" to see newer advisories`;
}

/**
 * The two claims gate 2 signs about a subject: its CycloneDX SBOM and the vulns v0.2 vuln-scan,
 * recording the scanner version and the database's snapshot (newest `modified`).
 */
export async function depsStatements(
  run: DepsRun,
  subject: ResourceDescriptor,
  root: string,
  version: string,
): Promise<Statement[]> {
  const [{ toCycloneDx }, { sbomStatement, vulnScanStatement }] = await Promise.all([
    import('../../scanners/sbom/index.ts'),
    import('../../scanners/vulns/attest/index.ts'),
  ]);
  const bom = toCycloneDx(run.scan.inventory, {
    toolVersion: version,
    timestamp: run.scan.finishedOn,
    subject: { name: subject.name ?? root, digests: subject.digest },
  });
  const decisions = new Map(run.gate.findings.map((f) => [f.match, f.decision]));
  const scanner = {
    uri: `pkg:npm/gatechain@${version}`,
    version,
    db: {
      uri: 'https://osv.dev/',
      version: `${run.scan.db.advisories} advisories`,
      ...(run.scan.db.newestModified ? { lastUpdate: run.scan.db.newestModified } : {}),
    },
  };
  return [
    sbomStatement([subject], bom),
    vulnScanStatement(
      [subject],
      scanner,
      run.scan.matches,
      { startedOn: run.scan.startedOn, finishedOn: run.scan.finishedOn },
      decisions,
    ),
  ];
}
