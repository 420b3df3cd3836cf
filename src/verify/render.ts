import { PREDICATE_ALIASES } from '../model/predicate-types.ts';
import type { ChainResult } from '../policy/model.ts';

const ALIAS_BY_URI = new Map<string, string>();
for (const [alias, uri] of Object.entries(PREDICATE_ALIASES))
  if (!ALIAS_BY_URI.has(uri)) ALIAS_BY_URI.set(uri, alias);

const short = (uri: string) => ALIAS_BY_URI.get(uri) ?? uri;
const mark = (passed: boolean) => (passed ? '✓' : '✗');

/**
 * The verification result as a readable tree: chain → gate → requirement → attestation, each
 * with its verdict and reason.
 */
export function renderChainTree(result: ChainResult): string {
  const lines: string[] = [];
  const subject = Object.entries(result.subject)
    .map(([algorithm, hex]) => `${algorithm}:${hex.slice(0, 16)}…`)
    .join(' ');
  const verdict = { pass: 'PASS', fail: 'FAIL', 'break-glass': 'PASS (break-glass)' }[result.decision];
  lines.push(`${mark(result.passed)} ${verdict}  ${subject}  policy ${result.policy.name}`);
  if (result.source.via === 'provenance') {
    const sources = result.source.subjects.map((s) =>
      Object.entries(s)
        .map(([a, h]) => `${a}:${h.slice(0, 12)}`)
        .join(' '),
    );
    lines.push(`  source via provenance: ${sources.join(', ')}`);
  }
  result.gates.forEach((gate, g) => {
    const lastGate = g === result.gates.length - 1;
    lines.push(
      `${lastGate ? '└─' : '├─'} ${mark(gate.passed)} gate ${gate.gate} ${gate.name} (${gate.about})`,
    );
    const gateIndent = lastGate ? '   ' : '│  ';
    gate.requirements.forEach((requirement, r) => {
      const lastReq = r === gate.requirements.length - 1;
      // A requirement met by one attestation is one line; failures list every attestation tried.
      const decisive = requirement.passed
        ? requirement.attestations.find((check) => check.passed)
        : undefined;
      const by = decisive
        ? `  ${decisive.id.slice(0, 12)}${decisive.signer ? ` by ${decisive.signer}` : ''}`
        : '';
      const code = requirement.passed && requirement.code === 'OK' ? '' : ` [${requirement.code}]`;
      lines.push(
        `${gateIndent}${lastReq ? '└─' : '├─'} ${mark(requirement.passed)} ${short(requirement.predicateType)}${by}: ${requirement.reason}${code}`,
      );
      const only = requirement.attestations[0];
      if (
        requirement.passed ||
        (requirement.attestations.length === 1 && only?.reason === requirement.reason)
      )
        return;
      const reqIndent = `${gateIndent}${lastReq ? '   ' : '│  '}`;
      requirement.attestations.forEach((check, a) => {
        const lastCheck = a === requirement.attestations.length - 1;
        const who = check.signer ? ` by ${check.signer}` : '';
        lines.push(
          `${reqIndent}${lastCheck ? '└─' : '├─'} ${mark(check.passed)} ${check.id.slice(0, 12)}${who}: ${check.reason}${check.passed ? '' : ` [${check.code}]`}`,
        );
      });
    });
  });
  for (const warning of result.warnings) lines.push(`! ${warning}`);
  return `${lines.join('\n')}\n`;
}
