import { LineCounter, parseDocument } from 'yaml';
import { InputError, parseJson } from '../../../util/errors.ts';
import { lineOfTextPath } from '../../yaml-locate.ts';
import { type OsvRecord, OsvShapeError, recordError, validateOsvShape } from './record.ts';

/** Largest single OSV record file accepted (the biggest real records are a few hundred KB). */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;
/** YAML alias expansions allowed per document (guards against "billion laughs"). */
export const MAX_YAML_ALIASES = 50;

export type RecordFormat = 'json' | 'yaml';

export function formatOf(file: string): RecordFormat | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return undefined;
}

/**
 * Decodes one record file's text and validates its shape. Every failure is an InputError with
 * code OSV_RECORD_INVALID (shape), JSON_SYNTAX or YAML_SYNTAX, naming the file and line.
 */
export function decodeRecord(text: string, file: string, format: RecordFormat): OsvRecord {
  if (text.length > MAX_RECORD_BYTES) {
    throw recordError(file, `record is ${text.length} bytes; the limit is ${MAX_RECORD_BYTES}`);
  }
  const value = format === 'json' ? parseJson(text, file) : parseYaml(text, file);
  try {
    return validateOsvShape(value);
  } catch (error) {
    if (error instanceof OsvShapeError) {
      throw recordError(file, `not a valid OSV record: ${error.message}`, lineOfTextPath(text, error.path));
    }
    throw error;
  }
}

function parseYaml(text: string, file: string): unknown {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) {
    const line = problem.linePos?.[0]?.line ?? counter.linePos(problem.pos[0]).line;
    throw new InputError('YAML_SYNTAX', `not valid YAML: ${problem.message.split('\n')[0]}`, { file, line });
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError('YAML_SYNTAX', `YAML could not be expanded: ${message}`, { file });
  }
}
