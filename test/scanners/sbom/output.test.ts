import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import type { Inventory } from '../../../src/model/component.ts';
import { extractInventory, toCycloneDx, toSpdx } from '../../../src/scanners/sbom/index.ts';
import { FIXTURES } from './helpers.ts';

const temp = mkdtempSync(join(tmpdir(), 'gatechain-sbom-out-'));
let everything: Inventory;
const when = new Date('2026-01-02T03:04:05.678Z');

before(async () => {
  // Every fixture folder side by side: all ecosystems, workspaces, and purls repeated across files.
  for (const dir of readdirSync(FIXTURES))
    cpSync(join(FIXTURES, dir), join(temp, 'all', dir), { recursive: true });
  everything = await extractInventory(join(temp, 'all'), { includeDev: true });
});
after(() => rmSync(temp, { recursive: true, force: true }));

test('CycloneDX output is valid against the official 1.6 schema (strict)', async () => {
  const bom = toCycloneDx(everything, {
    toolVersion: '0.1.0',
    timestamp: when,
    subject: { name: 'all', version: '1.0.0', digests: { sha256: 'ab'.repeat(32) } },
  });
  const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
  const errors = await validator.validate(JSON.stringify(bom));
  assert.equal(errors, null, JSON.stringify(errors, null, 2));
  // The validator does reject what the schema forbids, so the check above has teeth.
  assert.notEqual(await validator.validate(JSON.stringify({ ...bom, unexpected: true })), null);
});

test('CycloneDX carries components, scopes, hashes, licenses and the whole dependency graph', () => {
  const bom = toCycloneDx(everything, { toolVersion: '0.1.0', timestamp: when }) as {
    metadata: { timestamp: string; component: { name: string } };
    components: {
      'bom-ref': string;
      type: string;
      purl?: string;
      scope?: string;
      hashes?: unknown[];
      licenses?: unknown[];
    }[];
    dependencies: { ref: string; dependsOn: string[] }[];
  };
  assert.equal(bom.metadata.timestamp, '2026-01-02T03:04:05Z');
  assert.equal(bom.metadata.component.name, 'all');
  const libraries = bom.components.filter((c) => c.type === 'library');
  assert.equal(libraries.length, everything.components.length);
  assert.equal(bom.components.length - libraries.length, everything.roots!.length);
  const refs = bom.components.map((c) => c['bom-ref']);
  assert.equal(new Set(refs).size, refs.length);
  // The first lockfile (bun/bun.lock) keeps the bare purl as ref; npm-v3's copy is suffixed.
  const debug = libraries.find((c) => c['bom-ref'] === 'pkg:npm/debug@4.3.4|npm-v3/package-lock.json')!;
  assert.equal(debug.scope, 'required');
  assert.deepEqual(debug.licenses, [{ expression: 'MIT' }]);
  assert.equal((debug.hashes as { alg: string }[])[0]?.alg, 'SHA-512');
  assert.equal(libraries.find((c) => c.purl === 'pkg:npm/is-odd@3.0.1')?.scope, 'excluded');
  assert.equal(libraries.find((c) => c.purl === 'pkg:npm/is-number@7.0.0')?.scope, 'optional');
  // Every ref in the graph is declared, every component has a graph entry.
  const declared = new Set([...refs, 'subject']);
  for (const dep of bom.dependencies) {
    assert.ok(declared.has(dep.ref), dep.ref);
    for (const to of dep.dependsOn) assert.ok(declared.has(to), `${dep.ref} -> ${to}`);
  }
  assert.equal(bom.dependencies.length, refs.length + 1);
  const debugEdges = bom.dependencies.find((d) => d.ref === 'pkg:npm/debug@4.3.4|npm-v3/package-lock.json');
  assert.deepEqual(debugEdges?.dependsOn, ['pkg:npm/ms@2.1.2|npm-v3/package-lock.json']);
});

test('output is deterministic apart from the injected timestamp', async () => {
  const again = await extractInventory(join(temp, 'all'), { includeDev: true });
  const shuffled: Inventory = {
    ...again,
    components: [...again.components].reverse(),
    roots: [...(again.roots ?? [])].reverse(),
  };
  const a = toCycloneDx(everything, { toolVersion: '0.1.0', timestamp: when });
  const b = toCycloneDx(shuffled, { toolVersion: '0.1.0', timestamp: when });
  assert.deepEqual(b, a);
  assert.deepEqual(
    toSpdx(shuffled, { toolVersion: '0.1.0', timestamp: when }),
    toSpdx(everything, { toolVersion: '0.1.0', timestamp: when }),
  );
  const later = toCycloneDx(everything, {
    toolVersion: '0.1.0',
    timestamp: new Date('2027-01-01T00:00:00Z'),
  });
  assert.equal(
    (later as { serialNumber: string }).serialNumber,
    (a as { serialNumber: string }).serialNumber,
  );
  const smaller = toCycloneDx(
    { ...everything, components: everything.components.slice(1) },
    { toolVersion: '0.1.0', timestamp: when },
  );
  assert.notEqual(
    (smaller as { serialNumber: string }).serialNumber,
    (a as { serialNumber: string }).serialNumber,
  );
});

test('SPDX 2.3 document: packages, purls, checksums, licenses and relationships', () => {
  const doc = toSpdx(everything, { toolVersion: '0.1.0', timestamp: when, subject: { name: 'all' } }) as {
    spdxVersion: string;
    dataLicense: string;
    SPDXID: string;
    documentNamespace: string;
    creationInfo: { created: string; creators: string[] };
    packages: {
      SPDXID: string;
      name: string;
      versionInfo?: string;
      licenseDeclared: string;
      externalRefs?: { referenceType: string; referenceLocator: string }[];
      checksums?: { algorithm: string; checksumValue: string }[];
      sourceInfo?: string;
    }[];
    relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
  };
  assert.equal(doc.spdxVersion, 'SPDX-2.3');
  assert.equal(doc.dataLicense, 'CC0-1.0');
  assert.equal(doc.SPDXID, 'SPDXRef-DOCUMENT');
  assert.match(doc.documentNamespace, /^https:\/\/spdx\.gatechain\.dev\/documents\/all-[0-9a-f]{64}$/);
  assert.equal(doc.creationInfo.created, '2026-01-02T03:04:05Z');
  assert.deepEqual(doc.creationInfo.creators, ['Tool: gatechain-0.1.0']);
  const ids = doc.packages.map((p) => p.SPDXID);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^SPDXRef-[A-Za-z0-9.-]+$/);
  assert.equal(doc.packages.length, 1 + everything.roots!.length + everything.components.length);
  const npmV3 = (purl: string) =>
    doc.packages.find(
      (p) =>
        p.externalRefs?.[0]?.referenceLocator === purl && p.sourceInfo?.includes('npm-v3/package-lock.json'),
    )!;
  const debug = npmV3('pkg:npm/debug@4.3.4');
  assert.equal(debug.licenseDeclared, 'MIT');
  assert.equal(debug.checksums?.[0]?.algorithm, 'SHA512');
  assert.match(debug.checksums?.[0]?.checksumValue ?? '', /^[0-9a-f]{128}$/);
  const ms = npmV3('pkg:npm/ms@2.1.2');
  const byType = (type: string) => doc.relationships.filter((r) => r.relationshipType === type);
  assert.deepEqual(byType('DESCRIBES'), [
    {
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: 'SPDXRef-Subject',
    },
  ]);
  assert.ok(
    byType('DEPENDS_ON').some((r) => r.spdxElementId === debug.SPDXID && r.relatedSpdxElement === ms.SPDXID),
  );
  const known = new Set([...ids, 'SPDXRef-DOCUMENT']);
  for (const r of doc.relationships) assert.ok(known.has(r.spdxElementId) && known.has(r.relatedSpdxElement));
  // Non-SPDX license strings are not passed off as expressions.
  for (const p of doc.packages) assert.notEqual(p.licenseDeclared, '');
});
