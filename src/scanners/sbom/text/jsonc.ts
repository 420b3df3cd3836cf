import { parseJson } from '../../../util/errors.ts';

/**
 * JSON with comments and trailing commas (bun.lock). Comments become spaces and trailing commas
 * are dropped, keeping every newline, so parse errors still point at the right line. One pass.
 */
export function parseJsonc(text: string, file: string): unknown {
  const parts: string[] = [];
  let i = 0;
  const n = text.length;
  let pendingComma = -1; // index in `parts` of a comma that may turn out to be trailing
  let plainStart = 0;
  const flush = (end: number) => {
    if (end > plainStart) parts.push(text.slice(plainStart, end));
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n && text.charCodeAt(i) !== 34 && text.charCodeAt(i) !== 10)
        i += text.charCodeAt(i) === 92 ? 2 : 1;
      i = Math.min(i + 1, n);
      pendingComma = -1;
      continue;
    }
    if (c === 47 /* / */ && (text[i + 1] === '/' || text[i + 1] === '*')) {
      flush(i);
      const block = text[i + 1] === '*';
      const close = block ? text.indexOf('*/', i + 2) : text.indexOf('\n', i);
      const stop = close === -1 ? n : block ? close + 2 : close;
      parts.push(text.slice(i, stop).replace(/[^\n]/g, ' '));
      i = stop;
      plainStart = i;
      continue;
    }
    if (c === 44 /* , */) {
      flush(i);
      pendingComma = parts.length;
      parts.push(',');
      i++;
      plainStart = i;
      continue;
    }
    if ((c === 125 || c === 93) /* } ] */ && pendingComma !== -1) parts[pendingComma] = ' ';
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) pendingComma = -1;
    i++;
  }
  flush(n);
  return parseJson(parts.join(''), file);
}
