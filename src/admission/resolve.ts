import type { Store } from '../store/index.ts';
import { formatImageReference, type ImageReference } from './images/reference.ts';

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface RegistryResolverOptions {
  /** Registries reached over plain HTTP (e.g. a local test registry). */
  insecureRegistries?: string[];
  timeoutMs?: number;
}

/**
 * Resolves `registry/repo:tag` to its manifest digest with an OCI distribution HEAD request
 * (Docker-Content-Digest). Anonymous access only. The result is a hint: the digest is then
 * verified like any other, so a lying registry can at worst get a different signed image admitted.
 */
export function registryResolver(options: RegistryResolverOptions = {}) {
  const insecure = new Set(options.insecureRegistries ?? []);
  return async (reference: ImageReference): Promise<string | undefined> => {
    const host = reference.registry === 'docker.io' ? 'registry-1.docker.io' : reference.registry;
    const scheme = insecure.has(reference.registry) ? 'http' : 'https';
    const url = `${scheme}://${host}/v2/${reference.repository}/manifests/${encodeURIComponent(reference.tag ?? 'latest')}`;
    const response = await fetch(url, {
      method: 'HEAD',
      headers: { accept: MANIFEST_ACCEPT },
      signal: AbortSignal.timeout(options.timeoutMs ?? 2000),
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`registry answered HTTP ${response.status} for ${url}`);
    const digest = response.headers.get('docker-content-digest');
    return digest && /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : undefined;
  };
}

/** Tries each resolver in turn; the first digest wins. */
export function firstResolver(
  resolvers: Array<(reference: ImageReference) => Promise<string | undefined>>,
): (reference: ImageReference) => Promise<string | undefined> {
  return async (reference) => {
    let lastError: unknown;
    for (const resolve of resolvers) {
      try {
        const digest = await resolve(reference);
        if (digest) return digest;
      } catch (error) {
        lastError = error;
      }
    }
    if (lastError) throw lastError;
    return undefined;
  };
}

/**
 * Resolves a tag through the store: the newest attestation with a subject named exactly like the
 * image (as written, or normalised `registry/repo:tag`) gives the digest. The store indexes digests,
 * not names, so this reads at most `scanLimit` newest attestations. A hint like the registry's:
 * the digest is verified afterwards like any other.
 */
export function storeTagResolver(
  store: Pick<Store, 'findAttestations'>,
  options: { scanLimit?: number } = {},
) {
  const scanLimit = options.scanLimit ?? 1000;
  return async (reference: ImageReference): Promise<string | undefined> => {
    if (!reference.tag) return undefined;
    const { original, ...parts } = reference;
    const names = new Set([original, formatImageReference(parts)]);
    for (const row of await store.findAttestations({ limit: scanLimit })) {
      for (const subject of row.subjects) {
        const sha256 = subject.digest['sha256'];
        if (subject.name && names.has(subject.name) && sha256 && /^[0-9a-f]{64}$/.test(sha256))
          return `sha256:${sha256}`;
      }
    }
    return undefined;
  };
}
