import { z } from 'zod';
import { InputError, parseJson } from '../util/errors.ts';
import { KEY_TYPE_COSIGNATURE_V1, parseVerifierKey } from './note-keys.ts';

/**
 * The log's witness setting: a checkpoint is published only with cosignatures from at least
 * `quorum` of the listed witnesses (k of n). Read from OpenLedgerOptions.witnesses or from
 * `<storeDir>/ledger.json` as `{ "witness": { "quorum": k, "witnesses": [{ "vkey", "url" }] } }`.
 */
export interface WitnessConfig {
  quorum: number;
  witnesses: { vkey: string; url: string }[];
  /** Per-request timeout; default 5000 ms. */
  timeoutMs?: number;
}

export const LEDGER_CONFIG_FILE = 'ledger.json';

const schema = z.strictObject({
  witness: z
    .strictObject({
      quorum: z.number().int().min(1),
      witnesses: z
        .array(z.strictObject({ vkey: z.string(), url: z.url({ protocol: /^https?$/ }) }))
        .min(1)
        .max(64),
      timeoutMs: z.number().int().min(100).max(120_000).optional(),
    })
    .optional(),
  witnessFor: z
    .strictObject({
      name: z.string().min(1).max(256).optional(),
      logs: z
        .array(z.strictObject({ vkey: z.string(), origin: z.string().min(1).max(1024).optional() }))
        .min(1)
        .max(1024),
    })
    .optional(),
});

/**
 * The witness role of this instance (`witnessFor` in ledger.json): the logs whose checkpoints it
 * cosigns through `POST <prefix>/add-checkpoint`, and the name for a newly created witness key.
 */
export interface WitnessRoleConfig {
  name?: string;
  logs: { vkey: string; origin?: string }[];
}

export interface LedgerConfig {
  witness?: WitnessConfig;
  witnessFor?: WitnessRoleConfig;
}

export function parseLedgerConfig(text: string, file: string): LedgerConfig {
  const result = schema.safeParse(parseJson(text, file));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError('LEDGER_CONFIG_INVALID', `${issue?.path.join('.') || 'config'}: ${issue?.message}`, {
      file,
    });
  }
  const config: LedgerConfig = {};
  if (result.data.witness) config.witness = validateWitnessConfig(result.data.witness, file);
  if (result.data.witnessFor) {
    for (const log of result.data.witnessFor.logs) parseVerifierKey(log.vkey);
    const role: WitnessRoleConfig = { logs: result.data.witnessFor.logs.map((log) => ({ ...log })) };
    if (result.data.witnessFor.name) role.name = result.data.witnessFor.name;
    config.witnessFor = role;
  }
  return config;
}

export function validateWitnessConfig(config: WitnessConfig, file?: string): WitnessConfig {
  if (!Number.isInteger(config.quorum) || config.quorum < 1 || config.quorum > config.witnesses.length) {
    throw new InputError(
      'LEDGER_CONFIG_INVALID',
      `witness quorum must be between 1 and ${config.witnesses.length}`,
      { file },
    );
  }
  const names = new Set<string>();
  for (const witness of config.witnesses) {
    const key = parseVerifierKey(witness.vkey);
    if (key.type !== KEY_TYPE_COSIGNATURE_V1) {
      throw new InputError(
        'LEDGER_CONFIG_INVALID',
        `witness key ${key.name} must be a cosignature/v1 key (type 0x04)`,
        {
          file,
        },
      );
    }
    if (names.has(key.name))
      throw new InputError('LEDGER_CONFIG_INVALID', `witness ${key.name} is listed twice`, { file });
    names.add(key.name);
  }
  return config;
}

export function parseWitnessConfig(text: string, file: string): WitnessConfig | undefined {
  return parseLedgerConfig(text, file).witness;
}
