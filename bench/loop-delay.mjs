// Loaded into the benchmarked server (node --import; plain JavaScript, as worker threads inherit
// the flag without the TypeScript loader): measures the main thread's event-loop delay with
// perf_hooks.monitorEventLoopDelay, sampled every millisecond, and answers the benchmark over
// the IPC channel: 'reset' starts a new measurement, 'read' returns the delays in milliseconds
// (each sample includes the 1 ms interval, so an idle loop reads about 1 ms).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

if (isMainThread && process.send) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  process.on('message', (m) => {
    if (m === 'reset') {
      histogram.reset();
      process.send({ type: 'reset' });
    } else if (m === 'read') {
      process.send({ type: 'delay', maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)), meanMs: ms(histogram.mean) });
    }
  });
  // The channel must not keep the server alive once it is asked to stop.
  process.channel?.unref();
}
