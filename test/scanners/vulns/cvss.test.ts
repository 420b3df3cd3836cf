import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  cvss2BaseScore,
  cvss3BaseScore,
  cvss4Score,
  ownSeverity,
  ratingFromScore,
  roundUp31,
} from '../../../src/scanners/vulns/severity/index.ts';
import { GatechainError } from '../../../src/util/errors.ts';

// Vector → base score pairs as published by NVD for the named CVEs (or, where no CVE is named,
// the figure the FIRST calculator shows for that vector).
const CVSS3: Array<[string, number, string]> = [
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10.0, 'CVE-2021-44228 (Log4Shell)'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CVE-2022-22965 (Spring4Shell)'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5, 'CVE-2022-24999 (qs)'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'typical reflected XSS'],
  ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8, 'CVE-2021-4034 (pwnkit)'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.1, 'CVE-2024-6387 (regreSSHion)'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8, 'authenticated RCE'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', 5.3, 'information disclosure'],
  ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', 7.2, 'admin-only RCE'],
  ['CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.8, 'low'],
  ['CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0.0, 'no impact'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CVE-2017-5638 (Struts, v3.0 vector)'],
  [
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:H/RL:O/RC:C',
    9.8,
    'temporal metrics do not change the base score',
  ],
];

const CVSS4: Array<[string, number]> = [
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 10.0],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N', 6.9],
  ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.5],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.7],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N', 5.1],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N', 8.7],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0.0],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U', 8.1],
];

for (const [vector, score, what] of CVSS3) {
  test(`CVSS v3 ${vector} → ${score} (${what})`, () => {
    assert.equal(cvss3BaseScore(vector).score, score);
  });
}

for (const [vector, score] of CVSS4) {
  test(`CVSS v4 ${vector} → ${score}`, () => {
    assert.equal(cvss4Score(vector), score);
  });
}

test('CVSS v2 base scores (NVD v2 figures) and their rating bands', () => {
  assert.equal(cvss2BaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P'), 7.5);
  assert.equal(cvss2BaseScore('AV:N/AC:L/Au:N/C:C/I:C/A:C'), 10.0);
  assert.equal(cvss2BaseScore('AV:N/AC:M/Au:N/C:N/I:P/A:N'), 4.3);
  assert.equal(cvss2BaseScore('(AV:L/AC:L/Au:N/C:C/I:C/A:C)'), 7.2);
  assert.equal(cvss2BaseScore('AV:N/AC:L/Au:N/C:N/I:N/A:N'), 0);
  assert.throws(
    () => cvss2BaseScore('AV:N/AC:L/Au:N/C:P/I:P'),
    (e: unknown) => e instanceof GatechainError && e.code === 'CVSS_INVALID',
  );
  const record = {
    id: 'V2',
    modified: '2024-01-01T00:00:00Z',
    severity: [{ type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:C/I:C/A:C' }],
  };
  assert.deepEqual(ownSeverity(record), {
    rating: 'high',
    score: 10,
    method: 'CVSSv2',
    vector: 'AV:N/AC:L/Au:N/C:C/I:C/A:C',
  });
});

test('v3.1 Roundup avoids float noise (spec Appendix A examples)', () => {
  assert.equal(roundUp31(4.000000000000001), 4.0);
  assert.equal(roundUp31(4.00001), 4.1);
  assert.equal(roundUp31(4.02), 4.1);
  assert.equal(roundUp31(4.0), 4.0);
});

test('ratings follow the CVSS bands', () => {
  assert.deepEqual([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(ratingFromScore), [
    'info',
    'low',
    'low',
    'medium',
    'medium',
    'high',
    'high',
    'critical',
    'critical',
  ]);
});

test('invalid vectors are typed errors', () => {
  for (const vector of [
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H',
    'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:2.0/AV:N',
  ]) {
    assert.throws(
      () => cvss3BaseScore(vector),
      (e: unknown) => e instanceof GatechainError && e.code === 'CVSS_INVALID',
      vector,
    );
  }
  assert.throws(
    () => cvss4Score('CVSS:4.0/AV:N/AC:L'),
    (e: unknown) => e instanceof GatechainError && e.code === 'CVSS_INVALID',
  );
});

test('arbitrary strings give a score or a typed error, never another exception', () => {
  const pieces = fc.constantFrom(
    'CVSS:3.1',
    'CVSS:4.0',
    '/',
    'AV:N',
    'AC:L',
    'AT:N',
    'PR:N',
    'UI:N',
    'S:U',
    'C:H',
    'I:H',
    'A:H',
    'VC:H',
    'VI:H',
    'VA:H',
    'SC:N',
    'SI:N',
    'SA:N',
    'E:U',
    'X:',
    ':',
  );
  const vector = fc.oneof(
    fc.string(),
    fc.array(pieces, { maxLength: 30 }).map((p) => p.join('')),
  );
  fc.assert(
    fc.property(vector, (text) => {
      for (const score of [cvss2BaseScore, cvss3BaseScore, cvss4Score]) {
        try {
          score(text);
        } catch (error) {
          assert.ok(error instanceof GatechainError, String(error));
        }
      }
    }),
    { numRuns: 1000 },
  );
});

test('every valid v4 base vector scores within 0–10 (exhaustive over base metrics)', () => {
  const values: Record<string, string[]> = {
    AV: ['N', 'A', 'L', 'P'],
    AC: ['L', 'H'],
    AT: ['N', 'P'],
    PR: ['N', 'L', 'H'],
    UI: ['N', 'P', 'A'],
    VC: ['H', 'L', 'N'],
    VI: ['H', 'L', 'N'],
    VA: ['H', 'L', 'N'],
    SC: ['H', 'L', 'N'],
    SI: ['H', 'L', 'N'],
    SA: ['H', 'L', 'N'],
  };
  let vectors: string[] = ['CVSS:4.0'];
  for (const [metric, options] of Object.entries(values)) {
    vectors = vectors.flatMap((prefix) => options.map((value) => `${prefix}/${metric}:${value}`));
  }
  assert.equal(vectors.length, 104976);
  for (const vector of vectors) {
    const score = cvss4Score(vector);
    assert.ok(score >= 0 && score <= 10 && Math.round(score * 10) === score * 10, vector);
  }
});

test('record severity: highest CVSS wins, then GHSA database_specific', () => {
  const record = {
    id: 'X',
    modified: '2024-01-01T00:00:00Z',
    severity: [
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N' },
      { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
    ],
  };
  assert.deepEqual(ownSeverity(record), {
    rating: 'critical',
    score: 9.3,
    method: 'CVSSv4.0',
    vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  });
  assert.deepEqual(
    ownSeverity({ id: 'Y', modified: '2024-01-01T00:00:00Z', database_specific: { severity: 'MODERATE' } }),
    {
      rating: 'medium',
      method: 'database_specific',
    },
  );
  // A broken vector gives no score; the word fallback still applies.
  assert.equal(
    ownSeverity({
      id: 'Z',
      modified: '2024-01-01T00:00:00Z',
      severity: [{ type: 'CVSS_V3', score: 'garbage' }],
      database_specific: { severity: 'LOW' },
    })?.rating,
    'low',
  );
  assert.equal(ownSeverity({ id: 'W', modified: '2024-01-01T00:00:00Z' }), undefined);
});
