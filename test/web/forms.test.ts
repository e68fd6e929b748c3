import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioToForm } from '../../src/server/forms/form.ts';
import { freshToken, GateEngine, makeApp, preset, smallScenario, until, type TestApp } from './helpers.ts';

let t: TestApp;
let gate: GateEngine;

beforeAll(() => {
  gate = new GateEngine();
  t = makeApp({ pool: gate, inlinePaths: 300, maxPaths: 10_000, maxConcurrentRuns: 1, maxQueuedRuns: 0 });
});
afterAll(async () => {
  await t.close();
});

/** The editor form for a scenario, as a browser would post it. */
const formOf = (s = preset(), changes: Record<string, string> = {}) => ({ ...scenarioToForm(s), ...changes });

const post = async (path: string, fields: Record<string, string>) => {
  const token = await freshToken(t);
  return t.agent.post(path).type('form').send({ ...fields, _csrf: token });
};

describe('CSRF protection', () => {
  it('accepts a form post with the token of its own cookie', async () => {
    const res = await post('/simulate', formOf());
    expect(res.status).toBe(200);
  });

  it('refuses a post without a token', async () => {
    await freshToken(t);
    const res = await t.agent.post('/scenarios').type('form').send(formOf());
    expect(res.status).toBe(403);
    expect(res.text).toContain('The form has expired or did not come from this site');
    expect(t.web.storage.scenarios.list()).toHaveLength(0);
  });

  it('refuses a token without its cookie, and a token from another visitor', async () => {
    const token = await freshToken(t);
    const stranger = await request(t.web.app).post('/scenarios/x/delete').type('form').send({ _csrf: token });
    expect(stranger.status).toBe(403);
    const other = request.agent(t.web.app);
    const otherPage = await other.get('/scenarios/new');
    const theirs = /name="_csrf" value="([^"]+)"/.exec(otherPage.text)![1]!;
    expect(theirs).not.toBe(token);
    const crossed = await t.agent.post('/simulate').type('form').send({ ...formOf(), _csrf: theirs });
    expect(crossed.status).toBe(403);
    const forged = await t.agent.post('/simulate').type('form').send({ ...formOf(), _csrf: 'A'.repeat(43) });
    expect(forged.status).toBe(403);
  });
});

describe('size limit', () => {
  it('answers an oversized field with the form again: the error beside the field, every input kept', async () => {
    const big = 'x'.repeat(5_000_000);
    const res = await post('/simulate', formOf(preset(), { description: big, 'guarantee.coverageRatio': '70' }));
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="f-description-error"><span>Must be at most 4,000 characters<\/span>/);
    expect(res.text).toContain(`>${big}</textarea>`);
    expect(res.text).toMatch(/id="f-guarantee-coverageRatio" name="guarantee.coverageRatio" value="70"/);
  });

  it('limits fields in the browser: the schema’s lengths for texts, ample room for numbers', async () => {
    const res = await t.agent.get('/scenarios/new');
    expect(res.text).toMatch(/<input type="text" id="f-name" name="name" value="[^"]*" maxlength="120"/);
    expect(res.text).toMatch(/<textarea id="f-description" name="description" rows="3" maxlength="4000"/);
    expect(res.text).toMatch(/id="f-currency" name="currency" value="USD" maxlength="3"/);
    expect(res.text).toMatch(/id="f-guarantee-coverageRatio" name="guarantee.coverageRatio" value="80" maxlength="40"/);
  });

  it('a form beyond the server’s limit gets a page that says nothing was saved and how to get the input back', async () => {
    const res = await post('/simulate', formOf(preset(), { description: 'x'.repeat(9_000_000) }));
    expect(res.status).toBe(413);
    expect(res.text).toContain('The form is too large: at most 8mb is accepted, and nothing was saved or run. Go back with your browser: it keeps what you typed');
  });

  it('the API keeps its own, smaller limit', async () => {
    const res = await t.agent.post('/api/v1/simulate').set('Content-Type', 'application/json').send(JSON.stringify({ ...preset(), description: 'x'.repeat(300_000) }));
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('The request is too large: at most 200kb is accepted.');
  });
});

describe('projection from the editor (no JavaScript needed)', () => {
  it('shows the results of a valid form', async () => {
    const res = await post('/simulate', formOf(preset(), { name: 'Posted fund', 'guarantee.coverageRatio': '70' }));
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Posted fund</h1>');
    expect(res.text).toContain('Unsaved scenario');
    // Downloads of an unsaved scenario come from its draft's address.
    const address = /id="result-address" data-address="(\/drafts\/[A-Za-z0-9_-]{22})"/.exec(res.text)![1]!;
    expect(res.text).toContain(`href="${address}/download/chart-capital.csv"`);
    const json = /name="scenarioJson" value="([^"]+)"/.exec(res.text)![1]!.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x60;/g, '`');
    expect(JSON.parse(json).guarantee.coverageRatio).toBe(0.7);
  });

  it('shows the error beside the field, keeps what was typed, and lists the errors at the top', async () => {
    const res = await post('/simulate', formOf(preset(), { 'guarantee.coverageRatio': '150', 'fund.initialCapital': 'plenty', 'stages.growth.loanSize': '' }));
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="f-guarantee-coverageRatio" name="guarantee.coverageRatio" value="150"[^>]*aria-describedby="f-guarantee-coverageRatio-error f-guarantee-coverageRatio-help" aria-invalid="true"/);
    expect(res.text).toMatch(/<p class="field-error" id="f-guarantee-coverageRatio-error"><span>Must be between 0 % and 100 %<\/span>/);
    expect(res.text).toMatch(/value="plenty"[\s\S]{0,300}<p class="field-error" id="f-fund-initialCapital-error"><span>Must be a number<\/span>/);
    expect(res.text).toMatch(/id="f-stages-growth-loanSize-error"><span>Is required<\/span>/);
    expect(res.text).toContain('3 problems to fix');
    expect(res.text).toContain('<a href="#f-guarantee-coverageRatio">Coverage ratio: Must be between 0 % and 100 %</a>');
    // Everything else the user typed is still there.
    expect(res.text).toContain(`value="${preset().name}"`);
  });

  it('names list problems: shares that do not add up, a bad row', async () => {
    const res = await post('/simulate', formOf(preset(), { 'stages.maturity.collateral.0.share': '5', 'fund.capitalInjections.2.year': '40', 'fund.capitalInjections.2.amount': '1,000,000' }));
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="f-stages-maturity-collateral-error"><span>The collateral level shares must sum to 100 %<\/span>/);
    expect(res.text).toMatch(/id="f-fund-capitalInjections-2-year-error"><span>Must be year 30 or earlier<\/span>/);
  });
});

describe('saving, renaming, duplicating, deleting', () => {
  it('saves from the editor, edits, renames, duplicates and deletes', async () => {
    const created = await post('/scenarios', formOf(preset('india-cgtmse'), { name: 'My CGTMSE' }));
    expect(created.status).toBe(303);
    const location = created.headers.location!;
    expect(location).toMatch(/^\/scenarios\/[A-Za-z0-9_-]{12}\?flash=saved$/);
    const id = location.split('/')[2]!.split('?')[0]!;
    const page = await t.agent.get(location);
    expect(page.text).toContain('<p class="flash" role="status">Saved.</p>');
    expect(t.web.storage.scenarios.get(id)!.scenario).toEqual({ ...preset('india-cgtmse'), name: 'My CGTMSE' });

    const updated = await post(`/scenarios/${id}`, formOf(preset('india-cgtmse'), { name: 'My CGTMSE', horizonYears: '12' }));
    expect(updated.status).toBe(303);
    expect(t.web.storage.scenarios.get(id)!.scenario.horizonYears).toBe(12);

    const invalidUpdate = await post(`/scenarios/${id}`, formOf(preset('india-cgtmse'), { horizonYears: '99', _scenarioId: id }));
    expect(invalidUpdate.status).toBe(422);
    expect(invalidUpdate.text).toContain(`formaction="/scenarios/${id}"`);
    expect(t.web.storage.scenarios.get(id)!.scenario.horizonYears).toBe(12);

    expect((await post(`/scenarios/${id}/rename`, { name: 'Renamed CGTMSE' })).headers.location).toBe('/scenarios?flash=renamed');
    expect(t.web.storage.scenarios.get(id)!.name).toBe('Renamed CGTMSE');
    const empty = await post(`/scenarios/${id}/rename`, { name: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('A scenario needs a name.');

    expect((await post(`/scenarios/${id}/duplicate`, {})).headers.location).toBe('/scenarios?flash=duplicated');
    expect(t.web.storage.scenarios.list().map((s) => s.name)).toContain('Copy of Renamed CGTMSE');

    expect((await post(`/scenarios/${id}/delete`, {})).headers.location).toBe(`/scenarios?flash=deleted&id=${id}`);
    const gone = await t.agent.get(`/scenarios/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.text).toContain('“Renamed CGTMSE” is in the trash.');
    expect((await post(`/scenarios/${id}/delete`, {})).status).toBe(404);
  });

  it('deletes in two steps that need no script, into a trash it can be restored from', async () => {
    const created = await post('/scenarios', formOf(preset('uk-efg'), { name: 'To be binned' }));
    const id = created.headers.location!.split('/')[2]!.split('?')[0]!;
    const list = await t.agent.get('/scenarios');
    expect(list.text).toContain(`<a class="button button-small button-danger" href="/scenarios/${id}/delete">Delete…`);
    expect(list.text).not.toContain(`action="/scenarios/${id}/delete"`);
    // Step 1: a page that asks, with a form that posts.
    const ask = await t.agent.get(`/scenarios/${id}/delete`);
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('<h1>Delete “To be binned”?</h1>');
    expect(ask.text).toMatch(new RegExp(`<form method="post" action="/scenarios/${id}/delete"[^>]*>\\s*<input type="hidden" name="_csrf"`));
    expect(ask.text).toContain('stays for 30 days');
    expect(t.web.storage.scenarios.get(id)).not.toBeNull();
    // Step 2: into the trash, with an undo on the list.
    const moved = await post(`/scenarios/${id}/delete`, {});
    const after = await t.agent.get(moved.headers.location!);
    expect(after.text).toContain('Moved “To be binned” to the trash. It stays there for 30 days.');
    expect(after.text).toContain(`action="/scenarios/${id}/restore"`);
    expect(after.text).not.toContain(`href="/scenarios/${id}"`);
    const trash = await t.agent.get('/scenarios/trash');
    expect(trash.text).toMatch(/<th scope="row">To be binned<\/th>/);
    const restored = await post(`/scenarios/${id}/restore`, {});
    expect(restored.headers.location).toBe(`/scenarios/${id}?flash=restored`);
    const back = await t.agent.get(restored.headers.location!);
    expect(back.status).toBe(200);
    expect(back.text).toContain('Restored from the trash.');
    expect((await post(`/scenarios/${id}/restore`, {})).status).toBe(404);
  });

  it('saves a preset’s results page as a scenario', async () => {
    const res = await post('/scenarios', { scenarioJson: JSON.stringify(preset('chile-fogape')) });
    expect(res.status).toBe(303);
    const id = res.headers.location!.split('/')[2]!.split('?')[0]!;
    expect(t.web.storage.scenarios.get(id)!.scenario).toEqual(preset('chile-fogape'));
    const bad = await post('/scenarios', { scenarioJson: '{"name": 1' });
    expect(bad.status).toBe(400);
  });
});

describe('downloads of an unsaved scenario', () => {
  it('posts the scenario back and gets a file', async () => {
    const csv = await post('/export', { scenarioJson: JSON.stringify(smallScenario()), what: 'chart-flows.csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename=".*-flows\.csv"/);
    expect(csv.text.split('\r\n')[0]).toBe('Year,Fee income,Claims paid,Recoveries');
    const json = await post('/export', { scenarioJson: JSON.stringify(smallScenario()), what: 'result.json' });
    expect(JSON.parse(json.text).periods).toHaveLength(5);
    const invalid = await post('/export', { scenarioJson: JSON.stringify({ ...smallScenario(), horizonYears: 0 }), what: 'result.json' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('horizonYears: must be at least 1 year');
  });
});

describe('Monte Carlo from the browser', () => {
  it('starts a run from the editor and redirects to its page; cancels it; refuses when busy', async () => {
    const res = await post('/runs', formOf(smallScenario(), { 'monteCarlo.paths': '2,000', 'monteCarlo.seed': '11' }));
    expect(res.status).toBe(303);
    const runPath = res.headers.location!;
    expect(runPath).toMatch(/^\/runs\/[A-Za-z0-9_-]{12}$/);
    await until(() => gate.waiting === 1);
    const run = t.web.storage.runs.get(runPath.split('/')[2]!)!;
    expect(run).toMatchObject({ paths: 2000, seed: 11, status: 'running' });

    // One run at a time and no queue on this server: the next one is refused.
    const busy = await post('/runs', { scenarioJson: JSON.stringify(smallScenario()), paths: '1000', seed: '1' });
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toMatch(/^\d+$/);
    expect(busy.text).toContain('The simulator is busy');
    // Small runs share the same limit but the rest of the site answers.
    expect((await t.agent.get('/')).status).toBe(200);

    const cancel = await post(`${runPath}/cancel`, {});
    expect(cancel.status).toBe(303);
    expect(cancel.headers.location).toBe(runPath);
    await until(() => t.web.storage.runs.get(run.id)!.status === 'cancelled');
    const page = await t.agent.get(runPath);
    expect(page.text).toContain('This run was cancelled.');
  });

  it('runs from a results page with chosen paths and seed, inside the limit', async () => {
    const tooMany = await post('/runs', { scenarioJson: JSON.stringify(smallScenario()), paths: '20000', seed: '1' });
    expect(tooMany.status).toBe(422);
    expect(tooMany.text).toContain('This server runs at most 10,000 paths.');
    const badSeed = await post('/runs', { scenarioJson: JSON.stringify(smallScenario()), paths: '100', seed: '-3' });
    expect(badSeed.status).toBe(422);
    const ok = await post('/runs', { scenarioJson: JSON.stringify(smallScenario()), paths: '100', seed: '2' });
    expect(ok.status).toBe(303);
    const id = ok.headers.location!.split('/')[2]!;
    await until(() => t.web.storage.runs.get(id)!.status === 'done');
    const page = await t.agent.get(ok.headers.location!);
    expect(page.text).toContain('id="canvas-netClaims"');
  });

  it('an invalid editor form re-renders the editor instead of starting a run', async () => {
    const res = await post('/runs', formOf(smallScenario(), { 'monteCarlo.paths': '0' }));
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="f-monteCarlo-paths-error"><span>Must be at least 1<\/span>/);
  });
});

describe('editing the scenario of a results page', () => {
  it('opens the editor on a posted scenario, tied to its saved scenario when there is one', async () => {
    const saved = t.web.storage.scenarios.create({ ...preset('taiwan-smeg'), name: 'Tied' });
    const res = await post('/editor', { scenarioJson: JSON.stringify({ ...preset('taiwan-smeg'), name: 'Tied', horizonYears: 12 }), _scenarioId: saved.id });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/id="f-horizonYears" name="horizonYears" value="12"/);
    expect(res.text).toContain(`formaction="/scenarios/${saved.id}"`);
    const loose = await post('/editor', { scenarioJson: JSON.stringify(smallScenario()) });
    expect(loose.text).toContain('formaction="/scenarios"');
    expect(loose.text).not.toContain('name="_scenarioId"');
  });
});

describe('projection of an edited saved scenario', () => {
  it('offers to save the changes to the saved scenario or as a new one', async () => {
    const saved = t.web.storage.scenarios.create({ ...preset('korea-kodit'), name: 'Original' });
    const res = await post('/simulate', formOf(preset('korea-kodit'), { name: 'Original', 'guarantee.coverageRatio': '60', _scenarioId: saved.id }));
    expect(res.status).toBe(200);
    expect(res.text).toContain(`action="/scenarios/${saved.id}"`);
    expect(res.text).toContain('Save changes');
    expect(res.text).toContain('Save as new');
    const json = JSON.stringify({ ...preset('korea-kodit'), name: 'Original', guarantee: { ...preset('korea-kodit').guarantee, coverageRatio: 0.6 } });
    const update = await post(`/scenarios/${saved.id}`, { scenarioJson: json });
    expect(update.status).toBe(303);
    expect(t.web.storage.scenarios.get(saved.id)!.scenario.guarantee.coverageRatio).toBe(0.6);
  });
});
