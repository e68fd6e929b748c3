import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESET_IDS } from '../../src/presets/index.ts';
import { GateEngine, makeApp, preset, smallScenario, until, type TestApp } from './helpers.ts';

let t: TestApp;
let gate: GateEngine;

beforeAll(() => {
  gate = new GateEngine();
  // Small runs in-thread (real numbers), larger ones through a gate the tests open.
  t = makeApp({ pool: gate, inlinePaths: 300, maxPaths: 50_000, maxConcurrentRuns: 1, maxQueuedRuns: 1 });
});
afterAll(async () => {
  await t.close();
});

const api = () => request(t.web.app);

/** Reads a whole response body as text (event streams included). */
const asText = (res: NodeJS.ReadableStream & { setEncoding(e: string): void }, done: (err: Error | null, body: string) => void) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => done(null, body));
};

describe('POST /api/v1/simulate', () => {
  it('projects a valid scenario', async () => {
    const res = await api().post('/api/v1/simulate').send(preset());
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(res.body.scenario.name).toBe(preset().name);
    expect(res.body.periods).toHaveLength(preset().horizonYears);
    expect(typeof res.body.summary.closingCapital).toBe('number');
    const last = res.body.periods[res.body.periods.length - 1];
    expect(res.body.summary.closingCapital).toBe(last.ledger.closing);
    expect(res.body.lending).toHaveLength(4);
    expect(res.body.breakEvenFee).toBeUndefined();
  });

  it('adds the break-even fee on request', async () => {
    const res = await api().post('/api/v1/simulate?breakEvenFee=true').send(preset());
    expect(res.body.breakEvenFee.fee).toBeGreaterThan(0);
    // The scenario's basis, and every basis: without investment income the fee must be higher.
    expect(res.body.breakEvenFee.basis).toBe('lifetime');
    expect(res.body.breakEvenFees.lifetime.fee).toBeGreaterThan(res.body.breakEvenFees.lifetimeWithInvestmentIncome.fee);
  });

  it('carries the horizon and lifetime views: run-off, costs, cohorts and the conventions in force', async () => {
    const res = await api().post('/api/v1/simulate').send(preset());
    expect(res.status).toBe(200);
    expect(res.body.periods).toHaveLength(10);
    expect(res.body.runoff.length).toBeGreaterThan(0);
    expect(res.body.costing.horizon.view).toBe('horizon');
    expect(res.body.costing.lifetime.years).toBeGreaterThan(10);
    expect(res.body.costing.cohorts).toHaveLength(10);
    expect(typeof res.body.costing.cohorts[0].subsidyRate).toBe('number');
    expect(res.body.conventions.some((c: string) => c.includes('discounted'))).toBe(true);
  });

  it('names the bad fields of an invalid scenario', async () => {
    const bad = { ...preset(), horizonYears: 0, guarantee: { ...preset().guarantee, coverageRatio: 1.5 } };
    const res = await api().post('/api/v1/simulate').send(bad);
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('The scenario is not valid.');
    expect(res.body.issues).toEqual(expect.arrayContaining([
      { path: 'horizonYears', message: 'must be at least 1 year' },
      { path: 'guarantee.coverageRatio', message: 'must be between 0 and 1 (a fraction: 0.8 = 80 %)' },
    ]));
  });

  it('reports a missing body as missing fields', async () => {
    const res = await api().post('/api/v1/simulate').set('Content-Type', 'application/json').send('{}');
    expect(res.status).toBe(422);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['name', 'horizonYears', 'fund']));
  });

  it('wants JSON: 415 for a form body, 400 for broken JSON', async () => {
    const form = await api().post('/api/v1/simulate').type('form').send({ name: 'x' });
    expect(form.status).toBe(415);
    expect(form.body).toEqual({ error: expect.stringMatching(/application\/json/), issues: [{ path: 'Content-Type', message: 'is “application/x-www-form-urlencoded”; it must be application/json' }] });
    const broken = await api().post('/api/v1/simulate').set('Content-Type', 'application/json').send('{"name": ');
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual({ error: 'The request body is not valid JSON.', issues: [{ path: '(body)', message: expect.stringMatching(/^is not valid JSON/) }] });
  });

  it('refuses a body over the size limit with 413', async () => {
    const huge = { ...preset(), description: 'x'.repeat(250_000) };
    const res = await api().post('/api/v1/simulate').send(huge);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'The request is too large: at most 200kb is accepted.', issues: [{ path: '(body)', message: 'The request is too large: at most 200kb is accepted.' }] });
  });
});

describe('unknown API routes', () => {
  it.each(['/api/v1/nothing', '/api/v1/runs', '/api/v2/simulate'])('%s is a JSON 404', async (path) => {
    const res = await api().get(path);
    expect(res.status).toBe(404);
    expect(res.type).toBe('application/json');
    expect(res.body.error).toMatch(/no such API route|no run|Not found|no/i);
    expect(res.body.issues).toEqual([{ path: '(url)', message: res.body.error }]);
  });
});

describe('presets', () => {
  it('lists every preset with links', async () => {
    const res = await api().get('/api/v1/presets');
    expect(res.status).toBe(200);
    expect(res.body.presets.map((p: { id: string }) => p.id)).toEqual([...PRESET_IDS]);
    expect(res.body.presets[0]).toMatchObject({ id: 'default', links: { page: '/presets/default' } });
  });

  it('gives one preset with its scenario, and 404 for an unknown one', async () => {
    const res = await api().get('/api/v1/presets/korea-kodit');
    expect(res.status).toBe(200);
    expect(res.body.scenario.schemaVersion).toBe(1);
    expect(res.body.sources.length).toBeGreaterThan(0);
    const missing = await api().get('/api/v1/presets/atlantis');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'There is no preset with that id.', issues: [{ path: '(url)', message: 'There is no preset with that id.' }] });
  });
});

describe('saved scenarios CRUD', () => {
  it('creates, reads, lists, replaces, renames, duplicates and deletes', async () => {
    const created = await api().post('/api/v1/scenarios').send(preset('uk-efg'));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.location).toBe(`/api/v1/scenarios/${id}`);

    const got = await api().get(`/api/v1/scenarios/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.scenario).toEqual(preset('uk-efg'));

    const list = await api().get('/api/v1/scenarios');
    expect(list.body.scenarios.map((s: { id: string }) => s.id)).toContain(id);

    const replaced = await api().put(`/api/v1/scenarios/${id}`).send({ ...preset('uk-efg'), description: 'Changed' });
    expect(replaced.status).toBe(200);
    expect(replaced.body.scenario.description).toBe('Changed');

    const invalid = await api().put(`/api/v1/scenarios/${id}`).send({ ...preset('uk-efg'), currency: 'pounds' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.issues).toEqual([{ path: 'currency', message: 'must be a three-letter ISO 4217 code such as USD' }]);

    const renamed = await api().patch(`/api/v1/scenarios/${id}`).send({ name: 'EFG, shorter' });
    expect(renamed.body.name).toBe('EFG, shorter');
    expect(renamed.body.scenario.name).toBe('EFG, shorter');
    const badName = await api().patch(`/api/v1/scenarios/${id}`).send({ name: '' });
    expect(badName.status).toBe(422);
    expect(badName.body.issues[0].path).toBe('name');

    const copy = await api().post(`/api/v1/scenarios/${id}/duplicate`).set('Content-Type', 'application/json').send('{}');
    expect(copy.status).toBe(201);
    expect(copy.body.name).toBe('Copy of EFG, shorter');

    expect((await api().delete(`/api/v1/scenarios/${id}`)).status).toBe(204);
    expect((await api().get(`/api/v1/scenarios/${id}`)).status).toBe(404);
    expect((await api().delete(`/api/v1/scenarios/${id}`)).status).toBe(404);
    expect((await api().put(`/api/v1/scenarios/${id}`).send(preset())).status).toBe(404);
  });

  it('answers a bad stored row with a clear 422, not a crash', async () => {
    t.web.storage.db.prepare(`INSERT INTO scenarios (id, name, schema_version, json, created_at, updated_at) VALUES ('brokenapi', 'Broken', 1, '{"oops":', 'x', 'x')`).run();
    const res = await api().get('/api/v1/scenarios/brokenapi');
    expect(res.status).toBe(422);
    expect(res.body.error).toMatch(/Saved scenario “Broken” \(brokenapi\) cannot be read/);
    expect(res.body.issues[0].path).toBe('(json)');
    const list = await api().get('/api/v1/scenarios');
    expect(list.body.scenarios.find((s: { id: string }) => s.id === 'brokenapi').problem).toMatch(/not valid JSON/);
    await api().delete('/api/v1/scenarios/brokenapi');
  });
});

describe('Monte Carlo', () => {
  it('answers a small run inline, with the result and a permalink', async () => {
    const res = await api().post('/api/v1/simulate/montecarlo').send({ scenario: smallScenario(), paths: 120, seed: 9 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'done', paths: 120, seed: 9, progress: 1 });
    expect(res.body.result.paths).toBe(120);
    expect(res.body.result.probabilityOfDepletion).toHaveLength(5);
    expect(res.body.links.page).toBe(`/runs/${res.body.id}`);
    const again = await api().get(`/api/v1/runs/${res.body.id}`);
    expect(again.body.result.capital).toEqual(res.body.result.capital);
  });

  it('validates paths, seed and the scenario', async () => {
    const res = await api().post('/api/v1/simulate/montecarlo').send({ scenario: { ...smallScenario(), horizonYears: 'ten' }, paths: 0, seed: -1 });
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([
      { path: 'scenario.horizonYears', message: expect.stringMatching(/number/) },
      { path: 'paths', message: 'must be a whole number of at least 1' },
      { path: 'seed', message: 'must be a whole number from 0 to 4294967295' },
    ]);
    const tooMany = await api().post('/api/v1/simulate/montecarlo').send({ scenario: smallScenario(), paths: 60_000 });
    expect(tooMany.body.issues).toEqual([{ path: 'paths', message: 'must be at most 50000 on this server' }]);
    const noScenario = await api().post('/api/v1/simulate/montecarlo').send({ paths: 10 });
    expect(noScenario.body.issues).toEqual([{ path: 'scenario', message: 'is required' }]);
  });

  it('runs a large run in the background with progress events, then serves the result', async () => {
    const start = await api().post('/api/v1/simulate/montecarlo').send({ scenario: smallScenario(), paths: 5000, seed: 4 });
    expect(start.status).toBe(202);
    const id = start.body.id as string;
    expect(start.headers.location).toBe(`/api/v1/runs/${id}`);
    await until(() => gate.waiting === 1);
    expect((await api().get(`/api/v1/runs/${id}`)).body).toMatchObject({ status: 'running', progress: 0 });

    const stream = api().get(`/api/v1/runs/${id}/events`).buffer(true).parse(asText as never);
    const streamed = new Promise<request.Response>((resolve, reject) => stream.end((err, res) => (err ? reject(err) : resolve(res))));
    await new Promise((r) => setTimeout(r, 150));
    gate.step(0.25);
    await new Promise((r) => setTimeout(r, 120));
    gate.step(0.5);
    await gate.finish();
    const res = await streamed;
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['cache-control']).toBe('no-cache, no-transform');
    const events = (res.body as string).split('\n\n').filter((e) => e.startsWith('event:'));
    expect(events[0]).toMatch(/^event: progress\ndata: \{"status":"running","progress":0/);
    expect(events.some((e) => e.includes('"progress":0.25'))).toBe(true);
    expect(events.some((e) => e.includes('"progress":0.5'))).toBe(true);
    expect(events[events.length - 1]).toBe(`event: end\ndata: {"status":"done","error":null,"progress":1,"page":"/runs/${id}"}`);

    const done = await api().get(`/api/v1/runs/${id}`);
    expect(done.body).toMatchObject({ status: 'done', progress: 1 });
    expect(done.body.result.capital.bands).toHaveLength(7);
    // A finished run's stream ends at once.
    const after = await api().get(`/api/v1/runs/${id}/events`).buffer(true).parse(asText as never);
    expect(after.body).toContain('event: end\ndata: {"status":"done"');
  });

  it('cancels a run, and says 409 when it is already over', async () => {
    const start = await api().post('/api/v1/simulate/montecarlo').send({ scenario: smallScenario(), paths: 4000 });
    const id = start.body.id as string;
    await until(() => gate.waiting === 1);
    const del = await api().delete(`/api/v1/runs/${id}`);
    expect(del.status).toBe(202);
    await until(async () => (await api().get(`/api/v1/runs/${id}`)).body.status === 'cancelled');
    const again = await api().delete(`/api/v1/runs/${id}`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/already over \(cancelled\)/);
    expect((await api().delete('/api/v1/runs/nosuchrun1')).status).toBe(404);
  });

  it('is busy beyond the queue: 503 with Retry-After, and other requests are still answered', async () => {
    const a = await api().post('/api/v1/simulate/montecarlo').send({ scenario: smallScenario(), paths: 4000 });
    const b = await api().post('/api/v1/simulate/montecarlo').send({ scenario: smallScenario(), paths: 4000 });
    expect([a.status, b.status]).toEqual([202, 202]);
    const c = await api().post('/api/v1/simulate/montecarlo').send({ scenario: smallScenario(), paths: 4000 });
    expect(c.status).toBe(503);
    expect(c.headers['retry-after']).toMatch(/^\d+$/);
    expect(c.body.error).toMatch(/busy/);
    expect((await api().get('/')).status).toBe(200);
    expect((await api().get(`/api/v1/runs/${b.body.id}`)).body.queuePosition).toBe(1);
    await until(() => gate.waiting === 1);
    await gate.finish();
    await until(() => gate.waiting === 1);
    await gate.finish();
    await until(async () => (await api().get(`/api/v1/runs/${b.body.id}`)).body.status === 'done');
  });

  it('records a failed run with its reason', async () => {
    const start = await api().post('/api/v1/simulate/montecarlo').send({ scenario: smallScenario(), paths: 4000 });
    await until(() => gate.waiting === 1);
    gate.fail('a worker crashed');
    await until(async () => (await api().get(`/api/v1/runs/${start.body.id}`)).body.status === 'failed');
    expect((await api().get(`/api/v1/runs/${start.body.id}`)).body.error).toBe('a worker crashed');
  });
});
