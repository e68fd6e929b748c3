/**
 * HTTP benchmark (npm run bench:http), against 127.0.0.1 only. Starts the server as a child
 * process (its own event loop, its own worker pool) on a free port with a temporary DATA_DIR:
 *   1. POST /api/v1/simulate with a preset, 50 connections for 10 s: the same body every time
 *      (the server memoises projections) and a distinct body per request (no memo hits);
 *   2. GET / on one connection while 50 others send distinct simulate bodies; GET / alone, then
 *      GET / while a 100,000-path Monte Carlo run is in flight;
 *   3. with 10,000 saved scenarios, 50 connections for 15 s (MIX_SECONDS) mixing GET /, pages
 *      of the saved scenarios (page and API), /compare, the budget form and projections with a
 *      distinct body each; the latency of each kind of request measured on its own (p50, p99).
 * The server's event-loop delay (perf_hooks.monitorEventLoopDelay, bench/loop-delay.mjs) is
 * measured over each load. Prints tables and writes bench/results/http.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPreset } from '../src/presets/index.ts';
import { openStorage } from '../src/storage/index.ts';

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
const MIX_SECONDS = Number(process.env.MIX_SECONDS ?? 15);
const SAVED = Number(process.env.BENCH_SAVED ?? 10_000);
const MIX_CONNECTIONS = 50;

/** Fills a data folder with saved scenarios (directly, before the server starts). */
function seedScenarios(dataDir: string, n: number): void {
  const storage = openStorage(dataDir);
  const base = loadPreset('default');
  storage.db.transaction(() => {
    for (let i = 0; i < n; i++) storage.scenarios.create({ ...base, name: `Saved fund ${i}`, horizonYears: 5 + (i % 20) });
  })();
  storage.close();
}

/** BENCH_MIXED_ONLY=1 runs only the mixed load. */
class SkipFirst extends Error {}

interface MixRow {
  readonly request: string;
  readonly count: number;
  readonly p50ms: number;
  readonly p99ms: number;
  readonly maxMs: number;
  readonly errors: number;
}

const quantile = (sorted: readonly number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN);
const ms = (x: number) => Math.round(x * 10) / 10;

/**
 * MIX_CONNECTIONS keep-alive connections, each sending its next request as soon as the last is
 * answered, cycling through the kinds from a different starting point; every request's latency
 * is kept under its kind.
 */
async function mixedLoad(url: string, seconds: number, saved: number, scenario: object, connections = MIX_CONNECTIONS, only?: string): Promise<MixRow[]> {
  const { hostname, port } = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const pages = Math.ceil(saved / 50);
  let n = 0;
  const kinds: { name: string; make: () => { method: string; path: string; body?: string } }[] = [
    { name: 'GET /', make: () => ({ method: 'GET', path: '/' }) },
    { name: 'GET /scenarios?page=N', make: () => ({ method: 'GET', path: `/scenarios?page=${1 + (n % pages)}` }) },
    { name: 'GET /api/v1/scenarios?page=N', make: () => ({ method: 'GET', path: `/api/v1/scenarios?page=${1 + ((n * 7) % pages)}` }) },
    { name: 'GET /scenarios (first page)', make: () => ({ method: 'GET', path: '/scenarios' }) },
    { name: 'GET /compare', make: () => ({ method: 'GET', path: '/compare' }) },
    { name: 'GET /policy/budget', make: () => ({ method: 'GET', path: '/policy/budget' }) },
    { name: 'POST /api/v1/simulate (distinct bodies)', make: () => ({ method: 'POST', path: '/api/v1/simulate', body: JSON.stringify({ ...scenario, name: `Mix ${n}` }) }) },
  ].filter((k) => only === undefined || k.name === only);
  const times = new Map<string, number[]>(kinds.map((k) => [k.name, []]));
  const errors = new Map<string, number>(kinds.map((k) => [k.name, 0]));
  const send = (r: { method: string; path: string; body?: string }) => new Promise<number>((resolve, reject) => {
    const req = httpRequest({ hostname, port, path: r.path, method: r.method, agent, headers: r.body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(r.body) } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
  const end = Date.now() + seconds * 1000;
  const connection = async (c: number) => {
    for (let i = c; Date.now() < end; i++) {
      const kind = kinds[i % kinds.length]!;
      n++;
      const t0 = process.hrtime.bigint();
      try {
        const status = await send(kind.make());
        const took = Number(process.hrtime.bigint() - t0) / 1e6;
        if (status >= 200 && status < 300) times.get(kind.name)!.push(took);
        else errors.set(kind.name, errors.get(kind.name)! + 1);
      } catch {
        errors.set(kind.name, errors.get(kind.name)! + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, c) => connection(c)));
  agent.destroy();
  return kinds.map((k) => {
    const sorted = times.get(k.name)!.sort((a, b) => a - b);
    return { request: k.name, count: sorted.length, p50ms: ms(quantile(sorted, 0.5)), p99ms: ms(quantile(sorted, 0.99)), maxMs: ms(sorted.at(-1) ?? NaN), errors: errors.get(k.name)! };
  });
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_NODE_ARGS: more options for the server's node, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof'.
  const extra = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', '--import', './bench/loop-delay.mjs', 'src/server/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, MAX_PATHS: '200000', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
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

interface LoopDelay {
  readonly maxMs: number;
  readonly p99Ms: number;
  readonly meanMs: number;
}

/** Asks the server (bench/loop-delay.mjs) to start measuring its event loop's delay afresh, or for the delay since. */
function loopDelay(child: ChildProcess, what: 'reset'): Promise<undefined>;
function loopDelay(child: ChildProcess, what: 'read'): Promise<LoopDelay>;
function loopDelay(child: ChildProcess, what: 'reset' | 'read'): Promise<LoopDelay | undefined> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string } & Partial<LoopDelay>) => {
      if (m.type !== (what === 'reset' ? 'reset' : 'delay')) return;
      child.off('message', onMessage);
      resolve(what === 'reset' ? undefined : { maxMs: m.maxMs!, p99Ms: m.p99Ms!, meanMs: m.meanMs! });
    };
    child.on('message', onMessage);
    child.send(what);
  });
}

/** Runs `load` with the server's event-loop delay measured over it. */
async function measured<T>(child: ChildProcess, load: () => Promise<T>): Promise<{ result: T; delay: LoopDelay }> {
  await loopDelay(child, 'reset');
  const result = await load();
  return { result, delay: await loopDelay(child, 'read') };
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
  /** The server's event-loop delay over the load (max and p99, ms). */
  readonly loopDelay?: LoopDelay;
  readonly note?: string;
}

const row = (test: string, connections: number, r: AutocannonResult, note?: string, delay?: LoopDelay): Row => ({
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
  ...(delay ? { loopDelay: delay } : {}),
  ...(note ? { note } : {}),
});

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cgf-bench-'));
  const { child, url } = await startServer(dataDir);
  const rows: Row[] = [];
  const scenario = loadPreset('default');
  const json = { 'content-type': 'application/json' };
  try {
    if (process.env.BENCH_MIXED_ONLY === '1') throw new SkipFirst();
    // Warm up (JIT, memo, lazy module loading).
    await autocannon({ url: `${url}/api/v1/simulate`, connections: 4, duration: 2, method: 'POST', headers: json, body: JSON.stringify(scenario) });

    const same = await measured(child, () => autocannon({
      url: `${url}/api/v1/simulate`, connections: 50, duration: DURATION, method: 'POST', headers: json, body: JSON.stringify(scenario),
    }));
    rows.push(row('POST /api/v1/simulate (preset, same body)', 50, same.result, undefined, same.delay));

    let n = 0;
    const distinct = await measured(child, () => autocannon({
      url, connections: 50, duration: DURATION,
      requests: [{
        method: 'POST', path: '/api/v1/simulate', headers: json,
        // A different name per request: a fresh projection each time, no memo hit.
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ ...scenario, name: `Bench ${n++}` }) }),
      }],
    }));
    rows.push(row('POST /api/v1/simulate (preset, distinct bodies)', 50, distinct.result, undefined, distinct.delay));

    // GET / on one connection while 50 others send distinct simulate bodies (issue 16's target).
    let m = 0;
    const during = await measured(child, () => Promise.all([
      autocannon({ url: `${url}/`, connections: 1, duration: DURATION }),
      autocannon({
        url, connections: 50, duration: DURATION,
        requests: [{
          method: 'POST', path: '/api/v1/simulate', headers: json,
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ ...scenario, name: `Load ${m++}` }) }),
        }],
      }),
    ]));
    rows.push(row('GET / during 50 connections of distinct simulate bodies', 1, during.result[0], undefined, during.delay));
    rows.push(row('  … those simulate requests', 50, during.result[1]));

    rows.push(row('GET / (idle server)', 10, await autocannon({ url: `${url}/`, connections: 10, duration: DURATION })));

    const start = await fetch(`${url}/api/v1/simulate/montecarlo`, {
      method: 'POST', headers: json, body: JSON.stringify({ scenario, paths: 100_000, seed: 1 }),
    });
    const run = (await start.json()) as { id: string; status: string };
    if (start.status !== 202) throw new Error(`the Monte Carlo run did not start: ${start.status} ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 1000));
    const { result: duringRun, delay: duringRunDelay } = await measured(child, () => autocannon({ url: `${url}/`, connections: 10, duration: DURATION }));
    const state = (await (await fetch(`${url}/api/v1/runs/${run.id}`)).json()) as { status: string; progress: number };
    rows.push(row('GET / during a 100,000-path Monte Carlo run', 10, duringRun,
      `run ${state.status} at ${(state.progress * 100).toFixed(0)} % when the load ended`, duringRunDelay));
    await fetch(`${url}/api/v1/runs/${run.id}`, { method: 'DELETE' });
  } catch (e) {
    if (!(e instanceof SkipFirst)) throw e;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }

  // The mixed load on a server holding SAVED saved scenarios.
  const mixDir = mkdtempSync(join(tmpdir(), 'cgf-bench-mix-'));
  let mix: MixRow[] = [];
  const alone: MixRow[] = [];
  let mixAll: { requests: number; requestsPerSecond: number } = { requests: 0, requestsPerSecond: 0 };
  let mixDelay: LoopDelay | null = null;
  try {
    seedScenarios(mixDir, SAVED);
    const server = await startServer(mixDir);
    try {
      await mixedLoad(server.url, 2, SAVED, scenario); // warm up
      const mixed = await measured(server.child, () => mixedLoad(server.url, MIX_SECONDS, SAVED, scenario));
      mix = mixed.result;
      mixDelay = mixed.delay;
      // Each kind alone, one connection at a time: its own cost, without waiting for others.
      for (const r of mix) alone.push(...(await mixedLoad(server.url, 3, SAVED, scenario, 1, r.request)));
      const requests = mix.reduce((a, r) => a + r.count + r.errors, 0);
      mixAll = { requests, requestsPerSecond: Math.round((requests / MIX_SECONDS) * 10) / 10 };
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((r) => server.child.once('exit', r));
    }
  } finally {
    rmSync(mixDir, { recursive: true, force: true });
  }

  console.log('');
  console.table(rows.map((r) => ({
    test: r.test, conns: r.connections, 'req/s': r.requestsPerSecond, 'p50 ms': r.p50ms, 'p99 ms': r.p99ms, 'max ms': r.maxMs, errors: r.errors, non2xx: r.non2xx,
    'loop delay max ms': r.loopDelay?.maxMs ?? '', note: r.note ?? '',
  })));
  const outDir = new URL('./results/', import.meta.url);
  mkdirSync(outDir, { recursive: true });
  console.log(`\nMixed load: ${SAVED.toLocaleString('en')} saved scenarios, ${MIX_CONNECTIONS} connections, ${MIX_SECONDS} s, ${mixAll.requests} requests (${mixAll.requestsPerSecond}/s)`);
  if (mixDelay) console.log(`Event-loop delay over the mixed load: max ${mixDelay.maxMs} ms, p99 ${mixDelay.p99Ms} ms, mean ${mixDelay.meanMs} ms`);
  console.table(mix.map((r) => ({ request: r.request, count: r.count, 'p50 ms': r.p50ms, 'p99 ms': r.p99ms, 'max ms': r.maxMs, errors: r.errors })));
  console.log('\nEach kind alone (1 connection, 3 s): its own service time');
  console.table(alone.map((r) => ({ request: r.request, count: r.count, 'p50 ms': r.p50ms, 'p99 ms': r.p99ms, 'max ms': r.maxMs, errors: r.errors })));
  const report = {
    date: new Date().toISOString(), node: process.version, cpus: availableParallelism(), durationSeconds: DURATION, rows,
    mixed: { savedScenarios: SAVED, connections: MIX_CONNECTIONS, seconds: MIX_SECONDS, ...mixAll, loopDelay: mixDelay, rows: mix, alone },
  };
  writeFileSync(new URL('http.json', outDir), `${JSON.stringify(report, null, 2)}\n`);
  console.log('Written to bench/results/http.json');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
