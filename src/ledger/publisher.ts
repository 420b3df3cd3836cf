import { GatechainError } from '../util/errors.ts';
import { openNote } from './note.ts';
import { parseVerifierKey } from './note-keys.ts';
import { verifierFor } from './signers.ts';
import type { StoredCheckpoint } from './storage.ts';
import type { WitnessConfig } from './witness-config.ts';
import { formatAddCheckpoint, parseSizeResponse, TLOG_SIZE_CONTENT_TYPE } from './witness-protocol.ts';

/**
 * Gathers tlog-witness cosignatures for a signed checkpoint. Each witness is sent the consistency
 * proof from the size it last cosigned (remembered per URL; a 409 tells us the real one and we
 * retry once). A cosignature counts only if it verifies against that witness's configured key.
 */
export interface PublishDeps {
  consistencyProof(from: number, to: number): Promise<Buffer[]>;
  witnessSize(url: string): Promise<number>;
  setWitnessSize(url: string, size: number): Promise<void>;
  logVerifierKey: string;
  fetch?: typeof fetch;
}

const MAX_RESPONSE_BYTES = 1 << 16;

async function requestCosignature(
  checkpoint: StoredCheckpoint,
  witness: { vkey: string; url: string },
  deps: PublishDeps,
  timeoutMs: number,
): Promise<string> {
  const doFetch = deps.fetch ?? fetch;
  const witnessKey = parseVerifierKey(witness.vkey);
  const endpoint = `${witness.url.replace(/\/+$/, '')}/add-checkpoint`;
  let oldSize = await deps.witnessSize(witness.url);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (oldSize > checkpoint.size) {
      throw new GatechainError(
        'LEDGER_WITNESS_AHEAD',
        `witness ${witnessKey.name} has seen size ${oldSize}, larger than our ${checkpoint.size}: possible fork`,
      );
    }
    const proof = await deps.consistencyProof(oldSize, checkpoint.size);
    const response = await doFetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: formatAddCheckpoint({ oldSize, proof, checkpoint: checkpoint.note }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    if (body.length > MAX_RESPONSE_BYTES)
      throw new GatechainError('LEDGER_WITNESS_FAILED', 'witness response too large');
    if (
      response.status === 409 &&
      (response.headers.get('content-type') ?? '').startsWith(TLOG_SIZE_CONTENT_TYPE)
    ) {
      oldSize = parseSizeResponse(body);
      await deps.setWitnessSize(witness.url, oldSize);
      continue;
    }
    if (response.status !== 200) {
      throw new GatechainError(
        'LEDGER_WITNESS_FAILED',
        `witness ${witnessKey.name} answered ${response.status}: ${body.slice(0, 200)}`,
      );
    }
    const lines = body.split('\n').filter((line) => line.length > 0);
    const opened = openNote(`${checkpoint.note}${lines.map((line) => `${line}\n`).join('')}`, [
      verifierFor(parseVerifierKey(deps.logVerifierKey)),
      verifierFor(witnessKey),
    ]);
    const mine = opened.verified.find((s) => s.name === witnessKey.name && s.keyId === witnessKey.keyId);
    if (!mine)
      throw new GatechainError(
        'LEDGER_WITNESS_FAILED',
        `witness ${witnessKey.name} returned no valid cosignature`,
      );
    await deps.setWitnessSize(witness.url, checkpoint.size);
    return mine.line;
  }
  throw new GatechainError('LEDGER_WITNESS_FAILED', `witness ${witnessKey.name} kept answering 409`);
}

/** Returns the checkpoint note with the witness cosignatures appended, or throws if the quorum is missed. */
export async function publishCheckpoint(
  checkpoint: StoredCheckpoint,
  config: WitnessConfig,
  deps: PublishDeps,
): Promise<string> {
  const timeoutMs = config.timeoutMs ?? 5000;
  const results = await Promise.allSettled(
    config.witnesses.map((witness) => requestCosignature(checkpoint, witness, deps, timeoutMs)),
  );
  const lines = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  if (lines.length < config.quorum) {
    const reasons = results.flatMap((result) =>
      result.status === 'rejected'
        ? [result.reason instanceof Error ? result.reason.message : String(result.reason)]
        : [],
    );
    throw new GatechainError(
      'LEDGER_WITNESS_QUORUM',
      `checkpoint ${checkpoint.size} got ${lines.length} of the ${config.quorum} cosignatures required: ${reasons.join('; ')}`,
    );
  }
  return `${checkpoint.note}${lines.map((line) => `${line}\n`).join('')}`;
}
