import { InputError } from '../../../util/errors.ts';

export const MAX_VECTOR_LENGTH = 512;

/**
 * Splits `CVSS:x.y/K:V/K:V…` into its metrics after checking each key is known, each value is
 * allowed, no key repeats and every required key is present.
 */
export function parseVector(
  vector: string,
  prefix: string,
  allowed: Readonly<Record<string, readonly string[]>>,
  required: readonly string[],
): Map<string, string> {
  const fail = (why: string): never => {
    throw new InputError('CVSS_INVALID', `"${vector.slice(0, 80)}" is not a valid ${prefix} vector: ${why}`);
  };
  if (vector.length > MAX_VECTOR_LENGTH) fail(`longer than ${MAX_VECTOR_LENGTH} characters`);
  const parts = vector.trim().split('/');
  if (parts[0] !== prefix) fail(`it must start with ${prefix}/`);
  const metrics = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const colon = part.indexOf(':');
    if (colon <= 0) fail(`"${part}" is not KEY:VALUE`);
    const key = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const values = Object.hasOwn(allowed, key) ? allowed[key] : undefined;
    if (!values) fail(`unknown metric ${key}`);
    if (!(values as readonly string[]).includes(value)) fail(`${key} cannot be ${value}`);
    if (metrics.has(key)) fail(`${key} appears twice`);
    metrics.set(key, value);
  }
  for (const key of required) if (!metrics.has(key)) fail(`missing ${key}`);
  return metrics;
}
