/** Go-style durations (`1h30m`, `168h`, `500ms`, `-2s`) in milliseconds; numbers are seconds. */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return undefined;
  let text = value;
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    sign = text[0] === '-' ? -1 : 1;
    text = text.slice(1);
  }
  if (text === '0') return 0;
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  while (consumed < text.length) {
    PART.lastIndex = consumed;
    const match = PART.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2]!] ?? Number.NaN);
    consumed = PART.lastIndex;
  }
  return Number.isFinite(total) && consumed > 0 ? sign * total : undefined;
}

/** Formats milliseconds the way Go prints durations closely enough for messages (`1h2m3s`). */
export function formatDuration(ms: number): string {
  const negative = ms < 0;
  let rest = Math.abs(ms);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  const text = `${hours ? `${hours}h` : ''}${hours || minutes ? `${minutes}m` : ''}${Number(seconds.toFixed(3))}s`;
  return negative ? `-${text}` : text;
}
