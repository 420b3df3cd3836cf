/**
 * Integrity values are kept as lower-case hex with a lower-case algorithm name (`sha512`), whatever
 * the lockfile used (npm's base64 SRI, Cargo's hex, `sha256:` prefixes), so outputs never guess.
 */
export interface Integrity {
  algorithm: string;
  value: string;
}

const HEX_LENGTH: Record<string, number> = { md5: 32, sha1: 40, sha256: 64, sha384: 96, sha512: 128 };

export function hexIntegrity(algorithm: string, hex: string): Integrity | undefined {
  const alg = algorithm.toLowerCase().replace('-', '');
  const value = hex.toLowerCase();
  if (HEX_LENGTH[alg] !== value.length || !/^[0-9a-f]+$/.test(value)) return undefined;
  return { algorithm: alg, value };
}

export function base64Integrity(algorithm: string, base64: string): Integrity | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  return hexIntegrity(algorithm, Buffer.from(base64, 'base64').toString('hex'));
}

/** An SRI string (`sha512-<base64>`, possibly several separated by spaces): the strongest one. */
export function sriIntegrity(sri: string): Integrity | undefined {
  let best: Integrity | undefined;
  for (const part of sri.trim().split(/\s+/)) {
    const dash = part.indexOf('-');
    if (dash <= 0) continue;
    const found = base64Integrity(part.slice(0, dash), part.slice(dash + 1));
    if (found && (!best || found.value.length > best.value.length)) best = found;
  }
  return best;
}

/** `sha256:<hex>` or `sha256=<hex>` as written by Python and Ruby tools. */
export function prefixedIntegrity(text: string): Integrity | undefined {
  const match = /^(md5|sha1|sha256|sha384|sha512)[:=]([0-9a-fA-F]+)$/.exec(text.trim());
  return match ? hexIntegrity(match[1]!, match[2]!) : undefined;
}
