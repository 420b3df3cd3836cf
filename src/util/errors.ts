import { jsonErrorOffset } from './json-error-offset.ts';

/**
 * Every failure a user can act on is a GatechainError: a stable machine-readable `code`, a message
 * that says what to do, and — when input was at fault — the file and line it came from.
 * Callers branch on `code`, never on the message text.
 */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
}

export class GatechainError extends Error {
  readonly code: string;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(code: string, message: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatechainError';
    this.code = code;
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
  }

  /** `file:line:column: message [CODE]`, omitting the parts that are unknown. */
  describe(): string {
    const where = [this.file, this.line, this.column].filter((part) => part !== undefined).join(':');
    return `${where ? `${where}: ` : ''}${this.message} [${this.code}]`;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, file: this.file, line: this.line, column: this.column };
  }
}

/** Input that could not be parsed or does not follow its format. */
export class InputError extends GatechainError {
  constructor(code: string, message: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(code, message, location, options);
    this.name = 'InputError';
  }
}

/** A signature, digest or policy check that failed: the input was well-formed but not trusted. */
export class VerificationError extends GatechainError {
  constructor(code: string, message: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(code, message, location, options);
    this.name = 'VerificationError';
  }
}

export function isGatechainError(value: unknown): value is GatechainError {
  return value instanceof GatechainError;
}

/** 1-based line and column of a character offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lastBreak = -1;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lastBreak = i;
    }
  }
  return { line, column: end - lastBreak };
}

/**
 * JSON.parse that reports where the text broke as an InputError with file and line, instead of a
 * bare SyntaxError.
 */
export function parseJson(text: string, file?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const offset = position?.[1] ? Number(position[1]) : jsonErrorOffset(text);
    const location: ErrorLocation = { file, ...lineAndColumn(text, offset) };
    throw new InputError('JSON_SYNTAX', `not valid JSON: ${message}`, location, { cause: error });
  }
}
