import { type ContainerImage, containerImages } from './images/pod-specs.ts';
import { formatImageReference, type ImageReference, parseImageReference } from './images/reference.ts';
import { globMatch } from './policy/glob.ts';
import type {
  AdmissionPolicy,
  PolicyRule,
  ResourceFilter,
  ResourceMatch,
  VerifyImagesEntry,
} from './policy/types.ts';
import type { AdmissionRequest } from './review/parse.ts';

/**
 * Which rules apply to a request and which verifyImages entries apply to each of its images.
 * Pure: kind, namespace and container images are all it reads from the request.
 */
export interface MatchedImage {
  container: ContainerImage;
  reference?: ImageReference;
  parseError?: string;
  entries: Array<{ policy: AdmissionPolicy; rule: PolicyRule; entry: VerifyImagesEntry }>;
}

function filterMatches(filter: ResourceFilter, kind: string, namespace: string, autogen: string[]): boolean {
  const kindOk = filter.kinds.some((k) => k === '*' || k === kind || (k === 'Pod' && autogen.includes(kind)));
  const nsOk = filter.namespaces.length === 0 || filter.namespaces.some((ns) => globMatch(ns, namespace));
  return kindOk && nsOk;
}

function resourceMatches(match: ResourceMatch, kind: string, namespace: string, autogen: string[]): boolean {
  const anyOk = match.any.length === 0 || match.any.some((f) => filterMatches(f, kind, namespace, autogen));
  const allOk = match.all.every((f) => filterMatches(f, kind, namespace, autogen));
  return anyOk && allOk;
}

/** The forms of an image a glob is tried against: as written, normalised, and without tag/digest. */
function imageForms(container: ContainerImage, reference?: ImageReference): string[] {
  if (!reference) return [container.image];
  const { original: _original, ...parts } = reference;
  return [container.image, formatImageReference(parts), `${reference.registry}/${reference.repository}`];
}

function imageMatches(entry: VerifyImagesEntry, forms: string[]): boolean {
  const included = entry.imageReferences.some((glob) => forms.some((form) => globMatch(glob, form)));
  return included && !entry.skipImageReferences.some((glob) => forms.some((form) => globMatch(glob, form)));
}

/**
 * The in-scope rules of a request (match and not exclude, with Kyverno's Pod autogen for
 * controllers) and, per container image, the entries whose imageReferences match it.
 */
export function matchRequest(
  policies: AdmissionPolicy[],
  request: AdmissionRequest,
): { images: MatchedImage[]; problems: string[]; inScope: boolean } {
  const kind = request.kind.kind;
  const namespace = request.namespace ?? '';
  const { images, problems } = containerImages(kind, request.object ?? {});
  const rules: Array<{ policy: AdmissionPolicy; rule: PolicyRule }> = [];
  for (const policy of policies) {
    for (const rule of policy.rules) {
      if (!resourceMatches(rule.match, kind, namespace, rule.autogenControllers)) continue;
      if (rule.exclude && resourceMatches(rule.exclude, kind, namespace, rule.autogenControllers)) continue;
      rules.push({ policy, rule });
    }
  }
  const matched = images.map((container): MatchedImage => {
    let reference: ImageReference | undefined;
    let parseError: string | undefined;
    try {
      reference = parseImageReference(container.image);
    } catch (error) {
      parseError = (error as Error).message;
    }
    const forms = imageForms(container, reference);
    const entries = rules.flatMap(({ policy, rule }) =>
      rule.verifyImages
        .filter((entry) => imageMatches(entry, forms))
        .map((entry) => ({ policy, rule, entry })),
    );
    return {
      container,
      ...(reference ? { reference } : {}),
      ...(parseError ? { parseError } : {}),
      entries,
    };
  });
  return { images: matched, problems, inScope: rules.length > 0 };
}
