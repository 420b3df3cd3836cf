import { allowlistMatches, type MatchContext } from './allowlist.ts';
import { shannonEntropy } from './entropy.ts';
import { countNewlines, isContinuation, linesBefore, newlineIndex } from './positions.ts';
import { buildKeywordAutomaton, type KeywordAutomaton } from './prefilter.ts';
import { redactMatch, redactSecret, secretDigest } from './redact.ts';
import type { Fragment, RawMatch, Rule, RuleSet } from './types.ts';

/** A single-line rule looks this far either side of a keyword on a very long (minified) line. */
export const LINE_WINDOW_BYTES = 4096;
/** A rule that may cross lines looks from the line before the keyword to this far after it. */
export const MULTILINE_WINDOW_BYTES = 32 * 1024;

export const INLINE_ALLOW_MARKERS = ['gatechain:allow', 'gitleaks:allow'] as const;

export interface Matcher {
  readonly ruleSet: RuleSet;
  scan(fragment: Fragment): RawMatch[];
}

/**
 * Builds the matcher for a rule set: the keyword automaton is built once, then each fragment
 * is scanned in one pass and only the rules whose keywords occur run, on windows around the hits.
 */
export function createMatcher(ruleSet: RuleSet): Matcher {
  const rules = ruleSet.rules;
  const keywordIds = new Map<string, number>();
  const keywordRules: number[][] = [];
  const alwaysOn: number[] = [];
  rules.forEach((rule, ruleIndex) => {
    if (!rule.regex) return;
    if (rule.keywords.length === 0) {
      alwaysOn.push(ruleIndex);
      return;
    }
    for (const keyword of rule.keywords) {
      let id = keywordIds.get(keyword);
      if (id === undefined) {
        id = keywordIds.size;
        keywordIds.set(keyword, id);
        keywordRules.push([]);
      }
      keywordRules[id]?.push(ruleIndex);
    }
  });
  const automaton: KeywordAutomaton = buildKeywordAutomaton([...keywordIds.keys()]);
  // Global allowlists that drop a whole fragment by path or commit, checked before any matching.
  const fragmentLevel = ruleSet.allowlists.filter(
    (a) => a.condition === 'OR' && a.targetRules.length === 0 && (a.paths.length > 0 || a.commits.length > 0),
  );

  function fragmentAllowed(fragment: Fragment): boolean {
    const commit = fragment.commit?.toLowerCase();
    return fragmentLevel.some(
      (a) =>
        a.paths.some((regex) => regex.test(fragment.path)) ||
        (commit !== undefined && a.commits.includes(commit)),
    );
  }

  // Scratch state reused across fragments (scan is synchronous), so a file costs no per-rule allocation.
  const pathRules = rules.flatMap((rule, i) => (rule.path ? [i] : []));
  const pathOnlyRules = rules.flatMap((rule, i) => (rule.path && !rule.regex ? [i] : []));
  const pathOk = new Uint8Array(rules.length);
  const lastEnd = new Float64Array(rules.length);

  function scan(fragment: Fragment): RawMatch[] {
    if (fragmentAllowed(fragment)) return [];
    const data = fragment.data;
    const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const length = data.length;
    pathOk.fill(1);
    for (const ruleIndex of pathRules) {
      pathOk[ruleIndex] = (rules[ruleIndex] as Rule).path?.test(fragment.path) ? 1 : 0;
    }
    lastEnd.fill(-1);
    // Windows only for the rules whose keywords occur: [start, end, start, end, …] per rule.
    const windows = new Map<number, number[]>();
    let lineStartCache = -1;
    let lineEndCache = -1;
    const addWindow = (ruleIndex: number, start: number, end: number) => {
      let list = windows.get(ruleIndex);
      if (list === undefined) {
        list = [];
        windows.set(ruleIndex, list);
      }
      if (list.length > 0 && start <= (lastEnd[ruleIndex] as number)) {
        if (end > (lastEnd[ruleIndex] as number)) {
          list[list.length - 1] = end;
          lastEnd[ruleIndex] = end;
        }
        return;
      }
      list.push(start, end);
      lastEnd[ruleIndex] = end;
    };
    automaton.scan(data, (keyword, start) => {
      for (const ruleIndex of keywordRules[keyword] as number[]) {
        if (pathOk[ruleIndex] === 0) continue;
        if (start < (lastEnd[ruleIndex] as number)) continue;
        if (start < lineStartCache || start > lineEndCache) {
          lineStartCache = start === 0 ? 0 : buffer.lastIndexOf(10, start - 1) + 1;
          const next = buffer.indexOf(10, start);
          lineEndCache = next === -1 ? length : next;
        }
        const rule = rules[ruleIndex] as Rule;
        let from: number;
        let to: number;
        if (rule.multiline) {
          // Buffer#lastIndexOf reads a negative offset from the end: guard the first two bytes.
          from = lineStartCache <= 1 ? 0 : buffer.lastIndexOf(10, lineStartCache - 2) + 1;
          const limit = Math.min(length, start + MULTILINE_WINDOW_BYTES);
          const next = limit >= length ? -1 : buffer.indexOf(10, limit);
          to = next === -1 ? length : next;
        } else {
          from = Math.max(lineStartCache, start - LINE_WINDOW_BYTES);
          to = Math.min(lineEndCache, start + LINE_WINDOW_BYTES);
          while (from > lineStartCache && isContinuation(data[from])) from--;
          while (to < lineEndCache && isContinuation(data[to])) to++;
        }
        addWindow(ruleIndex, from, to);
      }
    });
    for (const ruleIndex of alwaysOn) if (pathOk[ruleIndex] === 1) addWindow(ruleIndex, 0, length);

    // Most windows are whole lines shared by several rules: decode each once (keyed by start).
    const decodedEnd = new Map<number, number>();
    const decodedText = new Map<number, string>();
    const decode = (from: number, to: number): string => {
      if (decodedEnd.get(from) === to) return decodedText.get(from) as string;
      const text = buffer.toString('utf8', from, to);
      decodedEnd.set(from, to);
      decodedText.set(from, text);
      return text;
    };
    let newlines: Int32Array | undefined;
    const matchesByRule = new Map<string, RawMatch[]>();
    const record = (rule: Rule, match: RawMatch) => {
      const list = matchesByRule.get(rule.id);
      if (list) list.push(match);
      else matchesByRule.set(rule.id, [match]);
    };

    for (const ruleIndex of pathOnlyRules) {
      // A path-only rule flags the file itself (e.g. a keystore that should not be committed).
      if (pathOk[ruleIndex] === 1) record(rules[ruleIndex] as Rule, fileLevelMatch(rules[ruleIndex] as Rule));
    }
    const active = [...windows.keys()].sort((a, b) => a - b);
    for (const ruleIndex of active) {
      const rule = rules[ruleIndex] as Rule;
      const regex = rule.regex;
      if (!regex) continue;
      const list = windows.get(ruleIndex) as number[];
      for (let w = 0; w < list.length; w += 2) {
        const from = list[w] as number;
        const text = decode(from, list[w + 1] as number);
        if (!regex.test(text)) continue;
        for (const spans of regex.matchAll(text)) {
          newlines ??= newlineIndex(data);
          const raw = evaluate(rule, text, spans, from, fragment, buffer, newlines);
          if (raw) record(rule, raw);
        }
      }
    }
    if (matchesByRule.size === 0) return [];
    return finish(matchesByRule);
  }

  function evaluate(
    rule: Rule,
    text: string,
    spans: Int32Array,
    windowStart: number,
    fragment: Fragment,
    buffer: Buffer,
    newlines: Int32Array,
  ): RawMatch | undefined {
    const matchStart = spans[0] as number;
    const matchEnd = spans[1] as number;
    let secretStart = matchStart;
    let secretEnd = matchEnd;
    if (rule.secretGroup > 0) {
      secretStart = spans[rule.secretGroup * 2] as number;
      secretEnd = spans[rule.secretGroup * 2 + 1] as number;
    } else if (rule.regex && rule.regex.groupCount > 0) {
      // gitleaks: without secretGroup, the first non-empty group is the secret.
      for (let group = 1; group <= rule.regex.groupCount; group++) {
        const s = spans[group * 2] as number;
        const e = spans[group * 2 + 1] as number;
        if (s >= 0 && e > s) {
          secretStart = s;
          secretEnd = e;
          break;
        }
      }
    }
    if (secretStart < 0 || secretEnd <= secretStart) return undefined;
    const secret = text.slice(secretStart, secretEnd);
    const entropy = shannonEntropy(secret);
    if (rule.entropy > 0 && entropy <= rule.entropy) return undefined;
    const match = text.slice(matchStart, matchEnd);
    const lineFrom = matchStart === 0 ? 0 : text.lastIndexOf('\n', matchStart - 1) + 1;
    const lineToAt = text.indexOf('\n', Math.max(matchEnd - 1, matchStart));
    const line = text.slice(lineFrom, lineToAt === -1 ? text.length : lineToAt);
    const ctx: MatchContext = { secret, match, line, path: fragment.path, commit: fragment.commit };
    for (const allowlist of ruleSet.allowlists) {
      if (allowlist.targetRules.length > 0 && !allowlist.targetRules.includes(rule.id)) continue;
      if (allowlistMatches(allowlist, ctx)) return undefined;
    }
    for (const allowlist of rule.allowlists) if (allowlistMatches(allowlist, ctx)) return undefined;

    // Positions: the window starts at a line start unless it was capped on a long line.
    const windowLine = linesBefore(newlines, windowStart);
    const windowLineStart = windowLine === 0 ? 0 : (newlines[windowLine - 1] as number) + 1;
    const leadChars =
      windowStart > windowLineStart ? buffer.toString('utf8', windowLineStart, windowStart).length : 0;
    const startLine = windowLine + countNewlines(text, matchStart);
    const endLine = windowLine + countNewlines(text, matchEnd);
    const startColumn = matchStart - lineFrom + 1 + (lineFrom === 0 ? leadChars : 0);
    const endLineFrom = text.lastIndexOf('\n', matchEnd - 1) + 1;
    const endColumn = matchEnd - endLineFrom + (endLineFrom === 0 ? leadChars : 0);
    const mapLine = (zeroBased: number) => fragment.lineMap?.[zeroBased] ?? zeroBased + 1;
    const lower = line.toLowerCase();
    return {
      ruleId: rule.id,
      line: mapLine(startLine),
      column: startColumn,
      endLine: mapLine(endLine),
      endColumn: Math.max(endColumn, 1),
      secretDigest: secretDigest(secret),
      secretRedacted: redactSecret(secret),
      matchRedacted: redactMatch(match, secret),
      entropy: Math.round(entropy * 1000) / 1000,
      inlineAllowed: INLINE_ALLOW_MARKERS.some((marker) => lower.includes(marker)),
    };
  }

  function fileLevelMatch(rule: Rule): RawMatch {
    return {
      ruleId: rule.id,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      secretDigest: secretDigest(''),
      secretRedacted: '',
      matchRedacted: '(file matches the rule path)',
      entropy: 0,
      inlineAllowed: false,
    };
  }

  const isGeneric = (rule: Rule) => rule.id.startsWith('generic') || rule.tags.includes('generic');

  /**
   * Applies composite-rule proximity (`required`), drops skipReport rules, and drops a generic
   * rule's match when a specific rule found the same secret (one leak, one finding).
   */
  function finish(byRule: Map<string, RawMatch[]>): RawMatch[] {
    const out: RawMatch[] = [];
    const specific = new Set<string>();
    for (const rule of rules) {
      if (rule.skipReport || isGeneric(rule)) continue;
      for (const match of byRule.get(rule.id) ?? []) specific.add(match.secretDigest);
    }
    for (const rule of rules) {
      const own = byRule.get(rule.id);
      if (!own || rule.skipReport) continue;
      const generic = isGeneric(rule);
      for (const match of own) {
        if (generic && specific.has(match.secretDigest)) continue;
        const satisfied = rule.required.every((required) =>
          (byRule.get(required.id) ?? []).some(
            (other) =>
              (required.withinLines === undefined ||
                Math.abs(other.line - match.line) <= required.withinLines) &&
              (required.withinColumns === undefined ||
                Math.abs(other.column - match.column) <= required.withinColumns),
          ),
        );
        if (satisfied) out.push(match);
      }
    }
    return out;
  }

  return { ruleSet, scan };
}
