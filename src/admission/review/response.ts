import { ADMISSION_API_VERSION } from './parse.ts';

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

export interface AdmissionDecision {
  allowed: boolean;
  /** HTTP-like status code for denials (403) and the reason shown to the user. */
  status?: { code: number; message: string };
  warnings: string[];
  patch: JsonPatchOperation[];
}

export interface AdmissionReviewResponse {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: 'AdmissionReview';
  response: {
    uid: string;
    allowed: boolean;
    status?: { code: number; message: string };
    warnings?: string[];
    patchType?: 'JSONPatch';
    patch?: string;
  };
}

/** The API server may truncate warnings past 256 characters; keep each one short and whole. */
export const MAX_WARNING_LENGTH = 120;
const MAX_WARNINGS = 20;
const MAX_MESSAGE_LENGTH = 4000;

function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** Builds the AdmissionReview answer; patchType is set only together with a non-empty patch. */
export function buildReviewResponse(uid: string, decision: AdmissionDecision): AdmissionReviewResponse {
  const response: AdmissionReviewResponse['response'] = { uid, allowed: decision.allowed };
  if (!decision.allowed && decision.status) {
    response.status = {
      code: decision.status.code,
      message: clip(decision.status.message, MAX_MESSAGE_LENGTH),
    };
  }
  const warnings = decision.warnings.slice(0, MAX_WARNINGS).map((w) => clip(w, MAX_WARNING_LENGTH));
  if (decision.warnings.length > MAX_WARNINGS)
    warnings.push(`… and ${decision.warnings.length - MAX_WARNINGS} more`);
  if (warnings.length > 0) response.warnings = warnings;
  if (decision.allowed && decision.patch.length > 0) {
    response.patchType = 'JSONPatch';
    response.patch = Buffer.from(JSON.stringify(decision.patch)).toString('base64');
  }
  return { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response };
}

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
export function escapePointerSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
