import { createHash } from 'node:crypto';
import type { SerializedBundle } from '@sigstore/bundle';
import { canonicalJson } from '../util/canonical-json.ts';
import { parseJson } from '../util/errors.ts';

/**
 * The store's content address of a bundle: lowercase hex SHA-256 of its canonical JSON bytes.
 * Two serialisations of the same bundle (whitespace, key order) share one address.
 */
export function bundleDigest(bundle: SerializedBundle | string | object): string {
  const value = typeof bundle === 'string' ? parseJson(bundle) : bundle;
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
