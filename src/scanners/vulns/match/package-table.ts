import type { VersionScheme } from '../versions/types.ts';
import type { CompiledAffected, CompiledRange } from './evaluate.ts';

/**
 * All affected entries of one package, arranged so a version is checked in O(log m): the m
 * distinct event versions of the package (per ordering scheme) are sorted once; a version's
 * position among them (equal to the i-th, or strictly between two) decides every range at once,
 * because a range's verdict depends only on how the version compares with its own events. The
 * set of affected entries per position is computed on first use and kept.
 *
 * Invariant: `affected(v)` equals evaluating every entry with `isAffected` one by one.
 */
interface RankedRange {
  entry: number;
  /** Event kinds and the rank of their version among the sorted distinct versions. */
  events: Array<{ kind: CompiledRange['events'][number]['kind']; rank: number }>;
  limits: number[];
}

/** An affected entry at a position, with the lowest fixed version above that position. */
export interface EntryHit {
  entry: number;
  fixedIn: string | undefined;
}

interface SchemeTable {
  scheme: VersionScheme;
  sorted: unknown[];
  ranges: RankedRange[];
  /** Each entry's fixed events (rank and text), lowest rank first. */
  fixes: Map<number, Array<{ rank: number; version: string }>>;
  /** Position → hits (2i+1: equal to sorted[i]; 2i: between sorted[i-1] and sorted[i]). */
  atPosition: Map<number, EntryHit[]>;
}

const MINUS_INFINITY = -1;

export class PackageTable {
  private readonly tables: SchemeTable[] = [];
  private readonly byExactVersion = new Map<string, number[]>();

  constructor(entries: CompiledAffected[]) {
    const byScheme = new Map<VersionScheme, Array<{ entry: number; range: CompiledRange }>>();
    entries.forEach((compiled, entry) => {
      for (const version of compiled.versions) {
        const list = this.byExactVersion.get(version);
        if (list) list.push(entry);
        else this.byExactVersion.set(version, [entry]);
      }
      for (const range of compiled.ranges) {
        const list = byScheme.get(range.scheme);
        if (list) list.push({ entry, range });
        else byScheme.set(range.scheme, [{ entry, range }]);
      }
    });
    for (const [scheme, ranges] of byScheme) this.tables.push(buildTable(scheme, ranges));
  }

  /**
   * The entries that affect the version (parsed lazily per scheme), each with its fix when a
   * range decided it; entries matched only through an exact `versions` listing map to null, for
   * the caller to work out the fix.
   */
  affected(
    version: string,
    parse: (scheme: VersionScheme) => unknown,
  ): Map<number, string | undefined | null> {
    const out = new Map<number, string | undefined | null>();
    for (const table of this.tables) {
      const parsed = parse(table.scheme);
      if (parsed === undefined) continue;
      const position = positionOf(table, parsed);
      let hits = table.atPosition.get(position);
      if (!hits) {
        hits = evaluateAt(table, position);
        table.atPosition.set(position, hits);
      }
      for (const hit of hits) if (!out.has(hit.entry)) out.set(hit.entry, hit.fixedIn);
    }
    for (const entry of this.byExactVersion.get(version) ?? []) if (!out.has(entry)) out.set(entry, null);
    return out;
  }
}

function buildTable(
  scheme: VersionScheme,
  ranges: Array<{ entry: number; range: CompiledRange }>,
): SchemeTable {
  const versions: unknown[] = [];
  for (const { range } of ranges) {
    for (const event of range.events) if (event.parsed !== undefined) versions.push(event.parsed);
    for (const limit of range.limits) versions.push(limit);
  }
  versions.sort((a, b) => scheme.compareParsed(a, b));
  // Ranks by object identity: every event's parsed version is one of these objects, so no lookup
  // can miss even if an ordering misbehaved.
  const sorted: unknown[] = [];
  const ranks = new Map<unknown, number>();
  for (const v of versions) {
    if (sorted.length === 0 || scheme.compareParsed(sorted[sorted.length - 1], v) !== 0) sorted.push(v);
    ranks.set(v, sorted.length - 1);
  }
  const rank = (parsed: unknown): number => ranks.get(parsed) as number;
  const fixes = new Map<number, Array<{ rank: number; version: string }>>();
  for (const { entry, range } of ranges) {
    for (const event of range.events) {
      if (event.kind !== 'fixed') continue;
      const list = fixes.get(entry) ?? [];
      list.push({ rank: rank(event.parsed), version: event.version });
      fixes.set(entry, list);
    }
  }
  for (const list of fixes.values()) list.sort((a, b) => a.rank - b.rank);
  return {
    scheme,
    sorted,
    fixes,
    ranges: ranges.map(({ entry, range }) => ({
      entry,
      events: range.events.map((event) => ({
        kind: event.kind,
        rank: event.parsed === undefined ? MINUS_INFINITY : rank(event.parsed),
      })),
      limits: range.limits.map(rank),
    })),
    atPosition: new Map(),
  };
}

function positionOf(table: SchemeTable, parsed: unknown): number {
  let low = 0;
  let high = table.sorted.length;
  // Lowest index whose version is >= parsed.
  while (low < high) {
    const mid = (low + high) >> 1;
    if (table.scheme.compareParsed(table.sorted[mid], parsed) < 0) low = mid + 1;
    else high = mid;
  }
  if (low < table.sorted.length && table.scheme.compareParsed(table.sorted[low], parsed) === 0)
    return 2 * low + 1;
  return 2 * low;
}

/** Sign of (version at `position`) − (event version of `rank`). */
function compareAt(position: number, rank: number): number {
  if (rank === MINUS_INFINITY) return 1;
  return Math.sign(position - (2 * rank + 1));
}

function evaluateAt(table: SchemeTable, position: number): EntryHit[] {
  const affected = new Set<number>();
  for (const range of table.ranges) {
    if (affected.has(range.entry)) continue;
    if (range.limits.length > 0 && !range.limits.some((limit) => compareAt(position, limit) < 0)) continue;
    let inside = false;
    for (const event of range.events) {
      const diff = compareAt(position, event.rank);
      if (event.kind === 'introduced') {
        if (event.rank === MINUS_INFINITY || diff >= 0) inside = true;
      } else if (event.kind === 'fixed') {
        if (diff >= 0) inside = false;
      } else if (diff > 0) {
        inside = false;
      }
    }
    if (inside) affected.add(range.entry);
  }
  return [...affected].map((entry) => ({
    entry,
    fixedIn: table.fixes.get(entry)?.find((fix) => 2 * fix.rank + 1 > position)?.version,
  }));
}
