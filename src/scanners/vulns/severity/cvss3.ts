import { parseVector } from './vector.ts';

/**
 * CVSS v3.0 and v3.1 base score (FIRST specification §7): the vector's base metrics through the
 * spec's weights and formulas, rounded up to one decimal with the version's Roundup. Temporal and
 * environmental metrics are accepted in the vector but do not change the base score.
 */
const X = ['X'];
const ALLOWED: Record<string, readonly string[]> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'R'],
  S: ['U', 'C'],
  C: ['H', 'L', 'N'],
  I: ['H', 'L', 'N'],
  A: ['H', 'L', 'N'],
  E: [...X, 'U', 'P', 'F', 'H'],
  RL: [...X, 'O', 'T', 'W', 'U'],
  RC: [...X, 'U', 'R', 'C'],
  CR: [...X, 'L', 'M', 'H'],
  IR: [...X, 'L', 'M', 'H'],
  AR: [...X, 'L', 'M', 'H'],
  MAV: [...X, 'N', 'A', 'L', 'P'],
  MAC: [...X, 'L', 'H'],
  MPR: [...X, 'N', 'L', 'H'],
  MUI: [...X, 'N', 'R'],
  MS: [...X, 'U', 'C'],
  MC: [...X, 'H', 'L', 'N'],
  MI: [...X, 'H', 'L', 'N'],
  MA: [...X, 'H', 'L', 'N'],
};
const BASE = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'];

const AV: Record<string, number> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC: Record<string, number> = { L: 0.77, H: 0.44 };
const PR_UNCHANGED: Record<string, number> = { N: 0.85, L: 0.62, H: 0.27 };
const PR_CHANGED: Record<string, number> = { N: 0.85, L: 0.68, H: 0.5 };
const UI: Record<string, number> = { N: 0.85, R: 0.62 };
const CIA: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };

/** v3.1 Roundup (Appendix A): works on integers so 4.000000001 does not become 4.1 through float noise. */
export function roundUp31(value: number): number {
  const scaled = Math.round(value * 100000);
  if (scaled % 10000 === 0) return scaled / 100000;
  return (Math.floor(scaled / 10000) + 1) / 10;
}

/** v3.0 Roundup: the smallest one-decimal number not below the input. */
export function roundUp30(value: number): number {
  return Math.ceil(value * 10) / 10;
}

export interface Cvss3Result {
  version: '3.0' | '3.1';
  score: number;
}

export function cvss3BaseScore(vector: string): Cvss3Result {
  const version = vector.startsWith('CVSS:3.0/') ? '3.0' : '3.1';
  const m = parseVector(vector, `CVSS:${version}`, ALLOWED, BASE);
  const get = (key: string) => m.get(key) as string;
  const changed = get('S') === 'C';
  const iss =
    1 - (1 - (CIA[get('C')] as number)) * (1 - (CIA[get('I')] as number)) * (1 - (CIA[get('A')] as number));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability =
    8.22 *
    (AV[get('AV')] as number) *
    (AC[get('AC')] as number) *
    ((changed ? PR_CHANGED : PR_UNCHANGED)[get('PR')] as number) *
    (UI[get('UI')] as number);
  const roundUp = version === '3.0' ? roundUp30 : roundUp31;
  if (impact <= 0) return { version, score: 0 };
  const score = changed
    ? roundUp(Math.min(1.08 * (impact + exploitability), 10))
    : roundUp(Math.min(impact + exploitability, 10));
  return { version, score };
}
