import { InputError } from '../../../util/errors.ts';
import { MACROVECTOR_SCORES } from './cvss4-macrovectors.ts';
import { parseVector } from './vector.ts';

/**
 * CVSS v4.0 score (FIRST specification §8): the vector's effective metrics (environmental
 * overrides applied, E/CR/IR/AR defaulting to their worst case) fall into a MacroVector of six
 * equivalence-class levels whose score comes from the published lookup table; the score then
 * drops by the mean, over the classes that have a lower MacroVector, of (score gap to that
 * lower MacroVector) × (the vector's severity distance from the class's highest-severity vector
 * ÷ the class's depth), and is rounded to one decimal.
 */
const X = 'X';
const ALLOWED: Record<string, readonly string[]> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  AT: ['N', 'P'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'P', 'A'],
  VC: ['H', 'L', 'N'],
  VI: ['H', 'L', 'N'],
  VA: ['H', 'L', 'N'],
  SC: ['H', 'L', 'N'],
  SI: ['H', 'L', 'N'],
  SA: ['H', 'L', 'N'],
  E: [X, 'A', 'P', 'U'],
  CR: [X, 'H', 'M', 'L'],
  IR: [X, 'H', 'M', 'L'],
  AR: [X, 'H', 'M', 'L'],
  MAV: [X, 'N', 'A', 'L', 'P'],
  MAC: [X, 'L', 'H'],
  MAT: [X, 'N', 'P'],
  MPR: [X, 'N', 'L', 'H'],
  MUI: [X, 'N', 'P', 'A'],
  MVC: [X, 'H', 'L', 'N'],
  MVI: [X, 'H', 'L', 'N'],
  MVA: [X, 'H', 'L', 'N'],
  MSC: [X, 'H', 'L', 'N'],
  MSI: [X, 'S', 'H', 'L', 'N'],
  MSA: [X, 'S', 'H', 'L', 'N'],
  S: [X, 'N', 'P'],
  AU: [X, 'N', 'Y'],
  R: [X, 'A', 'U', 'I'],
  V: [X, 'D', 'C'],
  RE: [X, 'L', 'M', 'H'],
  U: [X, 'Clear', 'Green', 'Amber', 'Red'],
};
const BASE = ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'];

/**
 * Severity level of each metric value as the specification states it (0 is the most severe, steps
 * of 0.1). Kept as the same floating-point values the reference calculator uses, so that scores
 * on a rounding boundary round the same way.
 */
const LEVELS: Record<string, Record<string, number>> = {
  AV: { N: 0.0, A: 0.1, L: 0.2, P: 0.3 },
  PR: { N: 0.0, L: 0.1, H: 0.2 },
  UI: { N: 0.0, P: 0.1, A: 0.2 },
  AC: { L: 0.0, H: 0.1 },
  AT: { N: 0.0, P: 0.1 },
  VC: { H: 0.0, L: 0.1, N: 0.2 },
  VI: { H: 0.0, L: 0.1, N: 0.2 },
  VA: { H: 0.0, L: 0.1, N: 0.2 },
  SC: { H: 0.1, L: 0.2, N: 0.3 },
  SI: { S: 0.0, H: 0.1, L: 0.2, N: 0.3 },
  SA: { S: 0.0, H: 0.1, L: 0.2, N: 0.3 },
  CR: { H: 0.0, M: 0.1, L: 0.2 },
  IR: { H: 0.0, M: 0.1, L: 0.2 },
  AR: { H: 0.0, M: 0.1, L: 0.2 },
};

/** Highest-severity vectors of each class level (specification's "max composed" table). */
const EQ1_MAX: Record<number, string[]> = {
  0: ['AV:N/PR:N/UI:N'],
  1: ['AV:A/PR:N/UI:N', 'AV:N/PR:L/UI:N', 'AV:N/PR:N/UI:P'],
  2: ['AV:P/PR:N/UI:N', 'AV:A/PR:L/UI:P'],
};
const EQ2_MAX: Record<number, string[]> = { 0: ['AC:L/AT:N'], 1: ['AC:H/AT:N', 'AC:L/AT:P'] };
const EQ3_EQ6_MAX: Record<string, string[]> = {
  '00': ['VC:H/VI:H/VA:H/CR:H/IR:H/AR:H'],
  '01': ['VC:H/VI:H/VA:L/CR:M/IR:M/AR:H', 'VC:H/VI:H/VA:H/CR:M/IR:M/AR:M'],
  '10': ['VC:L/VI:H/VA:H/CR:H/IR:H/AR:H', 'VC:H/VI:L/VA:H/CR:H/IR:H/AR:H'],
  '11': [
    'VC:L/VI:H/VA:L/CR:H/IR:M/AR:H',
    'VC:L/VI:H/VA:H/CR:H/IR:M/AR:M',
    'VC:H/VI:L/VA:H/CR:M/IR:H/AR:M',
    'VC:H/VI:L/VA:L/CR:M/IR:H/AR:H',
    'VC:L/VI:L/VA:H/CR:H/IR:H/AR:M',
  ],
  '21': ['VC:L/VI:L/VA:L/CR:H/IR:H/AR:H'],
};
const EQ4_MAX: Record<number, string[]> = {
  0: ['SC:H/SI:S/SA:S'],
  1: ['SC:H/SI:H/SA:H'],
  2: ['SC:L/SI:L/SA:L'],
};
/** Depth of each class level in severity steps (the specification's max severity distance + 1). */
const EQ1_DEPTH: Record<number, number> = { 0: 1, 1: 4, 2: 5 };
const EQ2_DEPTH: Record<number, number> = { 0: 1, 1: 2 };
const EQ3_EQ6_DEPTH: Record<string, number> = { '00': 7, '01': 6, '10': 8, '11': 8, '21': 10 };
const EQ4_DEPTH: Record<number, number> = { 0: 6, 1: 5, 2: 4 };

type Effective = (metric: string) => string;

function effectiveMetrics(m: Map<string, string>): Effective {
  return (metric) => {
    const value = m.get(metric) ?? X;
    if (metric === 'E' && value === X) return 'A';
    if ((metric === 'CR' || metric === 'IR' || metric === 'AR') && value === X) return 'H';
    const modified = m.get(`M${metric}`);
    if (modified !== undefined && modified !== X) return modified;
    return value;
  };
}

function macroVector(e: Effective): [number, number, number, number, number, number] {
  const av = e('AV');
  const pr = e('PR');
  const ui = e('UI');
  const eq1 =
    av === 'N' && pr === 'N' && ui === 'N'
      ? 0
      : (av === 'N' || pr === 'N' || ui === 'N') && av !== 'P'
        ? 1
        : 2;
  const eq2 = e('AC') === 'L' && e('AT') === 'N' ? 0 : 1;
  const vc = e('VC');
  const vi = e('VI');
  const va = e('VA');
  const eq3 = vc === 'H' && vi === 'H' ? 0 : vc === 'H' || vi === 'H' || va === 'H' ? 1 : 2;
  const eq4 =
    e('MSI') === 'S' || e('MSA') === 'S' ? 0 : e('SC') === 'H' || e('SI') === 'H' || e('SA') === 'H' ? 1 : 2;
  const exploit = e('E');
  const eq5 = exploit === 'A' ? 0 : exploit === 'P' ? 1 : 2;
  const eq6 =
    (e('CR') === 'H' && vc === 'H') || (e('IR') === 'H' && vi === 'H') || (e('AR') === 'H' && va === 'H')
      ? 0
      : 1;
  return [eq1, eq2, eq3, eq4, eq5, eq6];
}

function lookup(levels: number[]): number | undefined {
  return MACROVECTOR_SCORES.get(levels.join(''));
}

function metricsOf(vector: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of vector.split('/')) {
    const [key, value] = part.split(':') as [string, string];
    out.set(key, value);
  }
  return out;
}

function level(metric: string, value: string): number {
  return LEVELS[metric]?.[value] ?? 0;
}

/** Half-up to one decimal, on the same float value the reference calculator rounds. */
function roundScore(value: number): number {
  return Math.round(value * 10) / 10;
}

export function cvss4Score(vector: string): number {
  const m = parseVector(vector, 'CVSS:4.0', ALLOWED, BASE);
  const e = effectiveMetrics(m);
  if (['VC', 'VI', 'VA', 'SC', 'SI', 'SA'].every((metric) => e(metric) === 'N')) return 0;
  const macro = macroVector(e);
  const [eq1, eq2, eq3, eq4, eq5, eq6] = macro;
  const value = lookup(macro);
  if (value === undefined) {
    throw new InputError('CVSS_INVALID', `CVSS v4 MacroVector ${macro.join('')} has no score`);
  }
  // Score of the next lower MacroVector per class (undefined when none exists).
  const lower = (index: number) => lookup(macro.map((v, i) => (i === index ? v + 1 : v)));
  const lowerEq1 = lower(0);
  const lowerEq2 = lower(1);
  let lowerEq3Eq6: number | undefined;
  if (eq3 === 0 && eq6 === 0) {
    const left = lookup([eq1, eq2, eq3, eq4, eq5, eq6 + 1]);
    const right = lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6]);
    lowerEq3Eq6 = left === undefined ? right : right === undefined ? left : Math.max(left, right);
  } else if (eq3 === 1 && eq6 === 0) {
    lowerEq3Eq6 = lookup([eq1, eq2, eq3, eq4, eq5, eq6 + 1]);
  } else if (eq3 === 2) {
    lowerEq3Eq6 = undefined;
  } else {
    lowerEq3Eq6 = lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6]);
  }
  const lowerEq4 = lower(3);
  const lowerEq5 = lower(4);

  // The first highest-severity vector of the MacroVector that the scored vector does not exceed.
  const maxima: string[] = [];
  for (const a of EQ1_MAX[eq1] ?? [])
    for (const b of EQ2_MAX[eq2] ?? [])
      for (const c of EQ3_EQ6_MAX[`${eq3}${eq6}`] ?? [])
        for (const d of EQ4_MAX[eq4] ?? []) maxima.push(`${a}/${b}/${c}/${d}`);
  const metrics = ['AV', 'PR', 'UI', 'AC', 'AT', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA', 'CR', 'IR', 'AR'];
  let distance: Record<string, number> = {};
  for (const candidate of maxima) {
    const max = metricsOf(candidate);
    distance = {};
    for (const metric of metrics)
      distance[metric] = level(metric, e(metric)) - level(metric, max.get(metric) as string);
    if (Object.values(distance).every((d) => d >= 0)) break;
  }
  const d = (metric: string) => distance[metric] ?? 0;
  const current = {
    eq1: d('AV') + d('PR') + d('UI'),
    eq2: d('AC') + d('AT'),
    eq3eq6: d('VC') + d('VI') + d('VA') + d('CR') + d('IR') + d('AR'),
    eq4: d('SC') + d('SI') + d('SA'),
  };
  const parts: number[] = [];
  const add = (lowerScore: number | undefined, severityDistance: number, depth: number) => {
    if (lowerScore === undefined) return;
    parts.push((value - lowerScore) * (severityDistance / (depth * 0.1)));
  };
  add(lowerEq1, current.eq1, EQ1_DEPTH[eq1] as number);
  add(lowerEq2, current.eq2, EQ2_DEPTH[eq2] as number);
  add(lowerEq3Eq6, current.eq3eq6, EQ3_EQ6_DEPTH[`${eq3}${eq6}`] as number);
  add(lowerEq4, current.eq4, EQ4_DEPTH[eq4] as number);
  // EQ5 has a single vector per level: its proportional distance is always 0, but it counts.
  if (lowerEq5 !== undefined) parts.push(0);
  const mean = parts.length === 0 ? 0 : parts.reduce((sum, part) => sum + part, 0) / parts.length;
  return roundScore(Math.min(10, Math.max(0, value - mean)));
}
