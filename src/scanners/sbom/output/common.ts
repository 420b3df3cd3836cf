import { createHash } from 'node:crypto';
import parseSpdx from 'spdx-expression-parse';
import type { Component, Inventory } from '../../../model/component.ts';

/** What the SBOM is about: by default the scanned folder's name. */
export interface SbomSubject {
  name: string;
  version?: string;
  /** Digests of the subject (e.g. a source tree or commit), algorithm → lower-case hex. */
  digests?: Record<string, string>;
}

export interface SbomOptions {
  subject?: SbomSubject;
  toolVersion: string;
  /** Creation time; injectable so that output is reproducible. Defaults to now. */
  timestamp?: Date;
}

export function byRef<T extends { ref: string }>(a: T, b: T): number {
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

export function sortedComponents(inventory: Inventory): Component[] {
  return [...inventory.components].sort(byRef);
}

export function subjectOf(inventory: Inventory, options: SbomOptions): SbomSubject {
  if (options.subject) return options.subject;
  const parts = inventory.root.split(/[\\/]/).filter(Boolean);
  return { name: parts[parts.length - 1] ?? 'project' };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Whether a license string is a valid SPDX expression (ids checked against the SPDX list). */
export function isSpdxExpression(license: string): boolean {
  try {
    parseSpdx(license);
    return true;
  } catch {
    return false;
  }
}

/**
 * A stable fingerprint of the inventory (everything but where it was scanned from), used for
 * deterministic serial numbers and document namespaces.
 */
export function inventoryFingerprint(inventory: Inventory, subject: SbomSubject): string {
  return sha256Hex(
    JSON.stringify({
      subject,
      components: sortedComponents(inventory).map((c) => [
        c.ref,
        c.purl,
        c.scope,
        c.direct,
        c.dependsOn,
        c.license,
        c.integrity,
      ]),
      roots: [...(inventory.roots ?? [])].sort(byRef).map((r) => [r.ref, [...r.dependsOn].sort()]),
    }),
  );
}
