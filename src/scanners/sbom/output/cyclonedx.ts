import type { Component, DependencyScope, Inventory } from '../../../model/component.ts';
import {
  byRef,
  inventoryFingerprint,
  isSpdxExpression,
  type SbomOptions,
  sortedComponents,
  subjectOf,
} from './common.ts';

const CDX_SCOPE: Record<DependencyScope, string> = {
  production: 'required',
  optional: 'optional',
  development: 'excluded',
};

const CDX_ALG: Record<string, string> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

const SUBJECT_REF = 'subject';

/** An RFC 4122 version-5-shaped UUID from a hex digest, so equal inventories get equal serials. */
function uuidFrom(hex: string): string {
  const h = hex.slice(0, 32).split('');
  h[12] = '5';
  h[16] = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

function licensesOf(component: Component): object[] | undefined {
  if (!component.license) return undefined;
  return isSpdxExpression(component.license)
    ? [{ expression: component.license }]
    : [{ license: { name: component.license } }];
}

function hashesOf(component: Component): object[] | undefined {
  const integrity = component.integrity;
  const alg = integrity ? CDX_ALG[integrity.algorithm] : undefined;
  if (!integrity || !alg || !/^[0-9a-f]+$/.test(integrity.value)) return undefined;
  return [{ alg, content: integrity.value }];
}

function cdxComponent(component: Component): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: 'library',
    'bom-ref': component.ref,
    name: component.name,
    version: component.version,
    scope: CDX_SCOPE[component.scope],
  };
  const hashes = hashesOf(component);
  if (hashes) out['hashes'] = hashes;
  const licenses = licensesOf(component);
  if (licenses) out['licenses'] = licenses;
  out['purl'] = component.purl;
  out['properties'] = [
    { name: 'gatechain:dependency:direct', value: String(component.direct) },
    { name: 'gatechain:dependency:scope', value: component.scope },
    { name: 'gatechain:ecosystem', value: component.ecosystem },
  ];
  out['evidence'] = {
    occurrences: [
      component.location.line === undefined
        ? { location: component.location.file }
        : { location: component.location.file, line: component.location.line },
    ],
  };
  return out;
}

/**
 * CycloneDX 1.6 JSON. The subject is `metadata.component`; each project or workspace root is an
 * `application` component; the `dependencies` graph links subject → roots → components.
 * Everything is sorted by ref, so output depends only on the inventory and the timestamp.
 */
export function toCycloneDx(inventory: Inventory, options: SbomOptions): Record<string, unknown> {
  const subject = subjectOf(inventory, options);
  const components = sortedComponents(inventory);
  const roots = [...(inventory.roots ?? [])].sort(byRef);
  const metadataComponent: Record<string, unknown> = {
    type: 'application',
    'bom-ref': SUBJECT_REF,
    name: subject.name,
  };
  if (subject.version) metadataComponent['version'] = subject.version;
  const subjectHashes = Object.entries(subject.digests ?? {})
    .filter(([alg]) => CDX_ALG[alg])
    .map(([alg, content]) => ({ alg: CDX_ALG[alg], content }));
  if (subjectHashes.length > 0) metadataComponent['hashes'] = subjectHashes;

  const rootComponents = roots.map((root) => {
    const out: Record<string, unknown> = { type: 'application', 'bom-ref': root.ref, name: root.name };
    if (root.version) out['version'] = root.version;
    out['properties'] = [{ name: 'gatechain:root:file', value: root.location.file }];
    return out;
  });
  const dependencies = [
    { ref: SUBJECT_REF, dependsOn: roots.map((r) => r.ref) },
    ...roots.map((r) => ({ ref: r.ref, dependsOn: [...new Set(r.dependsOn)].sort() })),
    ...components.map((c) => ({ ref: c.ref, dependsOn: [...new Set(c.dependsOn)].sort() })),
  ];
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${uuidFrom(inventoryFingerprint(inventory, subject))}`,
    version: 1,
    metadata: {
      timestamp: (options.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      tools: { components: [{ type: 'application', name: 'gatechain', version: options.toolVersion }] },
      component: metadataComponent,
    },
    components: [...rootComponents, ...components.map(cdxComponent)],
    dependencies,
  };
}
