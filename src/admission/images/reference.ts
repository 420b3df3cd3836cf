import type { DigestSet } from '../../model/digest.ts';
import { InputError } from '../../util/errors.ts';

/** A parsed container image reference. Only the digest identifies content; the tag is a hint. */
export interface ImageReference {
  /** The string as written in the manifest. */
  original: string;
  registry: string;
  /** Repository path within the registry, e.g. `library/nginx`. */
  repository: string;
  tag?: string;
  /** `sha256:<hex>` when the reference pins content. */
  digest?: string;
}

const MAX_REFERENCE = 1024;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/**
 * Parses `[registry/]path[:tag][@sha256:hex]` the way container runtimes do: a first component
 * with a dot, a colon or `localhost` is a registry; otherwise Docker Hub (with `library/`).
 */
export function parseImageReference(text: string): ImageReference {
  const bad = (why: string) =>
    new InputError('IMAGE_REFERENCE_INVALID', `image "${text.slice(0, 200)}" ${why}`);
  if (text.length === 0 || text.length > MAX_REFERENCE) throw bad('is empty or too long');
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad('has a digest that is not sha256:<64 lowercase hex>');
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) throw bad('has an invalid tag');
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    parts.shift();
  }
  if (parts.length === 0 || parts.some((part) => !COMPONENT.test(part)))
    throw bad('has an invalid repository path');
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  return {
    original: text,
    registry,
    repository: parts.join('/'),
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** `registry/repository[:tag][@digest]`, the normalised form policies are matched against. */
export function formatImageReference(ref: Omit<ImageReference, 'original'>): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** `sha256:<hex>` (an image digest as parsed above) as the DigestSet of an attestation subject. */
export function digestSubject(digest: string): DigestSet {
  const colon = digest.indexOf(':');
  return { [digest.slice(0, colon)]: digest.slice(colon + 1) };
}
