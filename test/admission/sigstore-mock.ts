/**
 * Offline keyless signing for tests: a mock Fulcio CA, RFC 3161 TSA and Rekor log from
 * @sigstore/mock, and a trusted_root.json naming exactly them. Bundles are built here the way
 * sigstore-js builds them (DSSE envelope, certificate, timestamp, dsse v0.0.1 tlog entry).
 */
import { createHash, generateKeyPairSync, randomInt, sign } from 'node:crypto';
import { dsse } from '@sigstore/core';
import { initializeCA, initializeTLog, initializeTSA } from '@sigstore/mock';
import { IN_TOTO_PAYLOAD_TYPE, type Statement } from '../../src/model/statement.ts';

const OID_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const SHA256_OID = '2.16.840.1.101.3.4.2.1';

const b64 = (bytes: ArrayBufferView | Buffer) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export interface SigstoreMock {
  trustedRoot: unknown;
  signKeyless(
    statement: Statement,
    identity: { subject: string; issuer: string },
    options?: { tlog?: boolean; timestamp?: boolean },
  ): Promise<unknown>;
}

export async function createSigstoreMock(options: { withTlog?: boolean } = {}): Promise<SigstoreMock> {
  const ec = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caKeys = ec();
  const tsaKeys = ec();
  const tlogKeys = ec();
  // One whole-second clock for CA, TSA and log: the mock TSA writes fractional seconds in GeneralizedTime
  // that @sigstore/core sometimes cannot parse. It runs 2 s ahead so that every timestamp falls after
  // the mock TSA's own certificates (issued at the real time); Fulcio certificates live 10 minutes.
  const clock = new Date(Math.floor(Date.now() / 1000) * 1000 + 2000);
  const ca = await initializeCA(caKeys, undefined, clock);
  const tsa = await initializeTSA(tsaKeys, clock);
  const tlog = await initializeTLog('https://rekor.sigstore.dev', tlogKeys, clock);
  const tlogSpki = tlogKeys.publicKey.export({ type: 'spki', format: 'der' });
  const logId = createHash('sha256').update(tlogSpki).digest();
  const start = new Date(Date.now() - 3600_000).toISOString();
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: options.withTlog
      ? [
          {
            baseUrl: 'https://rekor.sigstore.dev',
            hashAlgorithm: 'SHA2_256',
            publicKey: {
              rawBytes: tlogSpki.toString('base64'),
              keyDetails: 'PKIX_ECDSA_P256_SHA_256',
              validFor: { start },
            },
            logId: { keyId: logId.toString('base64') },
          },
        ]
      : [],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'fulcio' },
        uri: 'https://fulcio.mock',
        certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] },
        validFor: { start },
      },
    ],
    ctlogs: [],
    timestampAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'tsa' },
        uri: 'https://tsa.mock',
        certChain: {
          certificates: [{ rawBytes: b64(tsa.intCertificate) }, { rawBytes: b64(tsa.rootCertificate) }],
        },
        validFor: { start },
      },
    ],
  };
  const signKeyless: SigstoreMock['signKeyless'] = async (statement, identity, signOptions = {}) => {
    const ephemeral = ec();
    const leaf = Buffer.from(
      b64(
        await ca.issueCertificate({
          publicKey: ephemeral.publicKey.export({ type: 'spki', format: 'der' }),
          subjectAltName: identity.subject,
          extensions: [{ oid: OID_ISSUER_V1, value: identity.issuer, legacy: true }],
        }),
      ),
      'base64',
    );
    const payload = Buffer.from(JSON.stringify(statement));
    const signature = sign(
      'sha256',
      dsse.preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload),
      ephemeral.privateKey,
    );
    const envelope = {
      payload: payload.toString('base64'),
      payloadType: IN_TOTO_PAYLOAD_TYPE,
      signatures: [{ sig: signature.toString('base64'), keyid: '' }],
    };
    const material: Record<string, unknown> = {
      certificate: { rawBytes: leaf.toString('base64') },
      tlogEntries: [],
    };
    if (signOptions.timestamp !== false) {
      const response = await tsa.timestamp({
        artifactHash: createHash('sha256').update(signature).digest(),
        hashAlgorithmOID: SHA256_OID,
        nonce: randomInt(1_000_000_000),
        policyOID: '1.2.3.4',
        certReq: true,
      });
      material['timestampVerificationData'] = { rfc3161Timestamps: [{ signedTimestamp: b64(response) }] };
    }
    if (signOptions.tlog ?? options.withTlog) {
      const pem = `-----BEGIN CERTIFICATE-----\n${leaf.toString('base64')}\n-----END CERTIFICATE-----\n`;
      const body = {
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: {
          envelopeHash: {
            algorithm: 'sha256',
            value: createHash('sha256').update(JSON.stringify(envelope)).digest('hex'),
          },
          payloadHash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') },
          signatures: [
            { signature: signature.toString('base64'), verifier: Buffer.from(pem).toString('base64') },
          ],
        },
      };
      const logged = Object.values(await tlog.log(body))[0] as {
        body: string;
        integratedTime: number;
        logIndex: number;
        verification: {
          signedEntryTimestamp: string;
          inclusionProof: { rootHash: string; checkpoint: string };
        };
      };
      material['tlogEntries'] = [
        {
          logIndex: String(logged.logIndex),
          logId: { keyId: logId.toString('base64') },
          kindVersion: { kind: 'dsse', version: '0.0.1' },
          integratedTime: String(logged.integratedTime),
          inclusionPromise: { signedEntryTimestamp: logged.verification.signedEntryTimestamp },
          inclusionProof: {
            logIndex: '0',
            rootHash: Buffer.from(logged.verification.inclusionProof.rootHash, 'hex').toString('base64'),
            treeSize: '1',
            hashes: [],
            checkpoint: { envelope: logged.verification.inclusionProof.checkpoint },
          },
          canonicalizedBody: logged.body,
        },
      ];
    }
    return {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: material,
      dsseEnvelope: envelope,
    };
  };
  return { trustedRoot, signKeyless };
}
