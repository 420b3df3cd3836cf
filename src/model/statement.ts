import { InputError } from '../util/errors.ts';
import { type DigestSet, validateDigestSet } from './digest.ts';

export const STATEMENT_TYPE_V1 = 'https://in-toto.io/Statement/v1';
export const STATEMENT_TYPE_V01 = 'https://in-toto.io/Statement/v0.1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface ResourceDescriptor {
  name?: string;
  uri?: string;
  digest: DigestSet;
  downloadLocation?: string;
  mediaType?: string;
  annotations?: Record<string, unknown>;
}

/** An in-toto Statement. v0.1 is accepted on read and normalised to v1's shape. */
export interface Statement<P = unknown> {
  _type: typeof STATEMENT_TYPE_V1 | typeof STATEMENT_TYPE_V01;
  subject: ResourceDescriptor[];
  predicateType: string;
  predicate: P;
}

/**
 * Validates a decoded statement. Unknown fields are ignored (in-toto's monotonic principle);
 * every subject must carry a valid digest set because subjects are matched by digest only.
 */
export function parseStatement(value: unknown, file?: string): Statement {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('STATEMENT_INVALID', 'statement must be a JSON object', { file });
  }
  const record = value as Record<string, unknown>;
  const type = record['_type'];
  if (type !== STATEMENT_TYPE_V1 && type !== STATEMENT_TYPE_V01) {
    throw new InputError(
      'STATEMENT_TYPE_UNSUPPORTED',
      `statement _type must be ${STATEMENT_TYPE_V1} (or v0.1), got ${JSON.stringify(type)}`,
      { file },
    );
  }
  const subjects = record['subject'];
  if (!Array.isArray(subjects) || subjects.length === 0) {
    throw new InputError('STATEMENT_INVALID', 'statement needs at least one subject', { file });
  }
  const subject: ResourceDescriptor[] = subjects.map((entry, index) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new InputError('STATEMENT_INVALID', `subject[${index}] must be an object`, { file });
    }
    const descriptor = entry as Record<string, unknown>;
    const name = descriptor['name'];
    if (name !== undefined && typeof name !== 'string') {
      throw new InputError('STATEMENT_INVALID', `subject[${index}].name must be a string`, { file });
    }
    const out: ResourceDescriptor = {
      ...(descriptor as object),
      digest: validateDigestSet(descriptor['digest'], file),
    };
    return out;
  });
  const predicateType = record['predicateType'];
  if (typeof predicateType !== 'string' || predicateType.length === 0) {
    throw new InputError('STATEMENT_INVALID', 'statement predicateType must be a non-empty string', { file });
  }
  const predicate = record['predicate'] ?? {};
  if (typeof predicate !== 'object' || Array.isArray(predicate)) {
    throw new InputError('STATEMENT_INVALID', 'statement predicate must be an object', { file });
  }
  return { _type: type, subject, predicateType, predicate };
}
