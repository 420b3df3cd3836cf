import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleDigest, generateKeyPair, loadSigner, signStatement } from '../../src/attest/index.ts';
import type { Signer } from '../../src/attest/types.ts';
import { PredicateType } from '../../src/model/predicate-types.ts';
import { STATEMENT_TYPE_V1 } from '../../src/model/statement.ts';
import { openStore, type Store } from '../../src/store/index.ts';

const PASSPHRASE = 'admission test passphrase';

export interface RoleKey {
  publicKeyPem: string;
  keyId: string;
  signer: Signer;
}

export function makeRoleKey(algorithm: 'ed25519' | 'ecdsa-p256' = 'ecdsa-p256'): RoleKey {
  const pair = generateKeyPair(algorithm, PASSPHRASE);
  return {
    publicKeyPem: pair.publicKeyPem,
    keyId: pair.keyId,
    signer: loadSigner(pair.privateKeyPem, PASSPHRASE),
  };
}

const created: string[] = [];
process.once('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `gatechain-${prefix}-`));
  created.push(dir);
  return dir;
}

export function randomDigest(): string {
  return `sha256:${randomBytes(32).toString('hex')}`;
}

export const REPO = 'registry.example/app/web';

export function imageOf(digest: string, repo = REPO): string {
  return `${repo}@${digest}`;
}

/** A store plus the four signing roles the admission tests use, all made here at test time. */
export interface World {
  dir: string;
  store: Store;
  keys: { ci: RoleKey; other: RoleKey; security: RoleKey; breakGlass: RoleKey };
  attest(
    digest: string,
    predicateType: string,
    predicate: unknown,
    signer: RoleKey,
    createdAt?: string,
  ): Promise<void>;
  /** A fully compliant image: CI-signed SBOM with a version and an empty vuln scan. */
  goodImage(digest?: string): Promise<string>;
}

export async function createWorld(): Promise<World> {
  const dir = tempDir('admission');
  const store = await openStore({ dir });
  const keys = {
    ci: makeRoleKey(),
    other: makeRoleKey(),
    security: makeRoleKey('ed25519'),
    breakGlass: makeRoleKey('ed25519'),
  };
  const attest: World['attest'] = async (digest, predicateType, predicate, signer, createdAt) => {
    const hex = digest.slice('sha256:'.length);
    const bundle = await signStatement(
      {
        _type: STATEMENT_TYPE_V1,
        subject: [{ name: REPO, digest: { sha256: hex } }],
        predicateType,
        predicate,
      },
      signer.signer,
    );
    await store.putAttestation({
      bundleJson: JSON.stringify(bundle),
      bundleDigest: bundleDigest(bundle),
      subjects: [{ name: REPO, digest: { sha256: hex } }],
      predicateType,
      signerKeyId: signer.signer.keyId,
      ...(createdAt ? { createdAt } : {}),
    });
  };
  const goodImage: World['goodImage'] = async (digest = randomDigest()) => {
    await attest(digest, PredicateType.cyclonedx, sbom('1.2.3'), keys.ci);
    await attest(digest, PredicateType.vulns, vulnScan([]), keys.ci);
    return digest;
  };
  return { dir, store, keys, attest, goodImage };
}

export function sbom(version: string | undefined): unknown {
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    metadata: {
      component: { type: 'container', name: 'web', ...(version === undefined ? {} : { version }) },
    },
    components: [],
  };
}

export function vulnScan(ids: string[]): unknown {
  return {
    scanner: {
      uri: 'pkg:github/aquasecurity/trivy',
      result: ids.map((id) => ({ id, severity: [{ method: 'CVSSv3', score: '9.8' }] })),
    },
    metadata: { scanStartedOn: '2026-12-01T00:00:00Z', scanFinishedOn: '2026-12-01T00:01:00Z' },
  };
}

const indent = (text: string, spaces: number) => text.trim().replace(/^/gm, ' '.repeat(spaces));

/**
 * The test policy: in `production` Enforce, in `staging` Audit. Images under registry.example/app/
 * need the CI key's signature, a CycloneDX SBOM whose component version is not empty, and a
 * vulnerability scan with no findings left once exceptions apply.
 */
export function policyYaml(
  ci: RoleKey,
  options: { name?: string; namespace?: string; action?: string } = {},
): string {
  return `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: ${options.name ?? 'require-chain'}
spec:
  validationFailureAction: ${options.action ?? 'Enforce'}
  background: false
  rules:
    - name: ci-signed
      match:
        any:
          - resources:
              kinds: [Pod]
              namespaces: [${options.namespace ?? 'production'}]
      verifyImages:
        - imageReferences: ["registry.example/app/*"]
          attestors:
            - entries:
                - keys:
                    publicKeys: |-
${indent(ci.publicKeyPem, 22)}
          attestations:
            - type: ${PredicateType.cyclonedx}
              conditions:
                - all:
                    - key: "{{ metadata.component.version }}"
                      operator: NotEquals
                      value: ""
            - predicateType: ${PredicateType.vulns}
              conditions:
                - all:
                    - key: "{{ length(scanner.result) }}"
                      operator: Equals
                      value: 0
                      message: unexcepted vulnerabilities remain
`;
}

export function pod(
  images: string[],
  options: { name?: string; annotations?: Record<string, string>; init?: string[] } = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: options.name ?? 'web',
      ...(options.annotations ? { annotations: options.annotations } : {}),
    },
    spec: {
      ...(options.init
        ? { initContainers: options.init.map((image, i) => ({ name: `init-${i}`, image })) }
        : {}),
      containers: images.map((image, i) => ({ name: `c${i}`, image })),
    },
  };
}
