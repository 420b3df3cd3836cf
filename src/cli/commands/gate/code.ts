import { readFile, stat, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  CODE_GATE_NUMBER,
  type CodeGatePolicy,
  type CodeGateRun,
  canonicalFindings,
  DEFAULT_CODE_GATE_POLICY,
  defaultCodeGateDeps,
  parseCodeGatePolicy,
  runCodeGate,
} from '../../../gates/code.ts';
import { emitAttestation } from '../../../gates/emit.ts';
import { textTable } from '../../../scanners/sast/index.ts';
import { resolveSubject } from '../../../subjects/index.ts';
import { InputError } from '../../../util/errors.ts';
import { ExitCode, printJson, reportError, resolveStoreDir } from '../../context.ts';
import { readLicensePolicy } from '../scan/licenses.ts';

interface GateCodeOptions {
  subject?: string;
  sarif?: string[];
  policy?: string;
  licensePolicy?: string;
  report?: string;
  sign: boolean;
  store?: string;
  key?: string;
  passphraseEnv?: string;
  json?: boolean;
}

async function readGatePolicy(path: string | undefined): Promise<CodeGatePolicy> {
  if (!path) return DEFAULT_CODE_GATE_POLICY;
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile())
    throw new InputError('GATE_POLICY_UNREADABLE', 'gate policy file not found', { file: path });
  return parseCodeGatePolicy(await readFile(path, 'utf8'), path);
}

function summary(run: CodeGateRun): string {
  const { predicate } = run.statement;
  const rows = [
    ['secrets', String(run.counts.secrets)],
    ['sast', `${run.counts.sast} (${run.counts.files} files)`],
    ['licenses', `${run.counts.license} (${run.counts.components} components)`],
  ];
  let text = textTable(['SCANNER', 'FINDINGS'], rows);
  const reasons = [
    ...run.decision.blocking.map((reason) => [
      'BLOCK',
      reason.kind,
      reason.ruleId,
      reason.severity,
      String(reason.count),
    ]),
    ...run.decision.warnings.map((reason) => [
      'warn',
      reason.kind,
      reason.ruleId,
      reason.severity,
      String(reason.count),
    ]),
  ];
  if (reasons.length > 0) text += `\n${textTable(['OUTCOME', 'KIND', 'RULE', 'SEVERITY', 'COUNT'], reasons)}`;
  text += `\ndecision: ${run.decision.result}${run.decision.enforced ? '' : ' (audit mode: not enforced)'}; ${predicate.counts.suppressed} suppressed\n`;
  return text;
}

/**
 * `gatechain gate code [path]`: secrets + SAST + licenses, decision, signed code-scan attestation.
 * Exit 1 when the gate blocks (in enforce mode), 2 on bad input or a signing failure.
 */
export function register(group: Command): void {
  group
    .command('code')
    .description(
      'Gate 1: scan for secrets, SAST issues and license policy, decide, and sign a code-scan attestation',
    )
    .argument('[path]', 'source tree to scan', '.')
    .option(
      '--subject <spec>',
      'what the attestation is about (git:HEAD, a directory, sha256:<hex>…; default: the path)',
    )
    .option('--sarif <files...>', 'extra SARIF 2.1.0 reports to merge into SAST')
    .option('--policy <file>', 'code gate policy YAML (default: secrets any, sast high, license deny block)')
    .option('--license-policy <file>', 'license policy YAML (default: built-in)')
    .option('--report <file>', 'write the canonical findings list the attestation digests')
    .option('--no-sign', 'decide and print the statement without signing or storing it')
    .option('--store <dir|url>', 'store directory or postgres:// URL')
    .option('--key <file>', 'signing key (default: the project config)')
    .option('--passphrase-env <var>', 'environment variable holding the key passphrase')
    .option('--json', 'print the result as JSON')
    .action(async (path: string, options: GateCodeOptions) => {
      try {
        const [gatePolicy, licensePolicy] = await Promise.all([
          readGatePolicy(options.policy),
          readLicensePolicy(options.licensePolicy),
        ]);
        const subject = await resolveSubject(options.subject ?? path, { cwd: process.cwd() });
        const run = await runCodeGate(
          {
            root: path,
            subject: [subject],
            gatePolicy,
            licensePolicy,
            ...(options.sarif ? { sarifFiles: options.sarif } : {}),
          },
          defaultCodeGateDeps,
        );
        if (options.report) {
          const finished = new Date(run.statement.predicate.scanFinishedOn ?? Date.now());
          await writeFile(
            options.report,
            `${JSON.stringify(canonicalFindings(run.findings, finished), null, 2)}\n`,
          );
        }
        let attestation: { id: string } | undefined;
        if (options.sign) {
          const emitted = await emitAttestation(run.statement, {
            gate: CODE_GATE_NUMBER,
            store: await resolveStoreDir(options.store),
            ...(options.key ? { keyPath: options.key } : {}),
            ...(options.passphraseEnv ? { passphraseEnv: options.passphraseEnv } : {}),
          });
          attestation = { id: emitted.id };
        }
        if (options.json) {
          printJson({
            decision: run.decision,
            statement: run.statement,
            ...(attestation ? { attestation } : {}),
          });
        } else {
          process.stdout.write(summary(run));
          if (attestation) process.stdout.write(`attestation: ${attestation.id}\n`);
          else process.stdout.write(`${JSON.stringify(run.statement, null, 2)}\n`);
        }
        const blocks = run.decision.result === 'block' && run.decision.enforced;
        process.exitCode = blocks ? ExitCode.policyFailure : ExitCode.ok;
      } catch (error) {
        reportError(error, options.json === true);
      }
    });
}
