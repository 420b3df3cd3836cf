import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { openNote, parseNote, signNote } from '../../src/ledger/note.ts';
import {
  computeKeyId,
  formatSignerKey,
  formatVerifierKey,
  generateSignerKey,
  KEY_TYPE_COSIGNATURE_V1,
  keyIdHex,
  parseSignerKey,
  parseVerifierKey,
  publicPart,
} from '../../src/ledger/note-keys.ts';
import { cosignatureTimestamp, signerFor, verifierFor } from '../../src/ledger/signers.ts';
import { isGatechainError } from '../../src/util/errors.ts';

// Vectors from golang.org/x/mod/sumdb/note's tests (facts: keys, texts and the expected output).
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG =
  '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG =
  '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

const peter = verifierFor(parseVerifierKey(PETER_VKEY));
const enoch = verifierFor(parseVerifierKey(ENOCH_VKEY));

test('signing with the Go test key reproduces the Go signature byte for byte', () => {
  const key = parseSignerKey(PETER_SKEY);
  assert.equal(keyIdHex(key.keyId), 'c74f20a3');
  assert.equal(formatVerifierKey(publicPart(key)), PETER_VKEY);
  assert.equal(formatSignerKey(key), PETER_SKEY);
  assert.equal(signNote(TEXT, [signerFor(key)]), `${TEXT}\n${PETER_SIG}`);
});

test('opening Go-signed notes: known keys verify, unknown ones are kept aside', () => {
  const both = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
  const one = openNote(both, [peter]);
  assert.equal(one.text, TEXT);
  assert.deepEqual(
    one.verified.map((s) => s.name),
    ['PeterNeumann'],
  );
  assert.deepEqual(
    one.unverified.map((s) => s.name),
    ['EnochRoot'],
  );
  assert.equal(openNote(both, [peter, enoch]).verified.length, 2);
  assert.throws(() => openNote(both, []), { code: 'LEDGER_NOTE_UNVERIFIED' });
  assert.throws(() => openNote(`${TEXT}\n${ENOCH_SIG}`, [enoch, peter, enoch]), {
    code: 'LEDGER_NOTE_AMBIGUOUS_KEY',
  });
  assert.throws(() => openNote(`${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`, [peter]), {
    code: 'LEDGER_NOTE_BAD_SIGNATURE',
  });
  assert.throws(() => openNote(`${TEXT}\n${PETER_SIG.repeat(101)}`, [peter]), {
    code: 'LEDGER_NOTE_MALFORMED',
  });
});

test('malformed notes from the Go test list are rejected', () => {
  const bad = [
    TEXT,
    `${TEXT}\n`,
    `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
    `\x01${TEXT}\n${PETER_SIG}`,
    `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
    `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
  ];
  for (const message of bad)
    assert.throws(() => openNote(message, [peter]), { code: 'LEDGER_NOTE_MALFORMED' }, message);
  assert.throws(() => signNote('abc', [signerFor(parseSignerKey(PETER_SKEY))]), {
    code: 'LEDGER_NOTE_MALFORMED',
  });
});

test('verifier and signer keys: the Go keys parse, and every truncation or single-byte change is refused', () => {
  for (const [text, parse] of [
    [PETER_VKEY, parseVerifierKey],
    [PETER_SKEY, parseSignerKey],
  ] as const) {
    parse(text);
    for (let i = 0; i < text.length; i += 3) {
      for (let j = i + 1; j <= text.length; j += 5) {
        if (i === 0 && j === text.length) continue;
        const part = text.slice(i, j);
        if (part.trim() === text) continue;
        assert.throws(() => parse(part), { code: 'LEDGER_KEY_MALFORMED' }, part);
      }
    }
    for (let i = 0; i < text.length; i++) {
      const changed = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) + 1) + text.slice(i + 1);
      assert.throws(() => parse(changed), { code: 'LEDGER_KEY_MALFORMED' }, changed);
    }
  }
  assert.throws(
    () => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='),
    {
      code: 'LEDGER_KEY_MALFORMED',
    },
  );
  assert.throws(
    () => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
    {
      code: 'LEDGER_KEY_MALFORMED',
    },
  );
});

test('base64 containing "+" in a key is split only twice', () => {
  const key = generateSignerKey('example.com/log');
  const vkey = formatVerifierKey(publicPart(key));
  assert.deepEqual(parseVerifierKey(vkey).publicKey, key.publicKey);
});

test('cosignature/v1 keys: ID uses type 0x04, signatures carry a timestamp and verify', () => {
  const witness = generateSignerKey('witness.example/w1', KEY_TYPE_COSIGNATURE_V1);
  assert.equal(witness.keyId, computeKeyId('witness.example/w1', 0x04, witness.publicKey));
  assert.notEqual(witness.keyId, computeKeyId('witness.example/w1', 0x01, witness.publicKey));
  const log = parseSignerKey(PETER_SKEY);
  const body = 'PeterNeumann\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
  const signed = signNote(body, [signerFor(log), signerFor(witness, () => 1_679_315_147_000)]);
  const opened = openNote(signed, [
    verifierFor(parseVerifierKey(PETER_VKEY)),
    verifierFor(publicPart(witness)),
  ]);
  assert.equal(opened.verified.length, 2);
  assert.equal(cosignatureTimestamp(opened.verified[1] as (typeof opened.verified)[number]), 1_679_315_147);
  // A cosignature is over "cosignature/v1\ntime …\n" ‖ body: as a plain note signature it must not verify.
  const asPlain = verifierFor({ ...publicPart(witness), type: 0x01 });
  assert.throws(() => openNote(signed, [asPlain]), { code: 'LEDGER_NOTE_BAD_SIGNATURE' });
});

test('property: random names and texts round-trip through sign and open', () => {
  fc.assert(
    fc.property(
      fc.stringMatching(/^[a-zA-Z0-9./_-]{1,40}$/),
      fc.array(fc.stringMatching(/^[ -~]{1,60}$/), { minLength: 1, maxLength: 5 }),
      (name, lines) => {
        const key = generateSignerKey(name);
        const text = `${lines.join('\n')}\n`;
        fc.pre(!text.includes('\n\n'));
        const signed = signNote(text, [signerFor(key)]);
        assert.equal(openNote(signed, [verifierFor(publicPart(key))]).text, text);
      },
    ),
    { numRuns: 40 },
  );
});

test('property: arbitrary input to the note and key parsers yields only typed errors', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constant(`${TEXT}\n${PETER_SIG}`)),
      (input) => {
        for (const parse of [
          () => parseNote(input),
          () => openNote(input, [peter]),
          () => parseVerifierKey(input),
          () => parseSignerKey(input),
        ]) {
          try {
            parse();
          } catch (error) {
            assert.ok(isGatechainError(error), String(error));
          }
        }
      },
    ),
    { numRuns: 500 },
  );
});
