import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ResourceDescriptor } from '../model/statement.ts';
import { InputError, parseJson } from '../util/errors.ts';
import { TarArchive } from './tar.ts';

export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
/** Docker ≥ 25 `docker save` also names each image with its full reference here. */
export const CONTAINERD_NAME_ANNOTATION = 'io.containerd.image.name';
const MAX_LAYOUT_FILE = 16 * 1024 * 1024;

/** Where layout files come from: a directory or a tar archive. */
export interface LayoutSource {
  /** For messages: the directory or archive path. */
  label: string;
  read(path: string): Buffer | undefined;
}

export function directorySource(dir: string): LayoutSource {
  return {
    label: dir,
    read(path) {
      const file = join(dir, path);
      let size: number;
      try {
        const stats = statSync(file);
        if (!stats.isFile()) return undefined;
        size = stats.size;
      } catch {
        return undefined;
      }
      if (size > MAX_LAYOUT_FILE) {
        throw new InputError('OCI_LAYOUT_INVALID', `${path} is larger than ${MAX_LAYOUT_FILE} bytes`, {
          file,
        });
      }
      return readFileSync(file);
    },
  };
}

export function tarSource(archive: TarArchive): LayoutSource {
  return { label: archive.file, read: (path) => archive.read(path) };
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations: Record<string, string>;
}

function layoutError(code: string, source: LayoutSource, message: string): InputError {
  return new InputError(code, message, { file: source.label });
}

function readJson(source: LayoutSource, path: string): unknown {
  const bytes = source.read(path);
  if (!bytes) throw layoutError('OCI_LAYOUT_INVALID', source, `${path} is missing: not an OCI image layout`);
  try {
    return parseJson(bytes.toString('utf8'), `${source.label}:${path}`);
  } catch (error) {
    throw new InputError(
      'OCI_LAYOUT_INVALID',
      `${path} is not valid JSON`,
      { file: source.label },
      { cause: error },
    );
  }
}

function descriptorsOf(source: LayoutSource, index: unknown): Descriptor[] {
  const manifests = (index as { manifests?: unknown } | null)?.manifests;
  if (!Array.isArray(manifests)) {
    throw layoutError('OCI_LAYOUT_INVALID', source, 'index.json has no manifests array');
  }
  return manifests.map((entry, i) => {
    const { mediaType, digest, size, annotations } = (entry ?? {}) as Record<string, unknown>;
    if (typeof digest !== 'string' || typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw layoutError('OCI_LAYOUT_INVALID', source, `index.json manifests[${i}] needs a digest and a size`);
    }
    const names: Record<string, string> = {};
    if (annotations && typeof annotations === 'object' && !Array.isArray(annotations)) {
      for (const [key, value] of Object.entries(annotations))
        if (typeof value === 'string') names[key] = value;
    }
    return { mediaType: typeof mediaType === 'string' ? mediaType : '', digest, size, annotations: names };
  });
}

function refNames(descriptor: Descriptor): string[] {
  return [
    descriptor.annotations[REF_NAME_ANNOTATION],
    descriptor.annotations[CONTAINERD_NAME_ANNOTATION],
  ].filter((name): name is string => name !== undefined);
}

function choose(source: LayoutSource, descriptors: Descriptor[], ref: string | undefined): Descriptor {
  if (ref !== undefined) {
    const matches = descriptors.filter((descriptor) => refNames(descriptor).includes(ref));
    const distinct = new Set(matches.map((descriptor) => descriptor.digest));
    if (matches.length === 0 || distinct.size > 1) {
      const known = descriptors.flatMap(refNames);
      throw layoutError(
        matches.length === 0 ? 'OCI_REF_NOT_FOUND' : 'OCI_REF_AMBIGUOUS',
        source,
        matches.length === 0
          ? `no manifest named "${ref}" in index.json (names: ${known.length ? known.join(', ') : 'none'})`
          : `"${ref}" names ${distinct.size} different manifests`,
      );
    }
    return matches[0] as Descriptor;
  }
  if (descriptors.length === 1) return descriptors[0] as Descriptor;
  if (descriptors.length === 0) throw layoutError('OCI_LAYOUT_EMPTY', source, 'index.json lists no manifest');
  const known = descriptors.flatMap(refNames);
  throw layoutError(
    'OCI_REF_REQUIRED',
    source,
    `index.json lists ${descriptors.length} manifests; choose one with @<name> (names: ${known.length ? known.join(', ') : 'none'})`,
  );
}

/**
 * The image a layout holds: the digest of the manifest (or image index) that index.json points
 * at, which is the digest a registry serves and admission checks. The blob is read and re-hashed,
 * so a layout whose index.json lies about its manifest is refused.
 */
export function resolveLayout(
  source: LayoutSource,
  ref: string | undefined,
  fallbackName: string,
): ResourceDescriptor {
  const descriptor = choose(source, descriptorsOf(source, readJson(source, 'index.json')), ref);
  const match = /^sha256:([0-9a-f]{64})$/.exec(descriptor.digest);
  if (!match?.[1]) {
    throw layoutError(
      'SUBJECT_DIGEST_INVALID',
      source,
      `manifest digest ${descriptor.digest} is not sha256:<64 hex>`,
    );
  }
  const hex = match[1];
  const blob = source.read(`blobs/sha256/${hex}`);
  if (!blob) throw layoutError('OCI_BLOB_MISSING', source, `manifest blob blobs/sha256/${hex} is missing`);
  const actual = createHash('sha256').update(blob).digest('hex');
  if (actual !== hex || blob.length !== descriptor.size) {
    throw layoutError(
      'OCI_BLOB_DIGEST_MISMATCH',
      source,
      `manifest blob blobs/sha256/${hex} hashes to sha256:${actual} (${blob.length} bytes), not what index.json says`,
    );
  }
  const out: ResourceDescriptor = {
    name:
      descriptor.annotations[CONTAINERD_NAME_ANNOTATION] ??
      ref ??
      descriptor.annotations[REF_NAME_ANNOTATION] ??
      fallbackName,
    digest: { sha256: hex },
  };
  if (descriptor.mediaType) out.mediaType = descriptor.mediaType;
  return out;
}

function requireLayoutMarker(source: LayoutSource): void {
  const marker = readJson(source, 'oci-layout') as { imageLayoutVersion?: unknown } | null;
  if (typeof marker?.imageLayoutVersion !== 'string') {
    throw layoutError('OCI_LAYOUT_INVALID', source, 'oci-layout has no imageLayoutVersion');
  }
}

export function ociLayoutSubject(dir: string, ref: string | undefined): ResourceDescriptor {
  const source = directorySource(dir);
  requireLayoutMarker(source);
  return resolveLayout(source, ref, basename(dir));
}

export function ociArchiveSubject(file: string, ref: string | undefined): ResourceDescriptor {
  const archive = TarArchive.open(file);
  try {
    const source = tarSource(archive);
    requireLayoutMarker(source);
    return resolveLayout(source, ref, basename(file));
  } finally {
    archive.close();
  }
}

/**
 * A `docker save` tarball. Docker ≥ 25 writes an OCI layout inside it (index.json): its manifest
 * digest is the subject. Older tarballs hold only manifest.json, config and layers; the image
 * manifest a registry would serve does not exist in them, so there is no digest to attest and the
 * tarball is refused with a way out instead of inventing one.
 */
export function dockerArchiveSubject(file: string, ref: string | undefined): ResourceDescriptor {
  const archive = TarArchive.open(file);
  try {
    const source = tarSource(archive);
    if (archive.has('index.json')) return resolveLayout(source, ref, basename(file));
    if (archive.has('manifest.json')) {
      throw new InputError(
        'DOCKER_ARCHIVE_NO_MANIFEST_DIGEST',
        'this docker save tarball predates Docker 25 and has no OCI index.json, so it holds no image manifest ' +
          'and no registry digest. Save it with Docker ≥ 25, convert it with `skopeo copy docker-archive:x.tar oci-archive:y.tar`, ' +
          'or push it and attest name@sha256:<digest>.',
        { file },
      );
    }
    throw new InputError(
      'OCI_LAYOUT_INVALID',
      'neither index.json nor manifest.json found: not an image tarball',
      {
        file,
      },
    );
  } finally {
    archive.close();
  }
}
