/**
 * The home page, results, Monte Carlo runs, compare, saved scenarios, trash, the printable
 * summary, capital for a target and the error page: in the pseudo-locale every text a reader
 * sees is a translated message, apart from data (user names, numbers, codes, citations).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESET_IDS } from '../../src/presets/index.ts';
import { untranslated } from '../support/pseudo.ts';
import { freshToken, GateEngine, makeApp, preset, smallScenario, until, type TestApp } from './helpers.ts';

let t: TestApp;
let gate: GateEngine;
let savedId: string;
let trashedId: string;
let runId: string;
let editedId: string;

/** A name a user typed: data, not text. */
const USER_NAME = 'Fondo Zeta';
/** Data: the names users typed. */
const DATA: (string | RegExp)[] = [USER_NAME, 'Papelera Zeta'];

beforeAll(async () => {
  gate = new GateEngine();
  t = makeApp({ pool: gate, inlinePaths: 0 });
  const saved = t.web.storage.scenarios.create({ ...smallScenario(), name: USER_NAME, description: '' });
  savedId = saved.id;
  const trashed = t.web.storage.scenarios.create({ ...smallScenario(), name: 'Papelera Zeta', description: '' });
  trashedId = trashed.id;
  t.web.storage.scenarios.delete(trashedId);
  // A preset's text on a scenario whose parameters changed: the changes are listed.
  const base = preset('default');
  editedId = t.web.storage.scenarios.create({ ...base, name: USER_NAME, guarantee: { ...base.guarantee, coverageRatio: 0.6 }, horizonYears: 6 }).id;
  const start = await t.agent.post('/api/v1/simulate/montecarlo').send({ scenario: { ...smallScenario(), name: USER_NAME, description: '' }, paths: 500, seed: 5 });
  expect(start.status).toBe(202);
  runId = start.body.id as string;
  await until(() => gate.waiting === 1);
  gate.step(0.3);
});
afterAll(async () => {
  await t.close();
});

const qps = (path: string) => t.agent.get(`${path}${path.includes('?') ? '&' : '?'}lang=qps`);

async function expectTranslated(path: string, status = 200, more: string[] = []): Promise<string> {
  const res = await qps(path);
  expect(res.status, path).toBe(status);
  expect(untranslated(res.text, [...DATA, ...more]), path).toEqual([]);
  return res.text;
}

describe('pages in the pseudo-locale', () => {
  it('home and presets', async () => {
    await expectTranslated('/');
    for (const id of PRESET_IDS) {
      await expectTranslated(`/presets/${id}`);
      await expectTranslated(`/presets/${id}/summary`);
    }
  });

  it('a running Monte Carlo run, then its results and summary', async () => {
    const running = await expectTranslated(`/runs/${runId}`);
    expect(running).toContain('run-progress');
    expect(running).toMatch(/data-text-running="⟦/);
    await gate.finish();
    await until(async () => !(await t.agent.get(`/runs/${runId}`)).text.includes('run-progress'));
    const done = await expectTranslated(`/runs/${runId}`);
    // The charts draw numbers in the page's language and name their axes in it.
    const data = JSON.parse(/<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(done)![1]!) as { locale?: string; xTitle: string; datasets: { label: string; legend?: string }[] }[];
    expect(data.every((c) => typeof c.locale === 'string' && c.xTitle.startsWith('⟦'))).toBe(true);
    expect(data.flatMap((c) => c.datasets).every((d) => d.label.startsWith('⟦') || /^\d+\. /.test(d.label))).toBe(true);
    await expectTranslated(`/runs/${runId}/summary`);
  });

  it('saved scenarios, the trash and a saved scenario’s results', async () => {
    await expectTranslated('/scenarios');
    await expectTranslated('/scenarios/trash');
    await expectTranslated(`/scenarios/${savedId}`);
    await expectTranslated(`/scenarios/${savedId}/summary`);
    await expectTranslated(`/scenarios/${savedId}?flash=saved`);
    const edited = await expectTranslated(`/scenarios/${editedId}`);
    expect(edited).toContain('description-changes');
  });

  it('compare, mixed currencies and Monte Carlo side by side included', async () => {
    await expectTranslated('/compare');
    await expectTranslated('/compare?s=preset:default');
    await expectTranslated(`/compare?s=preset:default&s=saved:${savedId}&s=preset:uk-efg`);
    await expectTranslated('/compare?s=preset:default&s=preset:korea-kodit');
    // A finished run of the saved scenario: its figures join the table.
    const token = await freshToken(t);
    const posted = await t.agent.post('/runs').type('form').send({ _csrf: token, scenarioJson: JSON.stringify({ ...smallScenario(), name: USER_NAME, description: '' }), _scenarioId: savedId, paths: '300', seed: '8' });
    expect(posted.status).toBe(303);
    await until(() => gate.waiting === 1);
    await gate.finish();
    await t.web.runs.wait(posted.headers.location!.split('/').pop()!);
    const mc = await expectTranslated(`/compare?s=saved:${savedId}&s=preset:default`);
    expect(mc).toContain('id="compare-mc"');
    await expectTranslated(`/scenarios/${savedId}`);
    await expectTranslated('/scenarios');
  });

  it('a cancelled run says so above the expected case', async () => {
    const start = await t.agent.post('/api/v1/simulate/montecarlo').send({ scenario: smallScenario(), paths: 400, seed: 9 });
    const id = start.body.id as string;
    await until(() => gate.waiting === 1);
    t.web.runs.cancel(id);
    await until(async () => !(await t.agent.get(`/runs/${id}`)).text.includes('run-progress'));
    const page = await expectTranslated(`/runs/${id}`);
    expect(page).toContain('class="notice"');
  });

  it('the error page', async () => {
    await expectTranslated('/presets/no-such-preset', 404);
    await expectTranslated('/runs/nosuchrun12', 404);
    await expectTranslated(`/scenarios/${trashedId}`, 404);
  });

  it('answers in another language with its lang attribute', async () => {
    for (const path of ['/', '/presets/default', `/runs/${runId}`, '/scenarios', '/scenarios/trash', '/compare?s=preset:default&s=preset:japan-cgc', '/presets/default/summary']) {
      const res = await t.agent.get(`${path}${path.includes('?') ? '&' : '?'}lang=es`);
      expect(res.status, path).toBe(200);
      expect(res.text, path).toContain('lang="es"');
    }
  });
});

describe('English is unchanged', () => {
  it('keeps the English texts and numbers', async () => {
    const home = await t.agent.get('/?lang=en');
    expect(home.text).toContain('What does a credit guarantee fund buy, and what can it lose?');
    const run = await t.agent.get(`/runs/${runId}?lang=en`);
    expect(run.text).toContain('Value at risk and expected shortfall');
    expect(run.text).toMatch(/id="indicator-depletion"[\s\S]*?<p class="value">[\d.]+ %<\/p>/);
    // Downloads keep English column names whatever the page's language.
    const csv = await t.agent.get(`/runs/${runId}/download/chart-capital.csv?lang=qps`);
    expect(csv.text.split('\r\n')[0]).toMatch(/^Period,Simulated capital: 1st percentile,/);
  });
});
