// Child process for the crash test: appends batches forever and prints `ack <index> <tag>` only
// after each append resolved (i.e. after its batch is durable). The parent kills it with SIGKILL.
import { openLedger } from '../../../src/ledger/ledger.ts';
import { breakGlass } from './records.ts';

const storeDir = process.argv[2] as string;
const ledger = await openLedger({ storeDir });
process.stdout.write('ready\n');
let counter = 0;
for (;;) {
  const size = 1 + Math.floor(Math.random() * 300);
  const tags = Array.from({ length: size }, () => `${process.pid}-${counter++}`);
  const results = await Promise.all(tags.map((tag) => ledger.append(breakGlass(tag))));
  process.stdout.write(results.map((result, i) => `ack ${result.index} ${tags[i]}\n`).join(''));
}
