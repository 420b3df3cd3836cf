import { createHash } from 'node:crypto';

/**
 * Canonical JSON for digests: the one encoder the project shares (object keys sorted, no
 * whitespace, undefined members dropped), so equal values give equal bytes and equal digests.
 */
export { canonicalJson } from '../../util/canonical-json.ts';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
