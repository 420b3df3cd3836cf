import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { InputError } from '../../util/errors.ts';
import { resolvePredicateType } from '../predicate-types.ts';
import { type PredicateDefinition, predicateDefinition } from './registry.ts';

export interface PredicateValidation {
  /** The predicate type URI (aliases resolved). */
  type: string;
  /** False for a type gatechain has no schema for: allowed, but nothing was checked. */
  validated: boolean;
}

type AjvInstance = InstanceType<typeof Ajv2020>;
let ajv: AjvInstance | undefined;
const compiled = new Map<string, ValidateFunction>();

// ajv-formats is CommonJS; depending on the loader its plugin is the default export or its .default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  instance: AjvInstance,
) => void;

/** Schema files ship in the package's schemas/ folder: three levels up from src/ or dist/. */
export function schemaUrl(definition: PredicateDefinition): URL {
  return new URL(`../../../schemas/${definition.schemaFile}`, import.meta.url);
}

export function loadSchema(definition: PredicateDefinition): Record<string, unknown> {
  return JSON.parse(readFileSync(schemaUrl(definition), 'utf8')) as Record<string, unknown>;
}

function validatorFor(definition: PredicateDefinition): ValidateFunction {
  const cached = compiled.get(definition.uri);
  if (cached) return cached;
  ajv ??= (() => {
    const instance = new Ajv2020({ allErrors: true, strict: false });
    addFormats(instance);
    return instance;
  })();
  const validate = ajv.compile(loadSchema(definition));
  compiled.set(definition.uri, validate);
  return validate;
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`)
    .join('; ');
}

/**
 * Checks a predicate against its type's JSON Schema (compiled once, on first use). A type with no
 * schema is allowed and reported as not validated; a known type that fails is PREDICATE_INVALID.
 */
export function validatePredicate(type: string, predicate: unknown, file?: string): PredicateValidation {
  const uri = resolvePredicateType(type);
  const definition = predicateDefinition(uri);
  if (!definition) return { type: uri, validated: false };
  const validate = validatorFor(definition);
  if (!validate(predicate)) {
    throw new InputError(
      'PREDICATE_INVALID',
      `${definition.alias} predicate does not match its schema: ${describe(validate.errors)}`,
      {
        file,
      },
    );
  }
  return { type: uri, validated: true };
}
