import { InputError } from '../util/errors.ts';

/** What a subject argument names, before anything is read from disk. */
export type SubjectSpec =
  | { kind: 'git'; revision: string }
  | { kind: 'oci-layout'; path: string; ref?: string }
  | { kind: 'oci-archive'; path: string; ref?: string }
  | { kind: 'docker-archive'; path: string; ref?: string }
  | { kind: 'digest'; name?: string; algorithm: 'sha256' | 'sha512'; hex: string }
  | { kind: 'path'; path: string };

export const MAX_SUBJECT_SPEC_LENGTH = 4096;

const HEX_LENGTH = { sha256: 64, sha512: 128 } as const;

// A git revision we pass to `git rev-parse`: no leading dash (never an option), no whitespace,
// nothing git's own syntax would read as a range or a command.
const GIT_REVISION = /^[A-Za-z0-9_][A-Za-z0-9_./^~@{}-]{0,255}$/;

// Docker/OCI reference grammar, simplified: [registry[:port]/]path[:tag]. Components are short
// lowercase words joined by separators; every quantifier is bounded and unambiguous (linear time).
const DOMAIN = '(?:localhost|[a-zA-Z0-9-]{1,63}(?:\\.[a-zA-Z0-9-]{1,63}){1,10})(?::[0-9]{1,5})?';
const COMPONENT = '[a-z0-9]{1,128}(?:(?:[._]|__|-{1,8})[a-z0-9]{1,128}){0,32}';
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const IMAGE_NAME = new RegExp(`^(?:(${DOMAIN})/)?(${COMPONENT}(?:/${COMPONENT}){0,16})(?::(${TAG}))?$`);

export interface ImageReference {
  domain?: string;
  path: string;
  tag?: string;
}

/** Parses `[registry/]name[:tag]` (no digest); undefined when the text is not such a reference. */
export function parseImageName(text: string): ImageReference | undefined {
  if (text.length > 512) return undefined;
  const match = IMAGE_NAME.exec(text);
  if (!match?.[2]) return undefined;
  const reference: ImageReference = { path: match[2] };
  if (match[1]) reference.domain = match[1];
  if (match[3]) reference.tag = match[3];
  return reference;
}

function splitRef(rest: string): { path: string; ref?: string } {
  // `dir@ref`: the last '@' separates a ref name; a path containing '@' needs the ref spelled out.
  const at = rest.lastIndexOf('@');
  if (at <= 0) return { path: rest };
  return { path: rest.slice(0, at), ref: rest.slice(at + 1) };
}

function digestSpec(algorithm: string, hex: string, name: string | undefined, spec: string): SubjectSpec {
  if (algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw new InputError(
      'SUBJECT_DIGEST_INVALID',
      `digest algorithm ${algorithm} is not supported in "${spec}"; use sha256`,
    );
  }
  if (hex.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(hex)) {
    throw new InputError(
      'SUBJECT_DIGEST_INVALID',
      `"${spec}" needs ${HEX_LENGTH[algorithm]} lowercase hex digits after ${algorithm}:`,
    );
  }
  const out: SubjectSpec = { kind: 'digest', algorithm, hex };
  if (name) out.name = name;
  return out;
}

/**
 * Classifies a subject argument. Pure: whether a `path` exists is for the resolver to find out.
 * Throws SUBJECT_SPEC_INVALID / SUBJECT_DIGEST_INVALID for text that cannot name anything.
 */
export function parseSubjectSpec(spec: string): SubjectSpec {
  if (typeof spec !== 'string' || spec.length === 0) {
    throw new InputError('SUBJECT_SPEC_INVALID', 'subject is empty');
  }
  if (spec.length > MAX_SUBJECT_SPEC_LENGTH) {
    throw new InputError(
      'SUBJECT_SPEC_INVALID',
      `subject is longer than ${MAX_SUBJECT_SPEC_LENGTH} characters`,
    );
  }
  if (spec.includes('\0')) throw new InputError('SUBJECT_SPEC_INVALID', 'subject contains a NUL character');
  if (spec === 'git') return { kind: 'git', revision: 'HEAD' };
  if (spec.startsWith('git:')) {
    const revision = spec.slice(4);
    if (!GIT_REVISION.test(revision)) {
      throw new InputError(
        'SUBJECT_SPEC_INVALID',
        `"${revision}" is not a git revision gatechain accepts (e.g. git:HEAD)`,
      );
    }
    return { kind: 'git', revision };
  }
  for (const kind of ['oci-layout', 'oci-archive', 'docker-archive'] as const) {
    const prefix = `${kind}:`;
    if (spec.startsWith(prefix)) {
      const { path, ref } = splitRef(spec.slice(prefix.length));
      if (path.length === 0)
        throw new InputError('SUBJECT_SPEC_INVALID', `${prefix} needs a path, e.g. ${prefix}./image`);
      if (ref === undefined) return { kind, path };
      if (ref.length === 0)
        throw new InputError('SUBJECT_SPEC_INVALID', `empty reference name after @ in "${spec}"`);
      return { kind, path, ref };
    }
  }
  const bare = /^(sha256|sha512):([^@]*)$/.exec(spec);
  if (bare?.[1]) return digestSpec(bare[1], bare[2] ?? '', undefined, spec);
  const at = spec.lastIndexOf('@');
  if (at > 0) {
    const digest = /^([a-z0-9]{1,16}):(.*)$/.exec(spec.slice(at + 1));
    if (digest?.[1]) return digestSpec(digest[1], digest[2] ?? '', spec.slice(0, at), spec);
  }
  return { kind: 'path', path: spec };
}

/** True when `text` reads as an image reference pinned only by a (mutable) tag or by nothing. */
export function looksLikeTagOnlyImage(text: string): boolean {
  const reference = parseImageName(text);
  if (!reference) return false;
  return reference.tag !== undefined || reference.domain !== undefined;
}

export function tagOnlyError(text: string): InputError {
  const reference = parseImageName(text);
  const name = reference ? `${reference.domain ? `${reference.domain}/` : ''}${reference.path}` : text;
  return new InputError(
    'IMAGE_TAG_ONLY',
    `"${text}" names an image by tag, and tags are mutable: the registry can point it at different content tomorrow. ` +
      `Name the image by digest instead, e.g. ${name}@sha256:<64 hex>; get it with ` +
      `\`crane digest ${text}\`, \`skopeo inspect --format '{{.Digest}}' docker://${text}\`, ` +
      `\`docker buildx imagetools inspect ${text}\`, or attest a local oci-layout:<dir> / oci-archive:<file.tar>.`,
  );
}
