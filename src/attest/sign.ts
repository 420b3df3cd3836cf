import { bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { IN_TOTO_PAYLOAD_TYPE, parseStatement, type Statement } from '../model/statement.ts';
import type { Signer } from './types.ts';

/**
 * Signs a statement: DSSE over the statement's JSON bytes (payloadType application/vnd.in-toto+json),
 * packaged by sigstore-js as a bundle v0.3 whose verificationMaterial.publicKey.hint and DSSE keyid
 * are the signer's key id. No witnesses (transparency log, timestamp authority) yet: gatechain's
 * own ledger records the bundle after signing.
 * The statement is validated first, so a malformed claim is never signed.
 */
export async function signStatement(statement: Statement, signer: Signer): Promise<SerializedBundle> {
  const checked = parseStatement(statement);
  return signPayload(Buffer.from(JSON.stringify(checked), 'utf8'), IN_TOTO_PAYLOAD_TYPE, signer);
}

/** Signs arbitrary payload bytes as DSSE. Lower level than signStatement: no statement check. */
export async function signPayload(
  payload: Uint8Array,
  payloadType: string,
  signer: Signer,
): Promise<SerializedBundle> {
  // Loaded on first signature: @sigstore/sign pulls in its network witnesses (~250 ms of module
  // loading) that verify-only commands never need.
  const { DSSEBundleBuilder } = await import('@sigstore/sign');
  const builder = new DSSEBundleBuilder({
    signer: {
      sign: async (data: Buffer) => ({
        signature: Buffer.from(await signer.sign(data)),
        key: { $case: 'publicKey', publicKey: signer.publicKeyPem, hint: signer.keyId },
      }),
    },
    witnesses: [],
  });
  const bundle = await builder.create({ data: Buffer.from(payload), type: payloadType });
  return bundleToJSON(bundle);
}
