import type { Inventory } from '../../model/component.ts';
import { AdvisoryIndex, type VulnMatch } from './match/advisory-index.ts';
import { type DbStatus, OsvDatabase } from './osv/database.ts';

export interface DepsScanOptions {
  root: string;
  /** Store directory holding osv.db. */
  storeDir: string;
  /** Builds the inventory of `root` (the SBOM extractors); injected to keep this module testable. */
  extract: (root: string) => Promise<Inventory>;
  now?: () => Date;
}

export interface DepsScan {
  inventory: Inventory;
  matches: VulnMatch[];
  db: DbStatus;
  startedOn: Date;
  finishedOn: Date;
}

/** Extracts the tree's components and matches them against the local OSV database. */
export async function scanDeps(options: DepsScanOptions): Promise<DepsScan> {
  const now = options.now ?? (() => new Date());
  const startedOn = now();
  // Open first: a missing database should fail before the (slower) extraction.
  const db = OsvDatabase.openReadOnly(options.storeDir);
  let index: AdvisoryIndex;
  let status: DbStatus;
  let inventory: Inventory;
  try {
    inventory = await options.extract(options.root);
    status = db.status();
    // Only the advisories naming the inventory's packages (and their alias records) are read.
    index = AdvisoryIndex.fromRecords(db.recordsForPackages(inventory.components));
  } finally {
    db.close();
  }
  const matches = index.match(inventory.components);
  return { inventory, matches, db: status, startedOn, finishedOn: now() };
}
