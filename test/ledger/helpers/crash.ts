import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { verifyCheckpoint } from '../../../src/ledger/checkpoint.ts';
import { openLedger } from '../../../src/ledger/ledger.ts';
import { CompactRange, leafHash } from '../../../src/ledger/merkle.ts';
import { tempDir } from './temp.ts';

const WRITER = join(import.meta.dirname, 'crash-writer.ts');

/** Runs the writer, SIGKILLs it after a random delay, and returns what it acknowledged. */
async function runAndKill(storeDir: string, maxDelayMs: number): Promise<Map<number, string>> {
  const child = spawn(process.execPath, [WRITER, storeDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acks = new Map<number, string>();
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') {
          setTimeout(() => child.kill('SIGKILL'), 5 + Math.random() * maxDelayMs);
          resolve();
        }
        const match = /^ack (\d+) (\S+)$/.exec(line);
        if (match) acks.set(Number(match[1]), match[2] as string);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited early (${code}): ${stderr}`));
    });
  });
  await exited;
  return acks;
}

/** After a crash: the ledger opens (root check), every ack is there, every checkpoint matches its prefix. */
async function checkAfterCrash(storeDir: string, acks: Map<number, string>): Promise<number> {
  const ledger = await openLedger({ storeDir });
  try {
    for (const [index, tag] of acks) {
      const record = JSON.parse((await ledger.entry(index)).toString('utf8')) as { reason: string };
      assert.equal(record.reason, `tag ${tag}`, `acknowledged entry ${index} lost or changed`);
    }
    const db = new Database(join(storeDir, 'ledger.db'), { readonly: true });
    const checkpoints = db.prepare('SELECT size, root, note FROM checkpoints ORDER BY size').all() as {
      size: number;
      root: Buffer;
      note: string;
    }[];
    const entries = db.prepare('SELECT data FROM entries ORDER BY idx').pluck().all() as Buffer[];
    db.close();
    const rootsBySize = new Map<number, Buffer>();
    const range = new CompactRange();
    rootsBySize.set(0, range.root());
    for (const entry of entries) {
      range.append(leafHash(entry));
      rootsBySize.set(range.size, range.root());
    }
    for (const checkpoint of checkpoints) {
      const verified = verifyCheckpoint(checkpoint.note, ledger.verifierKey);
      assert.equal(verified.checkpoint.size, checkpoint.size);
      assert.deepEqual(verified.checkpoint.root, checkpoint.root);
      assert.deepEqual(
        checkpoint.root,
        rootsBySize.get(checkpoint.size),
        `checkpoint ${checkpoint.size} disagrees with the log`,
      );
    }
    return entries.length;
  } finally {
    await ledger.close();
  }
}

export async function crashTest(
  iterations: number,
  maxDelayMs: number,
): Promise<{ entries: number; acks: number }> {
  const storeDir = tempDir('gatechain-crash-');
  let totalAcks = 0;
  let entries = 0;
  const allAcks = new Map<number, string>();
  for (let i = 0; i < iterations; i++) {
    const acks = await runAndKill(storeDir, maxDelayMs);
    for (const [index, tag] of acks) allAcks.set(index, tag);
    totalAcks += acks.size;
    entries = await checkAfterCrash(storeDir, acks);
    assert.ok(entries >= allAcks.size);
  }
  // Finally every acknowledgement ever made, not just the last run's: nothing acknowledged may vanish later.
  await checkAfterCrash(storeDir, allAcks);
  return { entries, acks: totalAcks };
}
