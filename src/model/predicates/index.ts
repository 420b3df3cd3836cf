/** The predicate registry: one row per known predicate type, with its JSON Schema and validation. */
export { PREDICATE_DEFINITIONS, type PredicateDefinition, predicateDefinition } from './registry.ts';
export {
  BREAK_GLASS_DEFAULT_TTL_SECONDS,
  type BreakGlassPredicate,
  type CodeScanPredicate,
  type ScanSkipPredicate,
  type VulnExceptionPredicate,
} from './types.ts';
export { loadSchema, type PredicateValidation, schemaUrl, validatePredicate } from './validate.ts';
