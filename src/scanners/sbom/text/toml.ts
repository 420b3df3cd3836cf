import { createRequire } from 'node:module';
import type * as TomlModule from 'smol-toml';
import { InputError } from '../../../util/errors.ts';

// Loaded on first use, synchronously: a scan without TOML lockfiles never pays for the parser.
const requireModule = createRequire(import.meta.url);
let tomlModule: typeof TomlModule | undefined;
function toml(): typeof TomlModule {
  tomlModule ??= requireModule('smol-toml') as typeof TomlModule;
  return tomlModule;
}

/** TOML with errors that carry the file and line. */
export function parseToml(text: string, file: string): Record<string, unknown> {
  const { parse, TomlError } = toml();
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    const where = error instanceof TomlError ? { file, line: error.line, column: error.column } : { file };
    const first = String((error as Error).message).split('\n')[0];
    throw new InputError('TOML_SYNTAX', `${file}: not valid TOML: ${first}`, where, { cause: error });
  }
}

/** Lines of each `[[header]]` array-of-tables entry, in document order. */
export function arrayTableLines(text: string, header: string): number[] {
  const lines: number[] = [];
  const marker = `[[${header}]]`;
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const row = text.slice(start, end === -1 ? text.length : end).trim();
    if (row === marker) lines.push(line);
    if (end === -1) break;
    start = end + 1;
    line++;
  }
  return lines;
}
