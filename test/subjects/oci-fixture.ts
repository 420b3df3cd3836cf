import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Blob {
  digest: string;
  hex: string;
  size: number;
}

export function writeBlob(layout: string, content: string | Buffer): Blob {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const hex = createHash('sha256').update(bytes).digest('hex');
  mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(layout, 'blobs', 'sha256', hex), bytes);
  return { digest: `sha256:${hex}`, hex, size: bytes.length };
}

/** Writes a one-layer image manifest into a layout; returns its blob. */
export function writeImage(layout: string, label: string): Blob {
  const layer = writeBlob(layout, `layer of ${label}\n`);
  const config = writeBlob(
    layout,
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
    }),
  );
  return writeBlob(
    layout,
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: config.digest,
        size: config.size,
      },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layer.digest, size: layer.size },
      ],
    }),
  );
}

export function writeIndex(
  layout: string,
  manifests: { blob: Blob; annotations?: Record<string, string> }[],
): void {
  writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: manifests.map(({ blob, annotations }) => ({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: blob.digest,
        size: blob.size,
        ...(annotations ? { annotations } : {}),
      })),
    }),
  );
}

/** Packs a directory's contents with GNU tar (a real tool), in the given format. */
export function tarDirectory(dir: string, out: string, format: 'ustar' | 'pax' | 'gnu' = 'ustar'): void {
  execFileSync('tar', [`--format=${format}`, '-C', dir, '-cf', out, '.']);
}
