/**
 * One way of answering everywhere: every 4xx of the API lists what to fix, a wrong method is
 * 405 with Allow, JSON that is not an object says so, a bodiless POST works from the command
 * line (not from another site), and a name must have something visible in it.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedMethods, nameProblem } from '../../src/server/scenarios/consistency.ts';
import { scenarioToForm } from '../../src/server/forms/form.ts';
import { freshToken, makeApp, preset, type TestApp } from './helpers.ts';

let t: TestApp;
let id: string;
beforeAll(async () => {
  t = makeApp({ maxQueuedRuns: 0, maxConcurrentRuns: 1, bodyLimit: '50kb' });
  id = (await request(t.web.app).post('/api/v1/scenarios').send(preset())).body.id;
});
afterAll(async () => {
  await t.close();
});
const api = () => request(t.web.app);

describe('every 4xx answer of the API has a non-empty issues list', () => {
  it.each([
    ['bad JSON', () => api().post('/api/v1/simulate').set('Content-Type', 'application/json').send('{"a":'), 400, '(body)', /is not valid JSON/],
    ['too large', () => api().post('/api/v1/simulate').set('Content-Type', 'application/json').send(JSON.stringify({ x: 'y'.repeat(60_000) })), 413, '(body)', /too large/],
    ['not JSON', () => api().post('/api/v1/simulate').set('Content-Type', 'text/plain').send('hello'), 415, 'Content-Type', /is “text\/plain”; it must be application\/json/],
    ['an unknown route', () => api().get('/api/v1/nothing'), 404, '(url)', /no such API route/],
    ['an unknown scenario', () => api().get('/api/v1/scenarios/nosuchid1'), 404, '(url)', /no saved scenario/],
    ['an unknown run', () => api().get('/api/v1/runs/nosuchid1'), 404, '(url)', /no run/],
    ['a wrong method', () => api().put('/api/v1/presets'), 405, '(method)', /must be one of GET, HEAD/],
    ['a bad scenario', () => api().post('/api/v1/scenarios').send({ ...preset(), horizonYears: 99 }), 422, 'horizonYears', /at most 30/],
    ['a list of parameters', () => api().get('/api/v1/scenarios?page=0'), 400, 'page', /whole number/],
    ['outside /api/v1', () => api().get('/api/v2/x'), 404, '(url)', /lives under \/api\/v1/],
  ])('%s', async (_what, send, status, path, message) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body.error).toEqual(expect.any(String));
    expect(res.body.issues.length).toBeGreaterThan(0);
    expect(res.body.issues[0].path).toBe(path);
    expect(res.body.issues[0].message).toMatch(message);
  });

  it('a busy server (503) says why in its issues', async () => {
    const res = await api().post('/api/v1/simulate/montecarlo').send({ scenario: preset(), paths: 5000, seed: 1 });
    if (res.status === 202) {
      const second = await api().post('/api/v1/simulate/montecarlo').send({ scenario: preset(), paths: 5000, seed: 2 });
      expect(second.status).toBe(503);
      expect(second.body.issues).toEqual([{ path: '(server)', message: second.body.error }]);
      await api().delete(`/api/v1/runs/${res.body.id}`);
    }
  });
});

describe('wrong methods', () => {
  it.each([
    ['DELETE', '/api/v1/presets', 'GET, HEAD'],
    ['POST', '/api/v1/presets/default', 'GET, HEAD'],
    ['GET', '/api/v1/simulate', 'POST'],
    ['POST', '/api/v1/runs/abcdefgh', 'DELETE, GET, HEAD'],
    ['PATCH', '/api/v1/scenarios', 'GET, HEAD, POST'],
    ['GET', '/api/v1/scenarios/abcdefgh/duplicate', 'POST'],
    ['PUT', '/api/v1/policy/budget', 'POST'],
  ])('%s %s is 405 with Allow: %s', async (method, path, allow) => {
    const res = await (api() as unknown as Record<string, (p: string) => request.Test>)[method.toLowerCase()]!(path);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.body.issues[0].path).toBe('(method)');
  });

  it.each([
    ['GET', '/simulate', 'POST'],
    ['PUT', '/scenarios/new', 'GET, HEAD, POST'],
    ['DELETE', '/compare', 'GET, HEAD'],
    ['GET', '/scenarios/abcdefgh/rename', 'POST'],
  ])('a page: %s %s is 405 with Allow: %s', async (method, path, allow) => {
    const res = await (t.agent as unknown as Record<string, (p: string) => request.Test>)[method.toLowerCase()]!(path);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.text).toContain('Method not allowed');
  });

  it('an unknown path is still 404', async () => {
    expect(allowedMethods([], '/x')).toEqual([]);
    expect((await t.agent.get('/nowhere')).status).toBe(404);
  });
});

describe('JSON that is not an object', () => {
  it.each([
    ['a list', '[1, 2]', 'a list'],
    ['a string', '"scenario"', 'a string'],
    ['a number', '42', 'a number'],
    ['null', 'null', 'null'],
    ['true', 'true', 'a boolean'],
  ])('%s is refused with "must be an object"', async (_what, body, kind) => {
    for (const path of ['/api/v1/simulate', '/api/v1/scenarios', '/api/v1/policy/budget']) {
      const res = await api().post(path).set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('The request body must be a JSON object.');
      expect(res.body.issues).toEqual([{ path: '(body)', message: `must be an object, not ${kind}` }]);
    }
  });
});

describe('a POST without a body', () => {
  it('duplicates as the README shows (curl -X POST …/duplicate)', async () => {
    const res = await api().post(`/api/v1/scenarios/${id}/duplicate`);
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(`Copy of ${preset().name}`);
  });

  it.each([
    ['Sec-Fetch-Site', 'cross-site'],
    ['Origin', 'http://attacker.example'],
  ])('is refused when the browser says it comes from another site (%s: %s)', async (header, value) => {
    const res = await api().post(`/api/v1/scenarios/${id}/duplicate`).set(header, value);
    expect(res.status).toBe(415);
  });

  it('to a route that needs a body, says what is missing', async () => {
    const res = await api().post('/api/v1/simulate');
    expect(res.status).toBe(422);
    expect(res.body.issues[0]).toEqual({ path: '(scenario)', message: 'is required' });
  });
});

describe('names', () => {
  it.each([
    ['Fund A', null],
    ['  Fund  ', null],
    ['Fonds é', null],
    ['\u0001\u0002', 'must contain a visible character, not only control characters or spaces'],
    ['\u200b\u200e', 'must contain a visible character, not only control characters or spaces'],
    ['\u0007 \u0085', 'must contain a visible character, not only control characters or spaces'],
    ['\u00a0', 'is required'],
    ['', null],
  ])('%j: %s', (name, problem) => {
    expect(nameProblem(name)).toBe(problem);
  });

  it.each([
    ['POST', () => api().post('/api/v1/scenarios').send({ ...preset(), name: '\u0001\u0002' })],
    ['PUT', () => api().put(`/api/v1/scenarios/${id}`).send({ ...preset(), name: '\u0003' })],
    ['PATCH', () => api().patch(`/api/v1/scenarios/${id}`).send({ name: '\u0004\u0005' })],
    ['import', () => api().post('/api/v1/scenarios/import').send({ scenarios: [{ ...preset(), name: '\u0006' }] })],
  ])('the API refuses a name of control characters (%s)', async (_what, send) => {
    const res = await send();
    expect(res.status).toBe(422);
    expect(res.body.issues[0].path).toMatch(/name$/);
    expect(res.body.issues[0].message).toMatch(/visible character/);
  });

  it('the editor refuses it beside the field, with the input kept', async () => {
    const token = await freshToken(t);
    const res = await t.agent.post('/scenarios').type('form').send({ ...scenarioToForm(preset()), name: '\u0001\u0002', 'guarantee.coverageRatio': '71', _csrf: token });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="f-name-error"><span>Must contain a visible character/);
    expect(res.text).toMatch(/name="guarantee\.coverageRatio"[^>]*value="71"/);
  });

  it('renaming on the page refuses it', async () => {
    const token = await freshToken(t);
    const res = await t.agent.post(`/scenarios/${id}/rename`).type('form').send({ name: '\u0001', _csrf: token });
    expect(res.status).toBe(422);
    expect(res.text).toContain('That name cannot be used.');
  });
});
