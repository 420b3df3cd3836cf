import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Two OSV records written for the demo (fictional IDs, so nobody mistakes them for real
 * advisories). The first exists from the start and does not affect the sample's left-pad
 * 1.3.0; the second is "published" during the demo and does, with a fix in 1.3.1.
 */
function advisory(id: string, summary: string, introduced: string, fixed: string, vector: string) {
  return {
    schema_version: '1.6.0',
    id,
    modified: '2026-12-01T00:00:00Z',
    published: '2026-12-01T00:00:00Z',
    summary,
    severity: [{ type: 'CVSS_V3', score: vector }],
    affected: [
      {
        package: { ecosystem: 'npm', name: 'left-pad' },
        ranges: [{ type: 'SEMVER', events: [{ introduced }, { fixed }] }],
      },
    ],
  };
}

export const OLD_ADVISORY = advisory(
  'DEMO-2026-0001',
  'demo: left-pad before 1.0.0 pads with the wrong character',
  '0',
  '1.0.0',
  'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:N/I:L/A:N',
);

export const NEW_ADVISORY = advisory(
  'DEMO-2026-0002',
  'demo: left-pad before 1.3.1 allows remote code execution through a crafted fill string',
  '0',
  '1.3.1',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
);

/** Imports one advisory into the store's OSV database, as `gatechain vulns db import` would. */
export async function publishAdvisory(storeDir: string, dir: string, record: { id: string }): Promise<void> {
  const { OsvDatabase, importOsv } = await import('../scanners/vulns/index.ts');
  const file = join(dir, `${record.id}.json`);
  await writeFile(file, JSON.stringify(record, null, 2));
  const db = OsvDatabase.open(storeDir);
  try {
    importOsv(db, [file]);
  } finally {
    db.close();
  }
}
