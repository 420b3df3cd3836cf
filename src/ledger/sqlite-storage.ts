import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { GatechainError } from '../util/errors.ts';
import type { NodeCoord } from './merkle.ts';
import { isProcessAlive, processStartTime } from './process-liveness.ts';
import type { CommitBatch, LedgerStorage, StoredCheckpoint } from './storage.ts';
import { TILE_HEIGHT, TILE_WIDTH } from './tiles.ts';

/**
 * The SQLite driver: `<storeDir>/ledger.db`, WAL with synchronous=FULL so a committed batch
 * survives power loss. A perfect subtree of height h and index i is row h·2^40 + i of `nodes`,
 * so a tile is one primary-key range scan.
 */
export const LEDGER_DB_FILE = 'ledger.db';
const NODE_ID_BASE = 2 ** 40;
const SCHEMA_VERSION = '1';
const MAX_IN_LIST = 64;

function nodeId(height: number, index: number): number {
  return height * NODE_ID_BASE + index;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (idx INTEGER PRIMARY KEY, data BLOB NOT NULL, lookup_key TEXT);
CREATE INDEX IF NOT EXISTS entries_lookup ON entries (lookup_key) WHERE lookup_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS nodes (id INTEGER PRIMARY KEY, hash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS full_tiles (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints (
  size INTEGER PRIMARY KEY, root BLOB NOT NULL, note TEXT NOT NULL, published TEXT, signed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS writer_lock (
  id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, start_time TEXT, host TEXT NOT NULL, acquired_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS witness_sizes (url TEXT PRIMARY KEY, size INTEGER NOT NULL);
`;

interface CheckpointRow {
  size: number;
  root: Buffer;
  note: string;
  published: string | null;
}

function toCheckpoint(row: CheckpointRow | undefined): StoredCheckpoint | undefined {
  return row ? { size: row.size, root: row.root, note: row.note, published: row.published } : undefined;
}

export function openSqliteStorage(file: string, options: { readOnly?: boolean } = {}): LedgerStorage {
  const readOnly = options.readOnly ?? false;
  const db = new Database(file, { readonly: readOnly, fileMustExist: readOnly });
  db.pragma('busy_timeout = 5000');
  // Proofs are point lookups scattered over the nodes table: a larger page cache and mmap keep
  // them in memory instead of going through read() per page.
  db.pragma('cache_size = -32768');
  db.pragma('mmap_size = 268435456');
  if (!readOnly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
    db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('schema_version', SCHEMA_VERSION);
  }
  const version = (
    db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined
  )?.value;
  if (version !== SCHEMA_VERSION) {
    db.close();
    throw new GatechainError(
      'LEDGER_STORE_VERSION',
      `${file} has ledger schema ${version ?? 'none'}, expected ${SCHEMA_VERSION}`,
    );
  }

  const statements = {
    size: db.prepare('SELECT COALESCE(MAX(idx) + 1, 0) AS size FROM entries').pluck(),
    nodeRange: db.prepare('SELECT hash FROM nodes WHERE id >= ? AND id < ? ORDER BY id').pluck(),
    entries: db.prepare('SELECT data FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx').pluck(),
    findIndex: db.prepare('SELECT idx FROM entries WHERE lookup_key = ? ORDER BY idx LIMIT 1').pluck(),
    insertEntry: db.prepare('INSERT INTO entries (idx, data, lookup_key) VALUES (?, ?, ?)'),
    insertNode: db.prepare('INSERT OR REPLACE INTO nodes (id, hash) VALUES (?, ?)'),
    insertTile: db.prepare('INSERT OR REPLACE INTO full_tiles (id, data) VALUES (?, ?)'),
    fullTile: db.prepare('SELECT data FROM full_tiles WHERE id = ?').pluck(),
    checkpointAt: db.prepare('SELECT size, root, note, published FROM checkpoints WHERE size = ?'),
    latest: db.prepare('SELECT size, root, note, published FROM checkpoints ORDER BY size DESC LIMIT 1'),
    latestPublished: db.prepare(
      'SELECT size, root, note, published FROM checkpoints WHERE published IS NOT NULL ORDER BY size DESC LIMIT 1',
    ),
    insertCheckpoint: db.prepare(
      'INSERT INTO checkpoints (size, root, note, published, signed_at) VALUES (?, ?, ?, ?, ?)',
    ),
    setPublished: db.prepare('UPDATE checkpoints SET published = ? WHERE size = ?'),
    witnessSize: db.prepare('SELECT size FROM witness_sizes WHERE url = ?').pluck(),
    setWitnessSize: db.prepare(
      'INSERT INTO witness_sizes (url, size) VALUES (?, ?) ON CONFLICT (url) DO UPDATE SET size = excluded.size',
    ),
  };

  const inStatements = new Map<number, Database.Statement>();
  const nodesIn = (count: number): Database.Statement => {
    let statement = inStatements.get(count);
    if (!statement) {
      statement = db.prepare(`SELECT id, hash FROM nodes WHERE id IN (${Array(count).fill('?').join(',')})`);
      inStatements.set(count, statement);
    }
    return statement;
  };

  const commit = db.transaction((batch: CommitBatch) => {
    const size = statements.size.get() as number;
    if (size !== batch.firstIndex) {
      throw new GatechainError(
        'LEDGER_CONCURRENT_WRITER',
        `tree size in the store is ${size}, the sequencer expected ${batch.firstIndex}: another writer?`,
      );
    }
    batch.entries.forEach((entry, i) => {
      statements.insertEntry.run(batch.firstIndex + i, entry.data, entry.lookupKey ?? null);
    });
    for (const node of batch.nodes) {
      statements.insertNode.run(nodeId(node.coord.height, node.coord.index), node.hash);
    }
    // A hash tile is immutable once its last hash exists: keep it as one 8 KiB row so serving it
    // is one lookup instead of 256.
    for (const node of batch.nodes) {
      if (node.coord.height % TILE_HEIGHT !== 0 || node.coord.index % TILE_WIDTH !== TILE_WIDTH - 1) continue;
      const first = node.coord.index - (TILE_WIDTH - 1);
      const hashes = statements.nodeRange.all(
        nodeId(node.coord.height, first),
        nodeId(node.coord.height, first + TILE_WIDTH),
      ) as Buffer[];
      statements.insertTile.run(
        nodeId(node.coord.height / TILE_HEIGHT, first / TILE_WIDTH),
        Buffer.concat(hashes),
      );
    }
    const cp = batch.checkpoint;
    const existing = statements.checkpointAt.get(cp.size) as CheckpointRow | undefined;
    if (existing) {
      if (Buffer.compare(existing.root, cp.root) !== 0) {
        throw new GatechainError(
          'LEDGER_CHECKPOINT_CONFLICT',
          `refusing to sign a second, different root for tree size ${cp.size}`,
        );
      }
    } else {
      statements.insertCheckpoint.run(cp.size, cp.root, cp.note, cp.published, new Date().toISOString());
    }
  });

  const lockHost = hostname();
  const acquire = db.transaction(() => {
    const row = db.prepare('SELECT pid, start_time, host FROM writer_lock WHERE id = 1').get() as
      | { pid: number; start_time: string | null; host: string }
      | undefined;
    if (row && row.pid !== process.pid) {
      const alive = row.host !== lockHost || isProcessAlive(row.pid, row.start_time);
      if (alive) {
        throw new GatechainError(
          'LEDGER_LOCKED',
          `the ledger in ${file} is held by process ${row.pid} on ${row.host}; stop it or wait for it to exit`,
        );
      }
    }
    db.prepare(
      'INSERT OR REPLACE INTO writer_lock (id, pid, start_time, host, acquired_at) VALUES (1, ?, ?, ?, ?)',
    ).run(process.pid, processStartTime(process.pid), lockHost, new Date().toISOString());
  });

  return {
    kind: 'sqlite',
    async treeSize() {
      return statements.size.get() as number;
    },
    async nodes(coords: readonly NodeCoord[]) {
      // One statement per proof rather than one per node: the per-statement overhead dominates.
      const ids = coords.map((coord) => nodeId(coord.height, coord.index));
      const found = new Map<number, Buffer>();
      for (let first = 0; first < ids.length; first += MAX_IN_LIST) {
        const chunk = ids.slice(first, first + MAX_IN_LIST);
        for (const row of nodesIn(chunk.length).all(...chunk) as { id: number; hash: Buffer }[]) {
          found.set(row.id, row.hash);
        }
      }
      return coords.map((coord, i) => {
        const hash = found.get(ids[i] as number);
        if (!hash) {
          throw new GatechainError(
            'LEDGER_STORE_CORRUPT',
            `missing tree node h${coord.height}/${coord.index} in ${file}`,
          );
        }
        return hash;
      });
    },
    async nodeRange(height, start, count) {
      return statements.nodeRange.all(nodeId(height, start), nodeId(height, start + count)) as Buffer[];
    },
    async fullTile(level, index) {
      return (statements.fullTile.get(nodeId(level, index)) as Buffer | undefined) ?? undefined;
    },
    async entries(start, count) {
      return statements.entries.all(start, start + count) as Buffer[];
    },
    async findIndex(lookupKey) {
      return (statements.findIndex.get(lookupKey) as number | undefined) ?? undefined;
    },
    async latestCheckpoint() {
      return toCheckpoint(statements.latest.get() as CheckpointRow | undefined);
    },
    async latestPublished() {
      return toCheckpoint(statements.latestPublished.get() as CheckpointRow | undefined);
    },
    async checkpointAt(size) {
      return toCheckpoint(statements.checkpointAt.get(size) as CheckpointRow | undefined);
    },
    async commitBatch(batch) {
      commit.immediate(batch);
    },
    async setPublished(size, note) {
      statements.setPublished.run(note, size);
    },
    async *scanEntries(chunk) {
      for (let start = 0; ; start += chunk) {
        const rows = statements.entries.all(start, start + chunk) as Buffer[];
        if (rows.length === 0) return;
        yield rows;
        if (rows.length < chunk) return;
      }
    },
    async acquireWriterLock() {
      acquire.immediate();
    },
    async releaseWriterLock() {
      db.prepare('DELETE FROM writer_lock WHERE id = 1 AND pid = ?').run(process.pid);
    },
    async witnessSize(url) {
      return (statements.witnessSize.get(url) as number | undefined) ?? 0;
    },
    async setWitnessSize(url, size) {
      statements.setWitnessSize.run(url, size);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
