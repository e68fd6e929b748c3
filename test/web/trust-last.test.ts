/**
 * The last of issue 15 without a browser: budget-form fields not in force are refused, not
 * ignored; empty fields say the same on every form.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InlinePolicyEngine } from '../../src/server/policy/engine.ts';
import { scenarioToForm } from '../../src/server/forms/form.ts';
import { project } from '../../src/core/projection.ts';
import { formatter, NEGATIVE_COST_NOTE } from '../../src/i18n/format.ts';
import { csrfToken, makeApp, preset, redirectTo, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(() => {
  t = makeApp({ policyEngine: new InlinePolicyEngine(), inlinePolicyWork: 500 });
});
afterAll(async () => {
  await t.close();
});

async function post(page: string, action: string, fields: Record<string, string>) {
  const form = await t.agent.get(page);
  return t.agent.post(action).type('form').send({ _csrf: csrfToken(form.text), ...fields });
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x3D;/g, '=').replace(/&amp;/g, '&').replace(/&#x27;/g, '’').replace(/&quot;/g, '"').replace(/\s+/g, ' ');
const EXPLICIT = ['firmsPerYear', 'applicantGrowthRate', 'loanSize', 'tenorYears', 'annualPd', 'lossGivenDefault', 'assetCorrelation'];
const NOT_USED = 'Not used while the target is a stage of the base scenario: choose “Firms described below” under “Target given as” to use it, or clear it';
const jobCount = () => t.agent.get('/policy').then((r) => (r.text.match(/href="\/policy\/jobs\/[^"/]+"/g) ?? []).length);

describe('budget comparison: target fields not in force (issue 15, item 4)', () => {
  it('with a stage as the target, the described-firm fields are blank, marked not in force, and the stage in force is spelled out', async () => {
    const res = await t.agent.get('/policy/budget');
    expect(res.status).toBe(200);
    for (const k of EXPLICIT) expect(res.text).toMatch(new RegExp(`id="b-target-${k}" name="target\\.${k}" value=""`));
    expect(res.text).toMatch(/<fieldset class="subgroup target-explicit not-in-force" id="b-target-explicit" data-scenario="preset:startup-local-fund" data-stage="founding"/);
    // The startup preset's founding stage: 500 firms growing 3 %, €30,000 over 4 years, mean PD 9 %, LGD 80 %, ρ 8 %.
    expect(text(res.text)).toContain('Not in force : the target is a stage of the base scenario — Founding stage of “Startup-focused local fund”: 500 firms a year, growing 3 % a year, loans of €30,000 over 4 years, PD 9 %, LGD 80 %, asset correlation 8 %.');
    // The script fills a switched form from the stage: values as typed in the fields.
    expect(res.text).toContain('data-fill="500"');
    expect(res.text).toContain('data-fill="30,000"');
    expect(res.text).toContain('src="/static/js/budget.js"');
  });

  it('what is typed there while a stage is the target is refused beside each field, kept, and nothing is run', async () => {
    const before = await jobCount();
    const res = await post('/policy/budget', '/policy/budget', {
      'target.kind': 'stage', 'target.firmsPerYear': '2000', 'target.annualPd': '20', 'target.loanSize': 'lots', _monteCarlo: 'off',
    });
    expect(res.status).toBe(422);
    for (const k of ['firmsPerYear', 'annualPd', 'loanSize']) {
      expect(res.text).toContain(`<p class="field-error" id="b-target-${k}-error"><span>${NOT_USED}</span>`);
    }
    expect(res.text).toMatch(/id="b-target-firmsPerYear" name="target\.firmsPerYear" value="2000"[^>]*aria-invalid="true"/);
    expect(res.text).toMatch(/id="b-target-loanSize" name="target\.loanSize" value="lots"/);
    expect(res.text).toMatch(/id="b-target-tenorYears" name="target\.tenorYears" value=""/);
    expect(res.text).toContain('<h2 id="error-summary-title">3 problems to fix</h2>');
    expect(await jobCount()).toBe(before);
  });

  it('left blank, they are not in the way; described firms are validated as fields in force', async () => {
    const ok = await post('/policy/budget', '/policy/budget', { 'target.kind': 'stage', ...Object.fromEntries(EXPLICIT.map((k) => [`target.${k}`, ''])), _monteCarlo: 'off' });
    expect(ok.status).toBe(303);
    const page = text((await t.agent.get(redirectTo(ok))).text);
    expect(page).toContain('founding-stage firms of the base scenario');
    const bad = await post('/policy/budget', '/policy/budget', {
      'target.kind': 'explicit', 'target.firmsPerYear': '', 'target.loanSize': 'lots', 'target.tenorYears': '4', 'target.annualPd': '120', 'target.lossGivenDefault': '80', _monteCarlo: 'off',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('<fieldset class="subgroup target-explicit" id="b-target-explicit"');
    expect(bad.text).toMatch(/id="b-target-firmsPerYear-error"><span>Is required<\/span>/);
    expect(bad.text).toMatch(/id="b-target-loanSize-error"><span>Must be a number<\/span>/);
    expect(bad.text).toMatch(/id="b-target-annualPd-error"><span>Must be between 0 % and 100 %<\/span>/);
    expect(text(bad.text)).toContain('In force: these numbers are the target firms.');
  });
});

/** Every field error on a page, as "id: message". */
const fieldErrors = (html: string) => [...html.matchAll(/<p class="field-error" id="([^"]+)-error">([\s\S]*?)<\/p>/g)].map((m) => `${m[1]}: ${m[2]!.replace(/<[^>]+>/g, '').trim()}`);

describe('an empty field says the same on every form (issue 15, smaller defects)', () => {
  it('the editor, whichever schema builder the field has', async () => {
    const res = await post('/scenarios/new', '/simulate', {
      ...scenarioToForm(preset()), 'fund.initialCapital': '', 'stages.founding.tenorYears': '', 'guarantee.coverageRatio': 'lots',
    });
    expect(res.status).toBe(422);
    expect(fieldErrors(res.text)).toEqual(expect.arrayContaining([
      'f-fund-initialCapital: Is required', 'f-stages-founding-tenorYears: Is required', 'f-guarantee-coverageRatio: Must be a number',
    ]));
  });

  it('the budget comparison, the sweep, the search and the capital for a target', async () => {
    const budget = await post('/policy/budget', '/policy/budget', { budget: '', horizonYears: '', 'microfinance.tenorMonths': '', 'monteCarlo.paths': 'many', _monteCarlo: 'on' });
    expect(budget.status).toBe(422);
    expect(fieldErrors(budget.text)).toEqual(expect.arrayContaining(['b-budget: Is required', 'b-horizonYears: Is required', 'b-monteCarlo-paths: Must be a number']));
    for (const kind of ['sweep', 'search']) {
      const form = await t.agent.get(`/policy/${kind}`);
      const names = [...form.text.matchAll(/<input type="text" id="[^"]+" name="([^"]+)"/g)].map((m) => m[1]!);
      const res = await post(`/policy/${kind}`, `/policy/${kind}`, Object.fromEntries(names.map((n) => [n, ''])));
      expect(res.status).toBe(422);
      const errors = fieldErrors(res.text);
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) expect(e).toMatch(/: Is required$/);
    }
    const capital = await t.agent.get('/policy/capital?scenario=preset:default&target=&paths=&seed=');
    expect(fieldErrors(capital.text)).toEqual(['capital-target: Is required', 'capital-paths: Is required']);
  });
});

describe('a negative cost is explained where it is shown (issue 15, smaller defects)', () => {
  /** The default fund at a 6 % annual fee: fees exceed claims and costs, so the public gains. */
  const profitable = () => {
    const s = preset();
    return { ...s, name: 'Profitable fund', guarantee: { ...s.guarantee, annualFee: [{ upTo: null, rate: 0.06 }] } };
  };

  it('on the results page: the indicator, the cost table and its note', async () => {
    const s = profitable();
    const p = project(s);
    const perLoan = p.summary.fiscalCostPerAdditionalLoan!.toNumber();
    expect(perLoan).toBeLessThan(0);
    const f = formatter(s.currency);
    const saved = t.web.storage.scenarios.create(s);
    const html = (await t.agent.get(`/scenarios/${saved.id}`)).text;
    const page = text(html);
    expect(page).toContain(`Cash fiscal cost per additional loan ${f.money(perLoan)} negative: a gain at the horizon, not a cost`);
    expect(page).toMatch(new RegExp(`Cash fiscal cost \\(undiscounted\\) ${f.money(p.costing.horizon.cashFiscalCost.toNumber()).replace(/[$.]/g, '\\$&')} \\(a gain\\)`));
    expect(page).toContain(NEGATIVE_COST_NOTE);
    // The default fund costs money: no such note.
    expect(text((await t.agent.get('/presets/default')).text)).not.toContain('(a gain)');
  });

  it('on the command line: a line under the costs says what the negative figures mean', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cgf-neg-')), 'profitable.json');
    writeFileSync(file, JSON.stringify(profitable()));
    const cli = new URL('../../src/cli/simulate.ts', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, file], { maxBuffer: 16 * 2 ** 20 });
    expect(stdout).toMatch(/per additional loan USD -[\d,]+\n {2}Economic cost over the lifetime[^\n]*\n {2}A negative cost is a gain, not an error/);
    const plain = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, new URL('../../src/presets/default.json', import.meta.url).pathname], { maxBuffer: 16 * 2 ** 20 });
    expect(plain.stdout).not.toContain('A negative cost is a gain');
  }, 60_000);

  it('on the compare page: the gain marked in its cell and explained under the table', async () => {
    const saved = t.web.storage.scenarios.create(profitable());
    const html = (await t.agent.get(`/compare?s=preset:default&s=saved:${saved.id}`)).text;
    expect(html).toMatch(/<th scope="row">Cash fiscal cost per additional loan<\/th><td class="">\$[\d,]+<\/td><td class="diff-better">-\$[\d,]+ \(a gain\)/);
    expect(html).toContain(`<p class="help" id="negative-cost-note">${NEGATIVE_COST_NOTE}</p>`);
    expect((await t.agent.get('/compare?s=preset:default&s=preset:korea-kodit')).text).not.toContain('negative-cost-note');
  });
});

describe('import of a scenario JSON file by upload (issue 15, smaller defects)', () => {
  /** Posts a file with the home page's form (its CSRF token first, as the browser sends it). */
  async function upload(name: string, content: string) {
    const home = await t.agent.get('/');
    expect(home.text).toContain('action="/import" enctype="multipart/form-data"');
    return t.agent.post('/import').field('_csrf', csrfToken(home.text)).attach('scenarioFile', Buffer.from(content), { filename: name, contentType: 'application/json' });
  }
  const savedNames = () => t.web.storage.scenarios.list().map((s) => s.name);

  it('a valid file is saved as a new scenario and opened, the same as the file', async () => {
    const s = { ...preset('korea-kodit'), name: 'Imported KODIT' };
    const res = await upload('kodit.json', JSON.stringify(s, null, 2));
    expect(res.status).toBe(303);
    const id = /^\/scenarios\/([^/?]+)\?flash=saved$/.exec(redirectTo(res))![1]!;
    expect(t.web.storage.scenarios.get(id)!.scenario).toEqual(s);
    expect((await t.agent.get(redirectTo(res))).text).toContain('<h1>Imported KODIT</h1>');
    // A result document (the results page's “Download JSON”) gives its scenario.
    const doc = await t.agent.get('/presets/default/download/result.json');
    const again = await upload('result.json', doc.text);
    expect(again.status).toBe(303);
    expect(t.web.storage.scenarios.get(/\/scenarios\/([^/?]+)/.exec(redirectTo(again))![1]!)!.scenario).toEqual(preset());
  });

  it('an invalid file is answered with every problem by field, and nothing is saved', async () => {
    const before = savedNames();
    const s = preset();
    const bad = { ...s, name: 'Bad import', guarantee: { ...s.guarantee, coverageRatio: 80 }, fund: { ...s.fund, initialCapital: 'lots' } };
    const res = await upload('bad.json', JSON.stringify(bad));
    expect(res.status).toBe(422);
    const page = text(res.text);
    expect(page).toContain('2 problems in “bad.json”: nothing was saved');
    expect(page).toContain('guarantee.coverageRatio : must be between 0 and 1 (a fraction: 0.8 = 80 %)');
    expect(page).toContain('fund.initialCapital : must be a number');
    expect(savedNames()).toEqual(before);
    const broken = await upload('broken.json', '{\n  "name": "x",\n  "fund": {,\n}');
    expect(broken.status).toBe(422);
    expect(text(broken.text)).toMatch(/\(file\) : is not valid JSON at line 3, column \d+/);
    const list = await upload('list.json', '[1, 2]');
    expect(text(list.text)).toContain('must hold one scenario');
    expect(savedNames()).toEqual(before);
  });

  it('refuses a post without the token, an empty choice and a file over 1 MB, saving nothing', async () => {
    const before = savedNames();
    const forged = await t.agent.post('/import').field('_csrf', 'nope').attach('scenarioFile', Buffer.from(JSON.stringify(preset())), 'x.json');
    expect(forged.status).toBe(403);
    const home = await t.agent.get('/');
    const none = await t.agent.post('/import').field('_csrf', csrfToken(home.text)).attach('scenarioFile', Buffer.alloc(0), 'empty.json');
    expect(none.status).toBe(422);
    expect(text(none.text)).toContain('Choose a scenario file (.json) to import.');
    const big = await upload('big.json', JSON.stringify({ ...preset(), description: 'x'.repeat(1024 * 1024 + 10) }));
    expect(big.status).toBe(413);
    expect(text(big.text)).toContain('is larger than 1 MB');
    const form = await t.agent.get('/import');
    const plain = await t.agent.post('/import').type('form').send({ _csrf: csrfToken(form.text) });
    expect(plain.status).toBe(400);
    expect(savedNames()).toEqual(before);
  });
});
