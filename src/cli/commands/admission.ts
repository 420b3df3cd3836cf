import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { printJson, resolveStoreDir, usageError } from '../context.ts';

interface InstallOptions {
  namespace: string;
  service: string;
  out: string;
  image: string;
  policy?: string[];
  failurePolicy: string;
  timeoutSeconds: string;
  replicas: string;
  mode?: string;
  extraDns?: string[];
  extraIp?: string[];
}

function registerInstall(group: Command): void {
  group
    .command('install')
    .description('Write a CA, a serving certificate, webhook configurations and server manifests')
    .requiredOption('--namespace <ns>', 'namespace the server runs in (excluded from the webhooks)')
    .requiredOption('--service <name>', 'Service name of the server')
    .requiredOption('--out <dir>', 'directory to write into')
    .option('--image <ref>', 'server image (pin it by digest)', 'ghcr.io/gatechain/gatechain:latest')
    .option('--policy <files...>', 'ClusterPolicy files to ship in the policies ConfigMap')
    .option(
      '--failure-policy <Fail|Ignore>',
      'what the API server does when the webhook is unreachable',
      'Fail',
    )
    .option('--timeout-seconds <n>', 'webhook timeout (1-30)', '10')
    .option('--replicas <n>', 'server replicas', '2')
    .option('--mode <audit|enforce>', 'override every policy failure action in the Deployment')
    .option('--extra-dns <names...>', 'additional DNS names for the serving certificate')
    .option('--extra-ip <addresses...>', 'IP addresses for the serving certificate (e.g. 127.0.0.1)')
    .action(async (options: InstallOptions) => {
      const { writeInstallBundle } = await import('../../admission/install/index.ts');
      const { loadPolicies } = await import('../../admission/policy/load.ts');
      if (options.failurePolicy !== 'Fail' && options.failurePolicy !== 'Ignore') {
        throw usageError('--failure-policy: expected Fail or Ignore');
      }
      const timeoutSeconds = Number(options.timeoutSeconds);
      if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 30) {
        throw usageError('--timeout-seconds: the API server accepts 1 to 30');
      }
      const replicas = Number(options.replicas);
      if (!Number.isInteger(replicas) || replicas < 1)
        throw usageError('--replicas: expected a positive integer');
      if (options.mode && options.mode !== 'audit' && options.mode !== 'enforce')
        throw usageError('--mode: audit or enforce');
      const policyFiles: Record<string, string> = {};
      for (const path of options.policy ?? []) {
        const text = await readFile(path, 'utf8');
        loadPolicies(text, path);
        policyFiles[path] = text;
      }
      const paths = await writeInstallBundle({
        namespace: options.namespace,
        service: options.service,
        out: options.out,
        image: options.image,
        failurePolicy: options.failurePolicy,
        timeoutSeconds,
        replicas,
        policyFiles,
        ...(options.mode ? { mode: options.mode as 'audit' | 'enforce' } : {}),
        extraDnsNames: options.extraDns ?? [],
        extraIpAddresses: options.extraIp ?? [],
      });
      for (const path of Object.values(paths)) process.stdout.write(`wrote ${path}\n`);
    });
}

function table(title: string, counts: Record<string, number>): string {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (rows.length === 0) return '';
  return `  ${title}\n${rows.map(([key, n]) => `    ${String(n).padStart(6)}  ${key}`).join('\n')}\n`;
}

function registerReport(group: Command): void {
  group
    .command('report')
    .description('Show what Enforce would have blocked (Audit violations) per namespace, image and rule')
    .option('--store <dir>', 'store directory holding admission.db')
    .option('--since <time>', 'only records at or after this RFC 3339 time')
    .option('--namespace <ns>', 'only this namespace')
    .option('--policy-reports', 'print wgpolicyk8s.io/v1alpha2 PolicyReport objects (JSON)')
    .option('--json', 'print the summary as JSON')
    .action(
      async (options: {
        store?: string;
        since?: string;
        namespace?: string;
        policyReports?: boolean;
        json?: boolean;
      }) => {
        const { existsSync } = await import('node:fs');
        const { join } = await import('node:path');
        // Only the record store and its reports: not the engine and its Sigstore dependencies.
        const [{ ADMISSION_DB, openAdmissionRecordStore }, { summarise, toPolicyReports }] =
          await Promise.all([
            import('../../admission/report/sqlite.ts'),
            import('../../admission/report/records.ts'),
          ]);
        const dir = await resolveStoreDir(options.store);
        if (options.since && Number.isNaN(Date.parse(options.since)))
          throw usageError(`--since: not a time: ${options.since}`);
        if (!existsSync(join(dir, ADMISSION_DB))) {
          throw usageError(`no admission records in ${dir} (the server writes ${ADMISSION_DB} there)`);
        }
        const store = openAdmissionRecordStore(dir, { readonly: true });
        try {
          const records = store.list({
            ...(options.since ? { since: new Date(options.since).toISOString() } : {}),
            ...(options.namespace ? { namespace: options.namespace } : {}),
          });
          if (options.policyReports) {
            printJson(toPolicyReports(records));
            return;
          }
          const summary = summarise(records);
          if (options.json) {
            printJson(summary);
            return;
          }
          const out =
            `Would have been blocked by Enforce (Audit violations): ${summary.wouldBlock.total} request(s)\n` +
            table('per namespace', summary.wouldBlock.byNamespace) +
            table('per image', summary.wouldBlock.byImage) +
            table('per rule', summary.wouldBlock.byRule) +
            `Blocked under Enforce: ${summary.blocked.total} request(s)\n` +
            table('per namespace', summary.blocked.byNamespace) +
            table('per rule', summary.blocked.byRule) +
            `Admitted by break-glass: ${summary.breakGlass}\n`;
          process.stdout.write(out);
        } finally {
          store.close();
        }
      },
    );
}

/** `gatechain admission install|report`. */
export function register(program: Command): void {
  const group = program
    .command('admission')
    .description('Install the admission webhooks and report on their decisions');
  registerInstall(group);
  registerReport(group);
}
