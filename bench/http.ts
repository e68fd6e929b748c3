/**
 * HTTP benchmark (npm run bench:http), against 127.0.0.1 only. Starts the server as a child
 * process (its own event loop, its own worker pool) on a free port with a temporary DATA_DIR:
 *   1. POST /api/v1/simulate with a preset, 50 connections for 10 s: the same body every time
 *      (the server memoises projections) and a distinct body per request (no memo hits);
 *   2. GET / alone, then GET / while a 100,000-path Monte Carlo run is in flight.
 * Prints a table and writes bench/results/http.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPreset } from '../src/presets/index.ts';

interface Histogram {
  average: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  duration: number;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: { method?: string; path?: string; headers?: Record<string, string>; setupRequest?: (req: Record<string, unknown>) => Record<string, unknown> }[];
}
const autocannon = createRequire(import.meta.url)('autocannon') as (o: AutocannonOptions) => Promise<AutocannonResult>;

const ROOT = new URL('../', import.meta.url);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);

async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, MAX_PATHS: '200000', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening: ${out}`)));
  });
  return { child, url };
}

interface Row {
  readonly test: string;
  readonly connections: number;
  readonly seconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50ms: number;
  readonly p99ms: number;
  readonly maxMs: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly note?: string;
}

const row = (test: string, connections: number, r: AutocannonResult, note?: string): Row => ({
  test,
  connections,
  seconds: r.duration,
  requests: r.requests.total,
  requestsPerSecond: Math.round(r.requests.average * 10) / 10,
  p50ms: r.latency.p50,
  p99ms: r.latency.p99,
  maxMs: r.latency.max,
  errors: r.errors + r.timeouts,
  non2xx: r.non2xx,
  ...(note ? { note } : {}),
});

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cgf-bench-'));
  const { child, url } = await startServer(dataDir);
  const rows: Row[] = [];
  const scenario = loadPreset('default');
  const json = { 'content-type': 'application/json' };
  try {
    // Warm up (JIT, memo, lazy module loading).
    await autocannon({ url: `${url}/api/v1/simulate`, connections: 4, duration: 2, method: 'POST', headers: json, body: JSON.stringify(scenario) });

    rows.push(row('POST /api/v1/simulate (preset, same body)', 50, await autocannon({
      url: `${url}/api/v1/simulate`, connections: 50, duration: DURATION, method: 'POST', headers: json, body: JSON.stringify(scenario),
    })));

    let n = 0;
    rows.push(row('POST /api/v1/simulate (preset, distinct bodies)', 50, await autocannon({
      url, connections: 50, duration: DURATION,
      requests: [{
        method: 'POST', path: '/api/v1/simulate', headers: json,
        // A different name per request: a fresh projection each time, no memo hit.
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ ...scenario, name: `Bench ${n++}` }) }),
      }],
    })));

    rows.push(row('GET / (idle server)', 10, await autocannon({ url: `${url}/`, connections: 10, duration: DURATION })));

    const start = await fetch(`${url}/api/v1/simulate/montecarlo`, {
      method: 'POST', headers: json, body: JSON.stringify({ scenario, paths: 100_000, seed: 1 }),
    });
    const run = (await start.json()) as { id: string; status: string };
    if (start.status !== 202) throw new Error(`the Monte Carlo run did not start: ${start.status} ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 1000));
    const during = await autocannon({ url: `${url}/`, connections: 10, duration: DURATION });
    const state = (await (await fetch(`${url}/api/v1/runs/${run.id}`)).json()) as { status: string; progress: number };
    rows.push(row('GET / during a 100,000-path Monte Carlo run', 10, during,
      `run ${state.status} at ${(state.progress * 100).toFixed(0)} % when the load ended`));
    await fetch(`${url}/api/v1/runs/${run.id}`, { method: 'DELETE' });
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }

  console.log('');
  console.table(rows.map((r) => ({
    test: r.test, conns: r.connections, 'req/s': r.requestsPerSecond, 'p50 ms': r.p50ms, 'p99 ms': r.p99ms, 'max ms': r.maxMs, errors: r.errors, non2xx: r.non2xx, note: r.note ?? '',
  })));
  const outDir = new URL('./results/', import.meta.url);
  mkdirSync(outDir, { recursive: true });
  const report = { date: new Date().toISOString(), node: process.version, cpus: availableParallelism(), durationSeconds: DURATION, rows };
  writeFileSync(new URL('http.json', outDir), `${JSON.stringify(report, null, 2)}\n`);
  console.log('Written to bench/results/http.json');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
