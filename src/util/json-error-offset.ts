/**
 * Finds the character offset where a JSON text stops being valid. Only used after JSON.parse has
 * already failed, to point the user at a line: V8's messages carry a position for some errors
 * and not for others. A linear scan with an explicit stack, so deep nesting cannot overflow.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const stack: string[] = [];
  let justOpened = false;
  const skipWs = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const scanString = (): boolean => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  const scanValue = (): boolean => {
    skipWs();
    const c = text[i];
    if (c === '"') return scanString();
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      justOpened = true;
      return true;
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      text.slice(i, i + 400),
    );
    if (!literal) return false;
    i += literal[0].length;
    return true;
  };
  // State machine: after an opening bracket we expect a value/key or a close; after a value we
  // expect a comma or a close.
  if (!scanValue()) return i;
  for (;;) {
    skipWs();
    const top = stack[stack.length - 1];
    if (top === undefined) return Math.min(i, n);
    if (text[i] === (top === '{' ? '}' : ']')) {
      stack.pop();
      i++;
      justOpened = false;
      continue;
    }
    const first = justOpened;
    justOpened = false;
    if (!first) {
      if (text[i] !== ',') return i;
      i++;
      skipWs();
    }
    if (top === '{') {
      if (text[i] !== '"' || !scanString()) return i;
      skipWs();
      if (text[i] !== ':') return i;
      i++;
    }
    if (!scanValue()) return i;
  }
}
