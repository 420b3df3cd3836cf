import type { Component } from '../../../model/component.ts';
import type { OsvAffected, OsvRecord } from '../osv/record.ts';
import { type ResolvedSeverity, resolveSeverity } from '../severity/resolve.ts';
import { baseEcosystem, schemeFor } from '../versions/table.ts';
import { compareVersions } from '../versions/types.ts';
import { type CompiledAffected, compileAffected, lowestFixAbove, ParsedVersionCache } from './evaluate.ts';
import { packageKey } from './names.ts';
import { PackageTable } from './package-table.ts';

/** One component found vulnerable to one advisory. */
export interface VulnMatch {
  component: Component;
  advisory: {
    id: string;
    aliases: string[];
    summary?: string;
    modified: string;
    published?: string;
  };
  severity: ResolvedSeverity;
  /** Lowest fixed version above the installed one; undefined when no fix is known. */
  fixedIn?: string;
}

interface PackageEntry {
  record: OsvRecord;
  affected: OsvAffected;
  compiled?: CompiledAffected;
  /** The advisory summary every match of this entry shares (built once). */
  advisory?: VulnMatch['advisory'];
}

/**
 * Advisories indexed by (ecosystem, normalised package name), so matching a component is one map
 * lookup plus the evaluation of the few advisories for that package. Each affected entry is
 * compiled (event versions parsed and sorted) on first use. Withdrawn records are not indexed.
 */
export class AdvisoryIndex {
  private readonly byPackage = new Map<string, PackageEntry[]>();
  /** Every id and alias → the records carrying it, for the severity fallback through aliases. */
  private readonly byIdentifier = new Map<string, OsvRecord[]>();
  private readonly severityCache = new Map<PackageEntry, ResolvedSeverity>();
  /** Per package key, built on first lookup and dropped when the key gains an entry. */
  private readonly tables = new Map<string, PackageTable>();
  private newestModifiedMs = Number.NEGATIVE_INFINITY;
  private newestModified: string | undefined;
  private count = 0;

  static fromRecords(records: Iterable<OsvRecord>): AdvisoryIndex {
    const index = new AdvisoryIndex();
    for (const record of records) index.add(record);
    return index;
  }

  get size(): number {
    return this.count;
  }

  /** Newest `modified` among indexed records: the data's snapshot time. */
  get snapshotTime(): string | undefined {
    return this.newestModified;
  }

  add(record: OsvRecord): void {
    if (record.withdrawn) return;
    this.count++;
    const modified = Date.parse(record.modified);
    if (modified > this.newestModifiedMs) {
      this.newestModifiedMs = modified;
      this.newestModified = record.modified;
    }
    for (const identifier of new Set([record.id, ...(record.aliases ?? [])])) {
      const list = this.byIdentifier.get(identifier);
      if (list) list.push(record);
      else this.byIdentifier.set(identifier, [record]);
    }
    for (const affected of record.affected ?? []) {
      if (!affected.package) continue;
      const key = packageKey(baseEcosystem(affected.package.ecosystem), affected.package.name);
      const entry: PackageEntry = { record, affected };
      const list = this.byPackage.get(key);
      if (list) list.push(entry);
      else this.byPackage.set(key, [entry]);
      this.tables.delete(key);
    }
  }

  /** Records sharing an id or alias with `record` (itself excluded). */
  relatedRecords(record: OsvRecord): OsvRecord[] {
    const related = new Set<OsvRecord>();
    for (const identifier of [record.id, ...(record.aliases ?? [])]) {
      for (const other of this.byIdentifier.get(identifier) ?? []) if (other !== record) related.add(other);
    }
    return [...related];
  }

  private severityFor(entry: PackageEntry): ResolvedSeverity {
    let severity = this.severityCache.get(entry);
    if (!severity) {
      severity = resolveSeverity(entry.record, entry.affected, this.relatedRecords(entry.record));
      this.severityCache.set(entry, severity);
    }
    return severity;
  }

  private tableFor(key: string, entries: PackageEntry[]): PackageTable {
    let table = this.tables.get(key);
    if (!table) {
      table = new PackageTable(entries.map((entry) => (entry.compiled ??= compileAffected(entry.affected))));
      this.tables.set(key, table);
    }
    return table;
  }

  /** Advisories affecting one component, one match per advisory. */
  matchComponent(component: Component): VulnMatch[] {
    const key = packageKey(baseEcosystem(component.ecosystem), component.name);
    const entries = this.byPackage.get(key);
    if (!entries) return [];
    const version = new ParsedVersionCache(component.version);
    const hits = this.tableFor(key, entries).affected(component.version, (scheme) => version.get(scheme));
    if (hits.size === 0) return [];
    const found = new Map<string, VulnMatch>();
    for (const [index, rangeFix] of [...hits].sort((a, b) => a[0] - b[0])) {
      const entry = entries[index] as PackageEntry;
      // null: matched only by an exact `versions` listing, so the fix still has to be found.
      const fix = rangeFix === null ? lowestFixAbove(entry.compiled as CompiledAffected, version) : rangeFix;
      const previous = found.get(entry.record.id);
      if (previous) {
        // Two affected entries of one record for the same package: keep the lower fix.
        if (
          fix !== undefined &&
          (previous.fixedIn === undefined || this.lower(component.ecosystem, fix, previous.fixedIn))
        ) {
          previous.fixedIn = fix;
        }
        continue;
      }
      const match: VulnMatch = {
        component,
        advisory: this.advisoryOf(entry),
        severity: this.severityFor(entry),
      };
      if (fix !== undefined) match.fixedIn = fix;
      found.set(entry.record.id, match);
    }
    return [...found.values()];
  }

  private advisoryOf(entry: PackageEntry): VulnMatch['advisory'] {
    if (!entry.advisory) {
      const { record } = entry;
      entry.advisory = { id: record.id, aliases: record.aliases ?? [], modified: record.modified };
      if (record.summary !== undefined) entry.advisory.summary = record.summary;
      if (record.published !== undefined) entry.advisory.published = record.published;
    }
    return entry.advisory;
  }

  private lower(ecosystem: string, a: string, b: string): boolean {
    const scheme = schemeFor(ecosystem);
    if (!scheme) return false;
    try {
      return compareVersions(scheme, a, b) < 0;
    } catch {
      return false;
    }
  }

  match(components: Iterable<Component>): VulnMatch[] {
    const out: VulnMatch[] = [];
    for (const component of components) for (const match of this.matchComponent(component)) out.push(match);
    return out;
  }
}
