import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from '../../src/ledger/canonical-json.ts';
import { formatCheckpoint, parseCheckpointText, verifyCheckpoint } from '../../src/ledger/checkpoint.ts';
import { leafHash, rootFromLeafHashes } from '../../src/ledger/merkle.ts';
import { signNote } from '../../src/ledger/note.ts';
import { formatVerifierKey, generateSignerKey, publicPart } from '../../src/ledger/note-keys.ts';
import { formatReceipt, parseReceipt, verifyReceipt } from '../../src/ledger/receipt.ts';
import { decodeRecord, encodeRecord, validateRecord } from '../../src/ledger/records.ts';
import { signerFor } from '../../src/ledger/signers.ts';
import {
  decodeEntryBundle,
  encodeEntryBundle,
  encodeTileIndex,
  parseTilePath,
  tilePath,
  tilesAtLevel,
  tileWidthAt,
  topLevel,
} from '../../src/ledger/tiles.ts';
import {
  formatAddCheckpoint,
  parseAddCheckpoint,
  parseSizeResponse,
} from '../../src/ledger/witness-protocol.ts';
import { isGatechainError } from '../../src/util/errors.ts';
import { makeLeaves, referencePath } from './helpers/reference.ts';

function onlyTypedErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    assert.ok(isGatechainError(error), `untyped error: ${String(error)}`);
  }
}

test('tile paths follow tlog-tiles: 3-digit groups with x prefixes, .p/W for partial tiles', () => {
  assert.equal(encodeTileIndex(1234067), 'x001/x234/067');
  assert.equal(encodeTileIndex(0), '000');
  assert.equal(encodeTileIndex(1000), 'x001/000');
  assert.equal(tilePath({ level: 0, index: 1234067, width: 256 }), 'tile/0/x001/x234/067');
  assert.equal(tilePath({ level: 2, index: 5, width: 17 }), 'tile/2/005.p/17');
  assert.equal(tilePath({ level: 'entries', index: 12, width: 3 }), 'tile/entries/012.p/3');
  assert.deepEqual(parseTilePath('0/x001/x234/067'), { level: 0, index: 1234067, width: 256 });
  assert.deepEqual(parseTilePath('entries/x001/234.p/7'), { level: 'entries', index: 1234, width: 7 });
  for (const bad of [
    '0/1',
    '0/x000/001',
    '0/001.p/0',
    '0/001.p/256',
    '0/001.p/07',
    '64/000',
    '01/000',
    'x/000',
    '0/',
    '0/000/',
  ]) {
    assert.throws(() => parseTilePath(bad), { code: 'LEDGER_BAD_TILE_PATH' }, bad);
  }
  fc.assert(
    fc.property(fc.nat({ max: 2 ** 40 }), fc.integer({ min: 1, max: 256 }), (index, width) => {
      const path = tilePath({ level: 3, index, width });
      assert.deepEqual(parseTilePath(path.slice('tile/'.length)), { level: 3, index, width });
    }),
  );
  fc.assert(fc.property(fc.string(), (text) => onlyTypedErrors(() => parseTilePath(text))));
});

test('tile widths: the spec example of a 70,000-entry tree', () => {
  const level0 = tilesAtLevel(70_000, 0);
  assert.equal(level0.filter((t) => t.width === 256).length, 273);
  assert.equal(level0.at(-1)?.width, 112);
  assert.deepEqual(tilesAtLevel(70_000, 1), [
    { level: 1, index: 0, width: 256 },
    { level: 1, index: 1, width: 17 },
  ]);
  assert.deepEqual(tilesAtLevel(70_000, 2), [{ level: 2, index: 0, width: 1 }]);
  assert.equal(topLevel(70_000), 2);
  assert.equal(topLevel(256), 1);
  assert.equal(tileWidthAt(256, 1, 0), 1);
  assert.equal(topLevel(0), -1);
});

test('entry bundles: uint16 big-endian length prefixes, exact count, typed errors on damage', () => {
  const entries = [Buffer.from(''), Buffer.from('abc'), Buffer.alloc(300, 7)];
  const bundle = encodeEntryBundle(entries);
  assert.equal(bundle.readUInt16BE(0), 0);
  assert.equal(bundle.readUInt16BE(2), 3);
  assert.deepEqual(decodeEntryBundle(bundle, 3), entries);
  assert.throws(() => decodeEntryBundle(bundle, 2), { code: 'LEDGER_BAD_BUNDLE' });
  assert.throws(() => decodeEntryBundle(bundle.subarray(0, bundle.length - 1), 3), {
    code: 'LEDGER_BAD_BUNDLE',
  });
  assert.throws(() => encodeEntryBundle([Buffer.alloc(65_536)]), { code: 'LEDGER_ENTRY_TOO_LARGE' });
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(300), (bytes, n) =>
      onlyTypedErrors(() => decodeEntryBundle(bytes, n)),
    ),
  );
});

const logKey = generateSignerKey('example.com/log');
const logVkey = formatVerifierKey(publicPart(logKey));

test('checkpoints: format, parse, and signature-checked verification', () => {
  const root = rootFromLeafHashes(makeLeaves(9));
  const body = formatCheckpoint({ origin: 'example.com/log', size: 9, root, extensions: ['ext line'] });
  assert.equal(body, `example.com/log\n9\n${root.toString('base64')}\next line\n`);
  assert.deepEqual(parseCheckpointText(body), {
    origin: 'example.com/log',
    size: 9,
    root,
    extensions: ['ext line'],
  });
  const note = signNote(body, [signerFor(logKey)]);
  assert.equal(verifyCheckpoint(note, logVkey).checkpoint.size, 9);
  assert.throws(() => verifyCheckpoint(note.replace('\n9\n', '\n10\n'), logVkey), {
    code: 'LEDGER_NOTE_BAD_SIGNATURE',
  });
  assert.throws(() => verifyCheckpoint(note, logVkey, { origin: 'other' }), {
    code: 'LEDGER_ORIGIN_MISMATCH',
  });
  for (const bad of [
    'o\n09\nAAAA\n',
    'o\n-1\n',
    'o\n1\nAAAA\n',
    '\n1\n' + root.toString('base64') + '\n',
    'o\n0x10\n' + root.toString('base64') + '\n',
  ]) {
    assert.throws(() => parseCheckpointText(bad), { code: 'LEDGER_CHECKPOINT_MALFORMED' }, bad);
  }
  fc.assert(fc.property(fc.string(), (text) => onlyTypedErrors(() => parseCheckpointText(text))));
});

function makeReceipt(size: number, index: number) {
  const entries = Array.from({ length: size }, (_, i) => Buffer.from(`record ${i}`));
  const leaves = entries.map(leafHash);
  const root = rootFromLeafHashes(leaves);
  const checkpoint = signNote(formatCheckpoint({ origin: 'example.com/log', size, root, extensions: [] }), [
    signerFor(logKey),
  ]);
  const proof = referencePath(index, leaves);
  return {
    text: formatReceipt({ index, proof, checkpoint, extra: entries[index] as Buffer }),
    entry: entries[index] as Buffer,
  };
}

test('receipts (tlog-proof@v1) verify offline and any change is rejected', () => {
  const { text, entry } = makeReceipt(13, 6);
  assert.ok(text.startsWith('c2sp.org/tlog-proof@v1\nextra '));
  assert.equal(parseReceipt(text).index, 6);
  assert.equal(verifyReceipt(text, entry, logVkey).index, 6);
  assert.equal(verifyReceipt(text, undefined, logVkey).entry.toString(), 'record 6');
  assert.throws(() => verifyReceipt(text, Buffer.from('record 7'), logVkey), {
    code: 'LEDGER_ENTRY_MISMATCH',
  });
  const bare = formatReceipt({ ...parseReceipt(text), extra: undefined as unknown as Buffer });
  assert.ok(!bare.includes('extra '));
  assert.equal(verifyReceipt(bare, entry, logVkey).index, 6);
  assert.throws(() => verifyReceipt(bare, Buffer.from('record 7'), logVkey), {
    code: 'LEDGER_INCLUSION_FAILED',
  });
  assert.throws(() => verifyReceipt(bare, undefined, logVkey), { code: 'LEDGER_ENTRY_MISSING' });
  const other = formatVerifierKey(publicPart(generateSignerKey('example.com/log')));
  assert.throws(() => verifyReceipt(text, entry, other), { code: 'LEDGER_NOTE_UNVERIFIED' });
  // Every single-character change anywhere in the receipt is caught (as malformed or as failing).
  const alphabet = 'ABab01+/=\n x';
  for (let i = 0; i < text.length; i++) {
    const replacement = alphabet[i % alphabet.length] as string;
    if (text[i] === replacement) continue;
    const tampered = text.slice(0, i) + replacement + text.slice(i + 1);
    assert.throws(
      () => verifyReceipt(tampered, entry, logVkey),
      (error: unknown) => isGatechainError(error),
      `change at ${i} accepted`,
    );
  }
  fc.assert(fc.property(fc.string(), (input) => onlyTypedErrors(() => verifyReceipt(input, entry, logVkey))));
});

test('witness protocol bodies parse strictly', () => {
  const body = formatAddCheckpoint({ oldSize: 3, proof: makeLeaves(2), checkpoint: 'cp\n' });
  assert.deepEqual(parseAddCheckpoint(body), { oldSize: 3, proof: makeLeaves(2), checkpoint: 'cp\n' });
  assert.throws(() => parseAddCheckpoint('old 03\n\ncp\n'), { code: 'LEDGER_WITNESS_REQUEST_MALFORMED' });
  assert.throws(() => parseAddCheckpoint(`old 1\n${'AAAA\n'.repeat(2)}\ncp\n`), {
    code: 'LEDGER_WITNESS_REQUEST_MALFORMED',
  });
  assert.equal(parseSizeResponse('42\n'), 42);
  fc.assert(fc.property(fc.string(), (text) => onlyTypedErrors(() => parseAddCheckpoint(text))));
  fc.assert(fc.property(fc.string(), (text) => onlyTypedErrors(() => parseSizeResponse(text))));
});

const subject = { sha256: 'ab'.repeat(32) };

test('records: every kind validates, encodes canonically and decodes back', () => {
  const records = [
    {
      kind: 'attestation',
      v: 1,
      bundleDigest: `sha256:${'cd'.repeat(32)}`,
      predicateType: 'https://slsa.dev/provenance/v1',
      subjects: [subject],
      signerKeyId: 'key-1',
    },
    {
      kind: 'exception',
      v: 1,
      id: 'EX-1',
      subjects: [subject],
      findings: ['CVE-2024-1'],
      reason: 'not reachable',
      approvedBy: 'sec',
      expires: '2027-01-01T00:00:00Z',
    },
    {
      kind: 'scan-skip',
      v: 1,
      gate: 'build',
      scanner: 'secrets',
      subjects: [subject],
      reason: 'outage',
      actor: 'ci',
    },
    {
      kind: 'break-glass',
      v: 1,
      subjects: [subject],
      reason: 'incident 42',
      actor: 'oncall',
      ticket: 'INC-42',
    },
    {
      kind: 'gate-decision',
      v: 1,
      gate: 'deploy',
      decision: 'pass',
      subjects: [subject],
      policyDigest: `sha256:${'ef'.repeat(32)}`,
    },
  ];
  for (const record of records) {
    const bytes = encodeRecord(record);
    assert.equal(bytes.toString(), canonicalJson(record));
    assert.deepEqual(decodeRecord(bytes), record);
  }
  assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'] }), '{"a":[true,null,"x"],"b":1}');
  assert.throws(() => validateRecord({ ...records[0], extra: 1 }), { code: 'LEDGER_RECORD_INVALID' });
  assert.throws(() => validateRecord({ kind: 'nope' }), { code: 'LEDGER_RECORD_INVALID' });
  assert.throws(() => validateRecord({ ...records[0], bundleDigest: 'sha256:XYZ' }), {
    code: 'LEDGER_RECORD_INVALID',
  });
  assert.throws(() => encodeRecord({ ...records[3], reason: 'x'.repeat(4097) }), {
    code: 'LEDGER_RECORD_INVALID',
  });
  assert.throws(() => canonicalJson({ a: 1.5 }), { code: 'LEDGER_RECORD_INVALID' });
  assert.throws(() => decodeRecord(Buffer.from(JSON.stringify(records[0], null, 1))), {
    code: 'LEDGER_RECORD_INVALID',
  });
  const big = {
    ...records[1],
    findings: Array.from({ length: 1000 }, (_, i) => `CVE-2024-${i}-${'x'.repeat(60)}`),
  };
  assert.throws(() => encodeRecord(big), { code: 'LEDGER_ENTRY_TOO_LARGE' });
  fc.assert(fc.property(fc.jsonValue(), (value) => onlyTypedErrors(() => encodeRecord(value))));
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => onlyTypedErrors(() => decodeRecord(bytes))),
  );
});
