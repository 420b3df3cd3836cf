import { compareDigits } from './numeric.ts';
import { checkVersionLength, type VersionScheme } from './types.ts';

/**
 * dpkg ordering: [epoch:]upstream[-revision]. Upstream and revision are compared by alternating
 * non-digit and digit runs; in non-digit runs "~" sorts before everything (even the end), letters
 * before other characters; digit runs compare numerically. A missing revision equals "0".
 */
export interface DebianParsed {
  epoch: string;
  upstream: string;
  revision: string;
}

export function parseDebian(version: string): DebianParsed {
  checkVersionLength(version);
  let text = version.trim();
  let epoch = '0';
  const colon = text.indexOf(':');
  if (colon > 0 && /^\d+$/.test(text.slice(0, colon))) {
    epoch = text.slice(0, colon);
    text = text.slice(colon + 1);
  }
  const dash = text.lastIndexOf('-');
  if (dash >= 0) return { epoch, upstream: text.slice(0, dash), revision: text.slice(dash + 1) };
  return { epoch, upstream: text, revision: '' };
}

function order(code: number): number {
  if (Number.isNaN(code)) return 0;
  if (code === 126) return -1; // "~"
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return code;
  return code + 256;
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function compareDebianPart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Non-digit run, character by character.
    while (
      (i < a.length && !isDigitCode(a.charCodeAt(i))) ||
      (j < b.length && !isDigitCode(b.charCodeAt(j)))
    ) {
      const x = i < a.length && !isDigitCode(a.charCodeAt(i)) ? order(a.charCodeAt(i)) : 0;
      const y = j < b.length && !isDigitCode(b.charCodeAt(j)) ? order(b.charCodeAt(j)) : 0;
      if (x !== y) return x < y ? -1 : 1;
      i++;
      j++;
    }
    const startA = i;
    while (i < a.length && isDigitCode(a.charCodeAt(i))) i++;
    const startB = j;
    while (j < b.length && isDigitCode(b.charCodeAt(j))) j++;
    const diff = compareDigits(
      startA === i ? '0' : a.slice(startA, i),
      startB === j ? '0' : b.slice(startB, j),
    );
    if (diff !== 0) return diff;
  }
  return 0;
}

export function compareDebian(a: DebianParsed, b: DebianParsed): number {
  return (
    compareDigits(a.epoch, b.epoch) ||
    compareDebianPart(a.upstream, b.upstream) ||
    compareDebianPart(a.revision, b.revision)
  );
}

export const debianScheme: VersionScheme<DebianParsed> = {
  name: 'debian',
  parse: parseDebian,
  compareParsed: compareDebian,
};
