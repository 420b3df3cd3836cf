import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ResourceDescriptor } from '../model/statement.ts';
import { InputError } from '../util/errors.ts';
import { fileDigests } from './file-digest.ts';
import { gitSubject } from './git.ts';
import { dockerArchiveSubject, ociArchiveSubject, ociLayoutSubject } from './oci.ts';
import { looksLikeTagOnlyImage, parseSubjectSpec, type SubjectSpec, tagOnlyError } from './reference.ts';
import { treeDigest } from './tree-digest.ts';

export { type ImageReference, parseImageName, parseSubjectSpec, type SubjectSpec } from './reference.ts';
export {
  listTree,
  TREE_DIGEST_VERSION,
  TREE_EXCLUDED_NAMES,
  type TreeEntry,
  treeDigest,
  treeManifest,
} from './tree-digest.ts';

export interface ResolveOptions {
  /** Directory relative paths and `git` are resolved in. */
  cwd: string;
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

function notFound(spec: string, path: string): InputError {
  return new InputError(
    'SUBJECT_NOT_FOUND',
    `no file or directory ${JSON.stringify(spec)} (looked at ${path}). A subject is a file, a directory, git:HEAD, ` +
      'oci-layout:<dir>, oci-archive:<file.tar>, docker-archive:<file.tar>, name@sha256:<hex> or sha256:<hex>.',
    { file: spec },
  );
}

/**
 * Turns a subject argument into an in-toto ResourceDescriptor with its digests. Images are only
 * ever named by digest: a tag-only reference is refused with IMAGE_TAG_ONLY.
 */
export async function resolveSubject(spec: string, options: ResolveOptions): Promise<ResourceDescriptor> {
  const parsed: SubjectSpec = parseSubjectSpec(spec);
  switch (parsed.kind) {
    case 'git':
      return gitSubject(options.cwd, parsed.revision);
    case 'digest': {
      const out: ResourceDescriptor = { digest: { [parsed.algorithm]: parsed.hex } };
      if (parsed.name) out.name = parsed.name;
      return out;
    }
    case 'oci-layout':
    case 'oci-archive':
    case 'docker-archive': {
      const path = resolve(options.cwd, parsed.path);
      const stats = await statOrUndefined(path);
      if (!stats) throw notFound(parsed.path, path);
      if (parsed.kind === 'oci-layout') {
        if (!stats.isDirectory())
          throw new InputError('SUBJECT_SPEC_INVALID', `oci-layout: ${parsed.path} is not a directory`);
        return ociLayoutSubject(path, parsed.ref);
      }
      if (!stats.isFile())
        throw new InputError('SUBJECT_SPEC_INVALID', `${parsed.kind}: ${parsed.path} is not a file`);
      return parsed.kind === 'oci-archive'
        ? ociArchiveSubject(path, parsed.ref)
        : dockerArchiveSubject(path, parsed.ref);
    }
    case 'path': {
      const path = resolve(options.cwd, parsed.path);
      const stats = await statOrUndefined(path);
      if (stats?.isFile()) return { name: basename(path), digest: await fileDigests(path) };
      if (stats?.isDirectory()) return { name: basename(path), digest: { sha256: await treeDigest(path) } };
      if (stats)
        throw new InputError('SUBJECT_SPEC_INVALID', `${parsed.path} is neither a file nor a directory`);
      if (looksLikeTagOnlyImage(parsed.path)) throw tagOnlyError(parsed.path);
      throw notFound(parsed.path, path);
    }
  }
}
