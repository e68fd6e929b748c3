import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESET_IDS } from '../../src/presets/index.ts';
import { presetCards } from '../../src/server/scenarios/presets.ts';
import { GateEngine, makeApp, preset, smallScenario, until, type TestApp } from './helpers.ts';

let t: TestApp;
let gate: GateEngine;

beforeAll(() => {
  gate = new GateEngine();
  t = makeApp({ pool: gate, inlinePaths: 300 });
});
afterAll(async () => {
  await t.close();
});

const get = (path: string) => t.agent.get(path);

/** Every form control has a label pointing at it. */
function expectLabelled(html: string): void {
  const ids = [...html.matchAll(/<(?:input|select|textarea)(?![^>]*type="(?:hidden|checkbox)")[^>]*\sid="([^"]+)"/g)].map((m) => m[1]!);
  expect(ids.length).toBeGreaterThan(0);
  const labelled = new Set([...html.matchAll(/<label[^>]*\sfor="([^"]+)"/g)].map((m) => m[1]!));
  expect(ids.filter((id) => !labelled.has(id))).toEqual([]);
  // And no inline scripts or styles: data travels as JSON, read by static scripts.
  expect(html).not.toMatch(/<script(?![^>]*(?:\ssrc=|type="application\/json"))[^>]*>/);
  expect(html).not.toMatch(/\sstyle="/);
  expect(html).not.toMatch(/\son[a-z]+="/);
}

function chartData(html: string): { id: string; datasets: { data: (number | null)[] }[] }[] {
  const m = /<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no chart data');
  return JSON.parse(m[1]!);
}

describe('home', () => {
  it('explains the simulator and shows every preset as a card', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('additionality');
    expect(res.text).toContain('href="/scenarios/new"');
    for (const card of presetCards()) {
      expect(res.text).toContain(`href="/presets/${card.id}"`);
      expect(res.text).toContain(`href="/scenarios/new?from=preset:${card.id}"`);
    }
    expect(res.text).toMatch(/<header[\s\S]*<nav aria-label="Main">[\s\S]*<main id="main"[\s\S]*<footer/);
  });

  it('sends a strict Content-Security-Policy and the usual headers', async () => {
    const res = await request(t.web.app).get('/');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'",
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['set-cookie']?.[0]).toMatch(/^cgf_csrf=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Strict$/);
  });
});

describe('scenario editor', () => {
  it('shows every group, the stage table and a label for every input', async () => {
    const res = await get('/scenarios/new');
    expect(res.status).toBe(200);
    for (const legend of ['Scenario', 'Fund', 'Guarantee product', 'Lender', 'Timing', 'SME stages', 'Moral hazard', 'Government support', 'Monte Carlo']) {
      expect(res.text).toContain(`<legend>${legend}</legend>`);
    }
    for (const stage of ['Founding', 'Growth', 'Maturity', 'Transformation']) expect(res.text).toContain(`<th scope="col">${stage}</th>`);
    for (const name of ['fund.initialCapital', 'guarantee.annualFee.0.rate', 'stages.transformation.loanSize', 'stages.growth.riskGrades.4.pd', 'stages.founding.collateral.0.ratio', 'monteCarlo.stress.0.shift', 'moralHazard.pdUpliftAtFullCoverage', 'timing.amortisation']) {
      expect(res.text).toContain(`name="${name}"`);
    }
    // The default preset, in the form's units: 80 % coverage, money with separators.
    expect(res.text).toMatch(/id="f-guarantee-coverageRatio" name="guarantee.coverageRatio" value="80"/);
    expect(res.text).toMatch(/id="f-fund-initialCapital" name="fund.initialCapital" value="250,000,000"/);
    expect(res.text).toContain('Allowed: 0 % to 100 %. Default: 30 %.');
    expect(res.text).toContain('formaction="/runs"');
    expectLabelled(res.text);
  });

  it('starts from a preset or a saved scenario', async () => {
    const res = await get('/scenarios/new?from=preset:japan-cgc');
    expect(res.text).toContain(`value="${preset('japan-cgc').name}"`);
    const saved = t.web.storage.scenarios.create(preset('uk-efg'));
    const copy = await get(`/scenarios/new?from=saved:${saved.id}`);
    expect(copy.text).toContain(`value="Copy of ${preset('uk-efg').name}"`);
    const edit = await get(`/scenarios/${saved.id}/edit`);
    expect(edit.status).toBe(200);
    expect(edit.text).toContain(`formaction="/scenarios/${saved.id}"`);
    expect(edit.text).toContain(`name="_scenarioId" value="${saved.id}"`);
    expect((await get('/scenarios/new?from=preset:atlantis')).status).toBe(404);
    expect((await get('/scenarios/nosuchid9/edit')).status).toBe(404);
  });
});

describe('results', () => {
  it.each(PRESET_IDS)('preset %s: indicators, charts with tables and downloads', async (id) => {
    const res = await get(`/presets/${id}`);
    expect(res.status).toBe(200);
    for (const indicator of ['capital', 'depletion', 'breakEvenFee', 'leverage', 'rationing', 'firms', 'additional', 'fiscalCost']) {
      expect(res.text).toContain(`id="indicator-${indicator}"`);
    }
    const charts = chartData(res.text);
    expect(charts.map((c) => c.id)).toEqual(['capital', 'leverage', 'rationing', 'flows', 'lending', 'collateralGap', 'cohortCost']);
    for (const c of charts) {
      expect(res.text).toContain(`data-chart="${c.id}"`);
      expect(res.text).toContain(`href="/presets/${id}/download/chart-${c.id}.csv"`);
      expect(c.datasets.some((d) => d.data.some((x) => x !== null))).toBe(true);
    }
    // The two Monte Carlo charts say how to get them.
    expect(res.text.match(/This chart needs a Monte Carlo run/g)).toHaveLength(2);
    expect(res.text).toContain(`href="/presets/${id}/download/result.json"`);
    expectLabelled(res.text);
  });

  it('formats numbers with separators and the scenario’s currency', async () => {
    const res = await get('/presets/thailand-tcg');
    expect(res.text).toMatch(/THB\s?[\d,]{5,}/);
    const usd = await get('/presets/default');
    expect(usd.text).toMatch(/\$\d{1,3}(,\d{3})+/);
  });

  it('downloads the whole result as JSON and CSV, and each chart as CSV', async () => {
    const json = await get('/presets/default/download/result.json');
    expect(json.status).toBe(200);
    expect(json.headers['content-disposition']).toMatch(/^attachment; filename="default-a-middle-of-the-road-national-fund\.json"$/);
    const body = JSON.parse(json.text);
    expect(body.scenario).toEqual(preset());
    expect(body.periods).toHaveLength(10);
    expect(body.runoff.length).toBeGreaterThan(0);
    expect(body.costing.cohorts).toHaveLength(10);
    expect(body.breakEvenFee.fee).toBeGreaterThan(0);
    expect(body.breakEvenFee.basis).toBe('lifetime');
    expect(Object.keys(body.breakEvenFees)).toEqual(['lifetime', 'lifetimeWithInvestmentIncome', 'horizon']);
    const csv = await get('/presets/default/download/result.csv');
    expect(csv.type).toBe('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^period,view,year,opening_capital,capital_injection,capital_calls,state_compensation,upfront_fees,annual_fees/);
    // The command line's ledger: amounts to the cent.
    for (const l of lines.slice(1)) expect(l.split(',')[3]).toMatch(/^-?\d+\.\d\d$/);
    expect(lines.filter((l) => l.includes(',horizon,'))).toHaveLength(10);
    expect(lines.filter((l) => l.includes(',run-off,')).length).toBeGreaterThan(0);
    expect(lines[1]).toMatch(/^Y1,horizon,1,250000000\.00,/);
    const chart = await get('/presets/default/download/chart-lending.csv');
    expect(chart.text.split('\r\n')[0]).toBe('Stage,Without the guarantee,With the guarantee scheme,Of which additional');
    expect(chart.text).toContain('Founding,');
    expect((await get('/presets/default/download/chart-netClaims.csv')).status).toBe(404);
    expect((await get('/presets/default/download/scenario.json')).body).toEqual(preset());
    expect((await get('/presets/default/download/passwords.txt')).status).toBe(404);
  });

  it('saved scenarios have a permalink with results', async () => {
    const saved = t.web.storage.scenarios.create({ ...preset('korea-kodit'), name: 'Permalinked' });
    const res = await get(`/scenarios/${saved.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Permalinked</h1>');
    expect(res.text).toContain(`href="/scenarios/${saved.id}/edit"`);
    expect((await get(`/scenarios/${saved.id}/download/result.csv`)).status).toBe(200);
  });

  it('escapes user text everywhere, chart data included', async () => {
    const evil = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';
    const saved = t.web.storage.scenarios.create({ ...preset(), name: evil, description: evil });
    for (const path of [`/scenarios/${saved.id}`, '/scenarios', `/scenarios/${saved.id}/edit`, `/compare?s=saved:${saved.id}&s=preset:default`]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('<img src=x');
      expect(res.text).not.toContain('<script>alert');
      expect(res.text).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    }
    const compare = await get(`/compare?s=saved:${saved.id}&s=preset:default`);
    expect(compare.text).toContain('\\u003cimg src=x onerror=alert(1)\\u003e\\u003c/script\\u003e');
  });
});

describe('Monte Carlo run pages', () => {
  it('shows progress and a cancel button while running, then every chart', async () => {
    const start = await t.agent.post('/api/v1/simulate/montecarlo').send({ scenario: smallScenario(), paths: 2000, seed: 5 });
    expect(start.status).toBe(202);
    const id = start.body.id as string;
    await until(() => gate.waiting === 1);
    gate.step(0.4);
    const running = await get(`/runs/${id}`);
    expect(running.status).toBe(200);
    expect(running.text).toMatch(/<progress id="run-progress" max="100" value="40">/);
    expect(running.text).toContain(`action="/runs/${id}/cancel"`);
    expect(running.text).toContain(`data-events="/api/v1/runs/${id}/events"`);
    expect(running.text).toContain('<noscript><meta http-equiv="refresh" content="3"></noscript>');
    expect(running.text).toContain('src="/static/js/run.js"');
    await gate.finish();
    await until(async () => !(await get(`/runs/${id}`)).text.includes('run-progress'));
    const done = await get(`/runs/${id}`);
    expect(chartData(done.text).map((c) => c.id)).toEqual(['capital', 'leverage', 'rationing', 'flows', 'lending', 'collateralGap', 'depletion', 'netClaims', 'cohortCost']);
    expect(done.text).toContain('Value at risk and expected shortfall');
    expect(done.text).toMatch(/id="indicator-depletion"[\s\S]*?<p class="value">[\d.]+ %<\/p>/);
    const csv = await get(`/runs/${id}/download/chart-netClaims.csv`);
    expect(csv.text.split('\r\n')[0]).toBe('from,to,paths,share');
    const all = await get(`/runs/${id}/download/result.csv`);
    expect(all.text.split('\r\n')[0]).toMatch(/,capital_p1,capital_p5,capital_p25,capital_p50,capital_p75,capital_p95,capital_p99$/);
  });

  it('a missing run is a 404 page; a run with a corrupt result is a 500 page without a stack trace', async () => {
    const missing = await get('/runs/nosuchrun1');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('There is no Monte Carlo run with that id.');
    const run = t.web.storage.runs.create({ scenario: smallScenario(), scenarioId: null, paths: 10, seed: 1 });
    t.web.storage.db.prepare(`UPDATE runs SET status = 'done', result_json = '{"paths": 10}' WHERE id = ?`).run(run.id);
    const broken = await get(`/runs/${run.id}`);
    expect(broken.status).toBe(500);
    expect(broken.text).toContain('Something went wrong on the server');
    expect(broken.text).not.toMatch(/TypeError|at \S+ \(|\.ts:\d+/);
  });
});

describe('saved scenarios list', () => {
  it('lists scenarios with rename, duplicate, delete and compare controls; flags unreadable rows', async () => {
    const saved = t.web.storage.scenarios.create({ ...preset(), name: 'Listed fund' });
    t.web.storage.db.prepare(`INSERT INTO scenarios (id, name, schema_version, json, created_at, updated_at) VALUES ('unreadable1', 'Garbled', 1, '{"x":1}', 'x', 'x')`).run();
    const res = await get('/scenarios');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`href="/scenarios/${saved.id}">Listed fund</a>`);
    expect(res.text).toContain(`action="/scenarios/${saved.id}/rename"`);
    expect(res.text).toContain(`action="/scenarios/${saved.id}/duplicate"`);
    expect(res.text).toContain(`href="/scenarios/${saved.id}/delete"`);
    expect(res.text).toContain(`value="saved:${saved.id}" form="compare-form"`);
    expect(res.text).toMatch(/Garbled<\/span> <span class="badge badge-bad">cannot be read<\/span>/);
    expect(res.text).toContain('href="/scenarios/unreadable1/delete"');
    expectLabelled(res.text);
    const page = await get('/scenarios/unreadable1');
    expect(page.status).toBe(422);
    expect(page.text).toContain('Saved scenario “Garbled” (unreadable1) cannot be read');
    expect(page.text).toContain('name: is required');
    t.web.storage.scenarios.delete('unreadable1');
  });
});

describe('compare', () => {
  it('offers four choices, then shows indicators with differences and overlaid charts', async () => {
    const empty = await get('/compare');
    expect(empty.status).toBe(200);
    expect(empty.text.match(/<select id="compare-\d" name="s">/g)).toHaveLength(4);
    expectLabelled(empty.text);
    const one = await get('/compare?s=preset:default');
    expect(one.text).toContain('Choose at least two scenarios.');
    const res = await get('/compare?s=preset:default&s=preset:korea-kodit&s=preset:us-sba-7a');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Cash fiscal cost per additional loan');
    expect(res.text).toContain('Economic cost, lifetime (PV)');
    expect(res.text).toMatch(/class="diff-(better|worse)"/);
    expect(res.text).toContain('(reference)');
    const charts = chartData(res.text);
    expect(charts.map((c) => c.id)).toEqual(['capital', 'leverage', 'netClaims', 'additional']);
    expect(charts[0]!.datasets).toHaveLength(3);
    const csv = await get('/compare/charts/capital.csv?s=preset:default&s=preset:korea-kodit');
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')[0]).toMatch(/^year,1\. .+,2\. .+$/);
    expect((await get('/compare?s=preset:default&s=preset:atlantis')).status).toBe(404);
  });
});

describe('errors and assets', () => {
  it('a friendly 404 page', async () => {
    const res = await get('/no/such/page');
    expect(res.status).toBe(404);
    expect(res.text).toContain('<h1>Page not found</h1>');
    expect(res.text).toContain('href="/"');
  });

  it('serves the scripts, styles and Chart.js from this server', async () => {
    for (const [path, type] of [['/static/js/charts.js', /javascript/], ['/static/js/run.js', /javascript/], ['/static/js/editor.js', /javascript/], ['/static/css/app.css', /^text\/css$/], ['/static/css/print.css', /^text\/css$/], ['/vendor/chart.umd.min.js', /javascript/]] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.type, path).toMatch(type);
    }
    expect((await get('/static/nothing.js')).status).toBe(404);
  });

  it('serves the model’s documentation and its sources, linked from every page, which the presets’ sources cite', async () => {
    for (const [path, heading] of [['/docs/model.md', '# How the model works'], ['/docs/sources.md', '# Sources']] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.type, path).toBe('text/plain');
      expect(res.text.startsWith(heading), path).toBe(true);
    }
    expect((await get('/docs/nothing.md')).status).toBe(404);
    const home = await get('/');
    expect(home.text).toContain('<a href="/docs/model.md">docs/model.md</a>');
    expect(home.text).toContain('<a href="/docs/sources.md">docs/sources.md</a>');
    const results = await get('/presets/uk-efg');
    expect(results.text).toContain('docs/sources.md §5.1');
    expect(results.text).not.toMatch(/DOMAIN\.md/);
  });
});
