export { AdvisoryIndex, type VulnMatch } from './advisory-index.ts';
export {
  type CompiledAffected,
  compileAffected,
  inRange,
  isAffected,
  lowestFixAbove,
  ParsedVersionCache,
} from './evaluate.ts';
export { type AdvisoryHit, InventoryIndex, type StoredComponent } from './inventory-index.ts';
export { normalizePackageName, packageKey } from './names.ts';
