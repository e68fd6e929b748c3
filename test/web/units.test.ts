/**
 * Values typed in the other unit (issue 15, item 5): a fraction typed into a percentage field is
 * flagged, never refused, in the editor and on the results; error texts speak the form's unit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { project } from '../../src/core/projection.ts';
import { parseScenario } from '../../src/core/schema.ts';
import { PRESET_IDS } from '../../src/presets/index.ts';
import { formatter } from '../../src/i18n/format.ts';
import { inPercentTerms, plainNumbers, scenarioToForm } from '../../src/server/forms/form.ts';
import { LARGE_SHARE_FIELDS, unitHintForTyped } from '../../src/server/forms/unit-hints.ts';
import { freshToken, makeApp, preset, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(() => {
  t = makeApp();
});
afterAll(async () => {
  await t.close();
});

const formOf = (s = preset(), changes: Record<string, string> = {}) => ({ ...scenarioToForm(s), ...changes });
const post = async (path: string, fields: Record<string, string>) => {
  const token = await freshToken(t);
  return t.agent.post(path).type('form').send({ ...fields, _csrf: token });
};
const text = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, '’').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('which values look like fractions', () => {
  it('fields where every scheme uses large shares, and not fees or yields', () => {
    for (const name of ['guarantee.coverageRatio', 'fund.recoveryRate', 'guarantee.coverageByStage.founding', 'stages.growth.lgdBeforeCollateral', 'lender.collateralHaircut']) expect(LARGE_SHARE_FIELDS.has(name), name).toBe(true);
    for (const name of ['lender.operatingCost', 'fund.investmentYield', 'lender.fundingCost', 'fund.operatingCosts.shareOfOutstanding', 'stages.founding.riskGrades.meanPd']) expect(LARGE_SHARE_FIELDS.has(name), name).toBe(false);
  });

  it.each([
    ['0.8', '0.8 % — did you mean 80 %?'],
    ['0.75 %', '0.75 % — did you mean 75 %?'],
    ['1', '1 % — did you mean 100 %?'],
    ['.5', '0.5 % — did you mean 50 %?'],
  ])('coverage typed as %s is flagged', (typed, start) => {
    expect(unitHintForTyped('guarantee.coverageRatio', typed)).toMatch(new RegExp(`^${start.replace(/[.?%]/g, '\\$&')} This form takes percentages \\(80 means 80 %\\)\\. If `));
  });

  it.each(['80', '1.5', '0', '', 'lots', '-0.5'])('coverage typed as %j is not flagged', (typed) => {
    expect(unitHintForTyped('guarantee.coverageRatio', typed)).toBeNull();
  });

  it('a small cost or yield is one: not flagged', () => {
    expect(unitHintForTyped('lender.operatingCost', '0.8')).toBeNull();
    expect(unitHintForTyped('fund.investmentYield', '0.8')).toBeNull();
  });
});

describe('flagged, not refused', () => {
  it('coverage typed as 0.8 runs as 0.8 % and the results say “did you mean 80 %?”', async () => {
    const res = await post('/simulate', formOf(preset(), { 'guarantee.coverageRatio': '0.8' }));
    expect(res.status).toBe(200);
    const hints = /<div class="unit-hint" id="unit-hints" role="note">([\s\S]*?)<\/div>/.exec(res.text);
    expect(hints).not.toBeNull();
    expect(text(hints![1]!)).toContain('Coverage ratio: 0.8 % — did you mean 80 %?');
    expect(text(hints![1]!)).toContain('The results below use the values as they are.');
    // The run used 0.8 %: the additional lending shown is that of a coverage of 0.008.
    const p = preset();
    const parsed = parseScenario({ ...p, guarantee: { ...p.guarantee, coverageRatio: 0.008 } });
    if (!parsed.ok) throw new Error('bad scenario');
    const additional = project(parsed.value).summary.additionalLending.toNumber();
    expect(text(/id="indicator-additional"[\s\S]*?<\/li>/.exec(res.text)![0])).toContain(formatter('USD').money(additional));
  });

  it('the editor shows the hint beside the field, and names it for screen readers', async () => {
    const p = preset();
    const res = await post('/editor', { scenarioJson: JSON.stringify({ ...p, guarantee: { ...p.guarantee, coverageRatio: 0.008 } }) });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/id="f-guarantee-coverageRatio"[^>]*data-share-field="100"[^>]*aria-describedby="f-guarantee-coverageRatio-unit/);
    expect(res.text).toContain('<p class="unit-hint" id="f-guarantee-coverageRatio-unit">0.8 % — did you mean 80 %?');
  });

  it.each(PRESET_IDS)('preset %s: nothing flagged', async (id) => {
    const res = await t.agent.get(`/presets/${id}`);
    expect(res.text).not.toContain('id="unit-hints"');
    const editor = await t.agent.get(`/scenarios/new?from=preset:${id}`);
    expect(editor.text).not.toContain('class="unit-hint"');
  });
});

describe('error texts in the form’s unit', () => {
  it('shares that must sum to 1 are said to sum to 100 % on the form, and large amounts are written out', async () => {
    const res = await post('/simulate', formOf(preset(), { 'stages.founding.riskGrades.0.share': '50', 'fund.initialCapital': '1e20' }));
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="f-stages-founding-riskGrades-error"><span>The risk grade shares must sum to 100 %<\/span>/);
    expect(res.text).toMatch(/id="f-fund-initialCapital-error"><span>Must be at most 10,000,000,000,000<\/span>/);
    expect(res.text).not.toContain('1e+13');
    expect(res.text).toContain('value="1e20"');
  });

  it('the rewriting rules', () => {
    expect(inPercentTerms('the risk grade shares must sum to 1')).toBe('the risk grade shares must sum to 100 %');
    expect(inPercentTerms('the transition probabilities out of a stage must sum to at most 1')).toBe('the transition probabilities out of a stage must sum to at most 100 %');
    expect(inPercentTerms('must be between 0 and 1 (a fraction: 0.8 = 80 %)')).toBe('must be between 0 and 1');
    expect(inPercentTerms('must sum to 10 items')).toBe('must sum to 10 items');
    expect(plainNumbers('must be at most 1e+13')).toBe('must be at most 10,000,000,000,000');
    expect(plainNumbers('must be at most 2.5e+9')).toBe('must be at most 2,500,000,000');
  });
});
