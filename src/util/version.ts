import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** gatechain's own version, from package.json (two levels up from both src/util and dist/util). */
export function gatechainVersion(): string {
  cached ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return cached;
}
