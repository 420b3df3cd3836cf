import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { TarArchive } from '../../src/subjects/tar.ts';
import { GatechainError } from '../../src/util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'gatechain-tar-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A valid-checksum ustar header with arbitrary fields, so fuzzing gets past the checksum. */
function header(name: string, size: string, type: string): Buffer {
  const block = Buffer.alloc(512);
  block.write(name.slice(0, 100), 0, 'utf8');
  block.write(size.slice(0, 12), 124, 'ascii');
  block.write(type.slice(0, 1) || '0', 156, 'ascii');
  block.write('ustar\u000000', 257, 'ascii');
  block.fill(32, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
  return block;
}

test('the tar reader throws only typed errors on arbitrary bytes and headers', () => {
  let n = 0;
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes)),
        fc
          .tuple(
            fc.string({ maxLength: 40 }),
            fc.stringMatching(/^[0-7 \u0000x]{0,12}$/),
            fc.constantFrom('0', 'x', 'L', 'g', '5', '2'),
            fc.uint8Array({ maxLength: 1500 }),
          )
          .map(([name, size, type, rest]) => Buffer.concat([header(name, size, type), Buffer.from(rest)])),
      ),
      (bytes) => {
        const file = join(dir, `f${n++}.tar`);
        writeFileSync(file, bytes);
        try {
          const archive = TarArchive.open(file);
          try {
            for (const name of archive.members.keys()) archive.read(name);
          } finally {
            archive.close();
          }
        } catch (error) {
          if (!(error instanceof GatechainError)) throw error;
        }
      },
    ),
    { numRuns: 400 },
  );
});
