import type { SpdxNode } from './expression.ts';
import type { LicensePolicy, LicenseVerdict } from './types.ts';

const GNU_FAMILY = /^(A?GPL|LGPL|GFDL)-\d\.\d$/;

/** Canonical id: deprecated GNU ids become -only / -or-later; `X+` becomes X-or-later for GNU ids. */
export function canonicalId(license: string, plus = false): string {
  if (GNU_FAMILY.test(license)) return `${license}-${plus ? 'or-later' : 'only'}`;
  return plus ? `${license}+` : license;
}

export function canonicalEntry(entry: { license: string; plus?: boolean; exception?: string }): string {
  const id = canonicalId(entry.license, entry.plus);
  return entry.exception ? `${id} WITH ${entry.exception}` : id;
}

/** The policy lists as lookup tables; deny is consulted first, so deny beats allow. */
export interface CompiledLists {
  lookup(key: string): LicenseVerdict | undefined;
}

export function compileLists(
  policy: Pick<LicensePolicy, 'allow' | 'deny' | 'review'>,
  canonical: (entry: string) => string,
): CompiledLists {
  const tables: [LicenseVerdict, Set<string>, string[]][] = (['deny', 'allow', 'review'] as const).map(
    (verdict) => {
      const exact = new Set<string>();
      const prefixes: string[] = [];
      for (const entry of policy[verdict]) {
        if (entry.endsWith('*')) prefixes.push(entry.slice(0, -1));
        else exact.add(canonical(entry));
      }
      return [verdict, exact, prefixes];
    },
  );
  return {
    lookup(key) {
      for (const [verdict, exact, prefixes] of tables) {
        if (exact.has(key) || prefixes.some((prefix) => key.startsWith(prefix))) return verdict;
      }
      return undefined;
    },
  };
}

export interface Evaluation {
  verdict: LicenseVerdict;
  /** The leaves that decided it, canonical, e.g. ["MIT"] for "MIT OR GPL-3.0-only" when MIT is allowed. */
  deciding: string[];
  unknown: string[];
}

const RANK: Readonly<Record<LicenseVerdict, number>> = { deny: 0, review: 1, allow: 2 };

function leafVerdict(
  node: { license: string; plus?: boolean; exception?: string },
  lists: CompiledLists,
  unknownVerdict: LicenseVerdict,
): Evaluation {
  const id = canonicalId(node.license, node.plus);
  const withKey = node.exception ? `${id} WITH ${node.exception}` : undefined;
  const candidates: string[] = [];
  if (withKey) candidates.push(withKey);
  candidates.push(id);
  // "X or any later version" may be used under X itself: without an explicit entry for the
  // or-later form, it gets X's verdict (so denying GPL-2.0-only also denies GPL-2.0-or-later).
  if (id.endsWith('-or-later')) candidates.push(id.replace(/-or-later$/, '-only'));
  if (id.endsWith('+')) candidates.push(id.slice(0, -1));
  for (const key of candidates) {
    const verdict = lists.lookup(key);
    if (verdict) return { verdict, deciding: [withKey ?? id], unknown: [] };
  }
  return { verdict: unknownVerdict, deciding: [withKey ?? id], unknown: [withKey ?? id] };
}

/**
 * OR: the best branch decides (the licensee may choose it); AND: the worst branch decides
 * (every term must be acceptable). Iterative over an explicit stack would be overkill: the
 * expression length is capped before parsing, which bounds the depth.
 */
export function evaluateExpression(
  node: SpdxNode,
  lists: CompiledLists,
  unknownVerdict: LicenseVerdict,
): Evaluation {
  if ('license' in node) return leafVerdict(node, lists, unknownVerdict);
  const left = evaluateExpression(node.left, lists, unknownVerdict);
  const right = evaluateExpression(node.right, lists, unknownVerdict);
  const unknown = [...left.unknown, ...right.unknown];
  if (node.conjunction === 'or') {
    if (RANK[left.verdict] === RANK[right.verdict]) {
      return { verdict: left.verdict, deciding: [...left.deciding, ...right.deciding], unknown };
    }
    const best = RANK[left.verdict] > RANK[right.verdict] ? left : right;
    return { verdict: best.verdict, deciding: best.deciding, unknown };
  }
  if (RANK[left.verdict] === RANK[right.verdict]) {
    return { verdict: left.verdict, deciding: [...left.deciding, ...right.deciding], unknown };
  }
  const worst = RANK[left.verdict] < RANK[right.verdict] ? left : right;
  return { verdict: worst.verdict, deciding: worst.deciding, unknown };
}
