/**
 * /api/v1/policy: budget comparison, tornado, sweep, search; small requests answered at once,
 * large ones as jobs to follow (progress events, cancel); validation errors naming the field.
 * Figures are checked against the core's own functions.
 */
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  budgetComparisonMonteCarlo, compareBudget, parseBudgetComparison, parseSearchSpec, parseSweepSpec, parseTornadoSpec,
  searchCoverageAndFee, sweep, tornado,
} from '../../src/core/policy/index.ts';
import { InlinePolicyEngine } from '../../src/server/policy/engine.ts';
import { plain } from '../../src/core/money.ts';
import { GatePolicyEngine, makeApp, preset, until, type TestApp } from './helpers.ts';

let t: TestApp;
let gated: TestApp;
let gate: GatePolicyEngine;

beforeAll(() => {
  // Background jobs run on an in-thread engine standing in for the pool.
  t = makeApp({ policyEngine: new InlinePolicyEngine(), inlinePolicyWork: 300, maxPaths: 20_000 });
  gate = new GatePolicyEngine();
  gated = makeApp({ policyEngine: gate, inlinePolicyWork: 0, maxConcurrentRuns: 1, maxQueuedRuns: 1 });
});
afterAll(async () => {
  await t.close();
  await gated.close();
});

const api = (app = t) => request(app.web.app);
const fixture = () => JSON.parse(readFileSync('src/presets/comparisons/founding-stage-budget.json', 'utf8')) as Record<string, unknown>;
const asJson = <T>(x: unknown): T => JSON.parse(JSON.stringify(plain(x))) as T;

/** Reads a whole response body as text (event streams included). */
const asText = (res: NodeJS.ReadableStream & { setEncoding(e: string): void }, done: (err: Error | null, body: string) => void) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => done(null, body));
};

async function finished(id: string, app = t) {
  let body: Record<string, unknown> = {};
  await until(async () => {
    body = (await api(app).get(`/api/v1/policy/jobs/${id}`)).body;
    return ['done', 'failed', 'cancelled'].includes(body.status as string);
  }, 30_000);
  return body;
}

describe('POST /api/v1/policy/budget', () => {
  it('compares the options at once, with the same figures as the core', async () => {
    const res = await api().post('/api/v1/policy/budget').send(fixture());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'budget', status: 'done', engine: 'inline', links: { page: `/policy/jobs/${res.body.id}` } });
    const parsed = parseBudgetComparison({ ...fixture(), scenario: preset('startup-local-fund') });
    if (!parsed.ok) throw new Error('fixture');
    expect(res.body.result.comparison).toEqual(asJson(compareBudget(parsed.value)));
    expect(res.body.result.monteCarlo).toBeNull();
    expect(res.body.result.comparison.options.map((o: { option: string }) => o.option)).toEqual(['guaranteeFund', 'microfinance', 'revolvingFund', 'interestSubsidy']);
  });

  it('adds the Monte Carlo with ?monteCarlo=true, paths and seed from the query', async () => {
    const res = await api().post('/api/v1/policy/budget?monteCarlo=true&paths=200&seed=3').send(fixture());
    expect(res.status).toBe(200);
    const parsed = parseBudgetComparison({ ...fixture(), scenario: preset('startup-local-fund') });
    if (!parsed.ok) throw new Error('fixture');
    expect(res.body.result.monteCarlo).toEqual(budgetComparisonMonteCarlo(parsed.value, { paths: 200, seed: 3 }));
    expect(res.body.result.monteCarlo.options[0].probabilityLosingHalf).toBeGreaterThan(0);
  });

  it('runs a large Monte Carlo in the background: 202, then the job to follow', async () => {
    const res = await api().post('/api/v1/policy/budget?paths=400').send(fixture());
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/api/v1/policy/jobs/${res.body.id}`);
    expect(res.body.engine).toBe('pool');
    expect(['queued', 'running']).toContain(res.body.status);
    expect(res.body.result).toBeUndefined();
    const done = await finished(res.body.id);
    expect(done.status).toBe('done');
    expect((done.result as { monteCarlo: { paths: number } }).monteCarlo.paths).toBe(400);
  });

  it('names the bad fields', async () => {
    const bad = { ...fixture(), budget: undefined, microfinance: { portfolioYield: 2 }, target: { kind: 'stage', stage: 'teenage' } };
    const res = await api().post('/api/v1/policy/budget').send(bad);
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('The budget comparison request is not valid.');
    expect(res.body.issues).toEqual(expect.arrayContaining([
      { path: 'budget', message: 'is required' },
      { path: 'microfinance.portfolioYield', message: 'must be at most 1 (a fraction per year: 0.05 = 5 %)' },
      expect.objectContaining({ path: 'target.stage' }),
    ]));
  });

  it('refuses an unknown scenario, bad query values and paths beyond the server’s limit', async () => {
    const unknown = await api().post('/api/v1/policy/budget').send({ ...fixture(), scenario: 'no-such-preset' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.issues).toEqual([{ path: 'scenario', message: 'there is no preset or saved scenario “no-such-preset”' }]);
    const query = await api().post('/api/v1/policy/budget?paths=lots&seed=-1').send(fixture());
    expect(query.status).toBe(422);
    expect(query.body.issues.map((i: { path: string }) => i.path)).toEqual(['paths', 'seed']);
    const tooMany = await api().post('/api/v1/policy/budget?monteCarlo=true').send({ ...fixture(), monteCarlo: { paths: 50_000 } });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.issues).toEqual([{ path: 'monteCarlo.paths', message: 'must be at most 20,000 on this server' }]);
  });

  it('takes JSON only', async () => {
    const res = await api().post('/api/v1/policy/budget').type('form').send('budget=1');
    expect(res.status).toBe(415);
  });
});

describe('POST /api/v1/policy/tornado', () => {
  const body = { scenario: 'default', indicator: 'capital', change: 0.25, parameters: [{ path: 'guarantee.annualFee.0.rate' }, { path: 'guarantee.coverageRatio' }, { path: 'fund.recoveryRate', low: 0.1, high: 0.5 }] };

  it('answers a small tornado at once, sorted by swing, as the core does', async () => {
    const res = await api().post('/api/v1/policy/tornado').send(body);
    expect(res.status).toBe(200);
    const spec = parseTornadoSpec(body, preset());
    if (!spec.ok) throw new Error('spec');
    expect(res.body.result).toEqual(asJson(tornado(preset(), spec.value)));
    const swings = res.body.result.bars.map((b: { swing: number }) => b.swing);
    expect(swings).toEqual([...swings].sort((a: number, b: number) => b - a));
    expect(res.body.title).toBe(`Tornado of capital at the horizon — ${preset().name}`);
  });

  it('names a parameter that cannot be moved, and an empty list', async () => {
    const res = await api().post('/api/v1/policy/tornado').send({ scenario: 'default', parameters: [{ path: 'guarantee.coverageRatio' }, { path: 'name' }] });
    expect(res.status).toBe(422);
    expect(res.body.issues[0].path).toBe('parameters.1.path');
    expect(res.body.issues[0].message).toMatch(/^name is not a parameter that can be varied/);
    const empty = await api().post('/api/v1/policy/tornado').send({ scenario: 'default', parameters: [] });
    expect(empty.body.issues).toEqual([{ path: 'parameters', message: 'needs at least one parameter' }]);
    const noScenario = await api().post('/api/v1/policy/tornado').send({ parameters: [{ path: 'guarantee.coverageRatio' }] });
    expect(noScenario.body.issues[0].path).toBe('scenario');
  });

  it('takes an inline scenario and reports its issues under scenario.', async () => {
    const res = await api().post('/api/v1/policy/tornado').send({ scenario: { ...preset(), horizonYears: 0 }, parameters: [{ path: 'guarantee.coverageRatio' }] });
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([{ path: 'scenario.horizonYears', message: 'must be at least 1 year' }]);
  });
});

describe('POST /api/v1/policy/sweep', () => {
  const body = {
    scenario: 'default', indicator: 'depletion', depletionTarget: 0.05, paths: 40, seed: 11,
    x: { path: 'guarantee.coverageRatio', from: 0.6, to: 1, steps: 3 }, y: { path: 'guarantee.annualFee.0.rate', from: 0.01, to: 0.03, steps: 3 },
  };

  it('runs a sweep with Monte Carlo as a job, with progress events, and gives the core’s grid and contour', async () => {
    const res = await api().post('/api/v1/policy/sweep').send(body);
    expect(res.status).toBe(202);
    const events = await api().get(`/api/v1/policy/jobs/${res.body.id}/events`).buffer(true).parse(asText as never);
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(events.body).toMatch(/event: end\ndata: \{"status":"done"/);
    const done = await finished(res.body.id);
    const spec = parseSweepSpec(body, preset());
    if (!spec.ok) throw new Error('spec');
    expect(done.result).toEqual(asJson(sweep(preset(), spec.value)));
    expect((done.result as { contour: { segments: unknown[] } }).contour.segments.length).toBeGreaterThan(0);
  });

  it('names bad axes and a grid too large for the server', async () => {
    const same = await api().post('/api/v1/policy/sweep').send({ ...body, y: { ...body.y, path: 'guarantee.coverageRatio' } });
    expect(same.body.issues).toEqual([{ path: 'y.path', message: 'must differ from x.path' }]);
    const steps = await api().post('/api/v1/policy/sweep').send({ ...body, x: { ...body.x, steps: 1 } });
    expect(steps.body.issues).toEqual([{ path: 'x.steps', message: 'must be at least 2' }]);
    const huge = await api().post('/api/v1/policy/sweep').send({ ...body, paths: 20_000, x: { ...body.x, steps: 30 }, y: { ...body.y, steps: 30 } });
    expect(huge.status).toBe(422);
    expect(huge.body.issues[0].path).toBe('y.steps');
    expect(huge.body.issues[0].message).toMatch(/this server takes at most 200,000: use fewer points or fewer paths$/);
  });
});

describe('POST /api/v1/policy/search', () => {
  it('finds the coverage and fee the core finds', async () => {
    const body = { scenario: 'default', depletionTarget: 0.1, feeCeiling: 0.03, gridSteps: 3, refinements: 1, paths: 30, seed: 2 };
    const res = await api().post('/api/v1/policy/search').send(body);
    const done = res.status === 202 ? await finished(res.body.id) : res.body;
    const spec = parseSearchSpec(body);
    if (!spec.ok) throw new Error('spec');
    expect(done.result).toEqual(searchCoverageAndFee(preset(), spec.value));
    expect((done.result as { feasible: boolean }).feasible).toBe(true);
  });

  it('says when no point is feasible', async () => {
    const res = await api().post('/api/v1/policy/search').send({ scenario: 'recession-stress', depletionTarget: 0, feeCeiling: 0.01, gridSteps: 2, refinements: 0, paths: 20 });
    const done = res.status === 202 ? await finished(res.body.id) : res.body;
    const result = done.result as { feasible: boolean; reason: string };
    expect(result.feasible).toBe(false);
    expect(result.reason).toMatch(/^no coverage from 50\.00 % to 100\.00 % with an annual fee from 0\.00 % to 1\.00 % keeps the probability of depletion at or below 0\.00 %/);
  });

  it('names missing limits', async () => {
    const res = await api().post('/api/v1/policy/search').send({ scenario: 'default' });
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([{ path: 'depletionTarget', message: 'is required' }, { path: 'feeCeiling', message: 'is required' }]);
  });
});

describe('policy jobs', () => {
  it('are cancelled by DELETE, refused when the queue is full, and 409 once over', async () => {
    const body = { scenario: 'default', parameters: [{ path: 'guarantee.coverageRatio' }] };
    const a = await api(gated).post('/api/v1/policy/tornado').send(body);
    const b = await api(gated).post('/api/v1/policy/tornado').send(body);
    expect([a.status, b.status]).toEqual([202, 202]);
    const busy = await api(gated).post('/api/v1/policy/tornado').send(body);
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBeDefined();
    await until(() => gate.waiting === 1);
    const progress = await api(gated).get(`/api/v1/policy/jobs/${a.body.id}`);
    expect(progress.body).toMatchObject({ status: 'running', progress: 0.25 });
    expect((await api(gated).get(`/api/v1/policy/jobs/${b.body.id}`)).body).toMatchObject({ status: 'queued', queuePosition: 1 });
    expect((await api(gated).delete(`/api/v1/policy/jobs/${a.body.id}`)).status).toBe(202);
    expect((await finished(a.body.id, gated)).status).toBe('cancelled');
    await until(() => gate.waiting === 1);
    gate.release();
    expect((await finished(b.body.id, gated)).status).toBe('done');
    const again = await api(gated).delete(`/api/v1/policy/jobs/${a.body.id}`);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('The job is already over (cancelled).');
  });

  it('404 for an unknown job; lists jobs and parameters', async () => {
    expect((await api().get('/api/v1/policy/jobs/nosuchjob1')).status).toBe(404);
    expect((await api().get('/api/v1/policy/jobs/nosuchjob1')).body).toEqual({ error: 'There is no policy job with that id.', issues: [{ path: '(url)', message: 'There is no policy job with that id.' }] });
    const list = await api().get('/api/v1/policy/jobs');
    expect(list.body.jobs.length).toBeGreaterThan(0);
    const params = await api().get('/api/v1/policy/parameters?scenario=uk-efg');
    expect(params.body.parameters.map((p: { path: string }) => p.path)).toContain('guarantee.portfolioLossCap');
    expect((await api().get('/api/v1/policy/nothing-here')).status).toBe(404);
  });
});
