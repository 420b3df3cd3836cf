import { z } from 'zod';

/**
 * The subset of SARIF 2.1.0 gatechain reads. Objects are loose: unknown properties are allowed
 * (SARIF producers add many), only the fields we interpret are checked.
 */
const text = z.looseObject({ text: z.string().optional() });
const propertyBag = z.record(z.string(), z.unknown());

export const reportingDescriptorSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  shortDescription: text.optional(),
  fullDescription: text.optional(),
  helpUri: z.string().optional(),
  messageStrings: z.record(z.string(), text).optional(),
  defaultConfiguration: z
    .looseObject({ level: z.enum(['none', 'note', 'warning', 'error']).optional() })
    .optional(),
  properties: propertyBag.optional(),
});

export const toolComponentSchema = z.looseObject({
  name: z.string(),
  version: z.string().optional(),
  semanticVersion: z.string().optional(),
  rules: z.array(reportingDescriptorSchema).optional(),
});

const artifactLocation = z.looseObject({
  uri: z.string().optional(),
  uriBaseId: z.string().optional(),
  index: z.number().int().min(-1).optional(),
});

const position = z.number().int().min(0);

export const locationSchema = z.looseObject({
  physicalLocation: z
    .looseObject({
      artifactLocation: artifactLocation.optional(),
      region: z
        .looseObject({
          startLine: position.optional(),
          startColumn: position.optional(),
          endLine: position.optional(),
          endColumn: position.optional(),
        })
        .optional(),
    })
    .optional(),
});

export const suppressionSchema = z.looseObject({
  kind: z.enum(['inSource', 'external']),
  status: z.enum(['accepted', 'underReview', 'rejected']).optional(),
  justification: z.string().optional(),
});

export const resultSchema = z.looseObject({
  ruleId: z.string().optional(),
  ruleIndex: z.number().int().min(-1).optional(),
  rule: z
    .looseObject({
      id: z.string().optional(),
      index: z.number().int().min(-1).optional(),
      toolComponent: z
        .looseObject({ index: z.number().int().min(-1).optional(), name: z.string().optional() })
        .optional(),
    })
    .optional(),
  kind: z.enum(['notApplicable', 'pass', 'fail', 'review', 'open', 'informational']).optional(),
  level: z.enum(['none', 'note', 'warning', 'error']).optional(),
  message: z.looseObject({
    text: z.string().optional(),
    id: z.string().optional(),
    arguments: z.array(z.string()).optional(),
  }),
  locations: z.array(locationSchema).optional(),
  partialFingerprints: z.record(z.string(), z.string()).optional(),
  fingerprints: z.record(z.string(), z.string()).optional(),
  suppressions: z.array(suppressionSchema).optional(),
  baselineState: z.string().optional(),
  properties: propertyBag.optional(),
});

export const runSchema = z.looseObject({
  tool: z.looseObject({
    driver: toolComponentSchema,
    extensions: z.array(toolComponentSchema).optional(),
  }),
  artifacts: z.array(z.looseObject({ location: artifactLocation.optional() })).optional(),
  // null means the tool failed to produce results (§3.14.23): read as none.
  results: z.array(resultSchema).nullable().optional(),
});

export const sarifLogSchema = z.looseObject({
  version: z.string(),
  runs: z.array(runSchema),
});

export type SarifLog = z.infer<typeof sarifLogSchema>;
export type SarifRun = z.infer<typeof runSchema>;
export type SarifResult = z.infer<typeof resultSchema>;
export type SarifToolComponent = z.infer<typeof toolComponentSchema>;
export type SarifReportingDescriptor = z.infer<typeof reportingDescriptorSchema>;
