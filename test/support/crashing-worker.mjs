// A worker that exits as soon as it is given work: the pool must fail the run, not hang.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (m) => {
  if (m.type === 'chunk') process.exit(3);
});
