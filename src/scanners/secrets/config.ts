import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { InputError } from '../../util/errors.ts';
import { DEFAULT_CONFIG } from './default-rules.ts';
import { compileLinear, mayCrossLines } from './regex.ts';
import { type AllowlistSpec, type ConfigSpec, normalizeConfig, type RuleSpec, TomlLocator } from './spec.ts';
import type { Allowlist, Rule, RuleSet } from './types.ts';

/** Configuration files larger than this are refused. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** gitleaks allows two levels of `[extend] path`; so do we, which also stops cycles. */
const MAX_EXTEND_DEPTH = 2;

export interface LoadRuleSetOptions {
  configPath?: string;
  configText?: string;
}

function readConfig(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new InputError(
      'SECRETS_CONFIG_UNREADABLE',
      `cannot read secrets configuration: ${path}`,
      { file: path },
      {
        cause: error,
      },
    );
  }
  if (size > MAX_CONFIG_BYTES) {
    throw new InputError('SECRETS_CONFIG_TOO_LARGE', `configuration larger than ${MAX_CONFIG_BYTES} bytes`, {
      file: path,
    });
  }
  return readFileSync(path, 'utf8');
}

function parseConfigText(text: string, file: string | undefined): ConfigSpec {
  let document: unknown;
  try {
    document = parseToml(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const first = error.message.split('\n')[0] ?? error.message;
      throw new InputError(
        'SECRETS_CONFIG_SYNTAX',
        `not valid TOML: ${first}`,
        { file, line: error.line, column: error.column },
        { cause: error },
      );
    }
    throw new InputError('SECRETS_CONFIG_SYNTAX', 'not valid TOML', { file }, { cause: error });
  }
  return normalizeConfig(document, text, file);
}

/** Child overrides scalar fields it sets; keywords, tags and allowlists accumulate (gitleaks' extend). */
function mergeRule(base: RuleSpec, child: RuleSpec): RuleSpec {
  const merged: RuleSpec = { ...base };
  for (const key of [
    'description',
    'severity',
    'regex',
    'path',
    'secretGroup',
    'entropy',
    'skipReport',
  ] as const) {
    if (child[key] !== undefined) (merged as unknown as Record<string, unknown>)[key] = child[key];
  }
  const union = (a?: string[], b?: string[]) =>
    a || b ? [...new Set([...(a ?? []), ...(b ?? [])])] : undefined;
  const keywords = union(base.keywords, child.keywords);
  if (keywords) merged.keywords = keywords;
  const tags = union(base.tags, child.tags);
  if (tags) merged.tags = tags;
  if (base.allowlists || child.allowlists)
    merged.allowlists = [...(base.allowlists ?? []), ...(child.allowlists ?? [])];
  if (child.required) merged.required = child.required;
  return merged;
}

function resolveExtends(config: ConfigSpec, file: string | undefined, depth: number): ConfigSpec {
  const extend = config.extend;
  if (!extend) return config;
  if (extend.url) {
    throw new InputError(
      'SECRETS_CONFIG_UNSUPPORTED',
      '[extend] url is not supported: download it and use path',
      {
        file,
      },
    );
  }
  let base: ConfigSpec | undefined;
  if (extend.path) {
    if (depth >= MAX_EXTEND_DEPTH) {
      throw new InputError(
        'SECRETS_CONFIG_INVALID',
        `[extend] nests deeper than ${MAX_EXTEND_DEPTH} levels`,
        { file },
      );
    }
    const path = resolve(file ? dirname(file) : process.cwd(), extend.path);
    base = resolveExtends(parseConfigText(readConfig(path), path), path, depth + 1);
  } else if (extend.useDefault) {
    base = DEFAULT_CONFIG;
  }
  if (!base) return config;
  const disabled = new Set(extend.disabledRules ?? []);
  const byId = new Map(config.rules.map((rule) => [rule.id, rule]));
  const rules: RuleSpec[] = [];
  for (const rule of base.rules) {
    if (disabled.has(rule.id)) continue;
    const child = byId.get(rule.id);
    rules.push(child ? mergeRule(rule, child) : rule);
    byId.delete(rule.id);
  }
  for (const rule of config.rules) if (byId.has(rule.id) && !disabled.has(rule.id)) rules.push(rule);
  return { rules, allowlists: [...base.allowlists, ...config.allowlists] };
}

function compileAllowlist(
  spec: AllowlistSpec,
  what: string,
  file: string | undefined,
  line?: number,
): Allowlist {
  return {
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    condition: spec.condition ?? 'OR',
    regexTarget: spec.regexTarget ?? 'secret',
    regexes: (spec.regexes ?? []).map((p) => compileLinear(p, { file, line, what: `${what} regex` })),
    paths: (spec.paths ?? []).map((p) => compileLinear(p, { file, line, what: `${what} path` })),
    commits: (spec.commits ?? []).map((c) => c.toLowerCase()),
    stopwords: (spec.stopwords ?? []).map((s) => s.toLowerCase()),
    targetRules: spec.targetRules ?? [],
  };
}

function compileRule(spec: RuleSpec, file: string | undefined, line: number | undefined): Rule {
  const what = `rule "${spec.id}"`;
  if (!spec.regex && !spec.path) {
    throw new InputError('SECRETS_CONFIG_INVALID', `${what} needs a regex or a path`, { file, line });
  }
  const regex = spec.regex ? compileLinear(spec.regex, { file, line, what }) : undefined;
  const secretGroup = spec.secretGroup ?? 0;
  if (regex && secretGroup > regex.groupCount) {
    throw new InputError(
      'SECRETS_CONFIG_INVALID',
      `${what}: secretGroup ${secretGroup} but the regex has ${regex.groupCount} groups`,
      { file, line },
    );
  }
  return {
    id: spec.id,
    description: spec.description ?? spec.id,
    severity: spec.severity ?? 'high',
    ...(regex ? { regex } : {}),
    secretGroup,
    entropy: spec.entropy ?? 0,
    keywords: [...new Set((spec.keywords ?? []).map((k) => k.toLowerCase()).filter((k) => k !== ''))],
    ...(spec.path ? { path: compileLinear(spec.path, { file, line, what: `${what} path` }) } : {}),
    tags: spec.tags ?? [],
    allowlists: (spec.allowlists ?? []).map((a, i) =>
      compileAllowlist(a, `${what} allowlist #${i + 1}`, file, line),
    ),
    required: spec.required ?? [],
    skipReport: spec.skipReport ?? false,
    multiline: spec.regex ? mayCrossLines(spec.regex) : false,
  };
}

/** Stable JSON: object keys sorted, so the digest does not depend on key order in the file. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Compiles a validated, extended ConfigSpec. */
export function compileConfig(config: ConfigSpec, origin: string, text?: string, file?: string): RuleSet {
  const locator = new TomlLocator(text);
  const rules = config.rules.map((spec) => compileRule(spec, file, locator.ruleById(spec.id)));
  const known = new Set(config.rules.map((rule) => rule.id));
  for (const rule of rules) {
    for (const required of rule.required) {
      if (!known.has(required.id)) {
        throw new InputError(
          'SECRETS_CONFIG_INVALID',
          `rule "${rule.id}" requires unknown rule "${required.id}"`,
          {
            file,
          },
        );
      }
    }
  }
  const allowlists = config.allowlists.map((spec, i) =>
    compileAllowlist(spec, `global allowlist #${i + 1}`, file),
  );
  const sorted = [...config.rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const canonical = canonicalJson({
    format: 'gatechain-secrets-rules/v1',
    rules: sorted,
    allowlists: config.allowlists,
  });
  return { rules, allowlists, origin, canonical };
}

/**
 * Loads a rule set: the built-in defaults when no configuration is given, otherwise a
 * gitleaks-format TOML file or text (with `[extend]` resolved against the defaults or a file).
 */
export function loadRuleSet(options: LoadRuleSetOptions = {}): RuleSet {
  if (options.configText === undefined && options.configPath === undefined) {
    return compileConfig(DEFAULT_CONFIG, 'default');
  }
  const file = options.configPath;
  const text = options.configText ?? readConfig(file as string);
  if (text.length > MAX_CONFIG_BYTES) {
    throw new InputError('SECRETS_CONFIG_TOO_LARGE', `configuration larger than ${MAX_CONFIG_BYTES} bytes`, {
      file,
    });
  }
  const config = resolveExtends(parseConfigText(text, file), file, 0);
  return compileConfig(config, file ?? 'inline', text, file);
}

/** sha256 (hex) of the canonical rule set: what the code-scan attestation records. */
export function ruleSetDigest(ruleSet: RuleSet): string {
  return createHash('sha256').update(ruleSet.canonical, 'utf8').digest('hex');
}
