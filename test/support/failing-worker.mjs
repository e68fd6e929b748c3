// A worker that answers every chunk with an error message.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (m) => {
  if (m.type === 'chunk') parentPort.postMessage({ type: 'error', runId: m.runId, message: 'out of luck' });
});
