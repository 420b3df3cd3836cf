import { createHash } from 'node:crypto';

/**
 * A stable fingerprint from the parts that identify an issue (tool, rule, file, the normalised
 * text of the line, ...). Parts are length-prefixed so that ("ab","c") and ("a","bc") differ.
 * Never pass a secret's value as a part.
 */
export function stableFingerprint(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}\n`);
  return hash.digest('hex').slice(0, 32);
}
