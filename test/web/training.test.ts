/**
 * The training section (exercises with scenarios to open, answers on demand with figures from
 * the core), the glossary (every linked term has an anchor) and the printable summaries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { project } from '../../src/core/projection.ts';
import { EXERCISES } from '../../src/training/exercises.ts';
import { GLOSSARY } from '../../src/training/glossary.ts';
import { formatter } from '../../src/i18n/format.ts';
import { InlinePolicyEngine } from '../../src/server/policy/engine.ts';
import { csrfToken, makeApp, preset, redirectTo, smallScenario, until, type TestApp } from './helpers.ts';

let t: TestApp;

beforeAll(() => {
  t = makeApp({ policyEngine: new InlinePolicyEngine(), inlinePolicyWork: 2000, inlinePaths: 300 });
});
afterAll(async () => {
  await t.close();
});

const get = (path: string) => t.agent.get(path);
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
const glossaryIds = new Set(GLOSSARY.map((e) => e.id));

/** Every link into the glossary on a page points at an entry. */
function expectGlossaryLinksResolve(html: string): number {
  const targets = [...html.matchAll(/href="\/glossary#([^"]+)"/g)].map((m) => m[1]!);
  expect(targets.filter((id) => !glossaryIds.has(id))).toEqual([]);
  return targets.length;
}

describe('the training section', () => {
  it('lists at least six exercises, each with its question and concepts', async () => {
    const res = await get('/training');
    expect(res.status).toBe(200);
    expect(EXERCISES.length).toBeGreaterThanOrEqual(6);
    for (const [i, ex] of EXERCISES.entries()) {
      expect(res.text).toContain(`<a href="/training/${ex.id}">Exercise ${i + 1}: ${ex.title.replace(/’/g, '’')}</a>`);
    }
    expectGlossaryLinksResolve(res.text);
  });

  it('gives every exercise its question, scenarios to open, steps, things to look for and a folded answer', async () => {
    for (const ex of EXERCISES) {
      const res = await get(`/training/${ex.id}`);
      expect(res.status, ex.id).toBe(200);
      const body = text(res.text);
      expect(body).toContain('The question');
      for (const v of ex.variants) {
        expect(res.text).toContain(`href="/training/${ex.id}/${v.id}" id="open-${v.id}"`);
        expect(res.text).toContain(`href="/training/${ex.id}/${v.id}/edit"`);
        expect(res.text).toContain(`href="/training/${ex.id}/${v.id}/summary"`);
      }
      expect(res.text).toMatch(/<details class="answer keep-closed" id="answer">\s*<summary>Show the answer<\/summary>/);
      expect(body).toContain('What to do');
      expect(body).toContain('What to look for');
      const answer = ex.answer();
      expect(answer.paragraphs.length).toBeGreaterThan(0);
      expect(body).toContain(text(answer.paragraphs[0]!).trim().slice(0, 60));
      expect(expectGlossaryLinksResolve(res.text)).toBeGreaterThanOrEqual(ex.concepts.length);
    }
  });

  it('quotes figures the core computes for the scenarios it opens', async () => {
    const res = await get('/training/moral-hazard');
    const ex = EXERCISES.find((e) => e.id === 'moral-hazard')!;
    const [at80, at100] = ex.variants.map((v) => project(v.build()).summary);
    const f = formatter('JPY');
    const body = text(res.text);
    expect(body).toContain(`rise from ${f.money(at80!.totalClaimsPaid.toNumber())} at 80 % coverage to ${f.money(at100!.totalClaimsPaid.toNumber())} at 100 %`);
    const fee = await get('/training/fee-below-break-even');
    const asIs = project(preset('default')).summary;
    expect(text(fee.text)).toContain(`At 1.5 % the fund ends with ${formatter('USD').money(asIs.closingCapital.toNumber())}`);
  });

  it('opens every scenario with one click: results with the exercise banner, an editor copy and a handout', async () => {
    for (const ex of EXERCISES) {
      for (const v of ex.variants) {
        const res = await get(`/training/${ex.id}/${v.id}`);
        expect(res.status, `${ex.id}/${v.id}`).toBe(200);
        expect(res.text).toContain('<p class="training-banner">');
        expect(res.text).toContain(`<a href="/training/${ex.id}">Back to the exercise</a>`);
        expect(res.text).toContain(`href="/training/${ex.id}/${v.id}/summary"`);
        expect(res.text).toContain('<script type="application/json" id="chart-data">');
      }
    }
    const edit = await get('/training/moral-hazard/coverage-100/edit');
    expect(edit.status).toBe(200);
    expect(edit.text).toMatch(/id="f-guarantee-coverageRatio" name="guarantee.coverageRatio" value="100"/);
    expect(edit.text).toMatch(/id="f-guarantee-coverageByStage-founding" name="guarantee.coverageByStage.founding" value=""/);
    const capped = await get('/training/loss-cap/uncapped/edit');
    expect(capped.text).toMatch(/name="guarantee.portfolioLossCap" value=""/);
    expect((await get('/training/loss-cap/nothing')).status).toBe(404);
    expect((await get('/training/nothing')).status).toBe(404);
  });

  it('opens the budget comparison pre-filled, or compares at once', async () => {
    const res = await get('/training/guarantee-vs-microfinance');
    const m = /href="(\/policy\/budget\?[^"]+)" id="open-budget"/.exec(res.text);
    expect(m).not.toBeNull();
    const form = await get(m![1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='));
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/<option value="preset:startup-local-fund" selected>/);
    expect(form.text).not.toMatch(/name="interestSubsidy\.enabled" value="on" checked/);
    const compare = await t.agent.post('/policy/budget').type('form').send({
      _csrf: csrfToken(res.text),
      ...Object.fromEntries([...res.text.matchAll(/<input type="hidden" name="([^"_][^"]*)" value="([^"]*)">/g)].map((x) => [x[1], x[2]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=')])),
    });
    expect(compare.status).toBe(303);
    await until(async () => (await get(redirectTo(compare))).text.includes('Side by side'));
  });
});

describe('the glossary', () => {
  it('has an anchor for every entry, and every link into it resolves', async () => {
    const res = await get('/glossary');
    expect(res.status).toBe(200);
    for (const e of GLOSSARY) expect(res.text).toContain(`id="${e.id}"`);
    for (const term of ['coverage-ratio', 'leverage', 'additionality', 'substitution', 'deadweight', 'collateral-gap', 'break-even-fee', 'depletion', 'value-at-risk',
      'expected-shortfall', 'self-sufficiency', 'loss-ratio', 'claims-ratio', 'pd', 'lgd', 'asset-correlation', 'moral-hazard', 'portfolio-loss-cap', 'counter-guarantee',
      'lock-in', 'fiscal-cost']) {
      expect(glossaryIds.has(term), term).toBe(true);
    }
    expectGlossaryLinksResolve(res.text);
  });

  it('is linked from the editor’s help texts, the results’ indicators and the policy forms', async () => {
    const editor = await get('/scenarios/new');
    expect(editor.text).toMatch(/<p class="help" id="f-guarantee-coverageRatio-help">[\s\S]*?<a class="term-link-text" href="\/glossary#coverage-ratio">Glossary: coverage ratio<\/a><\/p>/);
    expect(expectGlossaryLinksResolve(editor.text)).toBeGreaterThan(15);
    const results = await get('/presets/default');
    expect(results.text).toMatch(/id="indicator-breakEvenFee"[\s\S]*?href="\/glossary#break-even-fee"/);
    expect(expectGlossaryLinksResolve(results.text)).toBeGreaterThanOrEqual(6);
    for (const path of ['/policy/budget', '/policy/tornado', '/policy/sweep', '/policy/search']) {
      expect(expectGlossaryLinksResolve((await get(path)).text), path).toBeGreaterThan(0);
    }
  });
});

describe('the printable summary', () => {
  it('of a preset: the indicators of its results page, two charts, key parameters, the print stylesheet', async () => {
    const res = await get('/presets/uk-efg/summary');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<link rel="stylesheet" href="/static/css/summary-print.css" media="print">');
    const results = await get('/presets/uk-efg');
    for (const id of ['capital', 'breakEvenFee', 'leverage', 'firms', 'additional', 'fiscalCost']) {
      const value = new RegExp(`id="indicator-${id}">[\\s\\S]*?<p class="value">([^<]+)</p>`).exec(results.text)![1]!;
      expect(res.text).toMatch(new RegExp(`id="summary-indicator-${id}">[\\s\\S]*?<span class="value">${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</span>`));
    }
    const charts = JSON.parse(/<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(res.text)![1]!) as { id: string }[];
    expect(charts.map((c) => c.id)).toEqual(['summary-capital', 'summary-lending']);
    expect(text(res.text)).toContain('Portfolio loss cap 9.75 %');
    expect(results.text).toContain('<a class="button" href="/presets/uk-efg/summary">Printable summary</a>');
  });

  it('of a saved scenario and of a Monte Carlo run (with its probability of depletion)', async () => {
    const saved = await t.agent.post('/api/v1/scenarios').send(smallScenario());
    expect((await get(`/scenarios/${saved.body.id}/summary`)).status).toBe(200);
    const run = await t.agent.post('/api/v1/simulate/montecarlo').send({ scenario: smallScenario(), paths: 100, seed: 4 });
    expect(run.status).toBe(200);
    const res = await get(`/runs/${run.body.id}/summary`);
    expect(res.status).toBe(200);
    expect(text(res.text)).toContain('Monte Carlo 100 paths, seed 4');
    expect(res.text).toMatch(/id="summary-indicator-depletion">[\s\S]*?<span class="value">[\d.]+ %<\/span>/);
    expect((await get('/presets/nothing/summary')).status).toBe(404);
  });
});
