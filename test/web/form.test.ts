import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/core/schema.ts';
import { PRESET_IDS, loadPreset } from '../../src/presets/index.ts';
import { editorModel } from '../../src/server/scenarios/editor.ts';
import { schemaInfo } from '../../src/server/forms/fields.ts';
import { formErrors, formToInput, scenarioToForm } from '../../src/server/forms/form.ts';
import { boundsText, formatForInput, parseFormNumber } from '../../src/server/forms/kit.ts';

describe('numbers in the form', () => {
  it.each([
    ['80', 'percent', 0.8],
    ['1.45', 'percent', 0.0145],
    ['2.9', 'percent', 0.029],
    ['0.375 %', 'percent', 0.00375],
    ['250,000,000', 'money', 250_000_000],
    ['1 000 000', 'money', 1_000_000],
    ['1_500.50', 'money', 1500.5],
    ['-0.5', 'sigma', -0.5],
    ['1e6', 'money', 1_000_000],
    ['.5', 'number', 0.5],
  ] as const)('%s (%s) reads as %s', (raw, unit, expected) => {
    expect(parseFormNumber(raw, unit)).toBe(expected);
  });

  it.each(['lots', '1,00', '12abc', '0x10', 'Infinity', '1,000,00'])('%s stays text, so the schema says it is not a number', (raw) => {
    expect(parseFormNumber(raw, 'money')).toBe(raw);
  });

  it('shows fractions as percentages and money with separators', () => {
    expect(formatForInput(0.0145, 'percent')).toBe('1.45');
    expect(formatForInput(0.029, 'percent')).toBe('2.9');
    expect(formatForInput(250_000_000, 'money')).toBe('250,000,000');
    expect(formatForInput(null, 'money')).toBe('');
  });

  it('states bounds in the form’s units', () => {
    expect(boundsText(0, 1, 'percent')).toBe('0 % to 100 %');
    expect(boundsText(0, 1e13, 'money')).toBe('0 or more');
    expect(boundsText(1, 30, 'years')).toBe('1 to 30');
  });
});

const parsed = (r: ReturnType<typeof parseScenario>): r is Extract<ReturnType<typeof parseScenario>, { ok: true }> => {
  expect(r.ok ? [] : r.issues).toEqual([]);
  return r.ok;
};

describe('scenario ⇄ form', () => {
  it.each(PRESET_IDS)('preset %s survives the round trip through the form unchanged', (id) => {
    const scenario = loadPreset(id);
    const values = scenarioToForm(scenario);
    const { input } = formToInput(values);
    const parsed = parseScenario(input);
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
    if (parsed.ok) expect(parsed.value).toEqual(scenario);
  });

  it('round-trips the costing settings, a discount curve, the timing conventions and the support rules', () => {
    const base = loadPreset('default');
    const scenario = parseScenario({
      ...base,
      timing: { ...base.timing, investmentIncomeExcludes: 'claims', newLoanRisk: 'fullPeriod', claimsInFirstYear: false, defaultBalance: 'afterInstalment' },
      costing: { discountRate: [{ years: 1, rate: 0.035 }, { years: 5, rate: 0.04 }, { years: 10, rate: 0.045 }], capitalCostRate: 0.05, breakEvenBasis: 'horizon', riskCapitalConfidence: 0.995 },
      support: { capitalCall: { triggerRatio: 0.05, targetRatio: 0.1, lagMonths: 6 }, stateLossSharing: { share: 0.5, threshold: 0.05, basis: 'year' }, feeSubsidy: null },
      fund: { ...base.fund, counterGuarantee: { share: 0.5, premiumRate: 0.002, capShareOfLending: 0.1 } },
      stages: { ...base.stages, growth: { ...base.stages.growth, repeatBorrowerShare: 0.3 } },
    });
    if (!parsed(scenario)) return;
    const values = scenarioToForm(scenario.value);
    // The curve reads as maturity: rate pairs, in percent.
    expect(values['costing.discountRate']).toBe('1: 3.5; 5: 4; 10: 4.5');
    const back = parseScenario(formToInput(values).input);
    expect(back.ok ? [] : back.issues).toEqual([]);
    if (back.ok) expect(back.value).toEqual(scenario.value);
  });

  it('reads one discount rate typed in percent, and names a bad curve point', () => {
    const values = { ...scenarioToForm(loadPreset('default')), 'costing.discountRate': '3.25' };
    const one = parseScenario(formToInput(values).input);
    expect(one.ok && one.value.costing.discountRate).toBe(0.0325);
    const bad = parseScenario(formToInput({ ...values, 'costing.discountRate': '5: 4; 1: 3' }).input);
    expect(bad.ok ? [] : bad.issues.map((i) => i.path)).toContain('costing.discountRate');
  });

  it('ignores blank list rows and maps issues back to the displayed row', () => {
    const values = scenarioToForm(loadPreset('default'));
    // Move the founding stage's grades to rows 1 and 3, leave row 2 blank, make row 3's PD bad.
    for (const k of Object.keys(values)) if (k.startsWith('stages.founding.riskGrades.')) delete values[k];
    values['stages.founding.riskGrades.mode'] = 'list';
    Object.assign(values, {
      'stages.founding.riskGrades.0.share': '50', 'stages.founding.riskGrades.0.pd': '5',
      'stages.founding.riskGrades.1.share': '', 'stages.founding.riskGrades.1.pd': '',
      'stages.founding.riskGrades.2.share': '50', 'stages.founding.riskGrades.2.pd': '150',
    });
    const form = formToInput(values);
    const grades = (form.input.stages as Record<string, { riskGrades: unknown[] }>).founding!.riskGrades;
    expect(grades).toEqual([{ share: 0.5, pd: 0.05 }, { share: 0.5, pd: 1.5 }]);
    const parsed = parseScenario(form.input);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const errors = formErrors(parsed.issues, form.rowMaps);
    expect(errors['stages.founding.riskGrades.2.pd']).toEqual(['Must be between 0 % and 100 %']);
  });

  it('puts a list-level issue on the list and keeps what was typed', () => {
    const values = scenarioToForm(loadPreset('default'));
    values['stages.growth.collateral.0.share'] = '10';
    values['fund.initialCapital'] = 'a lot';
    const form = formToInput(values);
    expect(form.values['fund.initialCapital']).toBe('a lot');
    const parsed = parseScenario(form.input);
    if (parsed.ok) throw new Error('should fail');
    const errors = formErrors(parsed.issues, form.rowMaps);
    expect(errors['stages.growth.collateral']).toEqual(['The collateral level shares must sum to 100 %']);
    expect(errors['fund.initialCapital']).toEqual(['Must be a number']);
    const model = editorModel(form.values, errors);
    expect(model.errorCount).toBe(2);
    expect(model.errorLinks.map((l) => l.id)).toEqual(['f-fund-initialCapital', 'f-stages-growth-collateral']);
  });

  it('reads the government’s support rules: a rule left blank is off, a rule filled in is on, a rule half filled in is an error beside its field', () => {
    const values = scenarioToForm(loadPreset('default'));
    for (const k of Object.keys(values)) expect(k.startsWith('support.') ? values[k] : '', k).toBe('');
    const off = parseScenario(formToInput(values).input);
    if (!off.ok) throw new Error(JSON.stringify(off.issues));
    expect(off.value.support).toEqual({ capitalCall: null, stateLossSharing: null, feeSubsidy: null });

    Object.assign(values, {
      'support.feeSubsidy.share': '100', 'support.feeSubsidy.loanYears': '2', 'support.feeSubsidy.stages': 'founding\ngrowth',
      'support.stateLossSharing.share': '50', 'support.stateLossSharing.threshold': '4.5', 'support.stateLossSharing.basis': 'year',
    });
    const on = parseScenario(formToInput(values).input);
    if (!on.ok) throw new Error(JSON.stringify(on.issues));
    expect(on.value.support.feeSubsidy).toEqual({ share: 1, loanYears: 2, fromYear: 1, toYear: 30, stages: ['founding', 'growth'] });
    expect(on.value.support.stateLossSharing).toEqual({ share: 0.5, threshold: 0.045, basis: 'year' });
    expect(on.value.support.capitalCall).toBeNull();

    values['support.capitalCall.targetRatio'] = '10';
    const form = formToInput(values);
    const half = parseScenario(form.input);
    if (half.ok) throw new Error('should fail');
    expect(Object.keys(formErrors(half.issues, form.rowMaps))).toEqual(['support.capitalCall.triggerRatio']);
  });

  it('reads lognormal risk grades and direct origination volumes', () => {
    const values = scenarioToForm(loadPreset('default'));
    Object.assign(values, {
      'stages.maturity.riskGrades.mode': 'lognormal',
      'stages.maturity.riskGrades.meanPd': '2',
      'stages.maturity.riskGrades.dispersion': '0.8',
      'stages.maturity.riskGrades.grades': '',
      'origination.mode': 'direct',
      'origination.volumes.founding': '1,000,000 2,000,000',
      'origination.volumes.growth': '500000',
      'origination.volumes.maturity': '0',
      'origination.volumes.transformation': '0; 10',
    });
    const parsed = parseScenario(formToInput(values).input);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.value.stages.maturity.riskGrades).toEqual({ distribution: 'lognormal', meanPd: 0.02, dispersion: 0.8, grades: 5 });
    expect(parsed.value.origination).toEqual({ mode: 'direct', volumes: { founding: [1e6, 2e6], growth: [5e5], maturity: [0], transformation: [0, 10] } });
  });

  it('takes help texts, bounds and defaults from the schema', () => {
    expect(schemaInfo('fund.recoveryRate')).toMatchObject({ minimum: 0, maximum: 1, default: 0.3, required: false });
    expect(schemaInfo('fund.initialCapital')).toMatchObject({ description: 'Capital the fund starts with', required: true });
    expect(schemaInfo('stages.growth.riskGrades.*.pd').description).toMatch(/probability of default/);
    const model = editorModel(scenarioToForm(loadPreset('default')));
    const recovery = model.groupsBefore.flatMap((g) => g.fields).find((f) => f.name === 'fund.recoveryRate')!;
    expect(recovery.unit).toBe('%');
    expect(recovery.value).toBe('30');
    expect(recovery.facts).toBe('Allowed: 0 % to 100 %. Default: 30 %.');
    expect(recovery.typical).toMatch(/10–40 %/);
  });
});
