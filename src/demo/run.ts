import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadSigner } from '../attest/index.ts';
import type { Signer } from '../attest/types.ts';
import { initProject } from '../config/init.ts';
import { PredicateType } from '../model/predicate-types.ts';
import type { ResourceDescriptor } from '../model/statement.ts';
import { type LedgerSink, openLedgerSink } from '../pipeline/ledger-append.ts';
import { makeStatement, type RecordContext, receiptKey, recordStatement } from '../pipeline/record.ts';
import { loadChainPolicy } from '../policy/index.ts';
import type { ChainResult } from '../policy/model.ts';
import { openStore, type Store } from '../store/index.ts';
import { resolveSubject } from '../subjects/index.ts';
import { renderChainTree, verifyChain } from '../verify/index.ts';
import {
  codeScanPredicate,
  type DemoVulnerability,
  dastPredicate,
  provenancePredicate,
  sbomPredicate,
  vulnExceptionPredicate,
  vulnScanPredicate,
} from './predicates.ts';
import { buildArtifact, commitChange, createSampleRepo } from './sample-project.ts';

export interface DemoScenario {
  name: string;
  expected: 'pass' | 'fail';
  result: ChainResult;
}

export interface DemoOptions {
  /** Where to create the sample project; a new temp folder by default. */
  dir?: string;
  write: (text: string) => void;
}

interface DemoContext {
  repo: string;
  store: Store;
  ledger: LedgerSink | undefined;
  signers: { ci: Signer; security: Signer };
  policyPath: string;
  write: (text: string) => void;
}

const DEPENDENCIES = [{ name: 'left-pad', version: '1.3.0' }];

async function attest(
  context: DemoContext,
  signer: Signer,
  subject: ResourceDescriptor,
  type: string,
  predicate: unknown,
  gate: number,
) {
  const record: RecordContext = { store: context.store, signer, ledger: context.ledger };
  const result = await recordStatement(record, makeStatement(subject, type, predicate), {
    gate,
    source: 'demo',
  });
  const digest = Object.entries(subject.digest)[0]?.join(':').slice(0, 22);
  context.write(
    `   gate ${gate}  signed ${type.replace(/^https:\/\//, '')} about ${digest}… (${result.id.slice(0, 12)})\n`,
  );
  return result;
}

/** Builds one release and attests it through the gates; `skip` leaves a gate-2 claim out. */
async function release(
  context: DemoContext,
  version: string,
  findings: DemoVulnerability[],
  skipVulnScan = false,
): Promise<ResourceDescriptor> {
  const source = await resolveSubject('git:HEAD', { cwd: context.repo });
  const commit = source.digest['gitCommit'] as string;
  const { ci } = context.signers;
  await attest(context, ci, source, PredicateType.codeScan, codeScanPredicate(), 1);
  await attest(context, ci, source, PredicateType.cyclonedx, sbomPredicate(DEPENDENCIES), 2);
  if (!skipVulnScan) await attest(context, ci, source, PredicateType.vulns, vulnScanPredicate(findings), 2);
  const artifactPath = await buildArtifact(context.repo, `demo-service-${version}.tgz`);
  const artifact = await resolveSubject(artifactPath, { cwd: context.repo });
  artifact.name = `demo-service-${version}.tgz`;
  await attest(
    context,
    ci,
    artifact,
    PredicateType.slsaProvenance,
    provenancePredicate(commit, pathToFileURL(context.repo).href),
    3,
  );
  await attest(context, ci, artifact, PredicateType.testResult, dastPredicate(artifact.digest), 4);
  await attest(context, ci, artifact, PredicateType.vulns, vulnScanPredicate([]), 5);
  return artifact;
}

async function verifyAndShow(context: DemoContext, artifact: ResourceDescriptor): Promise<ChainResult> {
  const policy = await loadChainPolicy(context.policyPath);
  const result = await verifyChain({ store: context.store, policy, subject: artifact.digest });
  context.write(`\n$ gatechain verify build/${artifact.name}\n`);
  context.write(renderChainTree(result).replace(/^/gm, '  '));
  return result;
}

/** Every claim went into the transparency log; its receipt proves inclusion offline. */
async function showAuditTrail(context: DemoContext, attestationId: string): Promise<void> {
  const { verifyReceipt } = await import('../ledger/index.ts');
  const receipt = await context.store.getMeta(receiptKey(attestationId));
  if (receipt === undefined || !context.ledger) return;
  const log = await context.ledger.describe();
  const verified = verifyReceipt(receipt, undefined, log.verifierKey);
  context.write('\n6. The audit trail: every claim above is an entry in the transparency log\n');
  context.write(`   log ${log.origin} holds ${log.size} entries under a signed checkpoint\n`);
  context.write(
    `   the vuln-exception is entry #${verified.index}; its receipt verifies offline with the log's key:\n`,
  );
  context.write(`   ${log.verifierKey}\n`);
}

/**
 * The main job on the embedded store: a sample project attested through all five gates with
 * local keys, then verified — a passing chain, a chain missing its vuln-scan, and a chain with a
 * critical vulnerability rescued by a security engineer's signed vuln-exception.
 */
export async function runDemo(options: DemoOptions): Promise<DemoScenario[]> {
  const { write } = options;
  const root = options.dir ?? (await mkdtemp(join(tmpdir(), 'gatechain-demo-')));
  const repo = join(root, 'demo-service');
  write(`gatechain demo: a sample service through the five gates, embedded store in ${root}\n\n`);

  // Keys exist only for this run; the passphrase is random and never shown.
  const passphrase = randomBytes(24).toString('base64url');
  await createSampleRepo(repo);
  const project = await initProject(repo, {
    algorithm: 'ed25519',
    passphrase,
    passphraseEnv: 'GATECHAIN_KEY_PASSPHRASE',
  });
  write('1. gatechain init: three Ed25519 keys (passphrase-encrypted PKCS#8) and a five-gate policy\n');
  for (const [role, key] of Object.entries(project.keys))
    write(`   key ${role.padEnd(11)} ${key.keyId.slice(0, 16)}\n`);
  const signers = {
    ci: loadSigner(await readFile(project.keys.ci.privateKey, 'utf8'), passphrase),
    security: loadSigner(await readFile(project.keys.security.privateKey, 'utf8'), passphrase),
  };
  const storeDir = join(repo, '.gatechain');
  const store = await openStore({ dir: storeDir });
  const ledger = openLedgerSink({ store: storeDir, policy: project.policy });
  const context: DemoContext = { repo, store, ledger, signers, policyPath: project.policy, write };
  const scenarios: DemoScenario[] = [];
  try {
    write('\n2. Release 1.0.0: every gate signs its claim\n');
    const first = await release(context, '1.0.0', []);
    const passing = await verifyAndShow(context, first);
    write('   → Every gate has a valid claim signed by a trusted key: the artifact may deploy.\n');
    scenarios.push({ name: 'complete chain', expected: 'pass', result: passing });

    write('\n3. Release 1.0.1: the dependency scanner never ran, so gate 2 has no vuln-scan\n');
    await commitChange(
      repo,
      'index.js',
      "import leftPad from 'left-pad';\nexport const pad = (s) => leftPad(s, 10);\n",
      'wider padding',
    );
    const second = await release(context, '1.0.1', [], true);
    const missing = await verifyAndShow(context, second);
    write('   → A missing link fails the chain. A scanner outage needs a signed scan-skip, never silence.\n');
    scenarios.push({ name: 'missing vuln-scan', expected: 'fail', result: missing });

    write('\n4. Release 1.0.2: the scan finds a critical vulnerability that has a fix\n');
    await commitChange(
      repo,
      'index.js',
      "import leftPad from 'left-pad';\nexport const pad = (s) => leftPad(s, 12);\n",
      'wider still',
    );
    const critical: DemoVulnerability = {
      id: 'GHSA-demo-0001',
      cvss: 9.8,
      fixedVersion: '1.3.1',
      purl: 'pkg:npm/left-pad@1.3.0',
    };
    const third = await release(context, '1.0.2', [critical]);
    const blocked = await verifyAndShow(context, third);
    write('   → Critical with a fix available: blocked by the gate-2 rule.\n');
    scenarios.push({ name: 'critical vulnerability', expected: 'fail', result: blocked });

    write('\n5. A security engineer signs a vuln-exception (ticket SEC-1234, expires in 7 days)\n');
    const source = await resolveSubject('git:HEAD', { cwd: repo });
    const exception = await attest(
      context,
      signers.security,
      source,
      PredicateType.vulnException,
      vulnExceptionPredicate([critical.id], 'SEC-1234', 7),
      2,
    );
    const rescued = await verifyAndShow(context, third);
    write('   → The same chain passes: the exception is signed, scoped to one ID, and expires on its own.\n');
    scenarios.push({ name: 'rescued by vuln-exception', expected: 'pass', result: rescued });

    await showAuditTrail(context, exception.id);
  } finally {
    await ledger?.close();
    await store.close();
  }

  write('\nSummary\n');
  for (const scenario of scenarios) {
    const ok = scenario.result.passed === (scenario.expected === 'pass');
    write(
      `  ${ok ? '✓' : '✗'} ${scenario.name}: ${scenario.result.decision.toUpperCase()} (expected ${scenario.expected})\n`,
    );
  }
  write(`\nEverything is in ${repo}: inspect with\n  cd ${repo} && gatechain list\n`);
  return scenarios;
}
