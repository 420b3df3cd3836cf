import type { Component } from '../../model/component.ts';
import { extractInventory } from '../sbom/index.ts';

/** Components with their declared licenses, from the Gate 2 lockfile extractors. */
export async function loadComponents(root: string): Promise<{ components: Component[]; sources: string[] }> {
  const inventory = await extractInventory(root);
  return { components: inventory.components, sources: inventory.sources };
}
