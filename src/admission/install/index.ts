import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createServingCertificates, serviceDnsNames } from './certs.ts';
import { type InstallOptions, serverManifestsYaml, webhookConfigurationsYaml } from './manifests.ts';

export { createServingCertificates, serviceDnsNames } from './certs.ts';
export { serverManifestsYaml, webhookConfigurationsYaml } from './manifests.ts';

export interface InstallRequest
  extends Omit<InstallOptions, 'caCertPem' | 'certPem' | 'keyPem' | 'policies'> {
  out: string;
  /** Policy files: path → text. */
  policyFiles: Record<string, string>;
  /** Extra SANs (e.g. 127.0.0.1 for a local run). */
  extraDnsNames?: string[];
  extraIpAddresses?: string[];
}

export const INSTALL_FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  cert: 'tls.crt',
  key: 'tls.key',
  webhooks: 'webhook-configurations.yaml',
  server: 'server.yaml',
} as const;

/** Writes the CA, serving certificate and manifests; private keys are written mode 0600. */
export async function writeInstallBundle(
  request: InstallRequest,
): Promise<Record<keyof typeof INSTALL_FILES, string>> {
  const certs = await createServingCertificates({
    dnsNames: [...serviceDnsNames(request.service, request.namespace), ...(request.extraDnsNames ?? [])],
    ipAddresses: request.extraIpAddresses ?? [],
  });
  const policies = Object.fromEntries(
    Object.entries(request.policyFiles).map(([path, text]) => [basename(path), text]),
  );
  const options: InstallOptions = { ...request, ...certs, policies };
  await mkdir(request.out, { recursive: true });
  const paths = Object.fromEntries(
    Object.entries(INSTALL_FILES).map(([k, f]) => [k, join(request.out, f)]),
  ) as Record<keyof typeof INSTALL_FILES, string>;
  const secret = { mode: 0o600 };
  await writeFile(paths.caCert, certs.caCertPem);
  await writeFile(paths.caKey, certs.caKeyPem, secret);
  await writeFile(paths.cert, certs.certPem);
  await writeFile(paths.key, certs.keyPem, secret);
  await writeFile(paths.webhooks, webhookConfigurationsYaml(options));
  // The server manifests embed the serving key in a Secret: as sensitive as tls.key itself.
  await writeFile(paths.server, serverManifestsYaml(options), secret);
  await chmod(paths.caKey, 0o600);
  await chmod(paths.key, 0o600);
  return paths;
}
