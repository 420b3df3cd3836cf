import { type ParserPlugin, parse } from '@babel/parser';
import type { File } from '@babel/types';

export interface ParseProblem {
  message: string;
  line: number;
  column: number;
}

export interface Parsed {
  ast?: File;
  problems: ParseProblem[];
}

function pluginsFor(file: string): ParserPlugin[] {
  // `<T>x` casts and JSX cannot share a file: plain .ts/.mts/.cts files get no JSX.
  if (/\.[mc]?ts$/i.test(file)) return ['typescript'];
  return ['typescript', 'jsx'];
}

/**
 * Parses JS/TS with error recovery. Whatever the input, it returns: syntax errors become
 * problems with a line, and an unrecoverable one leaves `ast` undefined.
 */
export function parseSource(text: string, file: string): Parsed {
  try {
    const ast = parse(text, {
      sourceType: 'module',
      sourceFilename: file,
      errorRecovery: true,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: true,
      allowUndeclaredExports: true,
      allowNewTargetOutsideFunction: true,
      allowSuperOutsideMethod: true,
      plugins: pluginsFor(file),
    });
    const problems = (ast.errors ?? []).map((error) => {
      const loc = (error as { loc?: { line: number; column: number } }).loc;
      return {
        message: error.reasonCode ?? 'syntax error',
        line: loc?.line ?? 1,
        column: (loc?.column ?? 0) + 1,
      };
    });
    return { ast, problems };
  } catch (error) {
    const loc = (error as { loc?: { line?: number; column?: number } }).loc;
    const message = error instanceof Error ? error.message.replace(/\s*\(\d+:\d+\)$/, '') : String(error);
    return { problems: [{ message, line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1 }] };
  }
}
