import { createHash } from 'node:crypto';

/** sha256 hex of a secret: the only form of the value that leaves the matcher. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * A short, safe preview: at most 4 leading characters and never more than a quarter of the
 * value, then a mask with the length. A 40-character key shows its 4-character type prefix; an
 * 8-character password shows 2.
 */
export function redactSecret(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, shown)}***(${secret.length})`;
}

/** The match text with the secret replaced by its redacted form, capped so no long context leaks. */
export function redactMatch(match: string, secret: string): string {
  const masked = secret.length > 0 ? match.split(secret).join(redactSecret(secret)) : match;
  const flat = masked.replaceAll(/\s+/g, ' ');
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}
