import { z } from 'zod';
import { InputError } from '../../util/errors.ts';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

/** Fields gatechain reads from an AdmissionRequest; others the API server sends pass through. */
const requestSchema = z.looseObject({
  uid: z.string().min(1).max(128),
  kind: z.looseObject({ group: z.string(), version: z.string(), kind: z.string().min(1) }),
  resource: z.looseObject({ group: z.string(), version: z.string(), resource: z.string() }).optional(),
  subResource: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  operation: z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']),
  userInfo: z.looseObject({ username: z.string().optional() }).optional(),
  object: z.record(z.string(), z.unknown()).nullable().optional(),
  oldObject: z.unknown().optional(),
  dryRun: z.boolean().optional(),
});

const reviewSchema = z.looseObject({
  apiVersion: z.literal(ADMISSION_API_VERSION),
  kind: z.literal('AdmissionReview'),
  request: requestSchema,
});

export type AdmissionRequest = z.infer<typeof requestSchema>;

/** Validates a decoded AdmissionReview; anything else is an InputError the server answers with 400. */
export function parseAdmissionReview(body: unknown): AdmissionRequest {
  const parsed = reviewSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(body)';
    throw new InputError('ADMISSION_REVIEW_INVALID', `AdmissionReview ${field}: ${issue.message}`);
  }
  return parsed.data.request;
}

/**
 * The `timeout` query parameter the API server appends (`?timeout=10s`), in milliseconds;
 * undefined when absent or unreadable.
 */
export function parseTimeoutParameter(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{1,6})(ms|s|m)$/.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  return match[2] === 'ms' ? amount : match[2] === 's' ? amount * 1000 : amount * 60_000;
}
