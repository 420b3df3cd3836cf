/**
 * SBOM: lockfile and manifest extractors (one per format, registered in a table), the tree walk
 * that builds an Inventory, and CycloneDX 1.6 / SPDX 2.3 JSON output.
 */
// The eager extractor table (EXTRACTORS, extractorFor) lives in ./extractors/index.ts; this index
// keeps to the lazy one so that importing it does not load every parser.
export { FORMATS, type Format, formatFor } from './extractors/formats.ts';
export { extractInventory, type InventoryOptions } from './inventory.ts';
export type { SbomOptions, SbomSubject } from './output/common.ts';
export { toCycloneDx } from './output/cyclonedx.ts';
export { SPDX_NAMESPACE_BASE, toSpdx } from './output/spdx.ts';
export type { ExtractContext, Extraction, Extractor } from './types.ts';
