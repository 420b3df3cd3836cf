import type { Component, Inventory } from '../../../model/component.ts';
import {
  byRef,
  inventoryFingerprint,
  isSpdxExpression,
  type SbomOptions,
  sha256Hex,
  sortedComponents,
  subjectOf,
} from './common.ts';

const SPDX_ALG: Record<string, string> = {
  md5: 'MD5',
  sha1: 'SHA1',
  sha256: 'SHA256',
  sha384: 'SHA384',
  sha512: 'SHA512',
};

/** The namespace prefix of gatechain-generated documents; the rest is a digest of the content. */
export const SPDX_NAMESPACE_BASE = 'https://spdx.gatechain.dev/documents';

/** SPDXRef-<readable part>-<digest part>: idstring allows only letters, digits, `.` and `-`. */
function spdxId(prefix: string, name: string, ref: string): string {
  const readable =
    name
      .replace(/[^A-Za-z0-9.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64) || 'x';
  return `SPDXRef-${prefix}-${readable}-${sha256Hex(ref).slice(0, 12)}`;
}

function spdxPackage(component: Component, id: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    SPDXID: id,
    name: component.name,
    versionInfo: component.version,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared:
      component.license && isSpdxExpression(component.license) ? component.license : 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    externalRefs: [
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: component.purl },
    ],
    primaryPackagePurpose: 'LIBRARY',
  };
  const integrity = component.integrity;
  const alg = integrity ? SPDX_ALG[integrity.algorithm] : undefined;
  if (integrity && alg && /^[0-9a-f]+$/.test(integrity.value)) {
    out['checksums'] = [{ algorithm: alg, checksumValue: integrity.value }];
  }
  if (component.location.file) {
    out['sourceInfo'] =
      `${component.scope}${component.direct ? ', direct' : ''} dependency from ${component.location.file}${component.location.line ? `:${component.location.line}` : ''}`;
  }
  return out;
}

/**
 * SPDX 2.3 JSON. The document DESCRIBES the subject package; the subject DEPENDS_ON each project
 * or workspace root, which DEPENDS_ON its direct components, and so on down the graph. The
 * namespace is derived from the content, so equal inventories get equal namespaces.
 */
export function toSpdx(inventory: Inventory, options: SbomOptions): Record<string, unknown> {
  const subject = subjectOf(inventory, options);
  const components = sortedComponents(inventory);
  const roots = [...(inventory.roots ?? [])].sort(byRef);
  const subjectId = 'SPDXRef-Subject';
  const idOf = new Map<string, string>();
  for (const root of roots) idOf.set(root.ref, spdxId('Root', root.name, root.ref));
  for (const component of components)
    idOf.set(component.ref, spdxId('Package', `${component.name}-${component.version}`, component.ref));

  const subjectPackage: Record<string, unknown> = {
    SPDXID: subjectId,
    name: subject.name,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    primaryPackagePurpose: 'SOURCE',
  };
  if (subject.version) subjectPackage['versionInfo'] = subject.version;
  const subjectChecksums = Object.entries(subject.digests ?? {})
    .filter(([alg]) => SPDX_ALG[alg])
    .map(([alg, value]) => ({ algorithm: SPDX_ALG[alg], checksumValue: value }));
  if (subjectChecksums.length > 0) subjectPackage['checksums'] = subjectChecksums;

  const rootPackages = roots.map((root) => {
    const out: Record<string, unknown> = {
      SPDXID: idOf.get(root.ref),
      name: root.name,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'NOASSERTION',
      copyrightText: 'NOASSERTION',
      primaryPackagePurpose: 'APPLICATION',
      sourceInfo: `declared in ${root.location.file}`,
    };
    if (root.version) out['versionInfo'] = root.version;
    return out;
  });

  const relationships: Record<string, string>[] = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: subjectId },
  ];
  const dependsOn = (from: string, refs: string[]) => {
    for (const ref of [...new Set(refs)].sort()) {
      const to = idOf.get(ref);
      if (to)
        relationships.push({ spdxElementId: from, relationshipType: 'DEPENDS_ON', relatedSpdxElement: to });
    }
  };
  dependsOn(
    subjectId,
    roots.map((r) => r.ref),
  );
  for (const root of roots) dependsOn(idOf.get(root.ref)!, root.dependsOn);
  for (const component of components) dependsOn(idOf.get(component.ref)!, component.dependsOn);

  const fingerprint = inventoryFingerprint(inventory, subject);
  const name = `${subject.name}${subject.version ? `@${subject.version}` : ''}`;
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name,
    documentNamespace: `${SPDX_NAMESPACE_BASE}/${encodeURIComponent(subject.name)}-${fingerprint}`,
    creationInfo: {
      created: (options.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      creators: [`Tool: gatechain-${options.toolVersion}`],
    },
    packages: [subjectPackage, ...rootPackages, ...components.map((c) => spdxPackage(c, idOf.get(c.ref)!))],
    relationships,
  };
}
