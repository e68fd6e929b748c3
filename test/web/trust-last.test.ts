/**
 * The last of issue 15 without a browser: budget-form fields not in force are refused, not
 * ignored; empty fields say the same on every form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InlinePolicyEngine } from '../../src/server/policy-engine.ts';
import { scenarioToForm } from '../../src/server/form.ts';
import { csrfToken, makeApp, preset, type TestApp } from './helpers.ts';

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

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#x27;/g, '’').replace(/&quot;/g, '"').replace(/\s+/g, ' ');
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
    const page = text((await t.agent.get(ok.headers.location)).text);
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
