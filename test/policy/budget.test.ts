import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { budgetComparisonMonteCarlo, compareBudget, cycleFactors, microfinanceTerms, parseBudgetComparison, type BudgetComparison } from '../../src/core/policy/budget.ts';
import { comparisonFindings } from '../../src/core/policy/report.ts';
import { resolveTarget } from '../../src/core/policy/target.ts';
import { cents } from '../../src/core/money.ts';
import { project } from '../../src/core/projection.ts';
import { loadPreset } from '../../src/presets/index.ts';
import { revolvingHandTerms as h } from './support.ts';

const ok = <T>(r: { ok: true; value: T } | { ok: false; issues: unknown }): T => {
  if (!r.ok) throw new Error(`expected valid input: ${JSON.stringify(r.issues)}`);
  return r.value;
};

/** The example comparison shipped as a fixture; its `scenario` names a preset, as the CLI allows. */
function fixture(): BudgetComparison {
  const raw = JSON.parse(readFileSync(new URL('../../src/presets/comparisons/founding-stage-budget.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  return ok(parseBudgetComparison({ ...raw, scenario: loadPreset(raw.scenario as string) }));
}

/**
 * The revolving fund of revolving.test.ts reached through the comparison: an explicit target
 * (10 firms a year wanting 100,000 over 2 years, PD 10 %, LGD 50 %), no base scenario, so no
 * guarantee fund and every target firm counts as unserved by banks.
 */
const explicitInput = (extra: Record<string, unknown> = {}) => ({
  budget: h.capital,
  horizonYears: h.horizonYears,
  periodsPerYear: 1,
  discountRate: 0,
  target: { kind: 'explicit', firmsPerYear: h.demandByYear[0], loanSize: h.loanSize, tenorYears: h.tenorYears, annualPd: h.annualPd, lossGivenDefault: h.lossGivenDefault, assetCorrelation: 0 },
  guaranteeFund: { enabled: false },
  microfinance: { enabled: false },
  revolvingFund: { lendingRate: h.lendingRate, adminCostRate: h.adminCostRate, amortisation: 'linear' },
  ...extra,
});

describe('budget comparison through the revolving fund worked by hand', () => {
  /*
   * From revolving.test.ts: lent 1,000,000 + 570,000 + 783,900 + 708,453 + 763,628.31 =
   * 3,825,981.31 to 10 + 5.7 + 7.839 + 7.08453 + 7.6362831 = 38.2598131 firms, each a different
   * firm; money left 1,104,080.80. The lifetime view runs the last loans off in year 6 and ends
   * with 1,110,953.47 of cash, so at a 0 % discount rate the PV cost is −110,953.47 (the fund
   * grew): −2,900.00 per firm (−110,953.47 / 38.2598131) and −0.0290000 per unit of additional
   * credit (all of it additional without a base scenario).
   */
  const r = compareBudget(ok(parseBudgetComparison(explicitInput())));
  const rlf = r.options[0]!;

  it('has the one option enabled', () => {
    expect(r.options.map((o) => o.option)).toEqual(['revolvingFund']);
  });

  it('reports firms reached, loans made, credit volume and additional credit', () => {
    expect(rlf.firmsReached).toBeCloseTo(38.2598131, 9);
    expect(rlf.loansMade).toBeCloseTo(38.2598131, 9);
    expect(rlf.creditVolume.toFixed(2)).toBe('3825981.31');
    expect(rlf.additionalCredit.toFixed(2)).toBe('3825981.31');
    expect(rlf.years.map((y) => y.creditVolume.toFixed(2))).toEqual(['1000000.00', '570000.00', '783900.00', '708453.00', '763628.31']);
  });

  it('reports money left, budget used, PV cost, per firm and per unit of additional credit', () => {
    expect(rlf.valueLeftAtHorizon.toFixed(2)).toBe('1104080.80');
    expect(rlf.fiscalCost.toFixed(2)).toBe('-104080.80');
    expect(rlf.budgetUsed.toFixed(2)).toBe('1000000.00');
    expect(rlf.budgetUsedShare).toBe(1);
    expect(rlf.pvCost.toFixed(2)).toBe('-110953.47');
    expect(rlf.runOffYears).toBe(1);
    expect(rlf.pvCostPerFirm!.toFixed(2)).toBe('-2900.00');
    expect(rlf.pvCostPerUnitAdditionalCredit).toBeCloseTo(-0.0290000031, 9);
    expect(rlf.borrowerAllInRate).toBe(0.1);
  });

  /* At 4 %: 1,000,000 − 1,110,953.47 / 1.04⁶ = 121,997.34. */
  it('discounts at the comparison’s rate', () => {
    const at4 = compareBudget(ok(parseBudgetComparison(explicitInput({ discountRate: 0.04 })))).options[0]!;
    expect(at4.pvCost.toFixed(2)).toBe('121997.34');
  });

  it('says where each figure comes from', () => {
    const a = (p: string) => rlf.assumptions.find((x) => x.parameter === p)!;
    expect(a('revolvingFund.lendingRate')).toMatchObject({ value: 0.1, basis: 'input' });
    expect(a('revolvingFund.defaultRate')).toMatchObject({ value: 0.1, basis: 'derived' });
    expect(a('revolvingFund.loanSize')).toMatchObject({ value: 100_000, basis: 'derived' });
    expect(a('revolvingFund.costPerLoan')).toMatchObject({ value: 0, basis: 'illustrative' });
    expect(a('target.unservedShare')).toMatchObject({ value: 1, basis: 'illustrative' });
  });

  /* With no asset correlation the one-factor model's default rate is the PD on every path: the distribution collapses on the deterministic value. */
  it('Monte Carlo with zero correlation gives the deterministic value on every path', () => {
    const mc = budgetComparisonMonteCarlo(ok(parseBudgetComparison(explicitInput())), { paths: 50, seed: 3 });
    const d = mc.options[0]!;
    expect(d.option).toBe('revolvingFund');
    for (const p of d.percentiles) expect(p.value).toBeCloseTo(1_104_080.8, 1);
    expect(d.probabilityLosingHalf).toBe(0);
    expect(d.probabilityOfLoss).toBe(0);
  });
});

describe('budget comparison: MFI and subsidy without a base scenario', () => {
  /*
   * MFI equity path of microfinance.test.ts: demand 10,000,000 firms of 1,000, 1-year loans,
   * yield 26 %, opex 15 %, default 5 % all lost, no debt: equity 1,000,000 × 1.047^3 =
   * 1,147,730.82; fiscal cost −147,730.82.
   * Subsidy: no base scenario, so the bank serves the firms that are not unserved: 1 − 0.4 = 60 %
   * of them, and none is additional (a subsidy closes no collateral gap).
   */
  const input = {
    budget: 1_000_000,
    horizonYears: 3,
    periodsPerYear: 1,
    target: { kind: 'explicit', firmsPerYear: 10_000_000, loanSize: 1000, tenorYears: 1, annualPd: 0.05, lossGivenDefault: 1, assetCorrelation: 0, unservedShare: 0.4 },
    guaranteeFund: { enabled: false },
    microfinance: { operatingExpenseRatio: 0.15, operatingCostPerLoan: 0, maxDebtToEquity: 0, defaultRate: 0.05, repeatDefaultRate: 0.05, rejectionRate: 0, retentionRate: 1, amortisation: 'linear' },
    revolvingFund: { enabled: false },
    interestSubsidy: { enabled: true, bankRate: 0.12 },
  };
  const r = compareBudget(ok(parseBudgetComparison(input)));

  it('the MFI grows the budget by its retained earnings', () => {
    const mfi = r.options.find((o) => o.option === 'microfinance')!;
    expect(mfi.valueLeftAtHorizon.toFixed(2)).toBe('1147730.82');
    expect(mfi.fiscalCost.toFixed(2)).toBe('-147730.82');
    // 40 % of the lending is additional: 0.4 × 1,000,000 = 400,000 in year 1.
    expect(mfi.years[0]!.additionalCredit.toFixed(2)).toBe('400000.00');
    expect(mfi.borrowerAllInRate).toBe(0.26);
  });

  it('the subsidy reaches only firms banks serve anyway', () => {
    const sub = r.options.find((o) => o.option === 'interestSubsidy')!;
    expect(sub.additionalCredit.toFixed(2)).toBe('0.00');
    expect(sub.pvCostPerUnitAdditionalCredit).toBeNull();
    expect(sub.borrowerAllInRate).toBeCloseTo(0.09, 12);
    if (sub.option === 'interestSubsidy') expect(sub.detail.terms.loansPerYear).toBeCloseTo(6_000_000, 6);
  });
});

describe('budget comparison of the founding-stage fixture', () => {
  const c = fixture();
  const r = compareBudget(c);

  it('runs all four options on the same budget and horizon', () => {
    expect(r.options.map((o) => o.option)).toEqual(['guaranteeFund', 'microfinance', 'revolvingFund', 'interestSubsidy']);
    for (const o of r.options) {
      expect(o.years).toHaveLength(10);
      expect(o.fiscalCost.toFixed(2)).toBe(r.budget.minus(o.valueLeftAtHorizon).toFixed(2));
      if (o.firmsReached > 0) expect(o.pvCostPerFirm!.toFixed(2)).toBe(cents(o.pvCost.div(o.firmsReached)).toFixed(2));
      expect(o.pvCost.toFixed(2)).toBe(o.pvPaidIn.minus(o.pvReturned).toFixed(2));
      expect(o.firmsReached).toBeLessThanOrEqual(o.loansMade + 1e-9);
      expect(o.budgetUsedShare).toBeGreaterThanOrEqual(0);
      expect(o.budgetUsedShare).toBeLessThanOrEqual(1);
      expect(o.creditVolume.toFixed(2)).toBe(o.years.reduce((a, y) => a.plus(y.creditVolume), cents(0)).toFixed(2));
    }
  });

  it('capitalises the guarantee fund with the budget and guarantees founding-stage loans only', () => {
    const g = r.options[0]!;
    if (g.option !== 'guaranteeFund') throw new Error('expected the guarantee fund first');
    expect(g.detail.scenario.fund.initialCapital).toBe(10_000_000);
    expect(g.detail.scenario.fund.capitalInjections).toEqual([]);
    expect(g.detail.scenario.horizonYears).toBe(10);
    expect(g.detail.summary.firmsSupportedByStage.growth).toBe(0);
    expect(g.detail.summary.firmsSupportedByStage.maturity).toBe(0);
    expect(g.detail.summary.firmsSupportedByStage.founding).toBeGreaterThan(0);
    expect(g.years[0]!.valueLeft.toFixed(2)).toBe(g.detail.years[0]!.ledger.closing.toFixed(2));
  });

  it('Monte Carlo: a distribution per option, reproducible with the same seed, and stoppable', () => {
    const a = budgetComparisonMonteCarlo(c, { paths: 200, seed: 11 });
    const b = budgetComparisonMonteCarlo(c, { paths: 200, seed: 11 });
    expect(a).toEqual(b);
    expect(a.complete).toBe(true);
    expect(a.options.map((o) => o.option)).toEqual(['guaranteeFund', 'microfinance', 'revolvingFund', 'interestSubsidy']);
    for (const o of a.options) {
      const values = o.percentiles.map((p) => p.value);
      expect(values).toEqual([...values].sort((x, y) => x - y));
      expect(o.probabilityLosingHalf).toBeGreaterThanOrEqual(0);
      expect(o.probabilityLosingHalf).toBeLessThanOrEqual(o.probabilityOfLoss);
    }
    expect(a.options[3]!.deterministic).toBe(true);
    let polls = 0;
    const stopped = budgetComparisonMonteCarlo(c, { paths: 200, seed: 11, shouldStop: () => polls++ > 10 });
    expect(stopped.complete).toBe(false);
  });
});

describe('budget comparison input', () => {
  const issues = (input: unknown) => {
    const r = parseBudgetComparison(input);
    return r.ok ? [] : r.issues;
  };

  it('needs a base scenario for a stage target and for the guarantee fund', () => {
    expect(issues({ budget: 1e6, horizonYears: 5, target: { kind: 'stage', stage: 'founding' } })).toEqual([
      { path: 'scenario', message: 'is required when the target is a stage of the base scenario (or give the target explicitly)' },
      { path: 'scenario', message: 'is required for the guarantee fund option (or set guaranteeFund.enabled to false)' },
    ]);
  });

  it('needs a bank rate for the subsidy without a base scenario', () => {
    expect(issues(explicitInput({ interestSubsidy: { enabled: true } }))).toEqual([
      { path: 'interestSubsidy.bankRate', message: 'is required without a base scenario (whose lender model gives it otherwise)' },
    ]);
  });

  it('names each bad field', () => {
    expect(issues({ budget: 0, horizonYears: 2.5, periodsPerYear: 2, target: { kind: 'explicit', firmsPerYear: 10, loanSize: 1000, tenorYears: 1, annualPd: 1.5, lossGivenDefault: 0.5 }, microfinance: { portfolioYield: -0.1 } })).toEqual([
      { path: 'budget', message: 'must be more than 0' },
      { path: 'horizonYears', message: 'must be a whole number of years' },
      { path: 'periodsPerYear', message: 'must be 1, 4 or 12' },
      { path: 'target.annualPd', message: 'must be between 0 and 1 (a fraction: 0.8 = 80 %)' },
      { path: 'microfinance.portfolioYield', message: 'must be at least 0 (a fraction per year: 0.05 = 5 %)' },
    ]);
    expect(issues({ horizonYears: 2, target: { kind: 'sector' } })).toEqual([
      { path: 'budget', message: 'is required' },
      { path: 'target.kind', message: 'must have kind "stage" (a stage of the base scenario) or "explicit"' },
    ]);
  });

  it('needs at least one option', () => {
    expect(issues(explicitInput({ revolvingFund: { enabled: false } }))).toEqual([{ path: '(comparison)', message: 'enable at least one option' }]);
  });
});

describe('business-cycle factors', () => {
  /* AR(1) with φ = 0.5 and N(0, 1) margins: mean 0, variance 1, corr(Z₁, Z₂) = 0.5. 4,000 paths: standard errors ≈ 0.016 (mean), 0.022 (variance), 0.012 (correlation). */
  it('have the stationary AR(1) moments', () => {
    const n = 4000;
    let m1 = 0, m2 = 0, v1 = 0, v2 = 0, c12 = 0;
    const zs = Array.from({ length: n }, (_, p) => cycleFactors(9, p, 2, 0.5));
    for (const z of zs) { m1 += z[0]!; m2 += z[1]!; }
    m1 /= n; m2 /= n;
    for (const z of zs) { v1 += (z[0]! - m1) ** 2; v2 += (z[1]! - m2) ** 2; c12 += (z[0]! - m1) * (z[1]! - m2); }
    expect(Math.abs(m1)).toBeLessThan(0.07);
    expect(Math.abs(m2)).toBeLessThan(0.07);
    expect(Math.abs(v1 / n - 1)).toBeLessThan(0.09);
    expect(Math.abs(v2 / n - 1)).toBeLessThan(0.09);
    expect(Math.abs(c12 / Math.sqrt(v1 * v2) - 0.5)).toBeLessThan(0.05);
  });
});

describe('the microfinance option’s own product and clients', () => {
  const input = (microfinance: Record<string, unknown>) => ok(parseBudgetComparison({
    budget: 1_000_000, horizonYears: 3, periodsPerYear: 12, discountRate: 0,
    target: { kind: 'explicit', firmsPerYear: 300, loanSize: 30_000, tenorYears: 4, annualPd: 0.1, lossGivenDefault: 0.8, assetCorrelation: 0 },
    guaranteeFund: { enabled: false }, revolvingFund: { enabled: false }, microfinance,
  }));

  /* Individual lending keeps the rates; group lending with a 30 % reduction: 10 % × 0.7 = 7 % and 3 % × 0.7 = 2.1 %. */
  it('applies the group-lending reduction only to group lending', () => {
    const c = input({});
    const target = resolveTarget(c.target, undefined);
    const individual = microfinanceTerms(c, target);
    expect(individual.annualPd).toBeCloseTo(0.1, 12);
    expect(individual.repeatAnnualPd).toBeCloseTo(0.03, 12);
    const group = microfinanceTerms(input({ lendingMethod: 'group' }), target);
    expect(group.annualPd).toBeCloseTo(0.07, 12);
    expect(group.repeatAnnualPd).toBeCloseTo(0.021, 12);
  });

  it('lends its own microloan, not the target’s bank loan', () => {
    const c = input({});
    const t = microfinanceTerms(c, resolveTarget(c.target, undefined));
    expect(t.loanSize).toBe(1000);
    expect(t.tenorMonths).toBe(12);
    expect(microfinanceTerms(input({ loanSize: null }), resolveTarget(c.target, undefined)).loanSize).toBe(30_000);
  });

  /*
   * 300 applicants a year, 20 % turned away: 240 new clients a year, 720 over three years, each
   * counted once; with repeat loans the MFI makes more loans than it reaches firms.
   */
  it('counts distinct firms, not renewals', () => {
    const o = compareBudget(input({})).options[0]!;
    expect(o.firmsReached).toBeCloseTo(720, 6);
    expect(o.loansMade).toBeGreaterThan(o.firmsReached + 100);
    expect(o.years.map((y) => y.firmsReached)).toEqual([240, 240, 240].map((x) => expect.closeTo(x, 6)));
  });
});

describe('the comparison basis and its summary', () => {
  const c = fixture();
  const r = compareBudget(c);
  const f = {
    money: (x: number | null) => (x === null ? '—' : `EUR ${Math.round(x).toLocaleString('en')}`),
    count: (x: number | null) => (x === null ? '—' : Math.round(x).toLocaleString('en')),
    percent: (x: number | null, d = 2) => (x === null ? '—' : `${(x * 100).toFixed(d)} %`),
  };

  it('states the basis: distinct firms, the discount rate, the lifetime view, money left and budget used', () => {
    const text = r.basis.join(' ');
    expect(r.discountRate).toBe(0.04);
    expect(text).toMatch(/distinct firms/);
    expect(text).toMatch(/discounted at 4 % a year/);
    expect(text).toMatch(/runs off/);
    expect(text).toMatch(/Money left/);
    expect(text).toMatch(/budget used/);
  });

  it('never ranks an option without what it spent and whom it reached', () => {
    const findings = comparisonFindings(r, f);
    const ranking = findings.filter((x) => /the most|the least|the cheapest/.test(x));
    expect(ranking.length).toBeGreaterThanOrEqual(3);
    for (const x of ranking) {
      expect(x).toMatch(/reaches [\d,]+ firms?/);
      expect(x).toMatch(/uses EUR [\d,]+ of the EUR 10,000,000 budget at its peak \(\d+ %\)/);
      expect(x).toMatch(/consumes EUR -?[\d,]+ of public money in present value/);
    }
    // The subsidy: cheapest for borrowers, and the sentence says how little it spent and reached.
    const sub = r.options.find((o) => o.option === 'interestSubsidy')!;
    const line = findings.find((x) => x.startsWith('Interest subsidy'))!;
    expect(line).toMatch(/cheapest for borrowers/);
    expect(line).toContain(`reaches ${f.count(sub.firmsReached)} firms`);
    expect(line).toContain(`uses ${f.money(sub.budgetUsed.toNumber())} of the EUR 10,000,000 budget`);
    expect(sub.budgetUsedShare).toBeLessThan(0.1);
  });

  /*
   * The fixture: the guarantee fund (leverage cap 6) backs loans to more firms than the revolving
   * fund can lend to with the same EUR 10m, which runs out of cash in year 1: the leverage effect
   * shows. With EUR 1bn the revolving fund lends to every applicant (500 a year growing 3 %,
   * 5,731.94 over ten years) and reaches more firms than the guarantee, whose reach is set by
   * which firms banks lend to: no leverage effect is claimed.
   */
  it('shows the leverage effect when, and only when, the guarantee reaches more firms', () => {
    expect(r.leverage?.shown).toBe(true);
    expect(r.leverage!.guaranteeFirms).toBeGreaterThan(r.leverage!.directFirms);
    expect(r.leverage!.explanation).toMatch(/times as many firms through the guarantee/);
    const rich = compareBudget({ ...c, budget: 1_000_000_000 });
    const direct = rich.options.find((o) => o.option === 'revolvingFund')!;
    expect(direct.firmsReached).toBeCloseTo(500 * (1.03 ** 10 - 1) / 0.03, 6);
    expect(rich.leverage?.shown).toBe(false);
    expect(rich.leverage!.explanation).toMatch(/No leverage effect/);
    expect(comparisonFindings(rich, f).join(' ')).not.toMatch(/times as many firms through the guarantee/);
    expect(compareBudget({ ...c, revolvingFund: { ...c.revolvingFund, enabled: false } }).leverage).toBeNull();
  });

  /*
   * The guarantee fund's PV cost is the projection's lifetime costing at the comparison's rate:
   * the budget less the capital left when the last guarantee has run off, discounted from then.
   */
  it('costs the guarantee fund over its lifetime at the comparison’s discount rate', () => {
    const g = r.options.find((o) => o.option === 'guaranteeFund')!;
    if (g.option !== 'guaranteeFund') throw new Error('expected the guarantee fund');
    expect(g.detail.scenario.costing.discountRate).toBe(0.04);
    const p = project(g.detail.scenario);
    const rows = [...p.periods, ...p.runoff];
    const capitalAtEnd = rows[rows.length - 1]!.ledger.closing.toNumber();
    const years = rows.length / (g.detail.scenario.period === 'quarterly' ? 4 : 1);
    expect(g.runOffYears).toBeCloseTo(years - c.horizonYears, 12);
    expect(g.pvReturned.toNumber()).toBeCloseTo(capitalAtEnd / Math.pow(1.04, years), 1);
    expect(g.pvCost.toNumber()).toBeCloseTo(10_000_000 - capitalAtEnd / Math.pow(1.04, years), 1);
    expect(g.pvPaidIn.toFixed(2)).toBe('10000000.00');
  });
});
