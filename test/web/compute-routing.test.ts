/**
 * Long projections and break-even searches are routed by their estimated work: short ones in
 * the server's thread, long ones on the compute engine; the answer is the same either way and
 * identical requests share one computation. No timing: a gate engine records what it is given.
 */
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { project } from '../../src/core/projection.ts';
import type { Scenario } from '../../src/core/schema.ts';
import { MonteCarloPool } from '../../src/pool/pool.ts';
import { runPolicyTask, type PolicyTask, type PolicyTaskResult } from '../../src/pool/tasks.ts';
import { createApp, type WebApp } from '../../src/server/app.ts';
import type { ComputeEngine } from '../../src/server/projections.ts';
import { breakEvenWork, monteCarloWork, periodScale, placement, projectionWork } from '../../src/server/runs/work.ts';
import { preset, until } from './helpers.ts';

/** Runs tasks in-thread when released, recording each; tests release them explicitly. */
class RecordingEngine implements ComputeEngine {
  readonly tasks: PolicyTask[] = [];
  private readonly waiting: (() => void)[] = [];
  held = false;
  runTask<T extends PolicyTask>(task: T): Promise<PolicyTaskResult<T>> {
    this.tasks.push(task);
    const run = () => runPolicyTask(task);
    if (!this.held) return Promise.resolve().then(run);
    return new Promise((resolve, reject) => this.waiting.push(() => {
      try {
        resolve(run());
      } catch (e) {
        reject(e as Error);
      }
    }));
  }
  release(): void {
    for (const go of this.waiting.splice(0)) go();
  }
  async close(): Promise<void> {}
}

const short = (): Scenario => ({ ...preset('default'), horizonYears: 2, period: 'annual' });
const long = (): Scenario => ({ ...preset('default'), horizonYears: 30, period: 'quarterly' });

describe('the work estimate', () => {
  it('scales with the number of periods', () => {
    expect(periodScale({ horizonYears: 10, period: 'annual' })).toBe(1);
    expect(periodScale({ horizonYears: 30, period: 'quarterly' })).toBe(12);
    expect(projectionWork({ horizonYears: 30, period: 'quarterly' })).toBe(12 * projectionWork({ horizonYears: 10, period: 'annual' }));
    expect(breakEvenWork({ horizonYears: 10, period: 'annual' })).toBeGreaterThan(projectionWork({ horizonYears: 10, period: 'annual' }));
    // 1,000 paths of a 30-year quarterly scenario weigh as much as 12,000 of a ten-year annual one.
    expect(monteCarloWork({ horizonYears: 30, period: 'quarterly' }, 1_000)).toBe(monteCarloWork({ horizonYears: 10, period: 'annual' }, 12_000));
  });

  it('places work in-thread up to the limit, on the workers beyond it, in-thread when there are no workers', () => {
    const both = { pool: true, inline: true };
    expect(placement(100, 100, both)).toBe('inline');
    expect(placement(101, 100, both)).toBe('pool');
    expect(placement(1e9, 100, { pool: false, inline: true })).toBe('inline');
    expect(placement(0, 100, { pool: true, inline: false })).toBe('pool');
  });
});

describe('projections routed by their estimated work', () => {
  const webs: WebApp[] = [];
  afterEach(async () => {
    for (const w of webs.splice(0)) await w.close();
  });
  const app = (engine: RecordingEngine | null, inlineComputeWork = 50) => {
    const web = createApp({ dataDir: ':memory:', computeEngine: engine, inlineComputeWork, logErrors: false });
    webs.push(web);
    return web.app;
  };

  it('keeps a short projection in-thread and sends a long one to the compute engine, with the same answer', async () => {
    const engine = new RecordingEngine();
    const a = app(engine, projectionWork(short()));
    const s = await request(a).post('/api/v1/simulate').send(short());
    expect(s.status).toBe(200);
    expect(engine.tasks).toHaveLength(0);

    const l = await request(a).post('/api/v1/simulate').send(long());
    expect(l.status).toBe(200);
    // The engine builds the whole JSON document, so the event loop has only a string to send.
    expect(engine.tasks).toEqual([{ kind: 'simulationJson', scenario: long(), withBreakEven: false }]);
    // The same text as a server computing in-thread.
    const inThread = await request(app(null)).post('/api/v1/simulate').send(long());
    expect(l.text).toBe(inThread.text);
  });

  it('counts the break-even search in the work and computes it on the engine too', async () => {
    const engine = new RecordingEngine();
    // A ten-year projection alone stays in-thread; with its break-even search it does not.
    const ten = { ...preset('default'), horizonYears: 10, period: 'annual' as const };
    const a = app(engine, projectionWork(ten));
    expect((await request(a).post('/api/v1/simulate').send(ten)).status).toBe(200);
    expect(engine.tasks).toHaveLength(0);
    const withFee = await request(a).post('/api/v1/simulate?breakEvenFee=true').send({ ...ten, name: 'With fee' });
    expect(withFee.status).toBe(200);
    expect(engine.tasks).toEqual([{ kind: 'simulationJson', scenario: { ...ten, name: 'With fee' }, withBreakEven: true }]);
    const inThread = await request(app(null)).post('/api/v1/simulate?breakEvenFee=true').send({ ...ten, name: 'With fee' });
    expect(withFee.text).toBe(inThread.text);
    expect(Object.keys(withFee.body.breakEvenFees).sort()).toEqual(['horizon', 'lifetime', 'lifetimeWithInvestmentIncome']);
  });

  it('shares one computation between identical requests in flight and keeps it memoised', async () => {
    const engine = new RecordingEngine();
    engine.held = true;
    const a = app(engine, 0);
    const body = long();
    const first = request(a).post('/api/v1/simulate').send(body).then((r) => r);
    // Same scenario, a different body text (its keys in another order): not the response
    // cache, the computation in flight.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const second = request(a).post('/api/v1/simulate').set('content-type', 'application/json').send(JSON.stringify(reordered)).then((r) => r);
    await until(() => engine.tasks.length >= 1);
    await new Promise((r) => setImmediate(r));
    engine.release();
    const [r1, r2] = await Promise.all([first, second]);
    expect(r1.status).toBe(200);
    expect(r2.body.summary).toEqual(r1.body.summary);
    expect(engine.tasks).toHaveLength(1);
    engine.held = false;
    expect((await request(a).post('/api/v1/simulate').send({ ...body, name: body.name })).status).toBe(200);
    expect(engine.tasks).toHaveLength(1);
  });

  it('gives the same answers from a worker thread as in-thread', async () => {
    const pool = new MonteCarloPool({ workers: 1 });
    const web = createApp({ dataDir: ':memory:', computeEngine: pool, inlineComputeWork: 0, logErrors: false });
    webs.push(web);
    const body = { ...preset('default'), horizonYears: 12, period: 'quarterly' as const };
    const onWorker = await request(web.app).post('/api/v1/simulate?breakEvenFee=true').send(body);
    const inThread = await request(app(null)).post('/api/v1/simulate?breakEvenFee=true').send(body);
    expect(onWorker.status).toBe(200);
    expect(onWorker.text).toBe(inThread.text);
    const page = await request(web.app).get('/presets/default');
    const pageInThread = await request(app(null)).get('/presets/default');
    const strip = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, '').replace(/<meta name="csrf-token" content="[^"]*"/g, '');
    expect(strip(page.text)).toEqual(strip(pageInThread.text));
  }, 60_000);

  it('computes everything in-thread without a compute engine', async () => {
    const a = app(null, 0);
    const l = await request(a).post('/api/v1/simulate').send(long());
    expect(l.status).toBe(200);
    expect(l.body.summary.totalClaimsPaid).toBeCloseTo(project(l.body.scenario as Scenario).summary.totalClaimsPaid.toNumber(), 1);
  });

  it('sends a results page’s projection and break-even search to the compute engine above the limit', async () => {
    const engine = new RecordingEngine();
    const a = app(engine, 0);
    const res = await request(a).get('/presets/default');
    expect(res.status).toBe(200);
    expect(engine.tasks.map((t) => t.kind).sort()).toEqual(['breakEvenFees', 'project']);
  });
});
