/**
 * Guided exercises for training finance officials, built on the presets. Each exercise has a
 * question, the scenario variants to open with one click (built here from a preset with a few
 * changes, so they are always valid), what to change, what to look for in the charts, and an
 * answer whose figures are computed from the calculation core when the page is shown (and
 * memoised: the core is deterministic), so they stay true when the model or the presets change.
 */
import { runMonteCarlo } from '../core/montecarlo/run.ts';
import type { MonteCarloResult } from '../core/montecarlo/types.ts';
import { budgetComparisonMonteCarlo, compareBudget, leverageSentence, parseBudgetComparison, type BudgetComparisonInput } from '../core/policy/index.ts';
import { project } from '../core/projection.ts';
import { parseScenario, type Scenario } from '../core/schema.ts';
import { breakEvenFee } from '../core/solvers.ts';
import { intervalOfShare } from '../core/stats/intervals.ts';
import { loadPreset, type PresetId } from '../presets/index.ts';
import { formatter } from '../server/format.ts';

export interface Variant {
  /** In the address: /training/<exercise>/<variant>. */
  readonly id: string;
  readonly label: string;
  /** One line on what differs from the preset. */
  readonly note: string;
  readonly build: () => Scenario;
}

export interface Answer {
  readonly paragraphs: readonly string[];
  readonly table?: { readonly caption: string; readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[] };
}

/**
 * A number an exercise asks trainees to give, with the answer's own figure and how far a
 * given number may be from it and still be right: a stated tolerance for figures of the
 * expected case (which trainees read rounded), the sampling error for Monte Carlo estimates.
 */
export interface AskedNumber {
  /** The form field. */
  readonly id: string;
  readonly label: string;
  /** money in the scenario's currency, percent (typed in percent, kept as a share), count. */
  readonly unit: 'money' | 'percent' | 'count';
  readonly currency?: string;
  readonly value: number;
  /** Absolute, in the value's own units (a share for percent). */
  readonly tolerance: number;
  /** The tolerance in words, shown to trainees with the question. */
  readonly basis: string;
}

/** A figure of the expected case: within 1 % of the answer (trainees read it rounded). */
const expected = (id: string, label: string, unit: 'money' | 'count', value: number, currency?: string): AskedNumber =>
  ({ id, label, unit, value, tolerance: Math.abs(value) * 0.01, basis: 'within 1 % of the answer', ...(currency ? { currency } : {}) });
/** A rate of the expected case read to two decimals: within 0.01 percentage point. */
const expectedRate = (id: string, label: string, value: number): AskedNumber =>
  ({ id, label, unit: 'percent', value, tolerance: 0.0001, basis: 'within 0.01 percentage point of the answer' });

export interface Exercise {
  readonly id: string;
  readonly title: string;
  /** The question the trainees answer. */
  readonly question: string;
  /** Why it matters, in a sentence or two. */
  readonly context: string;
  /** Glossary entries to read first. */
  readonly concepts: readonly string[];
  readonly variants: readonly Variant[];
  /** The budget comparison page, pre-filled (form field names and values). */
  readonly budget?: { readonly label: string; readonly query: Readonly<Record<string, string>> };
  /** What to do, step by step. */
  readonly steps: readonly string[];
  /** What to look for in the charts and indicators. */
  readonly lookFor: readonly string[];
  /** The answer, with figures from the core. */
  readonly answer: () => Answer;
  /** The numbers trainees give when they submit the exercise in a class, from the answer's own figures. */
  readonly asks: () => readonly AskedNumber[];
  /** The steps ask for a Monte Carlo run of each variant: handouts carry it, with the suggested settings. */
  readonly monteCarlo?: boolean;
}

/** A preset with changes, validated again (a change the schema refuses is a bug caught by the tests). */
function variantOf(id: PresetId, name: string, change: (s: Scenario) => Scenario): Scenario {
  const parsed = parseScenario(change({ ...loadPreset(id), name }));
  if (!parsed.ok) throw new Error(`training variant ${name}: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return parsed.value;
}

const memo = <T>(f: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= f());
};

const withCoverage = (s: Scenario, coverage: number): Scenario => ({ ...s, guarantee: { ...s.guarantee, coverageRatio: coverage, coverageByStage: {} } });
const withFee = (s: Scenario, fee: number): Scenario => ({ ...s, guarantee: { ...s.guarantee, annualFee: [{ upTo: null, rate: fee }] } });

/**
 * The Monte Carlo settings an answer uses: those the exercise tells trainees to use, which are
 * the ones a variant's results page suggests (its own paths and seed). A trainee who keeps them
 * gets exactly the answer's figures; with another seed, figures within their sampling error.
 */
export interface TraineeSettings { readonly paths: number; readonly seed: number }
export const traineeSettings = (s: Scenario): TraineeSettings => ({ paths: s.monteCarlo.paths, seed: s.monteCarlo.seed });
const traineeRuns = new WeakMap<Scenario, MonteCarloResult>();
/** The run a trainee makes of a variant with the suggested settings (memoised: the core is deterministic). */
export function traineeRun(s: Scenario): MonteCarloResult {
  let mc = traineeRuns.get(s);
  if (!mc) {
    mc = runMonteCarlo(s, { ...traineeSettings(s), samplePaths: 0 });
    traineeRuns.set(s, mc);
  }
  return mc;
}

/** A probability estimated from paths, with its 95 % (Wilson) interval. */
const withInterval = (f: ReturnType<typeof formatter>, p: number, paths: number): string => {
  const iv = intervalOfShare(p, paths);
  return `${f.percent(p, 1)} (95 % interval ${f.percent(iv.lower, 1)} to ${f.percent(iv.upper, 1)})`;
};

/**
 * How far a trainee's run with another seed may fall from the answer's figure, 19 times in 20:
 * the two estimates are independent, so their difference has √2 times the standard error of one.
 */
export const runToRunMargin = (p: number, paths: number): number => 1.96 * Math.sqrt((2 * p * (1 - p)) / paths);

/** A probability from a trainee's run: within the run-to-run margin (and the half of 0.1 point it is shown rounded to). */
const simulated = (id: string, label: string, p: number, settings: TraineeSettings): AskedNumber => {
  const margin = runToRunMargin(p, settings.paths) + 0.0005;
  return { id, label, unit: 'percent', value: p, tolerance: margin, basis: `within its sampling error, ±${(margin * 100).toFixed(1)} percentage points (${settings.paths.toLocaleString('en')} paths)` };
};

/** The paragraph that tells trainees how their own run should compare. */
function reproduceParagraph(f: ReturnType<typeof formatter>, settings: TraineeSettings, probabilities: readonly number[]): string {
  const margin = Math.max(...probabilities.map((p) => runToRunMargin(p, settings.paths)));
  return `These probabilities come from ${f.count(settings.paths)} simulated cycles with seed ${settings.seed}, the settings the results page suggests: a run with them shows exactly these figures. They are estimates: the 95 % interval beside each is its sampling error. A run with another seed gives other figures, which 19 times in 20 differ from these by less than ${f.percent(margin, 1).replace(' %', ' percentage points')}.`;
}

const lastOf = <T>(xs: readonly T[]): T => xs[xs.length - 1]!;
const pctChange = (from: number, to: number) => (to - from) / Math.abs(from);

// ---------------------------------------------------------------------------------------------

const japan80 = memo(() => variantOf('japan-cgc', 'Japan CGC, 80 % coverage for every firm (training)', (s) => withCoverage(s, 0.8)));
const japan100 = memo(() => variantOf('japan-cgc', 'Japan CGC, 100 % coverage for every firm (training)', (s) => withCoverage(s, 1)));
const japan100NoHazard = memo(() => variantOf('japan-cgc', 'Japan CGC, 100 % coverage, no moral hazard (training)', (s) => ({ ...withCoverage(s, 1), moralHazard: { ...s.moralHazard, pdUpliftAtFullCoverage: 0 } })));

const moralRows = memo(() => [japan80(), japan100(), japan100NoHazard()].map((s) => ({ s, sum: project(s).summary, be: breakEvenFee(s) })));

const moralHazard: Exercise = {
  id: 'moral-hazard',
  title: 'Claims when coverage goes from 80 % to 100 %',
  question: 'Japan’s credit guarantee corporations covered 100 % of many loans until 2007, then cut most cover to 80 %. What happens to claims, and to the cost of the scheme, when coverage rises from 80 % to 100 %? How much of it is more lending, and how much is banks screening less?',
  context: 'A bank that carries none of the loss has little reason to screen and monitor its borrowers. That is moral hazard, and it is why most schemes cover 50–85 %.',
  concepts: ['coverage-ratio', 'moral-hazard', 'claims-ratio', 'break-even-fee'],
  variants: [
    { id: 'coverage-80', label: 'Japan CGC at 80 % coverage', note: 'The Japan CGC preset with 80 % coverage for every stage.', build: japan80 },
    { id: 'coverage-100', label: 'Japan CGC at 100 % coverage', note: 'The same fund with 100 % coverage for every stage (PD uplift at full cover as in the preset).', build: japan100 },
    { id: 'coverage-100-no-hazard', label: 'At 100 %, without moral hazard', note: '100 % coverage, but the PD uplift at full coverage set to 0: lenders screen as before.', build: japan100NoHazard },
  ],
  steps: [
    'Open the 80 % variant and note the headline indicators: firms supported, additional lending, fiscal cost per additional loan, break-even fee.',
    'Open the 100 % variant and compare the same indicators, then the fee income, claims and recoveries chart.',
    'Open the third variant (100 % without moral hazard) to separate the two effects: more loans, and riskier loans.',
    'Optional: in the editor, change the PD uplift at 100 % coverage (Moral hazard group) and run the projection again.',
  ],
  lookFor: [
    'The claims bars in “Fee income, claims and recoveries per year”: how much taller at 100 %?',
    'Guaranteed lending rises too: compare claims per unit guaranteed, not only claims.',
    'The break-even fee: the fee the fund would need to charge to pay its way.',
  ],
  asks: () => {
    const [a, b] = moralRows();
    const cur = a!.s.currency;
    const be = b!.be.fee;
    return [
      expected('claims80', 'Claims paid over ten years at 80 % coverage', 'money', a!.sum.totalClaimsPaid.toNumber(), cur),
      expected('claims100', 'Claims paid over ten years at 100 % coverage', 'money', b!.sum.totalClaimsPaid.toNumber(), cur),
      ...(be !== null ? [expectedRate('breakEven100', 'Break-even annual fee at 100 % coverage', be)] : []),
    ];
  },
  answer: memo(() => {
    const s80 = japan80();
    const f = formatter(s80.currency);
    const rows = moralRows();
    const [a, b, c] = rows as [typeof rows[0], typeof rows[0], typeof rows[0]];
    const claims = (r: typeof a) => r.sum.totalClaimsPaid.toNumber();
    const guaranteed = (r: typeof a) => r.sum.guaranteedLending.toNumber();
    const rate = (r: typeof a) => claims(r) / guaranteed(r);
    const fee = (r: typeof a) => ('fee' in r.be && r.be.fee !== null ? f.percent(r.be.fee, 2) : 'none');
    const hazardShare = (claims(b) - claims(c)) / (claims(b) - claims(a));
    return {
      paragraphs: [
        `Claims paid over ten years rise from ${f.money(claims(a))} at 80 % coverage to ${f.money(claims(b))} at 100 %, up ${f.percent(pctChange(claims(a), claims(b)), 0)}. Guaranteed lending rises only ${f.percent(pctChange(guaranteed(a), guaranteed(b)), 0)}, so claims per unit guaranteed go from ${f.percent(rate(a), 2)} to ${f.percent(rate(b), 2)}.`,
        `Without moral hazard, 100 % coverage would bring claims of ${f.money(claims(c))}: about ${f.percent(hazardShare, 0)} of the increase comes from lenders screening less, the rest from the extra loans full cover makes possible (and from the fund paying the whole loss instead of 80 % of it).`,
        `The fiscal cost goes from ${f.money(a.sum.fiscalCost.toNumber())} to ${f.money(b.sum.fiscalCost.toNumber())}, and the break-even fee from ${fee(a)} to ${fee(b)}. This is the lesson of Japan’s 2007 reform: partial cover keeps the lender’s stake in every loan.`,
      ],
      table: {
        caption: 'The three variants (expected case, ten years)',
        columns: ['Variant', 'Guaranteed lending', 'Claims paid', 'Claims per unit guaranteed', 'Fiscal cost', 'Break-even fee'],
        rows: rows.map((r, i) => [moralHazard.variants[i]!.label, f.money(guaranteed(r)), f.money(claims(r)), f.percent(rate(r), 2), f.money(r.sum.fiscalCost.toNumber()), fee(r)]),
      },
    };
  }),
};

// ---------------------------------------------------------------------------------------------

const defaultFund = memo(() => loadPreset('default'));
const defaultBreakEven = memo(() => {
  const be = breakEvenFee(defaultFund());
  if (be.fee === null) throw new Error('the default preset has no break-even fee');
  return be.fee;
});
/** The break-even fee rounded up to 0.05 percentage point: a fee a scheme could publish. */
const roundedBreakEven = () => Math.ceil(defaultBreakEven() * 2000) / 2000;
const feeAtBreakEven = memo(() => variantOf('default', 'Default fund, fee at break-even (training)', (s) => withFee(s, roundedBreakEven())));
const feeHalf = memo(() => variantOf('default', 'Default fund, half the fee (training)', (s) => withFee(s, s.guarantee.annualFee[0]!.rate / 2)));

const feeRows = memo(() => [defaultFund(), feeHalf(), feeAtBreakEven()].map((s) => ({ s, sum: project(s).summary })));

const breakEven: Exercise = {
  id: 'fee-below-break-even',
  title: 'Why a fee below break-even drains the fund',
  question: 'The default fund charges 1.5 % a year. Its results page shows a break-even fee. What happens to the fund’s capital over ten years at the fee it charges, at half of it, and at the break-even fee?',
  context: 'Fees are the fund’s income; claims and costs its outgoings. When the fee is below what the risk costs, the difference is paid from capital, year after year: a subsidy that is easy to miss because nothing is spent at the start.',
  concepts: ['break-even-fee', 'fiscal-cost', 'self-sufficiency', 'guarantee-fee'],
  variants: [
    { id: 'as-is', label: 'Default fund at its 1.5 % fee', note: 'The default preset as it is.', build: defaultFund },
    { id: 'half-fee', label: 'Default fund at half the fee', note: 'The annual fee halved.', build: feeHalf },
    { id: 'break-even', label: 'Default fund at the break-even fee', note: 'The annual fee set to the break-even fee, rounded up to 0.05 point.', build: feeAtBreakEven },
  ],
  steps: [
    'Open the fund at its own fee and read the break-even fee indicator.',
    'Open the half-fee variant, then the break-even variant, and compare capital at the horizon and the fiscal cost.',
    'In the editor, try your own fee in the Guarantee product group (annual fee brackets) and run the projection.',
  ],
  lookFor: [
    '“Fund capital over time”: a steady fall at a fee below break-even, a flat line at break-even.',
    '“Fee income, claims and recoveries per year”: fee bars against claim bars once claims start in year 2.',
    'The fiscal cost per additional loan: what each additional loan costs the budget at each fee.',
  ],
  asks: () => [
    expectedRate('breakEven', 'Break-even annual fee of the default fund', defaultBreakEven()),
    expected('capitalAsIs', 'Capital at the horizon at the 1.5 % fee', 'money', feeRows()[0]!.sum.closingCapital.toNumber(), feeRows()[0]!.s.currency),
    expected('capitalHalf', 'Capital at the horizon at half the fee', 'money', feeRows()[1]!.sum.closingCapital.toNumber(), feeRows()[1]!.s.currency),
  ],
  answer: memo(() => {
    const rows = feeRows();
    const f = formatter(rows[0]!.s.currency);
    const putIn = rows[0]!.sum.initialCapital.toNumber() + rows[0]!.sum.totalInjections.toNumber();
    const [asIs, half, be] = rows as [typeof rows[0], typeof rows[0], typeof rows[0]];
    return {
      paragraphs: [
        `The break-even annual fee is ${f.percent(defaultBreakEven(), 2)}. At 1.5 % the fund ends with ${f.money(asIs.sum.closingCapital.toNumber())} of the ${f.money(putIn)} put in: a fiscal cost of ${f.money(asIs.sum.fiscalCost.toNumber())}, or ${f.money(asIs.sum.fiscalCostPerAdditionalLoan?.toNumber() ?? null)} per additional loan.`,
        `At half the fee it ends with ${f.money(half.sum.closingCapital.toNumber())}; at ${f.percent(roundedBreakEven(), 2)} (break-even, rounded up) with ${f.money(be.sum.closingCapital.toNumber())}. Lending and claims are the same in all three: only the fee changes who pays for the losses, the borrowers or the budget.`,
        `So the fee below break-even is a subsidy to borrowers paid out of the fund’s capital. It may be a sound policy choice, but it should be a choice: the fund will need new capital when the subsidy has used up the buffer.`,
      ],
      table: {
        caption: 'The default fund at three annual fees (expected case, ten years)',
        columns: ['Annual fee', 'Capital at the horizon', 'Fiscal cost', 'Self-sufficiency'],
        rows: rows.map((r) => [f.percent(r.s.guarantee.annualFee[0]!.rate, 2), f.money(r.sum.closingCapital.toNumber()), f.money(r.sum.fiscalCost.toNumber()), f.percent(r.sum.selfSufficiency, 0)]),
      },
    };
  }),
};

// ---------------------------------------------------------------------------------------------

const LEVERAGE_STEPS = [
  { id: 'capital-250m', capital: 250e6, cap: 10 },
  { id: 'capital-125m', capital: 125e6, cap: 20 },
  { id: 'capital-62m', capital: 62.5e6, cap: 40 },
] as const;

const leverageVariants = LEVERAGE_STEPS.map((v) => memo(() => variantOf('default', `Default fund, capital ${formatter('USD').moneyShort(v.capital)}, leverage cap ${v.cap}× (training)`, (s) => ({
  ...s, fund: { ...s.fund, initialCapital: v.capital, leverageCap: v.cap, minCapitalRatio: Math.min(s.fund.minCapitalRatio, 1 / v.cap) },
}))));

const leverageRows = memo(() => leverageVariants.map((build) => {
  const s = build();
  const sum = project(s).summary;
  const settings = traineeSettings(s);
  const mc = traineeRun(s);
  return { s, sum, settings, depletion: lastOf(mc.probabilityOfDepletion) };
}));

const leverage: Exercise = {
  monteCarlo: true,
  id: 'leverage',
  title: 'Leverage and the probability of depletion',
  question: 'The same guarantees can be backed by more or less capital. What happens to the probability that the fund runs out of money when the default fund backs its book with half, then a quarter, of its capital (raising the leverage cap so it can)?',
  context: 'Leverage is what makes a guarantee fund cheap: each unit of capital backs several units of loans. It is also what makes it fragile: a bad cycle’s claims are measured against a thinner buffer.',
  concepts: ['leverage', 'depletion', 'monte-carlo', 'capital-adequacy'],
  variants: LEVERAGE_STEPS.map((v, i) => ({
    id: v.id,
    label: `Capital ${formatter('USD').moneyShort(v.capital)}, cap ${v.cap}×`,
    note: `The default fund with ${formatter('USD').money(v.capital)} of capital and a leverage cap of ${v.cap}×.`,
    build: leverageVariants[i]!,
  })),
  steps: [
    'Open each variant and read leverage at the horizon and its peak, in the indicators and the “Leverage against the cap” chart.',
    'On each results page, run a Monte Carlo simulation with the settings the page suggests (2,000 paths, seed 42) and read the probability of depletion.',
    'Compare the “Probability of depletion by year” charts: when does the risk appear, and how fast does it grow?',
  ],
  lookFor: [
    'The leverage line climbing towards its cap as capital thins.',
    'The capital fan after a Monte Carlo run: how much of it falls below zero.',
    'Firms supported: with enough leverage room the outreach barely changes — only the risk does.',
  ],
  asks: () => leverageRows().map((r, i) => simulated(`depletion${i + 1}`, `Probability of depletion within ten years, ${leverage.variants[i]!.label}`, r.depletion, r.settings)),
  answer: memo(() => {
    const f = formatter('USD');
    const rows = leverageRows();
    const [a, b, c] = rows as [typeof rows[0], typeof rows[0], typeof rows[0]];
    const dep = (r: typeof a) => withInterval(f, r.depletion, r.settings.paths);
    return {
      paragraphs: [
        `With ${f.money(a.s.fund.initialCapital)} of capital the fund’s leverage peaks at ${f.multiple(a.sum.peakLeverage)} and the probability of depletion within ten years is ${dep(a)}.`,
        `With half the capital behind much the same guarantees, leverage peaks at ${f.multiple(b.sum.peakLeverage)}${(b.sum.peakLeverage ?? 0) > b.s.fund.leverageCap ? ` — above its ${f.multiple(b.s.fund.leverageCap)} cap, since the cap only stops new guarantees while claims keep eating the capital` : ''} — and the probability of depletion rises to ${dep(b)}. With a quarter of the capital it is ${dep(c)}${c.sum.depletionYear ? `, and the fund runs out even in the expected case (year ${c.sum.depletionYear})` : ''}.`,
        reproduceParagraph(f, a.settings, rows.map((r) => r.depletion)),
        `Firms supported go from ${f.count(a.sum.firmsSupported)} to ${f.count(b.sum.firmsSupported)} and ${f.count(c.sum.firmsSupported)}: less capital saves public money only until the thin buffer breaks. Real funds run from about 5× to over 40×; the high ones rely on a counter-guarantee from the state.`,
      ],
      table: {
        caption: 'The default fund with less capital behind the same guarantees',
        columns: ['Capital', 'Leverage cap', 'Peak leverage', 'Firms supported', 'Probability of depletion', '95 % interval', 'Paths, seed'],
        rows: rows.map((r) => {
          const iv = intervalOfShare(r.depletion, r.settings.paths);
          return [f.money(r.s.fund.initialCapital), f.multiple(r.s.fund.leverageCap), f.multiple(r.sum.peakLeverage), f.count(r.sum.firmsSupported), f.percent(r.depletion, 1), `${f.percent(iv.lower, 1)} to ${f.percent(iv.upper, 1)}`, `${f.count(r.settings.paths)}, ${r.settings.seed}`];
        }),
      },
    };
  }),
};

// ---------------------------------------------------------------------------------------------

/** The founding-stage comparison of the budget page: EUR 10 million, the local fund’s start-ups. */
export const FOUNDING_COMPARISON_QUERY: Readonly<Record<string, string>> = {
  name: 'Guarantees or microfinance for founding-stage firms',
  scenario: 'preset:startup-local-fund',
  budget: '10,000,000',
  horizonYears: '10',
  'target.kind': 'stage',
  'target.stage': 'founding',
  'guaranteeFund.enabled': 'on',
  'microfinance.enabled': 'on',
  'revolvingFund.enabled': 'on',
  'interestSubsidy.enabled': 'off',
  _monteCarlo: 'on',
  'monteCarlo.paths': '1,000',
};

const foundingComparison = (): BudgetComparisonInput => ({
  name: FOUNDING_COMPARISON_QUERY['name'],
  budget: 10_000_000,
  horizonYears: 10,
  currency: 'EUR',
  scenario: loadPreset('startup-local-fund'),
  target: { kind: 'stage', stage: 'founding' },
  guaranteeFund: { enabled: true },
  microfinance: { enabled: true },
  revolvingFund: { enabled: true },
  interestSubsidy: { enabled: false },
});

const startupFund = memo(() => loadPreset('startup-local-fund'));
const foundingResult = memo(() => {
  const parsed = parseBudgetComparison(foundingComparison());
  if (!parsed.ok) throw new Error(`training comparison: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return { parsed, r: compareBudget(parsed.value) };
});

const microfinance: Exercise = {
  id: 'guarantee-vs-microfinance',
  title: 'Guarantees or microfinance for founding-stage firms',
  question: 'A region has EUR 10 million for start-ups that banks will not lend to. Should it capitalise a guarantee fund, fund a microfinance institution, or lend directly through a revolving fund? Compare firms reached, the cost to borrowers, and what is left of the money after ten years.',
  context: 'The same budget can buy very different things. A guarantee fund multiplies its capital through leverage but pays claims; an MFI lends at high rates and can grow its equity; a revolving fund can only lend the cash it has.',
  concepts: ['microfinance-institution', 'revolving-loan-fund', 'fiscal-cost-per-additional-loan', 'borrower-all-in-cost'],
  variants: [
    { id: 'local-fund', label: 'The startup-focused local fund', note: 'The preset whose founding-stage firms are the target.', build: startupFund },
  ],
  budget: { label: 'Open the budget comparison, pre-filled', query: FOUNDING_COMPARISON_QUERY },
  steps: [
    'Open the budget comparison (pre-filled with the local fund’s founding-stage firms and EUR 10 million) and press Compare.',
    'Read the side-by-side table: distinct firms reached and loans made, lending, borrower’s all-in cost, the share of the budget used, and the present value of the public money each option consumes, per firm.',
    'Change the MFI’s portfolio yield or the revolving fund’s lending rate and compare again.',
  ],
  lookFor: [
    '“What is left of the budget, year by year”: which options keep their value and which spend it.',
    '“Firms reached per year”: the revolving fund’s first year, then its cash constraint.',
    'The Monte Carlo spread of what is left, and the probability of losing more than half.',
  ],
  asks: () => {
    const { r } = foundingResult();
    const by = (o: string) => r.options.find((x) => x.option === o)!;
    return [
      expected('firmsGuarantee', 'Firms reached by the guarantee fund', 'count', by('guaranteeFund').firmsReached),
      expected('firmsMicrofinance', 'Firms reached by the microfinance institution', 'count', by('microfinance').firmsReached),
      expected('firmsRevolving', 'Firms reached by the revolving fund', 'count', by('revolvingFund').firmsReached),
    ];
  },
  answer: memo(() => {
    const { parsed, r } = foundingResult();
    // The paths and seed the pre-filled budget form runs with.
    const mcPaths = Number(FOUNDING_COMPARISON_QUERY['monteCarlo.paths']!.replace(/,/g, ''));
    const mc = budgetComparisonMonteCarlo(parsed.value, { paths: mcPaths, seed: parsed.value.monteCarlo.seed });
    const f = formatter(r.currency);
    const by = (o: string) => r.options.find((x) => x.option === o)!;
    const gf = by('guaranteeFund');
    const mfi = by('microfinance');
    const rlf = by('revolvingFund');
    const half = (o: string) => mc.options.find((x) => x.option === o)?.probabilityLosingHalf ?? null;
    const halfText = (o: string) => {
      const p = half(o);
      return p === null ? f.percent(null) : withInterval(f, p, mcPaths);
    };
    const most = [gf, mfi, rlf].sort((a, b) => b.firmsReached - a.firmsReached)[0]!;
    const pv = (o: typeof gf) => `${f.money(o.pvCost.toNumber())} (${f.money(o.pvCostPerFirm?.toNumber() ?? null)} per firm)`;
    return {
      paragraphs: [
        `Over ten years the guarantee fund reaches ${f.count(gf.firmsReached)} firms with bank loans of ${f.money(r.target.loanSize)} at an all-in cost of ${f.percent(gf.borrowerAllInRate, 1)} a year; the microfinance institution ${f.count(mfi.firmsReached)} firms with ${f.count(mfi.loansMade)} loans of ${f.money(parsed.value.microfinance.loanSize ?? r.target.loanSize)} over ${parsed.value.microfinance.tenorMonths} months at ${f.percent(mfi.borrowerAllInRate, 1)}; the revolving fund ${f.count(rlf.firmsReached)} firms at ${f.percent(rlf.borrowerAllInRate, 1)}.`,
        `On one basis — the public money each consumes, in present value at ${f.percent(r.discountRate, 1)} with every book run off after year 10 — the guarantee fund costs ${pv(gf)}, the microfinance institution ${pv(mfi)}, the revolving fund ${pv(rlf)}. At its peak the MFI uses ${f.percent(mfi.budgetUsedShare, 0)} of the budget${mfi.budgetUsedShare < 0.5 ? `: microloans to these firms need little capital, and the rest of the EUR 10 million sits idle${(parsed.value.microfinance.idleCashRate ?? parsed.value.scenario?.fund.investmentYield ?? 0) < r.discountRate ? ', earning less than the government pays to borrow' : ''}` : ''}; the guarantee fund uses ${f.percent(gf.budgetUsedShare, 0)}, the revolving fund ${f.percent(rlf.budgetUsedShare, 0)}.`,
        ...(r.leverage ? [leverageSentence(r.leverage, f)] : []),
        `Across ${f.count(mcPaths)} simulated cycles (seed ${parsed.value.monteCarlo.seed}, as the pre-filled form runs them) the guarantee fund loses more than half its capital in ${halfText('guaranteeFund')} of them, the revolving fund in ${halfText('revolvingFund')}.`,
        `The ${most.label.toLowerCase()} reaches the most firms. The MFI’s loans are small and short and its borrowers pay about three times the bank rate; the guarantee fund gives bank loans at bank rates and spends its capital doing it. Which is better depends on what the firms need: working capital in small amounts, or investment loans a bank can make.`,
      ],
      table: {
        caption: 'EUR 10 million for founding-stage firms, ten years (expected case; PV at the comparison’s discount rate, lifetime view)',
        columns: ['Option', 'Firms reached', 'Loans made', 'Lending', 'Borrower’s all-in cost', 'Budget used', 'PV cost per firm', 'Losing more than half'],
        rows: [gf, mfi, rlf].map((o) => [o.label, f.count(o.firmsReached), f.count(o.loansMade), f.money(o.creditVolume.toNumber()), f.percent(o.borrowerAllInRate, 1), f.percent(o.budgetUsedShare, 0), f.money(o.pvCostPerFirm?.toNumber() ?? null), f.percent(half(o.option), 0)]),
      },
    };
  }),
};

// ---------------------------------------------------------------------------------------------

const recessionFund = memo(() => loadPreset('recession-stress'));

const recessionRuns = memo(() => [defaultFund(), recessionFund()].map((s) => ({ s, sum: project(s).summary, settings: traineeSettings(s), mc: traineeRun(s) })));

const recession: Exercise = {
  monteCarlo: true,
  id: 'recession',
  title: 'A recession in year 3',
  question: 'The recession-stress preset is the default fund hit by a severe recession in years 3 and 4: defaults about 1.6 times normal, lower and slower recoveries, and the business cycle pushed two standard deviations down. Does the fund survive? When is it most at risk?',
  context: 'Funds are priced in normal times and tested in recessions. A recession raises defaults across all firms at once, and claims arrive with a lag, just as fee income falls because fewer loans are made.',
  concepts: ['stress-overlay', 'business-cycle', 'depletion', 'value-at-risk'],
  variants: [
    { id: 'normal', label: 'The default fund in normal times', note: 'The default preset.', build: defaultFund },
    { id: 'recession', label: 'The same fund in a recession', note: 'The recession-stress preset.', build: recessionFund },
  ],
  steps: [
    'Open the fund in normal times and run a Monte Carlo simulation from its results page, with the settings the page suggests (2,000 paths, seed 42).',
    'Open the recession variant and run a Monte Carlo simulation with the same number of paths and seed.',
    'Compare the two runs’ probability of depletion by year and the capital fans.',
  ],
  lookFor: [
    '“Probability of depletion by year”: flat, then a jump in the years after the recession as claims are paid.',
    '“Fund capital over time”: the fan widens and drops after year 3.',
    'The value at risk of net claims in the tail-risk table.',
  ],
  asks: () => recessionRuns().map((x, i) => simulated(i === 0 ? 'depletionNormal' : 'depletionRecession', `Probability of depletion within ten years, ${recession.variants[i]!.label.toLowerCase()}`, lastOf(x.mc.probabilityOfDepletion), x.settings)),
  answer: memo(() => {
    const runs = recessionRuns();
    const [n, r] = runs as [typeof runs[0], typeof runs[0]];
    const f = formatter(n.s.currency);
    const byYear = (x: typeof n, y: number) => x.mc.probabilityOfDepletion[y - 1] ?? null;
    const jump = r.mc.probabilityOfDepletion.findIndex((p, i) => i > 0 && p - (r.mc.probabilityOfDepletion[i - 1] ?? 0) === Math.max(...r.mc.probabilityOfDepletion.map((q, k) => (k > 0 ? q - r.mc.probabilityOfDepletion[k - 1]! : q))));
    return {
      paragraphs: [
        `In normal times the probability that the fund runs out of capital within ten years is ${withInterval(f, lastOf(n.mc.probabilityOfDepletion), n.settings.paths)}; in the recession it is ${withInterval(f, lastOf(r.mc.probabilityOfDepletion), r.settings.paths)}.`,
        `The risk arrives after the recession, not during it: the probability of depletion is ${f.percent(byYear(r, 3), 1)} by the end of year 3, ${f.percent(byYear(r, 5), 1)} by year 5 and ${f.percent(byYear(r, 7), 1)} by year 7${jump >= 0 ? `, rising fastest in year ${jump + 1}` : ''}, as the claims of the recession’s defaults are paid with a lag.`,
        reproduceParagraph(f, r.settings, [...n.mc.probabilityOfDepletion, ...r.mc.probabilityOfDepletion]),
        `Even the expected case of the recession scenario ends with ${f.money(r.sum.closingCapital.toNumber())} of capital${r.sum.depletionYear ? `, exhausted in year ${r.sum.depletionYear}` : ''}, against ${f.money(n.sum.closingCapital.toNumber())} in normal times. Buffers, leverage caps and loss caps are what a fund needs before the recession, since new capital comes late.`,
      ],
      table: {
        caption: 'Probability of depletion by the end of each year',
        columns: ['Year', ...runs.map((x) => x.s.name)],
        rows: n.mc.probabilityOfDepletion.map((_, y) => [`Y${y + 1}`, ...runs.map((x) => f.percent(x.mc.probabilityOfDepletion[y] ?? null, 1))]),
      },
    };
  }),
};

// ---------------------------------------------------------------------------------------------

/** Quarterly periods make a path four times the work: the exercise runs 1,000 paths. */
const withTrainingPaths = (s: Scenario): Scenario => ({ ...s, monteCarlo: { ...s.monteCarlo, paths: 1000 } });
const efgCapped = memo(() => variantOf('uk-efg', loadPreset('uk-efg').name, withTrainingPaths));
const efgUncapped = memo(() => variantOf('uk-efg', 'UK EFG without the portfolio loss cap (training)', (s) => ({ ...withTrainingPaths(s), guarantee: { ...s.guarantee, portfolioLossCap: null } })));

const lossCapRows = memo(() => [efgCapped(), efgUncapped()].map((s) => ({ s, sum: project(s).summary, settings: traineeSettings(s), mc: traineeRun(s) })));

const lossCap: Exercise = {
  monteCarlo: true,
  id: 'loss-cap',
  title: 'Portfolio loss caps',
  question: 'The UK Enterprise Finance Guarantee covered 75 % of each loan, but a lender could claim on defaults only up to 13 % of what it lent under the scheme, so the government paid out at most 9.75 % of that lending. What does the cap do to claims and to the taxpayer’s cost, in the expected case and in bad cycles, and who bears the losses above it?',
  context: 'A loss cap bounds the fund’s cost however badly a portfolio performs, and keeps the lender’s stake in the worst loans. Coverage per loan can then be generous without giving up the lender’s incentive.',
  concepts: ['portfolio-loss-cap', 'coverage-ratio', 'moral-hazard', 'value-at-risk'],
  variants: [
    { id: 'capped', label: 'UK EFG with its 9.75 % payout cap', note: 'The UK EFG preset (quarterly periods), with 1,000 Monte Carlo paths.', build: efgCapped },
    { id: 'uncapped', label: 'UK EFG without the cap', note: 'The same scheme with no portfolio loss cap.', build: efgUncapped },
  ],
  steps: [
    'Open the capped scheme and note claims paid and capital at the horizon.',
    'Open the uncapped variant and compare.',
    'Run a Monte Carlo simulation of each with the settings the page suggests (1,000 paths, seed 42): compare the value at risk of net claims (tail-risk table) — the cap matters most in bad cycles.',
  ],
  lookFor: [
    '“Fee income, claims and recoveries per year”: whether the cap trims any vintage’s claims in the expected case.',
    'Capital at the horizon and the fiscal cost per additional loan.',
    'After a Monte Carlo run, the right tail of “Cumulative net claims: distribution”.',
  ],
  asks: () => lossCapRows().map((r, i) => expected(i === 0 ? 'claimsCapped' : 'claimsUncapped', `Claims paid over ten years (expected case), ${lossCap.variants[i]!.label}`, 'money', r.sum.totalClaimsPaid.toNumber(), r.s.currency)),
  answer: memo(() => {
    const rows = lossCapRows();
    const [cap, none] = rows as [typeof rows[0], typeof rows[0]];
    const f = formatter(cap.s.currency);
    const claims = (r: typeof cap) => r.sum.totalClaimsPaid.toNumber();
    const saved = claims(none) - claims(cap);
    const var99 = (r: typeof cap) => r.mc.netClaims.tail.find((x) => x.level === 0.99)?.valueAtRisk ?? null;
    const capShare = f.percent(cap.s.guarantee.portfolioLossCap, 2);
    const tailSaved = (var99(none) ?? 0) - (var99(cap) ?? 0);
    return {
      paragraphs: [
        saved > 0.5
          ? `In the expected case the ${capShare} cap trims the claims of the worst vintages: the scheme pays ${f.money(claims(cap))} of claims over ten years with it and ${f.money(claims(none))} without, ${f.money(saved)} (${f.percent(saved / claims(none), 0)}) less, on the same guaranteed lending of ${f.money(cap.sum.guaranteedLending.toNumber())}.`
          : `In the expected case the ${capShare} cap does not bind: no vintage’s claims reach it, and the scheme pays ${f.money(claims(cap))} of claims over ten years with or without it, on ${f.money(cap.sum.guaranteedLending.toNumber())} of guaranteed lending. A cap set above expected losses is not meant to bind in normal times.`,
        `It binds in bad cycles. Across ${f.count(cap.settings.paths)} simulated cycles (seed ${cap.settings.seed}, the settings the results page suggests), cumulative net claims average ${f.money(cap.mc.netClaims.mean)} with the cap and ${f.money(none.mc.netClaims.mean)} without; in the worst 1 % of cycles they exceed ${f.money(var99(cap))} with the cap and ${f.money(var99(none))} without.${tailSaved > 0 ? ` The cap takes ${f.money(tailSaved)} off the taxpayer’s loss at that level.` : ''}`,
        'Above the cap every further loss on a vintage is the lenders’: the cap bounds the taxpayer’s cost however badly a cohort performs, and leaves the lenders the tail of the losses. (The model does not let the cap change how lenders screen or lend: lending is the same in both variants.)',
      ],
      table: {
        caption: 'UK EFG with and without its portfolio loss cap (expected case and Monte Carlo, ten years)',
        columns: ['Variant', 'Claims paid (expected)', 'Capital at the horizon (expected)', 'Fiscal cost (expected)', 'Net claims, mean of cycles', 'Net claims, worst 1 % of cycles'],
        rows: rows.map((r, i) => [lossCap.variants[i]!.label, f.money(claims(r)), f.money(r.sum.closingCapital.toNumber()), f.money(r.sum.fiscalCost.toNumber()), f.money(r.mc.netClaims.mean), f.money(var99(r))]),
      },
    };
  }),
};

// ---------------------------------------------------------------------------------------------

const deadweightLow = memo(() => variantOf('default', 'Default fund, banks rarely guarantee loans they would make anyway (training)', (s) => ({ ...s, guarantee: { ...s.guarantee, deadweightTakeUp: 0.1 } })));
const deadweightHigh = memo(() => variantOf('default', 'Default fund, banks guarantee most loans they would make anyway (training)', (s) => ({ ...s, guarantee: { ...s.guarantee, deadweightTakeUp: 0.9 } })));

const additionalityRows = memo(() => [deadweightLow(), deadweightHigh()].map((s) => ({ s, sum: project(s).summary })));

const additionality: Exercise = {
  id: 'additionality',
  title: 'Additionality and substitution',
  question: 'Banks can put a guarantee on loans they would have made anyway. What happens to the fund’s outreach figures, its cost, and its cost per additional loan, when banks do that rarely (10 % of such loans) or usually (90 %)?',
  context: 'Substitution makes a scheme look big — many firms, much lending — while adding little credit. The fiscal cost per additional loan is the figure that does not flatter.',
  concepts: ['additionality', 'substitution', 'deadweight', 'fiscal-cost-per-additional-loan'],
  variants: [
    { id: 'low-substitution', label: 'Take-up by loans made anyway: 10 %', note: 'The default fund with little substitution.', build: deadweightLow },
    { id: 'high-substitution', label: 'Take-up by loans made anyway: 90 %', note: 'The default fund with much substitution.', build: deadweightHigh },
  ],
  steps: [
    'Open both variants and compare firms supported, guaranteed lending and additional lending.',
    'Compare the fiscal cost and the fiscal cost per additional loan.',
    'Look at the lending-by-stage chart: which stages’ loans are additional?',
  ],
  lookFor: [
    '“Lending by stage, with and without the guarantee”: mature firms borrow anyway, founding firms do not.',
    'The additional lending indicator’s sentence: the share of guaranteed lending that is additional.',
  ],
  asks: () => additionalityRows().map((r, i) => expected(i === 0 ? 'costLow' : 'costHigh', `Fiscal cost per additional loan, ${additionality.variants[i]!.label.toLowerCase()}`, 'money', r.sum.fiscalCostPerAdditionalLoan?.toNumber() ?? 0, r.s.currency)),
  answer: memo(() => {
    const rows = additionalityRows();
    const [lo, hi] = rows as [typeof rows[0], typeof rows[0]];
    const f = formatter(lo.s.currency);
    const share = (r: typeof lo) => r.sum.additionalLending.toNumber() / r.sum.guaranteedLending.toNumber();
    return {
      paragraphs: [
        `With little substitution the fund guarantees ${f.money(lo.sum.guaranteedLending.toNumber())} for ${f.count(lo.sum.firmsSupported)} firms, ${f.percent(share(lo), 0)} of it additional. With much substitution it guarantees ${f.money(hi.sum.guaranteedLending.toNumber())} for ${f.count(hi.sum.firmsSupported)} firms, but only ${f.percent(share(hi), 0)} is additional. ${Math.abs(lo.sum.additionalLending.toNumber() - hi.sum.additionalLending.toNumber()) < 1 ? `Additional lending is the same in both, ${f.money(lo.sum.additionalLending.toNumber())}: the extra guarantees are all substitution.` : `Additional lending is ${f.money(lo.sum.additionalLending.toNumber())} against ${f.money(hi.sum.additionalLending.toNumber())}.`}`,
        `The fiscal cost per additional loan is ${f.money(lo.sum.fiscalCostPerAdditionalLoan?.toNumber() ?? null)} with little substitution and ${f.money(hi.sum.fiscalCostPerAdditionalLoan?.toNumber() ?? null)} with much. Outreach counts flatter a scheme with much substitution; judge it by what it adds.`,
      ],
      table: {
        caption: 'The default fund with little and much substitution (expected case, ten years)',
        columns: ['Variant', 'Firms supported', 'Guaranteed lending', 'Additional lending', 'Fiscal cost per additional loan'],
        rows: rows.map((r, i) => [additionality.variants[i]!.label, f.count(r.sum.firmsSupported), f.money(r.sum.guaranteedLending.toNumber()), f.money(r.sum.additionalLending.toNumber()), f.money(r.sum.fiscalCostPerAdditionalLoan?.toNumber() ?? null)]),
      },
    };
  }),
};

export const EXERCISES: readonly Exercise[] = [moralHazard, breakEven, leverage, microfinance, recession, lossCap, additionality];

export function exercise(id: string): Exercise | undefined {
  return EXERCISES.find((e) => e.id === id);
}
