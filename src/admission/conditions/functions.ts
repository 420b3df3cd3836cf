import { isRegistered, registerFunction, TYPE_STRING } from '@jmespath-community/jmespath';
import { formatDuration } from './duration.ts';

/**
 * The Kyverno JMESPath extensions policies use with attestations. Only the RFC 3339 layout (`''`)
 * is supported: Go time layouts are not reproduced.
 */
function parseTime(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`"${text}" is not an RFC 3339 time`);
  return ms;
}

function checkLayout(layout: unknown): void {
  if (layout !== '') throw new Error('only the RFC 3339 layout "" is supported');
}

if (!isRegistered('time_now_utc')) {
  registerFunction('time_now_utc', () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), []);
}

if (!isRegistered('time_since')) {
  registerFunction(
    'time_since',
    (args) => {
      const [layout, from, to] = args as string[];
      checkLayout(layout);
      const end = to ? parseTime(to) : Date.now();
      return formatDuration(end - parseTime(from ?? ''));
    },
    [{ types: [TYPE_STRING] }, { types: [TYPE_STRING] }, { types: [TYPE_STRING] }],
  );
}
