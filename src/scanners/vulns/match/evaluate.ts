import { GatechainError } from '../../../util/errors.ts';
import type { OsvAffected } from '../osv/record.ts';
import { SEMVER_RANGE_SCHEME, schemeFor } from '../versions/table.ts';
import type { VersionScheme } from '../versions/types.ts';

/**
 * One `affected[]` entry compiled for repeated evaluation: event versions parsed once, events
 * sorted by the range's ordering. Evaluation follows the OSV schema's "Evaluation" pseudocode:
 * a version is affected when it is listed in `versions` or lies inside any non-GIT range; inside a
 * range, sorted events are walked — introduced ("0" = before everything) sets affected, fixed at
 * or below the version clears it, last_affected below the version clears it — and the range only
 * counts when the version is below one of its limits (no limit = "*", unbounded).
 */
export interface CompiledEvent {
  kind: 'introduced' | 'fixed' | 'last_affected';
  version: string;
  /** Parsed version; undefined for introduced "0". */
  parsed: unknown;
}

export interface CompiledRange {
  scheme: VersionScheme;
  events: CompiledEvent[];
  /** Parsed limits; empty means unbounded. */
  limits: unknown[];
}

export interface CompiledAffected {
  ranges: CompiledRange[];
  versions: Set<string>;
  /** Ranges dropped because the ecosystem's ordering is unknown or a version would not parse. */
  skippedRanges: number;
}

const KIND_ORDER = { introduced: 0, fixed: 1, last_affected: 2 } as const;

export function compileAffected(affected: OsvAffected): CompiledAffected {
  const ecosystemScheme = affected.package ? schemeFor(affected.package.ecosystem) : undefined;
  const ranges: CompiledRange[] = [];
  let skippedRanges = 0;
  for (const range of affected.ranges ?? []) {
    if (range.type === 'GIT') continue; // needs the commit graph; package matching ignores it
    const scheme = range.type === 'SEMVER' ? SEMVER_RANGE_SCHEME : ecosystemScheme;
    if (!scheme) {
      skippedRanges++;
      continue;
    }
    try {
      const events: CompiledEvent[] = [];
      const limits: unknown[] = [];
      for (const event of range.events) {
        if (event.introduced !== undefined) {
          events.push({
            kind: 'introduced',
            version: event.introduced,
            parsed: event.introduced === '0' ? undefined : scheme.parse(event.introduced),
          });
        } else if (event.fixed !== undefined) {
          events.push({ kind: 'fixed', version: event.fixed, parsed: scheme.parse(event.fixed) });
        } else if (event.last_affected !== undefined) {
          events.push({
            kind: 'last_affected',
            version: event.last_affected,
            parsed: scheme.parse(event.last_affected),
          });
        } else if (event.limit !== undefined && event.limit !== '*') {
          limits.push(scheme.parse(event.limit));
        }
      }
      events.sort((a, b) => {
        if (a.parsed === undefined || b.parsed === undefined) {
          if (a.parsed === b.parsed) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
          return a.parsed === undefined ? -1 : 1;
        }
        return scheme.compareParsed(a.parsed, b.parsed) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
      });
      ranges.push({ scheme, events, limits });
    } catch (error) {
      if (!(error instanceof GatechainError)) throw error;
      skippedRanges++;
    }
  }
  return { ranges, versions: new Set(affected.versions ?? []), skippedRanges };
}

/** Parses `version` once per scheme for one evaluation pass. */
export class ParsedVersionCache {
  private readonly cache = new Map<VersionScheme, unknown>();
  readonly version: string;
  constructor(version: string) {
    this.version = version;
  }
  /** The parsed version, or undefined when the scheme refuses it (too long). */
  get(scheme: VersionScheme): unknown {
    if (this.cache.has(scheme)) return this.cache.get(scheme);
    let parsed: unknown;
    try {
      parsed = scheme.parse(this.version);
    } catch (error) {
      if (!(error instanceof GatechainError)) throw error;
      parsed = undefined;
    }
    this.cache.set(scheme, parsed);
    return parsed;
  }
}

export function inRange(range: CompiledRange, v: unknown): boolean {
  const { scheme } = range;
  if (range.limits.length > 0 && !range.limits.some((limit) => scheme.compareParsed(v, limit) < 0))
    return false;
  let affected = false;
  for (const event of range.events) {
    if (event.kind === 'introduced') {
      if (event.parsed === undefined || scheme.compareParsed(v, event.parsed) >= 0) affected = true;
    } else if (event.kind === 'fixed') {
      if (scheme.compareParsed(v, event.parsed) >= 0) affected = false;
    } else if (scheme.compareParsed(v, event.parsed) > 0) {
      affected = false;
    }
  }
  return affected;
}

export function isAffected(compiled: CompiledAffected, version: ParsedVersionCache): boolean {
  if (compiled.versions.has(version.version)) return true;
  for (const range of compiled.ranges) {
    const parsed = version.get(range.scheme);
    if (parsed !== undefined && inRange(range, parsed)) return true;
  }
  return false;
}

/**
 * The lowest `fixed` version above the installed one across the entry's ranges, or undefined
 * when no range names one (last_affected is not a fix).
 */
export function lowestFixAbove(compiled: CompiledAffected, version: ParsedVersionCache): string | undefined {
  let best: { version: string; parsed: unknown; scheme: VersionScheme } | undefined;
  for (const range of compiled.ranges) {
    const installed = version.get(range.scheme);
    if (installed === undefined) continue;
    for (const event of range.events) {
      if (event.kind !== 'fixed') continue;
      if (range.scheme.compareParsed(event.parsed, installed) <= 0) continue;
      if (
        !best ||
        (best.scheme === range.scheme && range.scheme.compareParsed(event.parsed, best.parsed) < 0)
      ) {
        best = { version: event.version, parsed: event.parsed, scheme: range.scheme };
      }
    }
  }
  return best?.version;
}
