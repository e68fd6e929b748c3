/**
 * Starts the web server: settings from the environment (PORT, HOST, DATA_DIR, MC_WORKERS,
 * WORKER_NICENESS and the rest in ./config.ts), the worker pools, the app; stops gracefully on
 * SIGINT/SIGTERM (runs cancelled, pools and database closed).
 */
import type { AddressInfo } from 'node:net';
import { MonteCarloPool } from '../pool/pool.ts';
import { createApp } from './app.ts';
import { settingsFromEnv } from './config.ts';

async function main(): Promise<void> {
  const settings = settingsFromEnv();
  // Both pools' workers run below the server's thread (WORKER_NICENESS), so pages and lists
  // stay quick while they compute.
  const pool = new MonteCarloPool({ workers: settings.workers, niceness: settings.workerNiceness });
  // Long projections and break-even searches: one worker, one at a time, the rest queued, so a
  // burst of them never takes the event loop (nor more than one core) from cheap requests.
  const computeEngine = new MonteCarloPool({ workers: 1, niceness: settings.workerNiceness });
  const web = createApp({
    dataDir: settings.dataDir,
    pool,
    computeEngine,
    maxConcurrentRuns: settings.maxConcurrentRuns,
    maxQueuedRuns: settings.maxQueuedRuns,
    maxPaths: settings.maxPaths,
    inlinePaths: settings.inlinePaths,
    classSignupsPerHour: settings.classSignupsPerHour,
    allowedHosts: settings.allowedHosts,
    auth: settings.auth,
  });
  if (settings.auth === 'required' && web.storage.users.count() === 0) {
    console.log('Sign-in is required on this address and there is no account yet: create the first administrator with  npm run user -- add --admin NAME');
  }
  const server = web.app.listen(settings.port, settings.host);
  server.on('listening', () => {
    const { address, port } = server.address() as AddressInfo;
    console.log(`SME credit guarantee fund simulator: http://${address.includes(':') ? `[${address}]` : address}:${port}/ (data in ${settings.dataDir})`);
    if (settings.allowedHosts === 'any') console.log('Answering any Host name: set ALLOWED_HOSTS to the names users type (a guard against DNS rebinding).');
  });
  server.on('error', (e) => {
    console.error(`Cannot start the server: ${e.message}`);
    void web.close().finally(() => process.exit(1));
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping (cancelling runs, closing the pool and the database)…`);
    // Event streams and keep-alive connections would hold the server open.
    server.close();
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
    const force = setTimeout(() => {
      console.error('Shutdown took too long; exiting.');
      process.exit(1);
    }, 10_000);
    force.unref();
    web.close()
      .then(() => {
        server.closeAllConnections();
        process.exit(0);
      })
      .catch((e: unknown) => {
        console.error('Error while stopping:', e);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
