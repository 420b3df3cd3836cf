import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AdmissionRecord } from './records.ts';

export const ADMISSION_DB = 'admission.db';

/** Where admission records live: `<storeDir>/admission.db`, beside the attestation store. */
export interface AdmissionRecordStore {
  append(records: AdmissionRecord[]): void;
  list(options?: { since?: string; namespace?: string; limit?: number }): AdmissionRecord[];
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS admission_records (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  time TEXT NOT NULL,
  uid TEXT NOT NULL,
  namespace TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  api_version TEXT NOT NULL,
  policy TEXT NOT NULL,
  rule TEXT NOT NULL,
  image TEXT NOT NULL,
  digest TEXT,
  result TEXT NOT NULL CHECK (result IN ('fail', 'warn')),
  action TEXT NOT NULL CHECK (action IN ('Audit', 'Enforce')),
  blocked INTEGER NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS admission_records_time ON admission_records (time);
CREATE INDEX IF NOT EXISTS admission_records_namespace ON admission_records (namespace, time);
`;

export function openAdmissionRecordStore(
  storeDir: string,
  options: { readonly?: boolean } = {},
): AdmissionRecordStore {
  if (!options.readonly) mkdirSync(storeDir, { recursive: true });
  const db = new Database(join(storeDir, ADMISSION_DB), {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
  }
  const insert = options.readonly
    ? undefined
    : db.prepare(`INSERT INTO admission_records
        (time, uid, namespace, kind, name, api_version, policy, rule, image, digest, result, action, blocked, message)
        VALUES (@time, @uid, @namespace, @kind, @name, @apiVersion, @policy, @rule, @image, @digest, @result, @action, @blocked, @message)`);
  const appendAll = db.transaction((records: AdmissionRecord[]) => {
    for (const r of records) insert!.run({ ...r, digest: r.digest ?? null, blocked: r.blocked ? 1 : 0 });
  });
  return {
    append(records) {
      if (records.length > 0) appendAll(records);
    },
    list(query = {}) {
      const rows = db
        .prepare(
          `SELECT * FROM admission_records WHERE time >= ? AND (? IS NULL OR namespace = ?) ORDER BY seq LIMIT ?`,
        )
        .all(
          query.since ?? '',
          query.namespace ?? null,
          query.namespace ?? null,
          query.limit ?? 100_000,
        ) as Array<Record<string, unknown>>;
      return rows.map((row) => ({
        time: String(row['time']),
        uid: String(row['uid']),
        namespace: String(row['namespace']),
        kind: String(row['kind']),
        name: String(row['name']),
        apiVersion: String(row['api_version']),
        policy: String(row['policy']),
        rule: String(row['rule']),
        image: String(row['image']),
        ...(row['digest'] ? { digest: String(row['digest']) } : {}),
        result: row['result'] as 'fail' | 'warn',
        action: row['action'] as 'Audit' | 'Enforce',
        blocked: row['blocked'] === 1,
        message: String(row['message']),
      }));
    },
    close() {
      db.close();
    },
  };
}
