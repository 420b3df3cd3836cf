import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadSigner } from '../attest/index.ts';
import type { Signer } from '../attest/types.ts';
import { initProject } from '../config/init.ts';
import { PredicateType } from '../model/predicate-types.ts';
import type { ResourceDescriptor, Statement } from '../model/statement.ts';
import { type LedgerSink, openLedgerSink } from '../pipeline/ledger-append.ts';
import { makeStatement, type RecordContext, receiptKey, recordStatement } from '../pipeline/record.ts';
import { loadChainPolicy } from '../policy/index.ts';
import type { ChainResult } from '../policy/model.ts';
import { openStore, type Store } from '../store/index.ts';
import { resolveSubject } from '../subjects/index.ts';
import { gatechainVersion } from '../util/version.ts';
import { renderChainTree, verifyChain } from '../verify/index.ts';
import { NEW_ADVISORY, OLD_ADVISORY, publishAdvisory } from './advisories.ts';
import { dastPredicate, provenancePredicate, vulnExceptionPredicate } from './predicates.ts';
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
  storeDir: string;
  store: Store;
  ledger: LedgerSink | undefined;
  signers: { ci: Signer; security: Signer };
  policyPath: string;
  write: (text: string) => void;
}

async function attestStatement(context: DemoContext, signer: Signer, statement: Statement, gate: number) {
  const record: RecordContext = { store: context.store, signer, ledger: context.ledger };
  const result = await recordStatement(record, statement, { gate, source: 'demo' });
  const subject = statement.subject[0];
  const digest = Object.entries(subject?.digest ?? {})[0]
    ?.join(':')
    .slice(0, 22);
  const type = statement.predicateType.replace(/^https:\/\//, '');
  const logged = result.logIndex !== undefined ? `, log #${result.logIndex}` : '';
  context.write(`   gate ${gate}  signed ${type} about ${digest}… (${result.id.slice(0, 12)}${logged})\n`);
  return result;
}

function attest(
  context: DemoContext,
  signer: Signer,
  subject: ResourceDescriptor,
  type: string,
  predicate: unknown,
  gate: number,
) {
  return attestStatement(context, signer, makeStatement(subject, type, predicate), gate);
}

/** Gate 1 for real: secrets, SAST and licenses over the sample's tree. */
async function codeGate(context: DemoContext, source: ResourceDescriptor): Promise<void> {
  const { runCodeGate, defaultCodeGateDeps, DEFAULT_CODE_GATE_POLICY } = await import('../gates/code.ts');
  const { DEFAULT_LICENSE_POLICY } = await import('../scanners/licenses/index.ts');
  const run = await runCodeGate(
    {
      root: context.repo,
      subject: [source],
      gatePolicy: DEFAULT_CODE_GATE_POLICY,
      licensePolicy: DEFAULT_LICENSE_POLICY,
    },
    defaultCodeGateDeps,
  );
  context.write(
    `   gate 1  secrets, SAST and licenses (${run.counts.components} component(s)): ${run.findings.length} finding(s), decision ${run.decision.result}\n`,
  );
  await attestStatement(context, context.signers.ci, run.statement as Statement, 1);
}

/** Gate 2 for real: the lockfile's SBOM matched against the store's OSV database. */
async function depsScan(context: DemoContext, subject: ResourceDescriptor, gate: 2 | 5) {
  const { runDeps, depsStatements } = await import('../gates/deps/run.ts');
  const run = await runDeps(context.repo, { storeDir: context.storeDir, failOn: 'critical' });
  const found = run.scan.matches.map((m) => `${m.advisory.id} in ${m.component.name}@${m.component.version}`);
  context.write(
    `   gate ${gate}  matched ${run.scan.inventory.components.length} component(s) against ${run.scan.db.advisories} advisories: ${found.join(', ') || 'no findings'}; decision ${run.gate.verdict}\n`,
  );
  return depsStatements(run, subject, context.repo, gatechainVersion());
}

/** Builds one release and attests it through the five gates; `skipDepsScan` leaves gate 2 out. */
async function release(
  context: DemoContext,
  version: string,
  skipDepsScan = false,
): Promise<ResourceDescriptor> {
  const source = await resolveSubject('git:HEAD', { cwd: context.repo });
  const commit = source.digest['gitCommit'] as string;
  const { ci } = context.signers;
  await codeGate(context, source);
  if (!skipDepsScan) {
    for (const statement of await depsScan(context, source, 2))
      await attestStatement(context, ci, statement, 2);
  }
  const artifactPath = await buildArtifact(context.repo, `demo-service-${version}.tgz`);
  const artifact = await resolveSubject(artifactPath, { cwd: context.repo });
  artifact.name = `demo-service-${version}.tgz`;
  const repoUri = pathToFileURL(context.repo).href;
  await attest(context, ci, artifact, PredicateType.slsaProvenance, provenancePredicate(commit, repoUri), 3);
  await attest(context, ci, artifact, PredicateType.testResult, dastPredicate(artifact.digest), 4);
  // Gate 5: the deployed artifact's components re-matched against today's advisories.
  const [, runtimeScan] = await depsScan(context, artifact, 5);
  if (runtimeScan) await attestStatement(context, ci, runtimeScan, 5);
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
  const context: DemoContext = { repo, storeDir, store, ledger, signers, policyPath: project.policy, write };
  const scenarios: DemoScenario[] = [];
  // Advisories are written outside the repository so the code scan never sees them.
  const feed = join(root, 'advisory-feed');
  await mkdir(feed, { recursive: true });
  await publishAdvisory(storeDir, feed, OLD_ADVISORY);
  try {
    write('\n2. Release 1.0.0: every gate runs and signs its claim\n');
    const first = await release(context, '1.0.0');
    const passing = await verifyAndShow(context, first);
    write('   → Every gate has a valid claim signed by a trusted key: the artifact may deploy.\n');
    scenarios.push({ name: 'complete chain', expected: 'pass', result: passing });

    write('\n3. Release 1.0.1: the dependency scanner never ran, so gate 2 has no sbom or vuln-scan\n');
    await commitChange(
      repo,
      'index.js',
      "import leftPad from 'left-pad';\nexport const pad = (s) => leftPad(s, 10);\n",
      'wider padding',
    );
    const second = await release(context, '1.0.1', true);
    const missing = await verifyAndShow(context, second);
    write('   → A missing link fails the chain. A scanner outage needs a signed scan-skip, never silence.\n');
    scenarios.push({ name: 'missing vuln-scan', expected: 'fail', result: missing });

    write(
      `\n4. A new advisory is published (${NEW_ADVISORY.id}: critical, fixed in left-pad 1.3.1); release 1.0.2\n`,
    );
    await publishAdvisory(storeDir, feed, NEW_ADVISORY);
    await commitChange(
      repo,
      'index.js',
      "import leftPad from 'left-pad';\nexport const pad = (s) => leftPad(s, 12);\n",
      'wider still',
    );
    const third = await release(context, '1.0.2');
    const blocked = await verifyAndShow(context, third);
    write('   → Critical with a fix available: blocked at gate 2, and by the runtime re-match at gate 5.\n');
    scenarios.push({ name: 'critical vulnerability', expected: 'fail', result: blocked });

    write('\n5. A security engineer signs a vuln-exception (ticket SEC-1234, expires in 7 days)\n');
    const source = await resolveSubject('git:HEAD', { cwd: repo });
    const exception = await attest(
      context,
      signers.security,
      source,
      PredicateType.vulnException,
      vulnExceptionPredicate([NEW_ADVISORY.id], 'SEC-1234', 7),
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
