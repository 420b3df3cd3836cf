import type { Component } from '../../../model/component.ts';
import type { OsvRecord } from '../osv/record.ts';
import { baseEcosystem } from '../versions/table.ts';
import { compileAffected, isAffected, lowestFixAbove, ParsedVersionCache } from './evaluate.ts';
import { packageKey } from './names.ts';

/** A component as deployed somewhere: the inventory (an SBOM, an image) it belongs to. */
export interface StoredComponent {
  inventoryId: string;
  component: Component;
}

export interface AdvisoryHit {
  inventoryId: string;
  component: Component;
  fixedIn?: string;
}

/**
 * The mirror image of AdvisoryIndex: stored inventories indexed by (ecosystem, normalised name),
 * so checking one new advisory costs a lookup per affected package plus one version evaluation
 * per distinct installed version, not a pass over every component.
 */
export class InventoryIndex {
  private readonly byPackage = new Map<string, StoredComponent[]>();
  private total = 0;

  get size(): number {
    return this.total;
  }

  add(inventoryId: string, components: Iterable<Component>): void {
    for (const component of components) {
      const key = packageKey(baseEcosystem(component.ecosystem), component.name);
      const list = this.byPackage.get(key);
      const stored = { inventoryId, component };
      if (list) list.push(stored);
      else this.byPackage.set(key, [stored]);
      this.total++;
    }
  }

  /** Every stored component the advisory affects (none when it is withdrawn). */
  affectedBy(record: OsvRecord): AdvisoryHit[] {
    if (record.withdrawn) return [];
    const hits: AdvisoryHit[] = [];
    for (const affected of record.affected ?? []) {
      if (!affected.package) continue;
      const candidates = this.byPackage.get(
        packageKey(baseEcosystem(affected.package.ecosystem), affected.package.name),
      );
      if (!candidates) continue;
      const compiled = compileAffected(affected);
      const verdicts = new Map<string, { affected: boolean; fixedIn?: string }>();
      for (const candidate of candidates) {
        let verdict = verdicts.get(candidate.component.version);
        if (!verdict) {
          const version = new ParsedVersionCache(candidate.component.version);
          const hit = isAffected(compiled, version);
          const fix = hit ? lowestFixAbove(compiled, version) : undefined;
          verdict = fix !== undefined ? { affected: hit, fixedIn: fix } : { affected: hit };
          verdicts.set(candidate.component.version, verdict);
        }
        if (verdict.affected) {
          hits.push({
            inventoryId: candidate.inventoryId,
            component: candidate.component,
            ...(verdict.fixedIn !== undefined ? { fixedIn: verdict.fixedIn } : {}),
          });
        }
      }
    }
    return hits;
  }
}
