import type { Severity } from '../../model/severity.ts';
import { parseSeverity } from '../../model/severity.ts';
import { InputError } from '../../util/errors.ts';

/**
 * The plain-data form of a gitleaks-format configuration after validation and before regex
 * compilation. The default rule table is written in this shape, and the rule-set digest is
 * computed over it, so a TOML file and the built-in table go through one path.
 */
export interface AllowlistSpec {
  description?: string;
  condition?: 'OR' | 'AND';
  regexTarget?: 'secret' | 'match' | 'line';
  regexes?: string[];
  paths?: string[];
  commits?: string[];
  stopwords?: string[];
  targetRules?: string[];
}

export interface RuleSpec {
  id: string;
  description?: string;
  /** gatechain extension (gitleaks ignores unknown keys): the finding severity, default high. */
  severity?: Severity;
  regex?: string;
  secretGroup?: number;
  entropy?: number;
  keywords?: string[];
  path?: string;
  tags?: string[];
  allowlists?: AllowlistSpec[];
  required?: { id: string; withinLines?: number; withinColumns?: number }[];
  skipReport?: boolean;
}

export interface ExtendSpec {
  path?: string;
  url?: string;
  useDefault?: boolean;
  disabledRules?: string[];
}

export interface ConfigSpec {
  title?: string;
  extend?: ExtendSpec;
  rules: RuleSpec[];
  allowlists: AllowlistSpec[];
}

/** Finds the line of each `[[rules]]` header and of keys inside it, so errors can point at the file. */
export class TomlLocator {
  private readonly lines: string[];
  private readonly ruleHeaders: number[] = [];

  constructor(text: string | undefined) {
    this.lines = text === undefined ? [] : text.split('\n');
    this.lines.forEach((line, index) => {
      if (/^\s*\[\[\s*rules\s*\]\]/.test(line)) this.ruleHeaders.push(index + 1);
    });
  }

  rule(index: number, key?: string): number | undefined {
    const header = this.ruleHeaders[index];
    if (header === undefined) return undefined;
    if (key === undefined) return header;
    const end = this.ruleHeaders[index + 1] ?? this.lines.length + 1;
    for (let line = header; line < end; line++) {
      if (new RegExp(`^\\s*["']?${key}["']?\\s*=`).test(this.lines[line - 1] ?? '')) return line;
    }
    return header;
  }

  /** Line of the `[[rules]]` header whose `id` is the given one (undefined when not in this text). */
  ruleById(id: string): number | undefined {
    const quoted = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`^\\s*id\\s*=\\s*["']${quoted}["']`);
    const found = this.lines.findIndex((line) => pattern.test(line));
    if (found < 0) return undefined;
    let header = found + 1;
    for (const start of this.ruleHeaders) if (start <= found + 1) header = start;
    return header;
  }

  key(key: string): number | undefined {
    const found = this.lines.findIndex((line) =>
      new RegExp(`^\\s*\\[{1,2}\\s*${key}\\s*\\]{1,2}`).test(line),
    );
    return found >= 0 ? found + 1 : undefined;
  }
}

interface Where {
  file?: string;
  line?: number;
}

function fail(message: string, where: Where): never {
  throw new InputError('SECRETS_CONFIG_INVALID', message, where);
}

function isTable(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

function optString(
  table: Record<string, unknown>,
  key: string,
  what: string,
  where: Where,
): string | undefined {
  const value = table[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(`${what}: "${key}" must be a string`, where);
  return value;
}

function optStrings(
  table: Record<string, unknown>,
  key: string,
  what: string,
  where: Where,
): string[] | undefined {
  const value = table[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    fail(`${what}: "${key}" must be an array of strings`, where);
  }
  return value as string[];
}

function optNumber(
  table: Record<string, unknown>,
  key: string,
  what: string,
  where: Where,
): number | undefined {
  const value = table[key];
  if (value === undefined) return undefined;
  const number = typeof value === 'bigint' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
    fail(`${what}: "${key}" must be a non-negative number`, where);
  }
  return number;
}

export function normalizeAllowlist(
  value: unknown,
  what: string,
  where: Where,
  global: boolean,
): AllowlistSpec {
  if (!isTable(value)) fail(`${what} must be a table`, where);
  const spec: AllowlistSpec = {};
  const description = optString(value, 'description', what, where);
  if (description !== undefined) spec.description = description;
  const condition = optString(value, 'condition', what, where);
  if (condition !== undefined) {
    const upper = condition.trim().toUpperCase();
    if (upper !== 'OR' && upper !== 'AND')
      fail(`${what}: condition must be OR or AND, not "${condition}"`, where);
    spec.condition = upper;
  }
  const target = optString(value, 'regexTarget', what, where);
  if (target !== undefined) {
    if (target !== 'secret' && target !== 'match' && target !== 'line') {
      fail(`${what}: regexTarget must be secret, match or line, not "${target}"`, where);
    }
    spec.regexTarget = target;
  }
  for (const key of ['regexes', 'paths', 'commits', 'stopwords'] as const) {
    const list = optStrings(value, key, what, where);
    if (list !== undefined && list.length > 0) spec[key] = list;
  }
  if (global) {
    const targets = optStrings(value, 'targetRules', what, where);
    if (targets !== undefined && targets.length > 0) spec.targetRules = targets;
  }
  if (!spec.regexes && !spec.paths && !spec.commits && !spec.stopwords) {
    fail(`${what} must contain at least one of regexes, paths, commits or stopwords`, where);
  }
  return spec;
}

function normalizeRule(
  value: unknown,
  index: number,
  locator: TomlLocator,
  file: string | undefined,
): RuleSpec {
  const where = (key?: string): Where => ({ file, line: locator.rule(index, key) });
  const what = `rule #${index + 1}`;
  if (!isTable(value)) fail(`${what} must be a table`, where());
  const id = optString(value, 'id', what, where('id'));
  if (!id || id.trim() === '') fail(`${what} has no id`, where());
  const named = `rule "${id}"`;
  const spec: RuleSpec = { id };
  const description = optString(value, 'description', named, where('description'));
  if (description !== undefined) spec.description = description;
  const severity = optString(value, 'severity', named, where('severity'));
  if (severity !== undefined) {
    const parsed = parseSeverity(severity);
    if (!parsed) fail(`${named}: unknown severity "${severity}"`, where('severity'));
    spec.severity = parsed;
  }
  const regex = optString(value, 'regex', named, where('regex'));
  if (regex !== undefined && regex !== '') spec.regex = regex;
  const path = optString(value, 'path', named, where('path'));
  if (path !== undefined && path !== '') spec.path = path;
  const secretGroup = optNumber(value, 'secretGroup', named, where('secretGroup'));
  if (secretGroup !== undefined) {
    if (!Number.isInteger(secretGroup))
      fail(`${named}: secretGroup must be an integer`, where('secretGroup'));
    spec.secretGroup = secretGroup;
  }
  const entropy = optNumber(value, 'entropy', named, where('entropy'));
  if (entropy !== undefined) spec.entropy = entropy;
  const keywords = optStrings(value, 'keywords', named, where('keywords'));
  if (keywords !== undefined) spec.keywords = keywords.map((keyword) => keyword.toLowerCase());
  const tags = optStrings(value, 'tags', named, where('tags'));
  if (tags !== undefined) spec.tags = tags;
  const skipReport = value['skipReport'];
  if (skipReport !== undefined) {
    if (typeof skipReport !== 'boolean')
      fail(`${named}: skipReport must be true or false`, where('skipReport'));
    spec.skipReport = skipReport;
  }
  const allowlists: AllowlistSpec[] = [];
  // Legacy single `[rules.allowlist]`, then the current `[[rules.allowlists]]`.
  if (value['allowlist'] !== undefined) {
    allowlists.push(normalizeAllowlist(value['allowlist'], `${named} allowlist`, where(), false));
  }
  const many = value['allowlists'];
  if (many !== undefined) {
    if (!Array.isArray(many)) fail(`${named}: allowlists must be an array of tables`, where());
    many.forEach((entry, i) => {
      allowlists.push(normalizeAllowlist(entry, `${named} allowlists[${i}]`, where(), false));
    });
  }
  if (allowlists.length > 0) spec.allowlists = allowlists;
  const required = value['required'];
  if (required !== undefined) {
    if (!Array.isArray(required)) fail(`${named}: required must be an array of tables`, where());
    spec.required = required.map((entry, i) => {
      if (!isTable(entry)) fail(`${named}: required[${i}] must be a table`, where());
      const requiredId = optString(entry, 'id', `${named} required[${i}]`, where());
      if (!requiredId) fail(`${named}: required[${i}] has no id`, where());
      const out: { id: string; withinLines?: number; withinColumns?: number } = { id: requiredId };
      const lines = optNumber(entry, 'withinLines', `${named} required[${i}]`, where());
      if (lines !== undefined) out.withinLines = lines;
      const columns = optNumber(entry, 'withinColumns', `${named} required[${i}]`, where());
      if (columns !== undefined) out.withinColumns = columns;
      return out;
    });
  }
  return spec;
}

/** Validates a parsed gitleaks-format TOML document into a ConfigSpec. */
export function normalizeConfig(
  document: unknown,
  text: string | undefined,
  file: string | undefined,
): ConfigSpec {
  const locator = new TomlLocator(text);
  if (!isTable(document)) fail('configuration must be a TOML table', { file });
  const config: ConfigSpec = { rules: [], allowlists: [] };
  const title = document['title'];
  if (typeof title === 'string') config.title = title;
  const extend = document['extend'];
  if (extend !== undefined) {
    const where = { file, line: locator.key('extend') };
    if (!isTable(extend)) fail('[extend] must be a table', where);
    const spec: ExtendSpec = {};
    const path = optString(extend, 'path', '[extend]', where);
    if (path) spec.path = path;
    const url = optString(extend, 'url', '[extend]', where);
    if (url) spec.url = url;
    const useDefault = extend['useDefault'];
    if (useDefault !== undefined) {
      if (typeof useDefault !== 'boolean') fail('[extend]: useDefault must be true or false', where);
      spec.useDefault = useDefault;
    }
    const disabled = optStrings(extend, 'disabledRules', '[extend]', where);
    if (disabled) spec.disabledRules = disabled;
    config.extend = spec;
  }
  const rules = document['rules'];
  if (rules !== undefined) {
    if (!Array.isArray(rules)) fail('rules must be an array of tables ([[rules]])', { file });
    config.rules = rules.map((rule, index) => normalizeRule(rule, index, locator, file));
  }
  if (document['allowlist'] !== undefined) {
    config.allowlists.push(
      normalizeAllowlist(
        document['allowlist'],
        '[allowlist]',
        { file, line: locator.key('allowlist') },
        true,
      ),
    );
  }
  const allowlists = document['allowlists'];
  if (allowlists !== undefined) {
    if (!Array.isArray(allowlists)) fail('allowlists must be an array of tables ([[allowlists]])', { file });
    allowlists.forEach((entry, i) => {
      config.allowlists.push(
        normalizeAllowlist(
          entry,
          `[[allowlists]] #${i + 1}`,
          { file, line: locator.key('allowlists') },
          true,
        ),
      );
    });
  }
  const seen = new Set<string>();
  config.rules.forEach((rule, index) => {
    if (seen.has(rule.id)) fail(`duplicate rule id "${rule.id}"`, { file, line: locator.rule(index) });
    seen.add(rule.id);
  });
  return config;
}
