/** A valid record whose reason carries a tag, so a test can tell entries apart. */
export function breakGlass(tag: string | number): Record<string, unknown> {
  return {
    kind: 'break-glass',
    v: 1,
    subjects: [{ sha256: 'ab'.repeat(32) }],
    reason: `tag ${tag}`,
    actor: 'test',
  };
}

export function attestation(n: number): Record<string, unknown> {
  return {
    kind: 'attestation',
    v: 1,
    bundleDigest: `sha256:${n.toString(16).padStart(64, '0')}`,
    predicateType: 'https://slsa.dev/provenance/v1',
    subjects: [{ sha256: 'cd'.repeat(32) }],
    signerKeyId: 'test-key',
  };
}
