import type { ZodType } from 'zod';
import { InputError } from './errors.ts';

/** YAML documents read from users are small; these caps keep a hostile file from exhausting memory. */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;
const MAX_ALIAS_COUNT = 100;

export interface LocatedYaml {
  value: unknown;
  /** 1-based line of the node at a path (or of its nearest existing ancestor). */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/**
 * Parses one YAML document keeping node positions, so schema errors can name the line that
 * holds the offending value. Syntax errors become InputError with file and line.
 */
export async function parseYamlLocated(text: string, file?: string): Promise<LocatedYaml> {
  if (text.length > MAX_YAML_BYTES) {
    throw new InputError('YAML_TOO_LARGE', `YAML document exceeds ${MAX_YAML_BYTES} bytes`, { file });
  }
  const { LineCounter, parseDocument, isNode } = await import('yaml');
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const firstError = document.errors[0];
  if (firstError) {
    const position = firstError.linePos?.[0] ?? lineCounter.linePos(firstError.pos[0]);
    throw new InputError('YAML_SYNTAX', `YAML syntax error: ${firstError.message.split('\n')[0]}`, {
      file,
      line: position?.line,
      column: position?.col,
    });
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new InputError(
      'YAML_INVALID',
      `YAML could not be resolved: ${(error as Error).message}`,
      { file },
      { cause: error },
    );
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = document.getIn(path.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { value, lineOf };
}

/** Validates a located YAML value against a zod schema; the first issue names its line. */
export function validateLocated<T>(
  located: LocatedYaml,
  schema: ZodType<T>,
  file: string | undefined,
  code: string,
): T {
  const result = schema.safeParse(located.value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const where = path.length > 0 ? path.map(String).join('.') : '(document)';
  // An unknown key is best shown on its own line, not on the line of the object holding it.
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const line = located.lineOf(unknownKey === undefined ? path : [...path, unknownKey]);
  throw new InputError(code, `${where}: ${issue?.message ?? 'invalid'}`, { file, line });
}
