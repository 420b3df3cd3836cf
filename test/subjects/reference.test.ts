import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseImageName, parseSubjectSpec } from '../../src/subjects/index.ts';
import { looksLikeTagOnlyImage } from '../../src/subjects/reference.ts';
import { GatechainError } from '../../src/util/errors.ts';

test('subject specs classify as documented', () => {
  const hex = 'c'.repeat(64);
  assert.deepEqual(parseSubjectSpec('git'), { kind: 'git', revision: 'HEAD' });
  assert.deepEqual(parseSubjectSpec('oci-layout:./img@web'), {
    kind: 'oci-layout',
    path: './img',
    ref: 'web',
  });
  assert.deepEqual(parseSubjectSpec('oci-archive:a.tar'), { kind: 'oci-archive', path: 'a.tar' });
  assert.deepEqual(parseSubjectSpec(`app:1.0@sha256:${hex}`), {
    kind: 'digest',
    name: 'app:1.0',
    algorithm: 'sha256',
    hex,
  });
  assert.deepEqual(parseSubjectSpec('./build/out'), { kind: 'path', path: './build/out' });
});

test('image names: domain, path and tag', () => {
  assert.deepEqual(parseImageName('ghcr.io/o/r:latest'), { domain: 'ghcr.io', path: 'o/r', tag: 'latest' });
  assert.deepEqual(parseImageName('nginx:1.25'), { path: 'nginx', tag: '1.25' });
  assert.deepEqual(parseImageName('localhost:5000/a'), { domain: 'localhost:5000', path: 'a' });
  assert.equal(parseImageName('Not Valid'), undefined);
  assert.equal(looksLikeTagOnlyImage('src/main.ts'), false);
  assert.equal(looksLikeTagOnlyImage('nginx:1.25'), true);
});

test('the reference parser throws only typed errors and stays fast on arbitrary text', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 600 }),
        fc.stringMatching(/^[a-z0-9._:/@-]{0,300}$/),
        fc
          .constantFrom('git:', 'oci-layout:', 'oci-archive:', 'docker-archive:', 'sha256:')
          .chain((prefix) => fc.string({ maxLength: 200 }).map((rest) => prefix + rest)),
      ),
      (text) => {
        try {
          parseSubjectSpec(text);
        } catch (error) {
          if (!(error instanceof GatechainError)) throw error;
        }
        parseImageName(text);
        looksLikeTagOnlyImage(text);
      },
    ),
    { numRuns: 2000 },
  );
});

test('pathological image-like text is refused (bounded, unambiguous patterns: no backtracking blow-up)', () => {
  assert.equal(parseImageName(`${'a-'.repeat(2000)}!`), undefined);
  assert.equal(parseImageName(`${'a-'.repeat(200)}!`), undefined);
  assert.equal(looksLikeTagOnlyImage(`${'a.'.repeat(250)}/`), false);
});
