import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { GatechainError } from '../../../util/errors.ts';
import { normalizePackageName } from '../match/names.ts';
import { baseEcosystem } from '../versions/table.ts';
import type { OsvRecord } from './record.ts';

export const OSV_DB_FILE = 'osv.db';
const SCHEMA_VERSION = 2;

const SCHEMA_V1 = `
  CREATE TABLE advisories (
    id TEXT PRIMARY KEY,
    modified TEXT NOT NULL,
    modified_ms INTEGER NOT NULL,
    withdrawn TEXT,
    record TEXT NOT NULL,
    imported_at TEXT NOT NULL
  );
  CREATE TABLE affected_packages (
    advisory_id TEXT NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,
    ecosystem TEXT NOT NULL,
    name TEXT NOT NULL
  );
  CREATE INDEX affected_by_package ON affected_packages(ecosystem, name);
  CREATE INDEX affected_by_advisory ON affected_packages(advisory_id);
  CREATE TABLE aliases (
    advisory_id TEXT NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,
    alias TEXT NOT NULL
  );
  CREATE INDEX aliases_by_alias ON aliases(alias);
  CREATE INDEX aliases_by_advisory ON aliases(advisory_id);
  CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    sources TEXT NOT NULL,
    added INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0
  );
`;

/**
 * sha256 of every record text already offered: the same bytes cannot change anything, so a
 * re-import skips them without parsing (parsing is most of an import's cost).
 */
const SCHEMA_V2 = `
  CREATE TABLE IF NOT EXISTS seen_texts (digest TEXT PRIMARY KEY);
`;

/** What happened to one record offered to the database. */
export type ImportOutcome = 'added' | 'updated' | 'unchanged';

export interface EcosystemStatus {
  ecosystem: string;
  advisories: number;
  withdrawn: number;
  newestModified: string | undefined;
}

export interface DbStatus {
  path: string;
  advisories: number;
  withdrawn: number;
  /** Newest `modified` over all records: the snapshot time of the data. */
  newestModified: string | undefined;
  lastImport: { startedAt: string; finishedAt: string | undefined; sources: string[] } | undefined;
  ecosystems: EcosystemStatus[];
}

export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  withdrawn: number;
  rejected: number;
}

/**
 * The local OSV store: one SQLite file holding each record's JSON keyed by id, with side tables
 * by (ecosystem, normalised package name) and by alias. Invariant: a stored record is replaced
 * only by a record with the same id and a strictly newer `modified`; a batch is one transaction,
 * so a failed import never leaves a record half-written.
 */
export class OsvDatabase {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly statements: ReturnType<OsvDatabase['prepare']>;

  private constructor(file: string, readonly: boolean) {
    this.path = file;
    try {
      this.db = new Database(file, { readonly, fileMustExist: readonly });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new GatechainError(
        'OSV_DB_UNAVAILABLE',
        `cannot open the OSV database ${file}: ${message}; run "gatechain vulns db import" first`,
        { file },
      );
    }
    if (!readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.migrate();
    } else {
      const version = this.db.pragma('user_version', { simple: true });
      if (version !== SCHEMA_VERSION) {
        this.db.close();
        throw new GatechainError(
          'OSV_DB_VERSION',
          `${file} has schema version ${String(version)}, expected ${SCHEMA_VERSION}: run "gatechain vulns db import" to upgrade it`,
          { file },
        );
      }
    }
    this.statements = this.prepare();
  }

  /** Opens (creating when needed) `<storeDir>/osv.db` for reading and writing. */
  static open(storeDir: string): OsvDatabase {
    mkdirSync(storeDir, { recursive: true });
    return new OsvDatabase(path.join(storeDir, OSV_DB_FILE), false);
  }

  /** Opens an existing database read-only; fails with OSV_DB_UNAVAILABLE when there is none. */
  static openReadOnly(storeDir: string): OsvDatabase {
    return new OsvDatabase(path.join(storeDir, OSV_DB_FILE), true);
  }

  close(): void {
    this.db.close();
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version === SCHEMA_VERSION) return;
    if (version > SCHEMA_VERSION) {
      throw new GatechainError(
        'OSV_DB_VERSION',
        `${this.path} has schema version ${version}, newer than this gatechain (${SCHEMA_VERSION})`,
        { file: this.path },
      );
    }
    this.db.transaction(() => {
      if (version < 1) this.db.exec(SCHEMA_V1);
      if (version < 2) this.db.exec(SCHEMA_V2);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  }

  private prepare() {
    return {
      modifiedOf: this.db.prepare<[string], { modified_ms: number }>(
        'SELECT modified_ms FROM advisories WHERE id = ?',
      ),
      upsert: this.db.prepare(
        `INSERT INTO advisories (id, modified, modified_ms, withdrawn, record, imported_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET modified = excluded.modified, modified_ms = excluded.modified_ms,
           withdrawn = excluded.withdrawn, record = excluded.record, imported_at = excluded.imported_at`,
      ),
      clearPackages: this.db.prepare('DELETE FROM affected_packages WHERE advisory_id = ?'),
      clearAliases: this.db.prepare('DELETE FROM aliases WHERE advisory_id = ?'),
      addPackage: this.db.prepare(
        'INSERT INTO affected_packages (advisory_id, ecosystem, name) VALUES (?, ?, ?)',
      ),
      addAlias: this.db.prepare('INSERT INTO aliases (advisory_id, alias) VALUES (?, ?)'),
      get: this.db.prepare<[string], { record: string }>('SELECT record FROM advisories WHERE id = ?'),
      byPackage: this.db.prepare<[string, string], { record: string }>(
        'SELECT a.record AS record FROM affected_packages p JOIN advisories a ON a.id = p.advisory_id WHERE p.ecosystem = ? AND p.name = ?',
      ),
      byIdentifier: this.db.prepare<[string, string], { record: string }>(
        `SELECT record FROM advisories WHERE id = ?
         UNION SELECT a.record AS record FROM aliases l JOIN advisories a ON a.id = l.advisory_id WHERE l.alias = ?`,
      ),
      seen: this.db.prepare<[string], { digest: string }>('SELECT digest FROM seen_texts WHERE digest = ?'),
      markSeen: this.db.prepare('INSERT OR IGNORE INTO seen_texts (digest) VALUES (?)'),
    };
  }

  /** Offers one record; see the class invariant for when it replaces a stored one. */
  private put(record: OsvRecord, importedAt: string): ImportOutcome {
    const modifiedMs = Date.parse(record.modified);
    const existing = this.statements.modifiedOf.get(record.id);
    if (existing && existing.modified_ms >= modifiedMs) return 'unchanged';
    const s = this.statements;
    s.upsert.run(
      record.id,
      record.modified,
      modifiedMs,
      record.withdrawn ?? null,
      JSON.stringify(record),
      importedAt,
    );
    if (existing) {
      s.clearPackages.run(record.id);
      s.clearAliases.run(record.id);
    }
    const seen = new Set<string>();
    for (const affected of record.affected ?? []) {
      if (!affected.package) continue;
      const ecosystem = baseEcosystem(affected.package.ecosystem);
      const name = normalizePackageName(ecosystem, affected.package.name);
      const key = `${ecosystem}\u0000${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      s.addPackage.run(record.id, ecosystem, name);
    }
    for (const alias of new Set(record.aliases ?? [])) s.addAlias.run(record.id, alias);
    return existing ? 'updated' : 'added';
  }

  /** Whether exactly this record text was offered before (it can change nothing). */
  hasSeen(digest: string): boolean {
    return this.statements.seen.get(digest) !== undefined;
  }

  /**
   * Stores a batch of validated records in one transaction, and remembers the digests of the
   * texts they came from.
   */
  putBatch(records: OsvRecord[], importedAt: string, textDigests: string[] = []): ImportSummary {
    const summary: ImportSummary = { added: 0, updated: 0, unchanged: 0, withdrawn: 0, rejected: 0 };
    this.db.transaction(() => {
      for (const digest of textDigests) this.statements.markSeen.run(digest);
      for (const record of records) {
        const outcome = this.put(record, importedAt);
        summary[outcome]++;
        if (outcome !== 'unchanged' && record.withdrawn) summary.withdrawn++;
      }
    })();
    return summary;
  }

  startImport(sources: string[], startedAt: string): number {
    const result = this.db
      .prepare('INSERT INTO imports (started_at, sources) VALUES (?, ?)')
      .run(startedAt, JSON.stringify(sources));
    return Number(result.lastInsertRowid);
  }

  finishImport(id: number, finishedAt: string, summary: ImportSummary): void {
    this.db
      .prepare(
        'UPDATE imports SET finished_at = ?, added = ?, updated = ?, unchanged = ?, withdrawn = ?, rejected = ? WHERE id = ?',
      )
      .run(
        finishedAt,
        summary.added,
        summary.updated,
        summary.unchanged,
        summary.withdrawn,
        summary.rejected,
        id,
      );
  }

  get(id: string): OsvRecord | undefined {
    const row = this.statements.get.get(id);
    return row ? (JSON.parse(row.record) as OsvRecord) : undefined;
  }

  /** Every stored record, withdrawn ones included (callers decide what withdrawal means to them). */
  *records(): Generator<OsvRecord> {
    const rows = this.db
      .prepare<[], { record: string }>('SELECT record FROM advisories ORDER BY id')
      .iterate();
    for (const row of rows) yield JSON.parse(row.record) as OsvRecord;
  }

  /**
   * The records that name any of the packages (base ecosystem, name — normalised here), plus the
   * records sharing an id or alias with those (the severity fallback needs them): what one scan
   * needs, read through the indexes instead of loading the whole database.
   */
  recordsForPackages(packages: Iterable<{ ecosystem: string; name: string }>): OsvRecord[] {
    const found = new Map<string, OsvRecord>();
    const add = (row: { record: string }) => {
      const record = JSON.parse(row.record) as OsvRecord;
      if (!found.has(record.id)) found.set(record.id, record);
      return record;
    };
    const seenKeys = new Set<string>();
    const direct: OsvRecord[] = [];
    for (const pkg of packages) {
      const ecosystem = baseEcosystem(pkg.ecosystem);
      const name = normalizePackageName(ecosystem, pkg.name);
      const key = `${ecosystem}\u0000${name}`;
      if (seenKeys.has(key)) continue;
      seenKeys.add(key);
      for (const row of this.statements.byPackage.iterate(ecosystem, name)) direct.push(add(row));
    }
    const identifiers = new Set<string>();
    for (const record of direct) for (const id of [record.id, ...(record.aliases ?? [])]) identifiers.add(id);
    for (const id of identifiers) for (const row of this.statements.byIdentifier.iterate(id, id)) add(row);
    return [...found.values()];
  }

  status(): DbStatus {
    const totals = this.db
      .prepare<[], { total: number; withdrawn: number; newest: number | null }>(
        'SELECT COUNT(*) AS total, COUNT(withdrawn) AS withdrawn, MAX(modified_ms) AS newest FROM advisories',
      )
      .get() as { total: number; withdrawn: number; newest: number | null };
    const ecosystems = this.db
      .prepare<[], { ecosystem: string; advisories: number; withdrawn: number; newest: number | null }>(
        `SELECT p.ecosystem AS ecosystem, COUNT(DISTINCT a.id) AS advisories,
                COUNT(DISTINCT CASE WHEN a.withdrawn IS NOT NULL THEN a.id END) AS withdrawn,
                MAX(a.modified_ms) AS newest
         FROM affected_packages p JOIN advisories a ON a.id = p.advisory_id
         GROUP BY p.ecosystem ORDER BY p.ecosystem`,
      )
      .all();
    const last = this.db
      .prepare<[], { started_at: string; finished_at: string | null; sources: string }>(
        'SELECT started_at, finished_at, sources FROM imports ORDER BY id DESC LIMIT 1',
      )
      .get();
    return {
      path: this.path,
      advisories: totals.total,
      withdrawn: totals.withdrawn,
      newestModified: toIso(totals.newest),
      lastImport: last
        ? {
            startedAt: last.started_at,
            finishedAt: last.finished_at ?? undefined,
            sources: JSON.parse(last.sources) as string[],
          }
        : undefined,
      ecosystems: ecosystems.map((row) => ({
        ecosystem: row.ecosystem,
        advisories: row.advisories,
        withdrawn: row.withdrawn,
        newestModified: toIso(row.newest),
      })),
    };
  }
}

function toIso(ms: number | null): string | undefined {
  return ms === null ? undefined : new Date(ms).toISOString();
}
