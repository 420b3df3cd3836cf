import { InputError } from '../util/errors.ts';
import { parseDecimal } from './checkpoint.ts';
import { HASH_SIZE } from './merkle.ts';
import { decodeBase64Strict } from './note-keys.ts';

/**
 * C2SP tlog-witness add-checkpoint body: `old <size>\n`, up to 63 base64 consistency-proof lines,
 * a blank line, then the signed checkpoint. The 409 response body is the witness's size and a
 * newline, with Content-Type text/x.tlog.size; the 200 body is cosignature lines.
 */
export const MAX_WITNESS_PROOF_LINES = 63;
export const MAX_ADD_CHECKPOINT_BYTES = 1 << 16;
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

export interface AddCheckpointRequest {
  oldSize: number;
  proof: Buffer[];
  checkpoint: string;
}

export function formatAddCheckpoint(request: AddCheckpointRequest): string {
  const lines = [`old ${request.oldSize}`, ...request.proof.map((hash) => hash.toString('base64'))];
  return `${lines.join('\n')}\n\n${request.checkpoint}`;
}

function malformed(why: string): InputError {
  return new InputError('LEDGER_WITNESS_REQUEST_MALFORMED', `malformed add-checkpoint request: ${why}`);
}

export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  if (Buffer.byteLength(body, 'utf8') > MAX_ADD_CHECKPOINT_BYTES) throw malformed('too large');
  const blank = body.indexOf('\n\n');
  if (blank < 0) throw malformed('no blank line before the checkpoint');
  const lines = body.slice(0, blank).split('\n');
  const first = lines[0] ?? '';
  if (!first.startsWith('old ')) throw malformed('first line must be "old <size>"');
  let oldSize: number;
  try {
    oldSize = parseDecimal(first.slice(4), 'old size');
  } catch {
    throw malformed('old size must be a decimal with no leading zeros');
  }
  const proofLines = lines.slice(1);
  if (proofLines.length > MAX_WITNESS_PROOF_LINES) throw malformed('more than 63 proof lines');
  const proof = proofLines.map((line) => {
    const hash = decodeBase64Strict(line);
    if (!hash || hash.length !== HASH_SIZE) throw malformed('proof line is not base64 of 32 bytes');
    return hash;
  });
  return { oldSize, proof, checkpoint: body.slice(blank + 2) };
}

export function parseSizeResponse(body: string): number {
  const match = /^([0-9]+)\n?$/.exec(body);
  if (!match)
    throw new InputError('LEDGER_WITNESS_RESPONSE_MALFORMED', 'witness 409 body is not a tree size');
  return parseDecimal(match[1] as string, 'witness size');
}
