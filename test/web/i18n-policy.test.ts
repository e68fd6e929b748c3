/**
 * The policy pages in other languages: every form, a running job, a job that ended early and
 * every kind of result, fetched in the pseudo-locale, show no English outside a translated
 * message (data aside); in Spanish they render and say so in their lang attribute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparisonBasis, compareBudget, leverageSentence, optionNotes, parseBudgetComparison } from '../../src/core/policy/index.ts';
import { english } from '../../src/i18n/index.ts';
import { InlinePolicyEngine } from '../../src/server/policy/engine.ts';
import { untranslated } from '../support/pseudo.ts';
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

/**
 * Data a page shows as it is: the comparison's name, typed by its author (the form's default
 * here), the parameter paths (codes such as microfinance.portfolioYield) beside their labels,
 * and the name of who started each analysis (the local administrator, 'local').
 */
const DATA: (string | RegExp)[] = ['The same budget, four ways', 'local', /(?<![\w/.-])(?:[a-z]+[A-Z][A-Za-z]*|[a-z][A-Za-z]*(?:\.[A-Za-z0-9]+)+)(?![\w/.-])/g];

/** Posts a form (in English) with the CSRF token of the page it comes from; returns the job's address. */
async function start(app: TestApp, page: string, fields: Record<string, string>): Promise<string> {
  const form = await app.agent.get(`${page}?lang=en`);
  const res = await app.agent.post(page).type('form').send({ _csrf: csrfToken(form.text), ...fields });
  expect(res.status).toBe(303);
  return redirectTo(res);
}

async function expectTranslated(app: TestApp, path: string): Promise<void> {
  const sep = path.includes('?') ? '&' : '?';
  const res = await app.agent.get(`${path}${sep}lang=qps`);
  expect(res.status, path).toBe(200);
  expect(res.text).toMatch(/<html lang="qps"/);
  expect(untranslated(res.text, DATA), path).toEqual([]);
  const es = await app.agent.get(`${path}${sep}lang=es`);
  expect(es.status, path).toBe(200);
  expect(es.text).toMatch(/<html lang="es"/);
  await app.agent.get('/?lang=en');
}

describe('the policy pages in the pseudo-locale', () => {
  it('translates the index and every form', async () => {
    for (const page of ['/policy', '/policy/budget', '/policy/tornado', '/policy/sweep', '/policy/search']) await expectTranslated(t, page);
    await expectTranslated(t, '/policy/budget?target.kind=explicit&scenario=preset:default&target.stage=growth');
    await expectTranslated(t, '/policy/tornado?scenario=preset:uk-efg');
  });

  it('translates a budget comparison with and without the Monte Carlo, and the index listing it', async () => {
    await expectTranslated(t, await start(t, '/policy/budget', { _monteCarlo: 'off', horizonYears: '4' }));
    await expectTranslated(t, await start(t, '/policy/budget', {
      _monteCarlo: 'on', 'monteCarlo.paths': '60', horizonYears: '3', 'microfinance.lendingMethod': 'group', 'revolvingFund.capacity': 'annual',
      'microfinance.funding': 'loan', 'revolvingFund.demandByYear': '20, 0, 50',
    }));
    await expectTranslated(t, await start(t, '/policy/budget', {
      _monteCarlo: 'off', 'target.kind': 'explicit', 'target.stage': 'growth', 'target.firmsPerYear': '200', 'target.applicantGrowthRate': '5',
      'target.loanSize': '5,000', 'target.tenorYears': '1', 'target.annualPd': '20', 'target.lossGivenDefault': '60', 'target.unservedShare': '90',
      'target.assetCorrelation': '12', horizonYears: '2',
    }));
    await expectTranslated(t, '/policy');
  });

  it('translates a tornado, with the sampling note of a probability of depletion', async () => {
    await expectTranslated(t, await start(t, '/policy/tornado', { indicator: 'depletion', paths: '20', 'parameters.2.path': '', 'parameters.3.path': '', 'parameters.4.path': '', 'parameters.5.path': '' }));
    await expectTranslated(t, await start(t, '/policy/tornado', { scenario: 'preset:uk-efg', indicator: 'capital', 'parameters.6.path': 'guarantee.coverageRatio' }));
  });

  it('formats a policy chart’s axes and tooltips in the page’s locale, as the results charts are', async () => {
    const job = await start(t, '/policy/tornado', { scenario: 'preset:uk-efg', indicator: 'capital' });
    // Waits for the job's end (an event polled, not a duration guessed), however busy the machine.
    await until(async () => !(await t.agent.get(job)).text.includes('id="run-progress"'), 50_000);
    const charts = (html: string) => JSON.parse(/<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { kind: string; locale: string }[];
    for (const [lang, locale] of [['es', 'es'], ['zh-CN', 'zh-CN'], ['en', 'en-US']] as const) {
      const [chart] = charts((await t.agent.get(`${job}?lang=${lang}`)).text);
      expect(chart).toMatchObject({ kind: 'tornado', locale });
    }
  });

  it('translates a sweep with its contour and a sweep without', async () => {
    await expectTranslated(t, await start(t, '/policy/sweep', { 'x.steps': '3', 'y.steps': '3', paths: '30', 'x.from': '60', 'y.to': '2.5' }));
    await expectTranslated(t, await start(t, '/policy/sweep', { 'x.steps': '2', 'y.steps': '2', indicator: 'capital', depletionTarget: '', 'y.path': 'fund.leverageCap', 'y.from': '5', 'y.to': '10' }));
  });

  it('translates a search that finds a point and one that finds none', async () => {
    await expectTranslated(t, await start(t, '/policy/search', { gridSteps: '3', refinements: '0', paths: '30', depletionTarget: '20' }));
    await expectTranslated(t, await start(t, '/policy/search', { scenario: 'preset:recession-stress', gridSteps: '2', refinements: '0', paths: '20', depletionTarget: '0', feeCeiling: '1' }));
  });

  it('translates the forms’ messages beside the fields they concern', async () => {
    const cases: [string, Record<string, string>][] = [
      ['/policy/budget', { budget: 'lots', horizonYears: '0', 'microfinance.portfolioYield': '150', 'target.firmsPerYear': '5' }],
      ['/policy/budget', { 'guaranteeFund.enabled': 'off', 'microfinance.enabled': 'off', 'revolvingFund.enabled': 'off', 'interestSubsidy.enabled': 'off' }],
      ['/policy/tornado', { 'parameters.6.path': 'fund.leverageCap', 'parameters.6.low': 'x', change: '0' }],
      ['/policy/sweep', { 'y.path': 'guarantee.coverageRatio', 'x.steps': 'many' }],
      ['/policy/search', { depletionTarget: '', feeCeiling: '200' }],
    ];
    for (const [page, fields] of cases) {
      const form = await t.agent.get(`${page}?lang=qps`);
      const res = await t.agent.post(page).type('form').send({ _csrf: csrfToken(form.text), ...fields });
      expect(res.status, page).toBe(422);
      expect(res.text).toMatch(/<html lang="qps"/);
      expect(untranslated(res.text, DATA), page).toEqual([]);
    }
    await t.agent.get('/?lang=en');
  });

  it('translates a running job and a cancelled one', async () => {
    const job = await start(gated, '/policy/sweep', {});
    await until(() => gate.waiting === 1);
    await expectTranslated(gated, job);
    const page = await gated.agent.get(job);
    await gated.agent.post(`${job}/cancel`).type('form').send({ _csrf: csrfToken(page.text) });
    await until(async () => (await gated.agent.get(job)).text.includes('This analysis was cancelled'));
    await expectTranslated(gated, job);
  });
});

describe('the policy forms’ numbers in the page’s locale', () => {
  it('shows numbers with the locale’s marks and reads them back the same way', async () => {
    const form = await t.agent.get('/policy/budget?lang=es');
    expect(form.text).toMatch(/name="budget" value="10\.000\.000"/);
    expect(form.text).toMatch(/name="monteCarlo\.cyclePersistence" value="0,5"/);
    const res = await t.agent.post('/policy/budget').type('form').send({
      _csrf: csrfToken(form.text), _monteCarlo: 'off', budget: '5.000.000', discountRate: '3,5', horizonYears: '2', 'interestSubsidy.enabled': 'off',
    });
    expect(res.status).toBe(303);
    const page = await t.agent.get(`${redirectTo(res)}?lang=en`);
    expect(page.text).toContain('<strong>€5,000,000</strong>');
    expect(page.text).toMatch(/discounted at 3\.5 % a year/);
    const sweep = await t.agent.get('/policy/sweep?lang=es');
    expect(sweep.text).toMatch(/name="y\.from" value="0,5"/);
    await t.agent.get('/?lang=en');
  });
});

describe('the core’s English sentences', () => {
  it('are the catalogue’s messages worded in English: the stored texts equal what a page writes in English', () => {
    const pct = (x: number, digits: number) => `${Number((x * 100).toFixed(digits))} %`;
    for (const group of [false, true]) {
      const parsed = parseBudgetComparison({
        name: 'Check', budget: 10_000_000, horizonYears: 1 + Number(group), currency: 'EUR', scenario: preset('startup-local-fund'), target: { kind: 'stage', stage: 'founding' },
        microfinance: { lendingMethod: group ? 'group' : 'individual', funding: group ? 'loan' : 'equity' }, revolvingFund: { capacity: group ? 'annual' : 'continuous' },
      });
      if (!parsed.ok) throw new Error('the comparison should parse');
      const r = compareBudget(parsed.value);
      const amount = (x: number) => `EUR ${x.toLocaleString('en', { maximumFractionDigits: 0 })}`;
      for (const o of r.options) expect(optionNotes(o.noteFacts, { amount, percent: pct }, english)).toEqual(o.notes);
      expect(comparisonBasis(r, pct, english)).toEqual(r.basis);
      const code = (x: number | null) => (x === null ? '—' : `EUR ${Math.round(x).toLocaleString('en')}`);
      const count = (x: number | null) => (x === null ? '—' : Math.round(x).toLocaleString('en'));
      if (r.leverage) expect(leverageSentence(r.leverage, { money: code, count }, english)).toBe(r.leverage.explanation);
    }
  });
});
