import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crashTest } from './helpers/crash.ts';

test('kill -9 during group commits, 10 times: the log verifies and every acknowledged entry survives', async () => {
  const { entries, acks } = await crashTest(10, 250);
  assert.ok(acks > 0, 'the writer never acknowledged anything: the test proved nothing');
  assert.ok(entries >= acks);
});
