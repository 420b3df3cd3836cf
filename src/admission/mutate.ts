import type { ImageReference } from './images/reference.ts';
import { matchRequest } from './match.ts';
import type { AdmissionPolicy } from './policy/types.ts';
import type { AdmissionRequest } from './review/parse.ts';
import { type AdmissionDecision, escapePointerSegment, type JsonPatchOperation } from './review/response.ts';

/** Annotations gatechain itself might be expected to write: never trusted, and removed on mutate. */
export const UNTRUSTED_ANNOTATION_PREFIX = 'gatechain.dev/';

/**
 * The mutating webhook's decision: pin tag-only images to a digest where a matching entry has
 * mutateDigest, and strip annotations under gatechain.dev/ a client may have forged. Always
 * allowed: it never admits or denies on verification grounds (the validating webhook does).
 */
export async function mutateRequest(
  policies: AdmissionPolicy[],
  request: AdmissionRequest,
  resolveTag?: (reference: ImageReference) => Promise<string | undefined>,
): Promise<AdmissionDecision> {
  const patch: JsonPatchOperation[] = [];
  const warnings: string[] = [];
  if (request.operation === 'CREATE' || request.operation === 'UPDATE') {
    const metadata = ((request.object ?? {}) as Record<string, unknown>)['metadata'] as
      | Record<string, unknown>
      | undefined;
    const annotations = metadata?.['annotations'];
    if (annotations && typeof annotations === 'object') {
      for (const key of Object.keys(annotations)) {
        if (key.startsWith(UNTRUSTED_ANNOTATION_PREFIX)) {
          patch.push({ op: 'remove', path: `/metadata/annotations/${escapePointerSegment(key)}` });
          warnings.push(`removed annotation ${key}: verification results are never taken from the request`);
        }
      }
    }
    const { images } = matchRequest(policies, request);
    await Promise.all(
      images.map(async (image) => {
        const reference = image.reference;
        if (!reference || reference.digest || !image.entries.some((e) => e.entry.mutateDigest)) return;
        let digest: string | undefined;
        try {
          digest = await resolveTag?.(reference);
        } catch (error) {
          warnings.push(`could not resolve ${image.container.image}: ${(error as Error).message}`);
          return;
        }
        if (!digest) {
          warnings.push(`could not resolve ${image.container.image} to a digest`);
          return;
        }
        patch.push({
          op: 'replace',
          path: image.container.pointer,
          value: `${image.container.image}@${digest}`,
        });
      }),
    );
  }
  return { allowed: true, warnings, patch };
}
