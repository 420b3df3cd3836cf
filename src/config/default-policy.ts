/**
 * The chain policy `gatechain init` writes: the five gates of the design with local keys.
 * It is a starting point meant to be edited; docs/policy.md explains every field.
 */
export function defaultPolicyYaml(keyDir: string): string {
  return `# gatechain chain policy: what must be true of an artifact's chain before it may deploy.
# Reference: docs/policy.md. Key paths are relative to this file.
apiVersion: gatechain.dev/v1
kind: ChainPolicy
metadata:
  name: default
signers:
  ci:
    publicKey: ${keyDir}/ci.pub
  security:
    publicKey: ${keyDir}/security.pub
  break-glass:
    publicKey: ${keyDir}/break-glass.pub
  # A CI workflow's keyless identity (reserved; verified once keyless support lands):
  # release-workflow:
  #   keyless:
  #     subject: https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main
  #     issuer: https://token.actions.githubusercontent.com
gates:
  - gate: 1
    name: code-integrity
    require:
      - predicateType: code-scan
        signers: [ci]
        skipSigners: [ci]
        conditions:
          - path: decision
            equals: pass
  - gate: 2
    name: dependency-trust
    require:
      - predicateType: sbom
        signers: [ci]
      - predicateType: vuln-scan
        signers: [ci]
        skipSigners: [ci]
        vulnerabilities:
          block: [critical]
          onlyWithFix: true
          exceptionSigners: [security]
  - gate: 3
    name: build-integrity
    require:
      - predicateType: provenance
        signers: [ci]
        conditions:
          - path: length(buildDefinition.resolvedDependencies[?digest.gitCommit])
            greaterThanOrEquals: 1
            message: provenance names the source commit
  - gate: 4
    name: pre-deploy
    require:
      - predicateType: test-result
        signers: [ci]
        conditions:
          - path: result
            equals: PASSED
            message: DAST on staging
  - gate: 5
    name: runtime-assurance
    require:
      - predicateType: vuln-scan
        signers: [ci]
        vulnerabilities:
          block: [critical, high]
          exceptionSigners: [security]
breakGlass:
  signers: [break-glass]
  maxTtlSeconds: 7200
`;
}
