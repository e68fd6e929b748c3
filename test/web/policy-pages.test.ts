/**
 * The policy pages: forms (pre-filled, validation beside the field, CSRF), results pages with
 * the figures the core returns, charts with tables and CSV, jobs with progress and cancel.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  budgetComparisonMonteCarlo, compareBudget, parseBudgetComparison, parseTornadoSpec, tornado,
} from '../../src/core/policy/index.ts';
import { formatter } from '../../src/i18n/format.ts';
import { wilsonInterval } from '../../src/core/stats/intervals.ts';
import { InlinePolicyEngine } from '../../src/server/policy/engine.ts';
import { csrfToken, GatePolicyEngine, makeApp, preset, redirectTo, until, type TestApp } from './helpers.ts';

let t: TestApp;
let gated: TestApp;
let gate: GatePolicyEngine;

beforeAll(() => {
  t = makeApp({ policyEngine: new InlinePolicyEngine(), inlinePolicyWork: 500 });
  gate = new GatePolicyEngine();
  gated = makeApp({ policyEngine: gate, inlinePolicyWork: 0 });
});
afterAll(async () => {
  await t.close();
  await gated.close();
});

/** Every form control has a label; no inline scripts, styles or handlers. */
function expectLabelledAndClean(html: string): void {
  const ids = [...html.matchAll(/<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"/g)].map((m) => m[1]!);
  expect(ids.length).toBeGreaterThan(0);
  const labelled = new Set([...html.matchAll(/<label[^>]*\sfor="([^"]+)"/g)].map((m) => m[1]!));
  expect(ids.filter((id) => !labelled.has(id))).toEqual([]);
  expect(html).not.toMatch(/<script(?![^>]*(?:\ssrc=|type="application\/json"))[^>]*>/);
  expect(html).not.toMatch(/\sstyle="/);
  expect(html).not.toMatch(/\son[a-z]+="/);
}

/** No inline scripts, styles or handlers (results pages have no form fields). */
function expectClean(html: string): void {
  expect(html).not.toMatch(/<script(?![^>]*(?:\ssrc=|type="application\/json"))[^>]*>/);
  expect(html).not.toMatch(/\sstyle="/);
  expect(html).not.toMatch(/\son[a-z]+="/);
}

function chartData(html: string): { id: string; kind: string; datasets: { data: unknown[] }[]; extra: Record<string, unknown> | null }[] {
  const m = /<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no chart data');
  return JSON.parse(m[1]!);
}

/** Posts a form with the CSRF token of the page it comes from. */
async function post(app: TestApp, page: string, action: string, fields: Record<string, string>) {
  const form = await app.agent.get(page);
  return app.agent.post(action).type('form').send({ _csrf: csrfToken(form.text), ...fields });
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#x27;/g, '’').replace(/\s+/g, ' ');

describe('the policy index', () => {
  it('links the four analyses, and the header links every section', async () => {
    const res = await t.agent.get('/policy');
    expect(res.status).toBe(200);
    for (const href of ['/policy/budget', '/policy/tornado', '/policy/sweep', '/policy/search']) expect(res.text).toContain(`href="${href}"`);
    expect(res.text).toMatch(/<a href="\/policy" aria-current="page">Policy<\/a>/);
    for (const href of ['/training', '/glossary']) expect(res.text).toContain(`<a href="${href}">`);
  });
});

describe('the budget comparison form', () => {
  it('is pre-filled, labelled, with help texts that name their basis and link the glossary', async () => {
    const res = await t.agent.get('/policy/budget');
    expect(res.status).toBe(200);
    expectLabelledAndClean(res.text);
    expect(res.text).toMatch(/id="b-budget" name="budget" value="10,000,000"/);
    expect(res.text).toMatch(/<option value="preset:startup-local-fund" selected>/);
    expect(res.text).toMatch(/id="b-microfinance-portfolioYield" name="microfinance.portfolioYield" value="26"/);
    expect(text(res.text)).toContain('Sourced: median interest yield of profitable MFIs of about 26 %');
    expect(res.text).not.toMatch(/DOMAIN\.md|\.\.\/shared/);
    // The MFI's own product and clients, and the revolving fund's settings, are in the form.
    expect(res.text).toMatch(/id="b-microfinance-loanSize" name="microfinance.loanSize" value="1,000"/);
    expect(res.text).toMatch(/id="b-microfinance-tenorMonths" name="microfinance.tenorMonths" value="12"/);
    expect(res.text).toMatch(/<option value="individual" selected>/);
    expect(res.text).toMatch(/id="b-revolvingFund-demandByYear" name="revolvingFund.demandByYear" value=""/);
    expect(res.text).toMatch(/<option value="continuous" selected>/);
    expect(res.text).toMatch(/id="b-discountRate" name="discountRate" value="4"/);
    expect(res.text).toContain('href="/glossary#portfolio-yield"');
    for (const option of ['guaranteeFund', 'microfinance', 'revolvingFund', 'interestSubsidy']) {
      expect(res.text).toContain(`<input type="hidden" name="${option}.enabled" value="off">`);
      expect(res.text).toMatch(new RegExp(`name="${option}\\.enabled" value="on" checked`));
    }
  });

  it('takes its fields from the query, to open it pre-filled', async () => {
    const res = await t.agent.get('/policy/budget?budget=5,000,000&scenario=preset:default&target.stage=growth&interestSubsidy.enabled=off');
    expect(res.text).toMatch(/name="budget" value="5,000,000"/);
    expect(res.text).toMatch(/<option value="preset:default" selected>/);
    expect(res.text).toMatch(/<option value="growth" selected>/);
    expect(res.text).not.toMatch(/name="interestSubsidy\.enabled" value="on" checked/);
  });

  it('refuses a post without the CSRF token', async () => {
    const res = await request(t.web.app).post('/policy/budget').type('form').send({ budget: '1' });
    expect(res.status).toBe(403);
  });

  it('shows errors beside the fields, keeping what was typed', async () => {
    const res = await post(t, '/policy/budget', '/policy/budget', { budget: 'lots', 'microfinance.portfolioYield': '150', horizonYears: '0' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('<h2 id="error-summary-title">3 problems to fix</h2>');
    expect(res.text).toMatch(/id="b-budget" name="budget" value="lots"[^>]*aria-invalid="true"/);
    expect(res.text).toMatch(/<p class="field-error" id="b-budget-error"><span>Must be a number<\/span>/);
    expect(res.text).toMatch(/<p class="field-error" id="b-microfinance-portfolioYield-error"><span>Must be at most 100 %<\/span>/);
    expect(res.text).toMatch(/<p class="field-error" id="b-horizonYears-error"><span>Must be at least 1 year<\/span>/);
    expect(res.text).toContain('<a href="#b-budget">Budget: Must be a number</a>');
  });

  it('takes target firms described in the form', async () => {
    const res = await post(t, '/policy/budget', '/policy/budget', {
      'target.kind': 'explicit', 'target.stage': 'growth', 'target.firmsPerYear': '200', 'target.loanSize': '5,000', 'target.tenorYears': '1',
      'target.annualPd': '20', 'target.lossGivenDefault': '60', 'target.unservedShare': '90', _monteCarlo: 'off',
    });
    expect(res.status).toBe(303);
    const body = text((await t.agent.get(redirectTo(res))).text);
    expect(body).toContain('growth-stage firms (described in the comparison): 200 a year, loans of €5,000 over 1 year, PD 20 %, LGD 60 %; 90 % of them are not served by banks without support (input).');
    const bad = await post(t, '/policy/budget', '/policy/budget', { 'target.kind': 'explicit', 'target.annualPd': '120', 'target.firmsPerYear': '' });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/id="b-target-annualPd-error"><span>Must be between 0 % and 100 %<\/span>/);
    expect(bad.text).toMatch(/id="b-target-firmsPerYear-error"><span>Is required<\/span>/);
  });

  it('says when no option is enabled', async () => {
    const off = { 'guaranteeFund.enabled': 'off', 'microfinance.enabled': 'off', 'revolvingFund.enabled': 'off', 'interestSubsidy.enabled': 'off', _monteCarlo: 'off' };
    const res = await post(t, '/policy/budget', '/policy/budget', off);
    expect(res.status).toBe(422);
    expect(res.text).toContain('<li>Enable at least one option</li>');
  });

  it('takes the revolving fund’s demand series, capacity and costs, and the MFI’s lending method', async () => {
    const res = await post(t, '/policy/budget', '/policy/budget', {
      _monteCarlo: 'off', 'interestSubsidy.enabled': 'off', horizonYears: '4', 'revolvingFund.demandByYear': '20, 0, 50',
      'revolvingFund.capacity': 'annual', 'revolvingFund.adminCostFixedPerYear': '25,000', 'microfinance.lendingMethod': 'group', discountRate: '3',
    });
    expect(res.status).toBe(303);
    const page = text((await t.agent.get(redirectTo(res))).text);
    expect(page).toContain('Lending capacity is set once a year from the cash at the start of the year');
    expect(page).toContain('(group lending: 30 % below individual lending)');
    expect(page).toMatch(/discounted at 3 % a year/);
    const id = redirectTo(res).split('/').pop()!;
    const years = (await t.agent.get(`/policy/jobs/${id}/download/years.csv`)).text.split('\r\n').filter((l) => l.startsWith('revolvingFund,'));
    expect(years.map((l) => Number(l.split(',')[3]))).toEqual([20, 0, 50, 50]);
    const again = await t.agent.get(`/policy/budget?from=job:${id}`);
    expect(again.text).toMatch(/name="revolvingFund.demandByYear" value="20, 0, 50"/);
    const bad = await post(t, '/policy/budget', '/policy/budget', { 'revolvingFund.demandByYear': '20, lots' });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/id="b-revolvingFund-demandByYear-error"><span>Must be a number<\/span>/);
  });

  it('compares, redirects to the result, and shows the figures the core returns, with charts, assumptions and downloads', async () => {
    const res = await post(t, '/policy/budget', '/policy/budget', { _monteCarlo: 'off', 'interestSubsidy.enabled': 'off', horizonYears: '8' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/policy\/jobs\/[A-Za-z0-9_-]+$/);
    const page = await t.agent.get(redirectTo(res));
    expect(page.status).toBe(200);
    expectClean(page.text);
    const parsed = parseBudgetComparison({
      name: 'The same budget, four ways', budget: 10_000_000, horizonYears: 8, currency: 'EUR', scenario: preset('startup-local-fund'),
      target: { kind: 'stage', stage: 'founding' }, interestSubsidy: { enabled: false }, monteCarlo: { paths: 1000, seed: 42, cyclePersistence: 0.5 },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const core = compareBudget(parsed.value);
    const f = formatter('EUR');
    const body = text(page.text);
    for (const o of core.options) {
      expect(body).toContain(o.label);
      expect(body).toContain(f.count(o.firmsReached));
      expect(body).toContain(f.count(o.loansMade));
      expect(body).toContain(f.money(o.valueLeftAtHorizon.toNumber()));
      expect(body).toContain(`${f.money(o.budgetUsed.toNumber())} (${f.percent(o.budgetUsedShare, 0)})`);
      expect(body).toContain(f.money(o.pvCost.toNumber()));
      expect(body).toContain(f.money(o.pvCostPerFirm?.toNumber() ?? null));
    }
    // The basis is stated on the page; the summary says what each option spent and whom it reached.
    expect(body).toContain('One basis for every option');
    expect(body).toMatch(/discounted at 4 % a year/);
    expect(body).toContain('PV of the public money consumed (lifetime, at 4 %)');
    expect(body).toMatch(/reaches the most firms over 8 years[^.]*: it reaches [\d,]+ firms/);
    expect(body).toContain('times as many firms through the guarantee');
    expect(page.text).not.toContain('Risk of losing the budget');
    expect(chartData(page.text).map((c) => c.id)).toEqual(['valueLeft', 'firms', 'credit']);
    expect(body).toContain('Assumptions and their basis');
    expect(page.text).toContain('<span class="badge basis-sourced">Sourced</span>');
    expect(page.text).toContain('<span class="badge basis-input">Your input</span>');
    const id = redirectTo(res).split('/').pop()!;
    const csv = await t.agent.get(`/policy/jobs/${id}/download/chart-valueLeft.csv`);
    expect(csv.type).toBe('text/csv');
    expect(csv.text.split('\r\n')[0]).toBe('Year,Guarantee fund,Microfinance institution,Revolving loan fund,Half the budget');
    expect(csv.text.split('\r\n')[1]).toBe('Start,10000000,10000000,10000000,5000000');
    const summary = await t.agent.get(`/policy/jobs/${id}/download/table.csv`);
    expect(summary.text.split('\r\n')[0]).toBe('option,firms_reached,loans_made,credit_volume,additional_credit,borrower_all_in_rate,budget_used,budget_used_share,value_left_at_horizon,discount_rate,pv_cost,pv_cost_per_firm,pv_cost_per_unit_additional_credit');
    const years = await t.agent.get(`/policy/jobs/${id}/download/years.csv`);
    expect(years.text.split('\r\n')).toHaveLength(1 + 3 * 8 + 1);
    const json = await t.agent.get(`/policy/jobs/${id}/download/result.json`);
    expect(JSON.parse(json.text).result.comparison.options).toHaveLength(3);
    expect((await t.agent.get(`/policy/jobs/${id}/download/chart-nope.csv`)).status).toBe(404);
    // "Change the inputs" opens the form with them.
    const again = await t.agent.get(`/policy/budget?from=job:${id}`);
    expect(again.text).toMatch(/name="horizonYears" value="8"/);
    expect(again.text).not.toMatch(/name="interestSubsidy\.enabled" value="on" checked/);
  });

  it('with Monte Carlo, shows the spread of what is left and the probability of losing more than half', async () => {
    const res = await post(t, '/policy/budget', '/policy/budget', { 'monteCarlo.paths': '300', 'monteCarlo.seed': '8', horizonYears: '6' });
    expect(res.status).toBe(303);
    const page = await t.agent.get(redirectTo(res));
    const parsed = parseBudgetComparison({
      name: 'x', budget: 10_000_000, horizonYears: 6, currency: 'EUR', scenario: preset('startup-local-fund'), target: { kind: 'stage', stage: 'founding' },
    });
    if (!parsed.ok) throw new Error('parse');
    const mc = budgetComparisonMonteCarlo(parsed.value, { paths: 300, seed: 8 });
    const f = formatter('EUR');
    const m = /<table class="data-table compare-table" id="budget-mc">([\s\S]*?)<\/table>/.exec(page.text);
    expect(m).not.toBeNull();
    const row = /Probability of losing more than half[\s\S]*?<\/tr>/.exec(m![1]!)![0];
    for (const o of mc.options) expect(row).toContain(`<td>${f.percent(o.probabilityLosingHalf, 1)}</td>`);
    expect(chartData(page.text).map((c) => c.id)).toEqual(['valueLeft', 'firms', 'credit', 'distribution']);
  });
});

describe('the tornado page', () => {
  it('has a labelled form with rows of parameters', async () => {
    const res = await t.agent.get('/policy/tornado?scenario=preset:uk-efg');
    expect(res.status).toBe(200);
    expectLabelledAndClean(res.text);
    expect(res.text).toMatch(/<option value="preset:uk-efg" selected>/);
    expect(res.text).toContain('<option value="guarantee.portfolioLossCap">Portfolio loss cap</option>');
    expect(res.text).toMatch(/name="parameters\.0\.path"[\s\S]*?<option value="guarantee\.coverageRatio" selected>/);
  });

  it('names a bad row beside it', async () => {
    const res = await post(t, '/policy/tornado', '/policy/tornado', { 'parameters.6.path': 'fund.leverageCap', 'parameters.6.low': 'x', change: '0' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/<p class="field-error" id="tornado-parameters-6-low-error"><span>Must be a number<\/span>/);
    expect(res.text).toMatch(/<p class="field-error" id="tornado-change-error"><span>Must be more than 0<\/span>/);
  });

  it('draws a tornado with the bars the core computes, in the same order', async () => {
    const fields = { indicator: 'additionalLending', 'parameters.0.path': 'guarantee.coverageRatio', 'parameters.1.path': 'lender.requiredCollateralRatio', 'parameters.1.low': '100', 'parameters.1.high': '250', 'parameters.2.path': '', 'parameters.3.path': '', 'parameters.4.path': '', 'parameters.5.path': '' };
    const res = await post(t, '/policy/tornado', '/policy/tornado', fields);
    expect(res.status).toBe(303);
    const page = await t.agent.get(redirectTo(res));
    const spec = parseTornadoSpec({ indicator: 'additionalLending', change: 0.2, paths: 200, parameters: [{ path: 'guarantee.coverageRatio' }, { path: 'lender.requiredCollateralRatio', low: 1, high: 2.5 }] }, preset());
    if (!spec.ok) throw new Error('spec');
    const core = tornado(preset(), spec.value);
    const [chart] = chartData(page.text);
    expect(chart!.kind).toBe('tornado');
    expect(chart!.datasets[0]!.data).toEqual(core.bars.map((b) => b.atLow));
    expect(chart!.datasets[1]!.data).toEqual(core.bars.map((b) => b.atHigh));
    expect(chart!.extra!.base).toBe(core.baseValue);
    const f = formatter('USD');
    expect(text(page.text)).toContain(`Additional lending is ${f.money(core.baseValue)} with the scenario as it is.`);
    expect(text(page.text)).toContain('100 % → 250 %');
  });
});

describe('the sweep and search pages', () => {
  it('shows a small sweep at once, as a heat-map grid with the cells above the target marked', async () => {
    const res = await post(t, '/policy/sweep', '/policy/sweep', { 'x.steps': '3', 'y.steps': '3', paths: '30', 'x.from': '60', 'y.to': '2.5' });
    expect(res.status).toBe(303);
    const page = await t.agent.get(redirectTo(res));
    expect(page.status).toBe(200);
    const [chart] = chartData(page.text);
    expect(chart!.kind).toBe('heatmap');
    expect((chart!.extra!.grid as unknown[][]).length).toBe(3);
    expect(page.text).toMatch(/<table class="data-table heat-table">/);
    expect(page.text).toMatch(/<th scope="col">60 %<\/th><th scope="col">80 %<\/th><th scope="col">100 %<\/th>/);
    expect(text(page.text)).toMatch(/The black line is where the estimated probability of depletion crosses 5 %\. \d+ of 9 grid points are shown to keep it at or below the target/);
    // Every cell carries its 95 % Wilson interval at 30 paths: 0 of 30 → 0 % to 11.35 % (z² / (30 + z²)), which contains the 5 % target.
    expect(text(page.text)).toContain('Every probability of depletion comes from 30 simulated paths');
    const grid = chart!.extra!.grid as (number | null)[][];
    const notes = chart!.extra!.notes as (string | null)[][];
    grid.forEach((row, i) => row.forEach((v, j) => {
      const iv = wilsonInterval(Math.round(v! * 30), 30);
      const f = formatter('USD');
      expect(notes[i]![j]).toContain(`95 % interval ${f.percent(iv.lower, 2)} to ${f.percent(iv.upper, 2)} (30 paths)`);
      if (iv.lower > 0.05) expect(notes[i]![j]).toContain('above the target');
      else if (iv.upper > 0.05) expect(notes[i]![j]).toContain('cannot tell');
    }));
    if (grid.flat().includes(0)) expect(text(page.text)).toContain('0 % 0 %–11.4 % ?');
  });

  it('names a bad axis', async () => {
    const res = await post(t, '/policy/sweep', '/policy/sweep', { 'y.path': 'guarantee.coverageRatio', 'x.steps': 'many' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="sweep-x-steps-error"><span>Must be a number<\/span>/);
  });

  it('runs a large sweep as a job: a progress page that can cancel it', async () => {
    const res = await post(gated, '/policy/sweep', '/policy/sweep', {});
    expect(res.status).toBe(303);
    await until(() => gate.waiting === 1);
    const page = await gated.agent.get(redirectTo(res));
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<progress id="run-progress" max="100" value="25">/);
    expect(page.text).toContain(`data-events="/api/v1/policy/jobs/${redirectTo(res).split('/').pop()}/events"`);
    expect(page.text).toContain('<script src="/static/js/run.js" defer></script>');
    const cancel = await gated.agent.post(`${res.headers.location}/cancel`).type('form').send({ _csrf: csrfToken(page.text) });
    expect(cancel.status).toBe(303);
    await until(async () => (await gated.agent.get(redirectTo(res))).text.includes('This analysis was cancelled'));
  });

  it('shows the best coverage and fee, or says there is none', async () => {
    const res = await post(t, '/policy/search', '/policy/search', { gridSteps: '3', refinements: '0', paths: '30', depletionTarget: '20' });
    expect(res.status).toBe(303);
    const page = await t.agent.get(redirectTo(res));
    expect(text(page.text)).toMatch(/Best: coverage [\d.]+ % and an annual fee of [\d.]+ %\./);
    expect(chartData(page.text)[0]!.kind).toBe('scatter');
    const none = await post(t, '/policy/search', '/policy/search', { scenario: 'preset:recession-stress', gridSteps: '2', refinements: '0', paths: '20', depletionTarget: '0', feeCeiling: '1' });
    const nonePage = await t.agent.get(redirectTo(none));
    expect(text(nonePage.text)).toContain('No coverage and fee meet the limits.');
  });

  it('answers an unknown job with a 404 page', async () => {
    const res = await t.agent.get('/policy/jobs/nosuchjob1');
    expect(res.status).toBe(404);
    expect(res.text).toContain('There is no analysis with that id.');
  });
});
