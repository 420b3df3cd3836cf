import { RE2JS } from 're2js';
import { InputError } from '../../util/errors.ts';
import type { LinearRegex } from './types.ts';

/** Patterns longer than this are refused: a rule set is input from outside. */
export const MAX_PATTERN_LENGTH = 16 * 1024;

/**
 * Compiles a Go RE2 pattern with re2js: linear time on every input, the same syntax as gitleaks
 * (inline flags anywhere, `(?P<name>`, `\z`, POSIX classes). `test` runs on the DFA fast path and
 * only a hit pays for a capturing matcher.
 */
export function compileLinear(
  pattern: string,
  where: { file?: string; line?: number; what: string },
): LinearRegex {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new InputError(
      'SECRETS_REGEX_INVALID',
      `${where.what}: pattern longer than ${MAX_PATTERN_LENGTH}`,
      {
        file: where.file,
        line: where.line,
      },
    );
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InputError(
      'SECRETS_REGEX_INVALID',
      `${where.what}: not a valid RE2 regular expression: ${detail}`,
      { file: where.file, line: where.line },
      { cause: error },
    );
  }
  const groupCount = compiled.groupCount();
  return {
    source: pattern,
    groupCount,
    test: (text) => compiled.test(text),
    matchAll(text) {
      const out: Int32Array[] = [];
      const matcher = compiled.matcher(text);
      while (matcher.find()) {
        const spans = new Int32Array((groupCount + 1) * 2);
        for (let group = 0; group <= groupCount; group++) {
          spans[group * 2] = matcher.start(group);
          spans[group * 2 + 1] = matcher.end(group);
        }
        out.push(spans);
        // An empty match must still advance, or find() would loop on the same position.
        if (matcher.end(0) === matcher.start(0) && matcher.end(0) >= text.length) break;
      }
      return out;
    },
  };
}

const CROSSES_OUTSIDE_CLASS = /\\[sWDnvpP]|\\x0[aA]|\\x\{0*[aA]\}|\\012/;
const CROSSES_IN_POSITIVE_CLASS = /\\[sWDnvpP]|\\x0[aA]|\\x\{0*[aA]\}|\\012|\[:(?:space|cntrl|\^)/;
const EXCLUDES_NEWLINE = /\\[nsv]|\\x0[aA]|\[:space:\]/;

/**
 * Conservative answer to "can this pattern match a line break?": true unless every construct is
 * known to exclude `\n`. A wrong "true" only widens the window a rule runs in; a "false" must be
 * right, or a match would be missed.
 */
export function mayCrossLines(pattern: string): boolean {
  if (/\(\?[a-zA-Z]*s[a-zA-Z]*[:)]/.test(pattern)) return true;
  // Drop escaped backslashes so `\\s` (a backslash then "s") is not read as `\s`.
  let rest = pattern.replaceAll('\\\\', '');
  for (const [whole, negation, body] of rest.matchAll(
    /\[(\^?)((?:\[:[^\]]*:\]|\\.|[^\]\\])(?:\[:[^\]]*:\]|\\.|[^\]\\])*)\]/g,
  )) {
    if (negation === '^' ? !EXCLUDES_NEWLINE.test(body ?? '') : CROSSES_IN_POSITIVE_CLASS.test(body ?? '')) {
      return true;
    }
    rest = rest.replace(whole, '');
  }
  return CROSSES_OUTSIDE_CLASS.test(rest);
}
