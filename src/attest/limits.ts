/**
 * Size limits on attestation input read from outside. A bundle carries its statement base64
 * encoded; large SBOM predicates are the biggest legitimate bundles, so the limit is generous
 * but finite: anything larger is refused before it is decoded.
 */
export const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;

export { MAX_JSON_DEPTH } from '../util/canonical-json.ts';

/** Lines accepted in one in-toto JSON Lines file. */
export const MAX_JSON_LINES = 100_000;

/** Size of a PEM key file we accept: real keys are under 1 KiB. */
export const MAX_KEY_PEM_BYTES = 16 * 1024;
