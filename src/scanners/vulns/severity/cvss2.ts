import type { Severity } from '../../../model/severity.ts';
import { InputError } from '../../../util/errors.ts';

/**
 * CVSS v2 base score (FIRST CVSS v2 guide §3.2.1) for `AV:N/AC:L/Au:N/C:P/I:P/A:P` vectors (an
 * optional `(…)` wrapper or `CVSS:2.0/` prefix is accepted). Temporal and environmental metrics
 * are accepted and ignored. v2 has no "critical": its bands are low < 4, medium < 7, high.
 */
const WEIGHTS: Record<string, Record<string, number>> = {
  AV: { L: 0.395, A: 0.646, N: 1.0 },
  AC: { H: 0.35, M: 0.61, L: 0.71 },
  Au: { M: 0.45, S: 0.56, N: 0.704 },
  C: { N: 0, P: 0.275, C: 0.66 },
  I: { N: 0, P: 0.275, C: 0.66 },
  A: { N: 0, P: 0.275, C: 0.66 },
};
const OPTIONAL = new Set(['E', 'RL', 'RC', 'CDP', 'TD', 'CR', 'IR', 'AR']);

export function cvss2BaseScore(vector: string): number {
  const fail = (why: string): never => {
    throw new InputError('CVSS_INVALID', `"${vector.slice(0, 80)}" is not a valid CVSS v2 vector: ${why}`);
  };
  if (vector.length > 256) fail('too long');
  let text = vector.trim();
  if (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1);
  if (text.startsWith('CVSS:2.0/')) text = text.slice('CVSS:2.0/'.length);
  const metrics = new Map<string, number>();
  for (const part of text.split('/')) {
    const [key, value, extra] = part.split(':');
    if (key === undefined || value === undefined || extra !== undefined) fail(`"${part}" is not KEY:VALUE`);
    const k = key as string;
    if (OPTIONAL.has(k)) continue;
    const weight = Object.hasOwn(WEIGHTS, k) ? WEIGHTS[k]?.[value as string] : undefined;
    if (weight === undefined) fail(`unknown metric or value ${part}`);
    if (metrics.has(k)) fail(`${k} appears twice`);
    metrics.set(k, weight as number);
  }
  for (const key of Object.keys(WEIGHTS)) if (!metrics.has(key)) fail(`missing ${key}`);
  const m = (key: string) => metrics.get(key) as number;
  const impact = 10.41 * (1 - (1 - m('C')) * (1 - m('I')) * (1 - m('A')));
  const exploitability = 20 * m('AV') * m('AC') * m('Au');
  const f = impact === 0 ? 0 : 1.176;
  const score = (0.6 * impact + 0.4 * exploitability - 1.5) * f;
  return Math.round(Math.max(0, score) * 10) / 10;
}

export function ratingFromV2Score(score: number): Severity {
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}
