/**
 * Nothing overwritten: versions and ETags, If-Match on PUT, PATCH and DELETE, the editor's
 * stale save shown beside the saved version; paged lists; a full disk answered clearly with
 * the input kept; export and import of saved scenarios.
 */
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scenarioToForm } from '../../src/server/forms/form.ts';
import { ifMatchAccepts } from '../../src/server/api/routes.ts';
import { EXPORT_FORMAT, exportScenarios } from '../../src/server/scenarios/exchange.ts';
import { bindings, SEE } from '../../src/storage/access.ts';
import { freshToken, makeApp, preset, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(() => {
  t = makeApp();
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.web.storage.db.exec('DELETE FROM runs; DELETE FROM scenarios');
});

const api = () => request(t.web.app);
const save = async (name = 'Base') => (await api().post('/api/v1/scenarios').send({ ...preset(), name })).body as { id: string; version: number };

describe('If-Match', () => {
  it.each([
    ['*', 3, true],
    ['"v3"', 3, true],
    ['W/"v3"', 3, true],
    ['"v1", "v3"', 3, true],
    ['"v2"', 3, false],
    ['"3"', 3, false],
    ['v3', 3, false],
    ['', 3, false],
  ])('%j against version %i: %s', (header, version, accepted) => {
    expect(ifMatchAccepts(header, version)).toBe(accepted);
  });

  it('GET gives an ETag, a write without If-Match or with the current one succeeds and moves the version on', async () => {
    const { id } = await save();
    const got = await api().get(`/api/v1/scenarios/${id}`);
    expect(got.headers.etag).toBe('"v1"');
    expect(got.body.version).toBe(1);
    const put = await api().put(`/api/v1/scenarios/${id}`).set('If-Match', '"v1"').send({ ...preset(), name: 'Mine' });
    expect(put.status).toBe(200);
    expect(put.headers.etag).toBe('"v2"');
    const patch = await api().patch(`/api/v1/scenarios/${id}`).send({ name: 'No If-Match' });
    expect(patch.status).toBe(200);
    expect(patch.body.version).toBe(3);
    expect(patch.headers.etag).toBe('"v3"');
  });

  it.each([
    ['PUT', (id: string) => api().put(`/api/v1/scenarios/${id}`).set('If-Match', '"v1"').send({ ...preset(), name: 'Stale put' })],
    ['PATCH', (id: string) => api().patch(`/api/v1/scenarios/${id}`).set('If-Match', '"v1"').send({ name: 'Stale patch' })],
    ['DELETE', (id: string) => api().delete(`/api/v1/scenarios/${id}`).set('If-Match', '"v1"')],
  ])('a stale %s is refused with 412 and writes nothing', async (_method, send) => {
    const { id } = await save();
    // Another user's edit lands first.
    expect((await api().put(`/api/v1/scenarios/${id}`).set('If-Match', '"v1"').send({ ...preset(), name: 'Theirs' })).status).toBe(200);
    const res = await send(id);
    expect(res.status).toBe(412);
    expect(res.body.error).toMatch(/changed since you read it: it is now at version 2/);
    expect(res.body.issues).toEqual([{ path: 'If-Match', message: 'is "v1", but the scenario’s current ETag is "v2"' }]);
    const now = await api().get(`/api/v1/scenarios/${id}`);
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ name: 'Theirs', version: 2 });
  });

  it('If-Match on a scenario that does not exist is a 404', async () => {
    expect((await api().put('/api/v1/scenarios/nosuchid1').set('If-Match', '"v1"').send(preset())).status).toBe(404);
  });
});

describe('the editor never saves over a later change', () => {
  const formOf = (changes: Record<string, string>) => ({ ...scenarioToForm(preset()), ...changes });

  it('carries the version it was opened at, and a stale save shows both versions and saves nothing', async () => {
    const { id } = await save('Shared fund');
    const editor = await t.agent.get(`/scenarios/${id}/edit`);
    expect(editor.text).toContain('<input type="hidden" name="_version" value="1">');
    // Someone else saves first.
    await api().put(`/api/v1/scenarios/${id}`).send({ ...preset(), name: 'Shared fund', horizonYears: 7 });
    const token = await freshToken(t);
    const stale = await t.agent.post(`/scenarios/${id}`).type('form')
      .send({ ...formOf({ name: 'Shared fund', 'guarantee.coverageRatio': '70' }), _scenarioId: id, _version: '1', _csrf: token });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('was changed while you were editing it');
    expect(stale.text).toContain('<strong>Your changes were not saved</strong>');
    expect(stale.text).toMatch(/Horizon[^<]*\(horizonYears\)<\/th><td class="conflict-yours">10<\/td><td class="conflict-theirs">7<\/td>/);
    expect(stale.text).toMatch(/\(guarantee\.coverageRatio\)<\/th><td class="conflict-yours">0\.7<\/td><td class="conflict-theirs">0\.8<\/td>/);
    expect(t.web.storage.scenarios.get(id)).toMatchObject({ version: 2, scenario: { horizonYears: 7, guarantee: { coverageRatio: 0.8 } } });

    // "Save mine over the saved version" posts the user's scenario with the version now seen.
    const mineJson = /name="scenarioJson" value="([^"]+)"/.exec(stale.text)![1]!.replace(/&quot;/g, '"').replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    const keep = await t.agent.post(`/scenarios/${id}`).type('form').send({ scenarioJson: mineJson, _version: '2', _csrf: token });
    expect(keep.status).toBe(303);
    expect(t.web.storage.scenarios.get(id)).toMatchObject({ version: 3, scenario: { horizonYears: 10, guarantee: { coverageRatio: 0.7 } } });
  });

  it('a save with the current version goes through', async () => {
    const { id } = await save('Mine alone');
    const token = await freshToken(t);
    const res = await t.agent.post(`/scenarios/${id}`).type('form').send({ ...formOf({ name: 'Mine alone', horizonYears: '8' }), _version: '1', _csrf: token });
    expect(res.status).toBe(303);
    expect(t.web.storage.scenarios.get(id)).toMatchObject({ version: 2, scenario: { horizonYears: 8 } });
  });
});

describe('paged lists', () => {
  const fill = (n: number) => {
    const s = preset();
    const db = t.web.storage.db;
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        // Distinct times, oldest first: scenario i was changed at minute i.
        const at = new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString();
        db.prepare('INSERT INTO scenarios (id, name, schema_version, json, created_at, updated_at, version, checked_schema) VALUES (?, ?, 1, ?, ?, ?, 1, 1)')
          .run(`fill${String(i).padStart(6, '0')}`, `Fund ${i}`, JSON.stringify({ ...s, name: `Fund ${i}` }), at, at);
      }
    })();
  };

  it.each([
    ['', 1, 50, ['Fund 119', 'Fund 70'], 'first page, newest first'],
    ['?page=3', 3, 50, ['Fund 19', 'Fund 0'], 'last page'],
    ['?page=2&perPage=100', 2, 100, ['Fund 19', 'Fund 0'], 'another page size'],
    ['?perPage=10&q=Fund 11', 1, 10, ['Fund 119', 'Fund 110'], 'by name'],
  ])('GET /api/v1/scenarios%s: %s', async (query, page, perPage, [first, last], _what) => {
    fill(120);
    const res = await api().get(`/api/v1/scenarios${query}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page, perPage });
    expect(res.body.scenarios[0].name).toBe(first);
    expect(res.body.scenarios.at(-1).name).toBe(last);
    expect(res.body.scenarios[0]).toMatchObject({ version: 1, problem: null });
  });

  it('links to the next and previous pages and counts the whole list', async () => {
    fill(120);
    const res = await api().get('/api/v1/scenarios?page=2');
    expect(res.body).toMatchObject({ total: 120, pages: 3, links: { prev: '/api/v1/scenarios?page=1&perPage=50', next: '/api/v1/scenarios?page=3&perPage=50' } });
  });

  it.each([['page=0'], ['page=x'], ['perPage=201'], ['perPage=-1']])('refuses %s with the parameter named', async (q) => {
    const res = await api().get(`/api/v1/scenarios?${q}`);
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe(q.split('=')[0]);
  });

  it('the page of saved scenarios shows 50 at a time with links, and a search box', async () => {
    fill(120);
    const res = await t.agent.get('/scenarios?page=2');
    expect(res.status).toBe(200);
    expect(res.text).toContain('51–100 of 120 · page 2 of 3');
    expect(res.text).toContain('href="/scenarios?page&#x3D;3" rel="next"');
    expect((res.text.match(/<tr>\s*<td>/g) ?? []).length).toBe(50);
    const found = await t.agent.get('/scenarios?q=Fund%2011');
    expect(found.text).toContain('1–11 of 11 named like “Fund 11”');
  });

  it('a list does not decode rows again: the check made once is kept', async () => {
    fill(3);
    t.web.storage.db.prepare("UPDATE scenarios SET json = '{broken' WHERE id = 'fill000001'").run();
    // Marked as checked, so the list trusts it; opening it still reports the problem clearly.
    expect(t.web.storage.scenarios.list().every((s) => s.problem === null)).toBe(true);
    expect((await api().get('/api/v1/scenarios/fill000001')).status).toBe(422);
    // A row never checked (written by another program) is checked when listed, once.
    t.web.storage.db.prepare('UPDATE scenarios SET checked_schema = NULL WHERE id = ?').run('fill000001');
    expect(t.web.storage.scenarios.list().find((s) => s.id === 'fill000001')!.problem).toMatch(/not valid JSON/);
    expect(t.web.storage.db.prepare('SELECT checked_schema, problem IS NOT NULL AS bad FROM scenarios WHERE id = ?').get('fill000001')).toEqual({ checked_schema: 1, bad: 1 });
  });

  it('filters, counts and pages the list from its index alone, for any viewer', () => {
    const columns = 'id, name, version, created_at, updated_at, checked_schema, problem';
    const viewers = [bindings(null), bindings({ id: 'someone', role: 'analyst' }), bindings({ id: 'someone', role: 'trainee' })];
    for (const query of [
      `SELECT ${columns} FROM scenarios WHERE deleted_at IS NULL AND ${SEE} ORDER BY updated_at DESC, name, id LIMIT 50 OFFSET 50`,
      `SELECT COUNT(*) FROM scenarios WHERE deleted_at IS NULL AND ${SEE}`,
    ]) {
      for (const viewer of viewers) {
        const plan = (t.web.storage.db.prepare(`EXPLAIN QUERY PLAN ${query}`).all(viewer) as { detail: string }[]).map((p) => p.detail).join(' ');
        expect(plan).toMatch(/SCAN scenarios USING COVERING INDEX scenarios_live/);
        expect(plan).not.toMatch(/TEMP B-TREE/);
      }
    }
  });

  it('forms list the 100 most recent saved scenarios and compare keeps an older one it was given', async () => {
    fill(150);
    const res = await t.agent.get('/compare?s=saved:fill000000&s=preset:default');
    expect(res.status).toBe(200);
    const options = res.text.split('id="compare-1"')[1]!.split('</select>')[0]!;
    expect((options.match(/value="saved:/g) ?? []).length).toBe(101);
    expect(options).toMatch(/<option value="saved:fill000000" selected>/);
  });
});

describe('a full disk', () => {
  const fillDisk = () => {
    const db = t.web.storage.db;
    db.exec('VACUUM');
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
  };
  const freeDisk = () => t.web.storage.db.pragma('max_page_count = 1073741823');

  it('the API answers 507 with a message and writes nothing', async () => {
    fillDisk();
    try {
      const big = { ...preset(), description: 'x'.repeat(3_900) };
      const results = await Promise.all(Array.from({ length: 3 }, () => api().post('/api/v1/scenarios').send(big)));
      const refused = results.find((r) => r.status === 507)!;
      expect(refused.body.error).toMatch(/could not be saved: the disk holding the database is full/);
      expect(refused.body.issues).toEqual([{ path: '(storage)', message: 'the disk is full' }]);
    } finally {
      freeDisk();
    }
  });

  it('the editor says the scenario was not saved and keeps what was typed', async () => {
    fillDisk();
    try {
      const token = await freshToken(t);
      let res;
      for (let i = 0; i < 5; i++) {
        res = await t.agent.post('/scenarios').type('form').send({ ...scenarioToForm(preset()), name: `Kept name ${i}`, description: 'y'.repeat(3_900), 'guarantee.coverageRatio': '66', _csrf: token });
        if (res.status !== 303) break;
      }
      expect(res!.status).toBe(507);
      expect(res!.text).toContain('The scenario was not saved: the disk holding the database is full');
      expect(res!.text).toMatch(/name="guarantee\.coverageRatio"[^>]*value="66"/);
    } finally {
      freeDisk();
    }
  });
});

describe('export and import', () => {
  it('exports every saved scenario and imports them back as new ones', async () => {
    await save('One');
    await save('Two');
    const exported = await api().get('/api/v1/scenarios/export');
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toContain('scenarios.json');
    expect(exported.body.format).toBe(EXPORT_FORMAT);
    expect(exported.body.scenarios.map((s: { name: string }) => s.name)).toEqual(['One', 'Two']);
    const imported = await api().post('/api/v1/scenarios/import').send(exported.body);
    expect(imported.status).toBe(201);
    expect(imported.body.imported).toBe(2);
    expect(t.web.storage.scenarios.count()).toBe(4);
  });

  it('streams the same document as a whole export, leaving out (and naming) a row that cannot be read', async () => {
    for (let i = 0; i < 450; i++) t.web.storage.scenarios.create({ ...preset(), name: `Batch ${i}` });
    t.web.storage.db.prepare("INSERT INTO scenarios (id, name, schema_version, json, created_at, updated_at) VALUES ('brokenexp', 'Broken', 1, '{', 'x', 'x')").run();
    const res = await api().get('/api/v1/scenarios/export');
    expect(res.status).toBe(200);
    const whole = exportScenarios(t.web.storage.scenarios, new Date(res.body.exportedAt));
    expect(res.body).toEqual(JSON.parse(JSON.stringify(whole)));
    expect(res.body.scenarios).toHaveLength(450);
    expect(res.body.skipped).toEqual([{ id: 'brokenexp', name: 'Broken', problem: expect.stringMatching(/not valid JSON/) }]);
  });

  it.each([
    ['not a list', { scenarios: 3 }, 'scenarios', /must be a list/],
    ['empty', { scenarios: [] }, 'scenarios', /nothing to import/],
    ['another format', { format: 'other', scenarios: [preset()] }, 'format', /exported by this simulator/],
    ['one bad scenario among good ones', { scenarios: [{ scenario: preset() }, { scenario: { ...preset(), horizonYears: 99 } }] }, 'scenarios.1.scenario.horizonYears', /at most 30/],
  ])('imports nothing from a file %s', async (_what, body, path, message) => {
    const res = await api().post('/api/v1/scenarios/import').send(body);
    expect(res.status).toBe(422);
    expect(res.body.issues[0].path).toBe(path);
    expect(res.body.issues[0].message).toMatch(message);
    expect(t.web.storage.scenarios.count()).toBe(0);
  });
});
