import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runDemo } from '../../src/demo/run.ts';

const dir = mkdtempSync(join(tmpdir(), 'gatechain-demo-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the demo passes a complete chain, fails a missing link and a critical, and is rescued by an exception', async () => {
  let output = '';
  const scenarios = await runDemo({ dir, write: (text) => (output += text) });
  assert.deepEqual(
    scenarios.map((s) => [s.name, s.result.decision]),
    [
      ['complete chain', 'pass'],
      ['missing vuln-scan', 'fail'],
      ['critical vulnerability', 'fail'],
      ['rescued by vuln-exception', 'pass'],
    ],
  );
  const codes = (index: number) =>
    scenarios[index]?.result.gates.flatMap((g) => g.requirements.map((r) => r.code));
  assert.ok(codes(1)?.includes('MISSING'));
  assert.ok(codes(2)?.includes('VULNERABILITY_BLOCKED'));
  assert.equal(scenarios[3]?.result.gates[1]?.requirements[1]?.reliedOn[0]?.kind, 'vuln-exception');
  // All five gates were attested and checked.
  assert.deepEqual(
    scenarios[0]?.result.gates.map((g) => g.gate),
    [1, 2, 3, 4, 5],
  );
  assert.match(output, /gate 5/);
});
