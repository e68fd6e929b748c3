/**
 * Guided exercises for training finance officials, built on the presets. Each exercise has a
 * question, the scenario variants to open with one click (built here from a preset with a few
 * changes, so they are always valid), what to change, what to look for in the charts, and an
 * answer whose figures are computed from the calculation core when the page is shown (and
 * memoised per language: the core is deterministic), so they stay true when the model or the
 * presets change.
 *
 * Every text is a message (English ICU text): the fixed ones (titles, questions, steps, labels)
 * are marked with msg and translated where they are shown; the answers and the asked numbers
 * are written in the language of a Localizer, one message per paragraph with the figures
 * formatted in its locale.
 */
import { runMonteCarlo } from '../core/montecarlo/run.ts';
import type { MonteCarloResult } from '../core/montecarlo/types.ts';
import { budgetComparisonMonteCarlo, compareBudget, leverageSentence, parseBudgetComparison, type BudgetComparisonInput } from '../core/policy/index.ts';
import { project } from '../core/projection.ts';
import { parseScenario, type Scenario } from '../core/schema.ts';
import { breakEvenFee } from '../core/solvers.ts';
import { intervalOfShare } from '../core/stats/intervals.ts';
import { formatter, type Formatter } from '../i18n/format.ts';
import { english } from '../i18n/index.ts';
import { msg, type Localizer, type MessageValues } from '../i18n/translate.ts';
import { loadPreset, type PresetId } from '../presets/index.ts';

/** English, for callers that do not name a language (the class checks, the command line). */
export const ENGLISH: Localizer = { lang: 'en', locale: 'en-US', t: english };

export interface Variant {
  /** In the address: /training/<exercise>/<variant>. */
  readonly id: string;
  /** A message: the button's text. */
  readonly label: string;
  /** A message: one line on what differs from the preset. */
  readonly note: string;
  /** A message: the scenario's name when the exercise names it (else it keeps the preset's own). */
  readonly name?: string;
  /** The values of the placeholders in label, note and name, in a language. */
  readonly values?: (l: Localizer) => MessageValues;
  readonly build: () => Scenario;
}

/** A variant's label in a language. */
export const variantLabel = (v: Variant, l: Localizer = ENGLISH): string => l.t(v.label, v.values?.(l));
/** A variant's note in a language. */
export const variantNote = (v: Variant, l: Localizer = ENGLISH): string => l.t(v.note, v.values?.(l));
/** A variant's scenario, named in a language. */
export function variantScenario(v: Variant, l: Localizer = ENGLISH): Scenario {
  const s = v.build();
  return v.name ? { ...s, name: l.t(v.name, v.values?.(l)) } : s;
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
const expected = ({ t }: Localizer, id: string, label: string, unit: 'money' | 'count', value: number, currency?: string): AskedNumber =>
  ({ id, label, unit, value, tolerance: Math.abs(value) * 0.01, basis: t('within 1 % of the answer'), ...(currency ? { currency } : {}) });
/** A rate of the expected case read to two decimals: within 0.01 percentage point. */
const expectedRate = ({ t }: Localizer, id: string, label: string, value: number): AskedNumber =>
  ({ id, label, unit: 'percent', value, tolerance: 0.0001, basis: t('within 0.01 percentage point of the answer') });

export interface Exercise {
  readonly id: string;
  /** A message. */
  readonly title: string;
  /** The question the trainees answer (a message). */
  readonly question: string;
  /** Why it matters, in a sentence or two (a message). */
  readonly context: string;
  /** Glossary entries to read first. */
  readonly concepts: readonly string[];
  readonly variants: readonly Variant[];
  /** The budget comparison page, pre-filled (a message for the link, form field names and values). */
  readonly budget?: { readonly label: string; readonly query: Readonly<Record<string, string>> };
  /** What to do, step by step (messages). */
  readonly steps: readonly string[];
  /** What to look for in the charts and indicators (messages). */
  readonly lookFor: readonly string[];
  /** The answer, with figures from the core, in a language (English by default). */
  readonly answer: (l?: Localizer) => Answer;
  /** The numbers trainees give when they submit the exercise in a class, from the answer's own figures. */
  readonly asks: (l?: Localizer) => readonly AskedNumber[];
  /** The steps ask for a Monte Carlo run of each variant: handouts carry it, with the suggested settings. */
  readonly monteCarlo?: boolean;
}

/** A preset with changes, validated again (a change the schema refuses is a bug caught by the tests). */
function variantOf(id: PresetId, name: string, change: (s: Scenario) => Scenario, values?: (l: Localizer) => MessageValues): Scenario {
  return parseOrThrow(change({ ...loadPreset(id), name: ENGLISH.t(name, values?.(ENGLISH)) }));
}

function parseOrThrow(s: Scenario): Scenario {
  const parsed = parseScenario(s);
  if (!parsed.ok) throw new Error(`training variant ${s.name}: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return parsed.value;
}

const memo = <T>(f: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= f());
};

/** Memoised per language (and locale): the figures are the same, the words and number formats not. */
const perLanguage = <T>(f: (l: Localizer) => T): ((l?: Localizer) => T) => {
  const byLanguage = new Map<string, T>();
  return (l = ENGLISH) => {
    const key = `${l.lang}|${l.locale}`;
    let value = byLanguage.get(key);
    if (value === undefined) {
      value = f(l);
      byLanguage.set(key, value);
    }
    return value;
  };
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
const withInterval = ({ t }: Localizer, f: Formatter, p: number, paths: number): string => {
  const iv = intervalOfShare(p, paths);
  return t('{probability} (95 % interval {lower} to {upper})', { probability: f.percent(p, 1), lower: f.percent(iv.lower, 1), upper: f.percent(iv.upper, 1) });
};

/**
 * How far a trainee's run with another seed may fall from the answer's figure, 19 times in 20:
 * the two estimates are independent, so their difference has √2 times the standard error of one.
 */
export const runToRunMargin = (p: number, paths: number): number => 1.96 * Math.sqrt((2 * p * (1 - p)) / paths);

/** Percentage points, without the percent sign: 0.031 → "3.1". */
const points = (l: Localizer, x: number, digits: number, fixed = false): string =>
  (x * 100).toLocaleString(l.locale, { maximumFractionDigits: digits, minimumFractionDigits: fixed ? digits : 0 });

/** A probability from a trainee's run: within the run-to-run margin (and the half of 0.1 point it is shown rounded to). */
const simulated = (l: Localizer, id: string, label: string, p: number, settings: TraineeSettings): AskedNumber => {
  const margin = runToRunMargin(p, settings.paths) + 0.0005;
  const f = formatter('', l.locale);
  const { t } = l;
  return {
    id, label, unit: 'percent', value: p, tolerance: margin,
    basis: t('within its sampling error, ±{margin} percentage points ({paths} paths)', { margin: points(l, margin, 1, true), paths: f.count(settings.paths) }),
  };
};

/** The paragraph that tells trainees how their own run should compare. */
function reproduceParagraph(l: Localizer, f: Formatter, settings: TraineeSettings, probabilities: readonly number[]): string {
  const margin = Math.max(...probabilities.map((p) => runToRunMargin(p, settings.paths)));
  const { t } = l;
  return t('These probabilities come from {paths} simulated cycles with seed {seed}, the settings the results page suggests: a run with them shows exactly these figures. They are estimates: the 95 % interval beside each is its sampling error. A run with another seed gives other figures, which 19 times in 20 differ from these by less than {margin} percentage points.', {
    paths: f.count(settings.paths), seed: String(settings.seed), margin: points(l, margin, 1),
  });
}

const lastOf = <T>(xs: readonly T[]): T => xs[xs.length - 1]!;
const pctChange = (from: number, to: number) => (to - from) / Math.abs(from);
const yes = (b: boolean) => (b ? 'yes' : 'no');

// ---------------------------------------------------------------------------------------------

const JAPAN_80 = msg('Japan CGC, 80 % coverage for every firm (training)');
const JAPAN_100 = msg('Japan CGC, 100 % coverage for every firm (training)');
const JAPAN_100_NO_HAZARD = msg('Japan CGC, 100 % coverage, no moral hazard (training)');
const japan80 = memo(() => variantOf('japan-cgc', JAPAN_80, (s) => withCoverage(s, 0.8)));
const japan100 = memo(() => variantOf('japan-cgc', JAPAN_100, (s) => withCoverage(s, 1)));
const japan100NoHazard = memo(() => variantOf('japan-cgc', JAPAN_100_NO_HAZARD, (s) => ({ ...withCoverage(s, 1), moralHazard: { ...s.moralHazard, pdUpliftAtFullCoverage: 0 } })));

const moralRows = memo(() => [japan80(), japan100(), japan100NoHazard()].map((s) => ({ s, sum: project(s).summary, be: breakEvenFee(s) })));

const moralHazard: Exercise = {
  id: 'moral-hazard',
  title: msg('Claims when coverage goes from 80 % to 100 %'),
  question: msg('Japan’s credit guarantee corporations covered 100 % of many loans until 2007, then cut most cover to 80 %. What happens to claims, and to the cost of the scheme, when coverage rises from 80 % to 100 %? How much of it is more lending, and how much is banks screening less?'),
  context: msg('A bank that carries none of the loss has little reason to screen and monitor its borrowers. That is moral hazard, and it is why most schemes cover 50–85 %.'),
  concepts: ['coverage-ratio', 'moral-hazard', 'claims-ratio', 'break-even-fee'],
  variants: [
    { id: 'coverage-80', label: msg('Japan CGC at 80 % coverage'), note: msg('The Japan CGC preset with 80 % coverage for every stage.'), name: JAPAN_80, build: japan80 },
    { id: 'coverage-100', label: msg('Japan CGC at 100 % coverage'), note: msg('The same fund with 100 % coverage for every stage (PD uplift at full cover as in the preset).'), name: JAPAN_100, build: japan100 },
    { id: 'coverage-100-no-hazard', label: msg('At 100 %, without moral hazard'), note: msg('100 % coverage, but the PD uplift at full coverage set to 0: lenders screen as before.'), name: JAPAN_100_NO_HAZARD, build: japan100NoHazard },
  ],
  steps: [
    msg('Open the 80 % variant and note the headline indicators: firms supported, additional lending, fiscal cost per additional loan, break-even fee.'),
    msg('Open the 100 % variant and compare the same indicators, then the fee income, claims and recoveries chart.'),
    msg('Open the third variant (100 % without moral hazard) to separate the two effects: more loans, and riskier loans.'),
    msg('Optional: in the editor, change the PD uplift at 100 % coverage (Moral hazard group) and run the projection again.'),
  ],
  lookFor: [
    msg('The claims bars in “Fee income, claims and recoveries per year”: how much taller at 100 %?'),
    msg('Guaranteed lending rises too: compare claims per unit guaranteed, not only claims.'),
    msg('The break-even fee: the fee the fund would need to charge to pay its way.'),
  ],
  asks: perLanguage((l) => {
    const { t } = l;
    const [a, b] = moralRows();
    const cur = a!.s.currency;
    const be = b!.be.fee;
    return [
      expected(l, 'claims80', t('Claims paid over ten years at 80 % coverage'), 'money', a!.sum.totalClaimsPaid.toNumber(), cur),
      expected(l, 'claims100', t('Claims paid over ten years at 100 % coverage'), 'money', b!.sum.totalClaimsPaid.toNumber(), cur),
      ...(be !== null ? [expectedRate(l, 'breakEven100', t('Break-even annual fee at 100 % coverage'), be)] : []),
    ];
  }),
  answer: perLanguage((l) => {
    const { t } = l;
    const s80 = japan80();
    const f = formatter(s80.currency, l.locale);
    const rows = moralRows();
    const [a, b, c] = rows as [typeof rows[0], typeof rows[0], typeof rows[0]];
    const claims = (r: typeof a) => r.sum.totalClaimsPaid.toNumber();
    const guaranteed = (r: typeof a) => r.sum.guaranteedLending.toNumber();
    const rate = (r: typeof a) => claims(r) / guaranteed(r);
    const fee = (r: typeof a) => ('fee' in r.be && r.be.fee !== null ? f.percent(r.be.fee, 2) : t('none'));
    const hazardShare = (claims(b) - claims(c)) / (claims(b) - claims(a));
    return {
      paragraphs: [
        t('Claims paid over ten years rise from {claims80} at 80 % coverage to {claims100} at 100 %, up {increase}. Guaranteed lending rises only {lendingIncrease}, so claims per unit guaranteed go from {rate80} to {rate100}.', {
          claims80: f.money(claims(a)), claims100: f.money(claims(b)), increase: f.percent(pctChange(claims(a), claims(b)), 0),
          lendingIncrease: f.percent(pctChange(guaranteed(a), guaranteed(b)), 0), rate80: f.percent(rate(a), 2), rate100: f.percent(rate(b), 2),
        }),
        t('Without moral hazard, 100 % coverage would bring claims of {claims}: about {share} of the increase comes from lenders screening less, the rest from the extra loans full cover makes possible (and from the fund paying the whole loss instead of 80 % of it).', {
          claims: f.money(claims(c)), share: f.percent(hazardShare, 0),
        }),
        t('The fiscal cost goes from {cost80} to {cost100}, and the break-even fee from {fee80} to {fee100}. This is the lesson of Japan’s 2007 reform: partial cover keeps the lender’s stake in every loan.', {
          cost80: f.money(a.sum.fiscalCost.toNumber()), cost100: f.money(b.sum.fiscalCost.toNumber()), fee80: fee(a), fee100: fee(b),
        }),
      ],
      table: {
        caption: t('The three variants (expected case, ten years)'),
        columns: [t('Variant'), t('Guaranteed lending'), t('Claims paid'), t('Claims per unit guaranteed'), t('Fiscal cost'), t('Break-even fee')],
        rows: rows.map((r, i) => [variantLabel(moralHazard.variants[i]!, l), f.money(guaranteed(r)), f.money(claims(r)), f.percent(rate(r), 2), f.money(r.sum.fiscalCost.toNumber()), fee(r)]),
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
const FEE_AT_BREAK_EVEN = msg('Default fund, fee at break-even (training)');
const FEE_HALF = msg('Default fund, half the fee (training)');
const feeAtBreakEven = memo(() => variantOf('default', FEE_AT_BREAK_EVEN, (s) => withFee(s, roundedBreakEven())));
const feeHalf = memo(() => variantOf('default', FEE_HALF, (s) => withFee(s, s.guarantee.annualFee[0]!.rate / 2)));

const feeRows = memo(() => [defaultFund(), feeHalf(), feeAtBreakEven()].map((s) => ({ s, sum: project(s).summary })));

const breakEven: Exercise = {
  id: 'fee-below-break-even',
  title: msg('Why a fee below break-even drains the fund'),
  question: msg('The default fund charges 1.5 % a year. Its results page shows a break-even fee. What happens to the fund’s capital over ten years at the fee it charges, at half of it, and at the break-even fee?'),
  context: msg('Fees are the fund’s income; claims and costs its outgoings. When the fee is below what the risk costs, the difference is paid from capital, year after year: a subsidy that is easy to miss because nothing is spent at the start.'),
  concepts: ['break-even-fee', 'fiscal-cost', 'self-sufficiency', 'guarantee-fee'],
  variants: [
    { id: 'as-is', label: msg('Default fund at its 1.5 % fee'), note: msg('The default preset as it is.'), build: defaultFund },
    { id: 'half-fee', label: msg('Default fund at half the fee'), note: msg('The annual fee halved.'), name: FEE_HALF, build: feeHalf },
    { id: 'break-even', label: msg('Default fund at the break-even fee'), note: msg('The annual fee set to the break-even fee, rounded up to 0.05 point.'), name: FEE_AT_BREAK_EVEN, build: feeAtBreakEven },
  ],
  steps: [
    msg('Open the fund at its own fee and read the break-even fee indicator.'),
    msg('Open the half-fee variant, then the break-even variant, and compare capital at the horizon and the fiscal cost.'),
    msg('In the editor, try your own fee in the Guarantee product group (annual fee brackets) and run the projection.'),
  ],
  lookFor: [
    msg('“Fund capital over time”: a steady fall at a fee below break-even, a flat line at break-even.'),
    msg('“Fee income, claims and recoveries per year”: fee bars against claim bars once claims start in year 2.'),
    msg('The fiscal cost per additional loan: what each additional loan costs the budget at each fee.'),
  ],
  asks: perLanguage((l) => {
    const { t } = l;
    return [
      expectedRate(l, 'breakEven', t('Break-even annual fee of the default fund'), defaultBreakEven()),
      expected(l, 'capitalAsIs', t('Capital at the horizon at the 1.5 % fee'), 'money', feeRows()[0]!.sum.closingCapital.toNumber(), feeRows()[0]!.s.currency),
      expected(l, 'capitalHalf', t('Capital at the horizon at half the fee'), 'money', feeRows()[1]!.sum.closingCapital.toNumber(), feeRows()[1]!.s.currency),
    ];
  }),
  answer: perLanguage((l) => {
    const { t } = l;
    const rows = feeRows();
    const f = formatter(rows[0]!.s.currency, l.locale);
    const putIn = rows[0]!.sum.initialCapital.toNumber() + rows[0]!.sum.totalInjections.toNumber();
    const [asIs, half, be] = rows as [typeof rows[0], typeof rows[0], typeof rows[0]];
    return {
      paragraphs: [
        t('The break-even annual fee is {breakEven}. At 1.5 % the fund ends with {capital} of the {putIn} put in: a fiscal cost of {cost}, or {costPerLoan} per additional loan.', {
          breakEven: f.percent(defaultBreakEven(), 2), capital: f.money(asIs.sum.closingCapital.toNumber()), putIn: f.money(putIn),
          cost: f.money(asIs.sum.fiscalCost.toNumber()), costPerLoan: f.money(asIs.sum.fiscalCostPerAdditionalLoan?.toNumber() ?? null),
        }),
        t('At half the fee it ends with {half}; at {fee} (break-even, rounded up) with {atBreakEven}. Lending and claims are the same in all three: only the fee changes who pays for the losses, the borrowers or the budget.', {
          half: f.money(half.sum.closingCapital.toNumber()), fee: f.percent(roundedBreakEven(), 2), atBreakEven: f.money(be.sum.closingCapital.toNumber()),
        }),
        t('So the fee below break-even is a subsidy to borrowers paid out of the fund’s capital. It may be a sound policy choice, but it should be a choice: the fund will need new capital when the subsidy has used up the buffer.'),
      ],
      table: {
        caption: t('The default fund at three annual fees (expected case, ten years)'),
        columns: [t('Annual fee'), t('Capital at the horizon'), t('Fiscal cost'), t('Self-sufficiency')],
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

const LEVERAGE_NAME = msg('Default fund, capital {capital}, leverage cap {cap} (training)');
/** The capital (short and in full) and the cap of a leverage variant, in a language. */
const leverageValues = (v: typeof LEVERAGE_STEPS[number]) => (l: Localizer): MessageValues => {
  const f = formatter('USD', l.locale);
  return { capital: f.moneyShort(v.capital), capitalInFull: f.money(v.capital), cap: f.multiple(v.cap) };
};

const leverageVariants = LEVERAGE_STEPS.map((v) => memo(() => variantOf('default', LEVERAGE_NAME, (s) => ({
  ...s, fund: { ...s.fund, initialCapital: v.capital, leverageCap: v.cap, minCapitalRatio: Math.min(s.fund.minCapitalRatio, 1 / v.cap) },
}), leverageValues(v))));

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
  title: msg('Leverage and the probability of depletion'),
  question: msg('The same guarantees can be backed by more or less capital. What happens to the probability that the fund runs out of money when the default fund backs its book with half, then a quarter, of its capital (raising the leverage cap so it can)?'),
  context: msg('Leverage is what makes a guarantee fund cheap: each unit of capital backs several units of loans. It is also what makes it fragile: a bad cycle’s claims are measured against a thinner buffer.'),
  concepts: ['leverage', 'depletion', 'monte-carlo', 'capital-adequacy'],
  variants: LEVERAGE_STEPS.map((v, i) => ({
    id: v.id,
    label: msg('Capital {capital}, cap {cap}'),
    note: msg('The default fund with {capitalInFull} of capital and a leverage cap of {cap}.'),
    name: LEVERAGE_NAME,
    values: leverageValues(v),
    build: leverageVariants[i]!,
  })),
  steps: [
    msg('Open each variant and read leverage at the horizon and its peak, in the indicators and the “Leverage against the cap” chart.'),
    msg('On each results page, run a Monte Carlo simulation with the settings the page suggests (2,000 paths, seed 42) and read the probability of depletion.'),
    msg('Compare the “Probability of depletion by year” charts: when does the risk appear, and how fast does it grow?'),
  ],
  lookFor: [
    msg('The leverage line climbing towards its cap as capital thins.'),
    msg('The capital fan after a Monte Carlo run: how much of it falls below zero.'),
    msg('Firms supported: with enough leverage room the outreach barely changes — only the risk does.'),
  ],
  asks: perLanguage((l) => {
    const { t } = l;
    return leverageRows().map((r, i) => simulated(l, `depletion${i + 1}`, t('Probability of depletion within ten years, {variant}', { variant: variantLabel(leverage.variants[i]!, l) }), r.depletion, r.settings));
  }),
  answer: perLanguage((l) => {
    const { t } = l;
    const f = formatter('USD', l.locale);
    const rows = leverageRows();
    const [a, b, c] = rows as [typeof rows[0], typeof rows[0], typeof rows[0]];
    const dep = (r: typeof a) => withInterval(l, f, r.depletion, r.settings.paths);
    return {
      paragraphs: [
        t('With {capital} of capital the fund’s leverage peaks at {peak} and the probability of depletion within ten years is {probability}.', {
          capital: f.money(a.s.fund.initialCapital), peak: f.multiple(a.sum.peakLeverage), probability: dep(a),
        }),
        t('With half the capital behind much the same guarantees, leverage peaks at {peak}{aboveCap, select, yes { — above its {cap} cap, since the cap only stops new guarantees while claims keep eating the capital} other {}} — and the probability of depletion rises to {probability}. With a quarter of the capital it is {probabilityQuarter}{runsOut, select, yes {, and the fund runs out even in the expected case (year {year})} other {}}.', {
          peak: f.multiple(b.sum.peakLeverage), aboveCap: yes((b.sum.peakLeverage ?? 0) > b.s.fund.leverageCap), cap: f.multiple(b.s.fund.leverageCap),
          probability: dep(b), probabilityQuarter: dep(c), runsOut: yes(Boolean(c.sum.depletionYear)), year: String(c.sum.depletionYear ?? ''),
        }),
        reproduceParagraph(l, f, a.settings, rows.map((r) => r.depletion)),
        t('Firms supported go from {firms} to {firmsHalf} and {firmsQuarter}: less capital saves public money only until the thin buffer breaks. Real funds run from about 5× to over 40×; the high ones rely on a counter-guarantee from the state.', {
          firms: f.count(a.sum.firmsSupported), firmsHalf: f.count(b.sum.firmsSupported), firmsQuarter: f.count(c.sum.firmsSupported),
        }),
      ],
      table: {
        caption: t('The default fund with less capital behind the same guarantees'),
        columns: [t('Capital'), t('Leverage cap'), t('Peak leverage'), t('Firms supported'), t('Probability of depletion'), t('95 % interval'), t('Paths, seed')],
        rows: rows.map((r) => {
          const iv = intervalOfShare(r.depletion, r.settings.paths);
          return [
            f.money(r.s.fund.initialCapital), f.multiple(r.s.fund.leverageCap), f.multiple(r.sum.peakLeverage), f.count(r.sum.firmsSupported), f.percent(r.depletion, 1),
            t('{lower} to {upper}', { lower: f.percent(iv.lower, 1), upper: f.percent(iv.upper, 1) }), `${f.count(r.settings.paths)}, ${r.settings.seed}`,
          ];
        }),
      },
    };
  }),
};

// ---------------------------------------------------------------------------------------------

/** The founding-stage comparison of the budget page: EUR 10 million, the local fund’s start-ups. */
export const FOUNDING_COMPARISON_QUERY: Readonly<Record<string, string>> = {
  // The comparison's name is a message: the page that links to the form gives it in its language.
  name: msg('Guarantees or microfinance for founding-stage firms'),
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
/** The paths and seed the pre-filled budget form runs with, and its run (memoised: the core is deterministic). */
const foundingMonteCarlo = memo(() => {
  const { parsed } = foundingResult();
  const paths = Number(FOUNDING_COMPARISON_QUERY['monteCarlo.paths']!.replace(/,/g, ''));
  return { paths, mc: budgetComparisonMonteCarlo(parsed.value, { paths, seed: parsed.value.monteCarlo.seed }) };
});

/** The options' names, as the budget comparison names them. */
const OPTION_NAMES: Readonly<Record<string, string>> = {
  guaranteeFund: msg('Guarantee fund'),
  microfinance: msg('Microfinance institution'),
  revolvingFund: msg('Revolving loan fund'),
  interestSubsidy: msg('Interest subsidy'),
};

const microfinance: Exercise = {
  id: 'guarantee-vs-microfinance',
  title: msg('Guarantees or microfinance for founding-stage firms'),
  question: msg('A region has EUR 10 million for start-ups that banks will not lend to. Should it capitalise a guarantee fund, fund a microfinance institution, or lend directly through a revolving fund? Compare firms reached, the cost to borrowers, and what is left of the money after ten years.'),
  context: msg('The same budget can buy very different things. A guarantee fund multiplies its capital through leverage but pays claims; an MFI lends at high rates and can grow its equity; a revolving fund can only lend the cash it has.'),
  concepts: ['microfinance-institution', 'revolving-loan-fund', 'fiscal-cost-per-additional-loan', 'borrower-all-in-cost'],
  variants: [
    { id: 'local-fund', label: msg('The startup-focused local fund'), note: msg('The preset whose founding-stage firms are the target.'), build: startupFund },
  ],
  budget: { label: msg('Open the budget comparison, pre-filled'), query: FOUNDING_COMPARISON_QUERY },
  steps: [
    msg('Open the budget comparison (pre-filled with the local fund’s founding-stage firms and EUR 10 million) and press Compare.'),
    msg('Read the side-by-side table: distinct firms reached and loans made, lending, borrower’s all-in cost, the share of the budget used, and the present value of the public money each option consumes, per firm.'),
    msg('Change the MFI’s portfolio yield or the revolving fund’s lending rate and compare again.'),
  ],
  lookFor: [
    msg('“What is left of the budget, year by year”: which options keep their value and which spend it.'),
    msg('“Firms reached per year”: the revolving fund’s first year, then its cash constraint.'),
    msg('The Monte Carlo spread of what is left, and the probability of losing more than half.'),
  ],
  asks: perLanguage((l) => {
    const { t } = l;
    const { r } = foundingResult();
    const by = (o: string) => r.options.find((x) => x.option === o)!;
    return [
      expected(l, 'firmsGuarantee', t('Firms reached by the guarantee fund'), 'count', by('guaranteeFund').firmsReached),
      expected(l, 'firmsMicrofinance', t('Firms reached by the microfinance institution'), 'count', by('microfinance').firmsReached),
      expected(l, 'firmsRevolving', t('Firms reached by the revolving fund'), 'count', by('revolvingFund').firmsReached),
    ];
  }),
  answer: perLanguage((l) => {
    const { t } = l;
    const { parsed, r } = foundingResult();
    const { paths: mcPaths, mc } = foundingMonteCarlo();
    const f = formatter(r.currency, l.locale);
    const by = (o: string) => r.options.find((x) => x.option === o)!;
    const gf = by('guaranteeFund');
    const mfi = by('microfinance');
    const rlf = by('revolvingFund');
    const half = (o: string) => mc.options.find((x) => x.option === o)?.probabilityLosingHalf ?? null;
    const halfText = (o: string) => {
      const p = half(o);
      return p === null ? f.percent(null) : withInterval(l, f, p, mcPaths);
    };
    const most = [gf, mfi, rlf].sort((a, b) => b.firmsReached - a.firmsReached)[0]!;
    const pv = (o: typeof gf) => t('{cost} ({costPerFirm} per firm)', { cost: f.money(o.pvCost.toNumber()), costPerFirm: f.money(o.pvCostPerFirm?.toNumber() ?? null) });
    const idleCheap = (parsed.value.microfinance.idleCashRate ?? parsed.value.scenario?.fund.investmentYield ?? 0) < r.discountRate;
    const idle = mfi.budgetUsedShare < 0.5 ? (idleCheap ? 'idleCheap' : 'idle') : 'no';
    return {
      paragraphs: [
        t('Over ten years the guarantee fund reaches {firmsGuarantee} firms with bank loans of {loanSize} at an all-in cost of {rateGuarantee} a year; the microfinance institution {firmsMicrofinance} firms with {loansMicrofinance} loans of {loanSizeMicrofinance} over {months} months at {rateMicrofinance}; the revolving fund {firmsRevolving} firms at {rateRevolving}.', {
          firmsGuarantee: f.count(gf.firmsReached), loanSize: f.money(r.target.loanSize), rateGuarantee: f.percent(gf.borrowerAllInRate, 1),
          firmsMicrofinance: f.count(mfi.firmsReached), loansMicrofinance: f.count(mfi.loansMade), loanSizeMicrofinance: f.money(parsed.value.microfinance.loanSize ?? r.target.loanSize),
          months: f.count(parsed.value.microfinance.tenorMonths), rateMicrofinance: f.percent(mfi.borrowerAllInRate, 1),
          firmsRevolving: f.count(rlf.firmsReached), rateRevolving: f.percent(rlf.borrowerAllInRate, 1),
        }),
        t('On one basis — the public money each consumes, in present value at {discountRate} with every book run off after year 10 — the guarantee fund costs {costGuarantee}, the microfinance institution {costMicrofinance}, the revolving fund {costRevolving}. At its peak the MFI uses {usedMicrofinance} of the budget{idle, select, idleCheap {: microloans to these firms need little capital, and the rest of the EUR 10 million sits idle, earning less than the government pays to borrow} idle {: microloans to these firms need little capital, and the rest of the EUR 10 million sits idle} other {}}; the guarantee fund uses {usedGuarantee}, the revolving fund {usedRevolving}.', {
          discountRate: f.percent(r.discountRate, 1), costGuarantee: pv(gf), costMicrofinance: pv(mfi), costRevolving: pv(rlf),
          usedMicrofinance: f.percent(mfi.budgetUsedShare, 0), idle, usedGuarantee: f.percent(gf.budgetUsedShare, 0), usedRevolving: f.percent(rlf.budgetUsedShare, 0),
        }),
        ...(r.leverage ? [leverageSentence(r.leverage, f, t)] : []),
        t('Across {paths} simulated cycles (seed {seed}, as the pre-filled form runs them) the guarantee fund loses more than half its capital in {guarantee} of them, the revolving fund in {revolving}.', {
          paths: f.count(mcPaths), seed: String(parsed.value.monteCarlo.seed), guarantee: halfText('guaranteeFund'), revolving: halfText('revolvingFund'),
        }),
        t('{most, select, guaranteeFund {The guarantee fund} microfinance {The microfinance institution} revolvingFund {The revolving loan fund} other {The interest subsidy}} reaches the most firms. The MFI’s loans are small and short and its borrowers pay about three times the bank rate; the guarantee fund gives bank loans at bank rates and spends its capital doing it. Which is better depends on what the firms need: working capital in small amounts, or investment loans a bank can make.', {
          most: most.option,
        }),
      ],
      table: {
        caption: t('EUR 10 million for founding-stage firms, ten years (expected case; PV at the comparison’s discount rate, lifetime view)'),
        columns: [t('Option'), t('Firms reached'), t('Loans made'), t('Lending'), t('Borrower’s all-in cost'), t('Budget used'), t('PV cost per firm'), t('Losing more than half')],
        rows: [gf, mfi, rlf].map((o) => [t(OPTION_NAMES[o.option] ?? o.label), f.count(o.firmsReached), f.count(o.loansMade), f.money(o.creditVolume.toNumber()), f.percent(o.borrowerAllInRate, 1), f.percent(o.budgetUsedShare, 0), f.money(o.pvCostPerFirm?.toNumber() ?? null), f.percent(half(o.option), 0)]),
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
  title: msg('A recession in year 3'),
  question: msg('The recession-stress preset is the default fund hit by a severe recession in years 3 and 4: defaults about 1.6 times normal, lower and slower recoveries, and the business cycle pushed two standard deviations down. Does the fund survive? When is it most at risk?'),
  context: msg('Funds are priced in normal times and tested in recessions. A recession raises defaults across all firms at once, and claims arrive with a lag, just as fee income falls because fewer loans are made.'),
  concepts: ['stress-overlay', 'business-cycle', 'depletion', 'value-at-risk'],
  variants: [
    { id: 'normal', label: msg('The default fund in normal times'), note: msg('The default preset.'), build: defaultFund },
    { id: 'recession', label: msg('The same fund in a recession'), note: msg('The recession-stress preset.'), build: recessionFund },
  ],
  steps: [
    msg('Open the fund in normal times and run a Monte Carlo simulation from its results page, with the settings the page suggests (2,000 paths, seed 42).'),
    msg('Open the recession variant and run a Monte Carlo simulation with the same number of paths and seed.'),
    msg('Compare the two runs’ probability of depletion by year and the capital fans.'),
  ],
  lookFor: [
    msg('“Probability of depletion by year”: flat, then a jump in the years after the recession as claims are paid.'),
    msg('“Fund capital over time”: the fan widens and drops after year 3.'),
    msg('The value at risk of net claims in the tail-risk table.'),
  ],
  asks: perLanguage((l) => {
    const { t } = l;
    const labels = [t('Probability of depletion within ten years, the default fund in normal times'), t('Probability of depletion within ten years, the same fund in a recession')];
    return recessionRuns().map((x, i) => simulated(l, i === 0 ? 'depletionNormal' : 'depletionRecession', labels[i]!, lastOf(x.mc.probabilityOfDepletion), x.settings));
  }),
  answer: perLanguage((l) => {
    const { t } = l;
    const runs = recessionRuns();
    const [n, r] = runs as [typeof runs[0], typeof runs[0]];
    const f = formatter(n.s.currency, l.locale);
    const byYear = (x: typeof n, y: number) => x.mc.probabilityOfDepletion[y - 1] ?? null;
    const jump = r.mc.probabilityOfDepletion.findIndex((p, i) => i > 0 && p - (r.mc.probabilityOfDepletion[i - 1] ?? 0) === Math.max(...r.mc.probabilityOfDepletion.map((q, k) => (k > 0 ? q - r.mc.probabilityOfDepletion[k - 1]! : q))));
    return {
      paragraphs: [
        t('In normal times the probability that the fund runs out of capital within ten years is {normal}; in the recession it is {recession}.', {
          normal: withInterval(l, f, lastOf(n.mc.probabilityOfDepletion), n.settings.paths), recession: withInterval(l, f, lastOf(r.mc.probabilityOfDepletion), r.settings.paths),
        }),
        t('The risk arrives after the recession, not during it: the probability of depletion is {year3} by the end of year 3, {year5} by year 5 and {year7} by year 7{fastest, select, yes {, rising fastest in year {year}} other {}}, as the claims of the recession’s defaults are paid with a lag.', {
          year3: f.percent(byYear(r, 3), 1), year5: f.percent(byYear(r, 5), 1), year7: f.percent(byYear(r, 7), 1), fastest: yes(jump >= 0), year: String(jump + 1),
        }),
        reproduceParagraph(l, f, r.settings, [...n.mc.probabilityOfDepletion, ...r.mc.probabilityOfDepletion]),
        t('Even the expected case of the recession scenario ends with {capital} of capital{exhausted, select, yes {, exhausted in year {year}} other {}}, against {normal} in normal times. Buffers, leverage caps and loss caps are what a fund needs before the recession, since new capital comes late.', {
          capital: f.money(r.sum.closingCapital.toNumber()), exhausted: yes(Boolean(r.sum.depletionYear)), year: String(r.sum.depletionYear ?? ''), normal: f.money(n.sum.closingCapital.toNumber()),
        }),
      ],
      table: {
        caption: t('Probability of depletion by the end of each year'),
        // The scenarios' own names (the presets'), as their results pages show them.
        columns: [t('Year'), ...runs.map((x) => t(x.s.name))],
        rows: n.mc.probabilityOfDepletion.map((_, y) => [t('Y{year}', { year: String(y + 1) }), ...runs.map((x) => f.percent(x.mc.probabilityOfDepletion[y] ?? null, 1))]),
      },
    };
  }),
};

// ---------------------------------------------------------------------------------------------

/** Quarterly periods make a path four times the work: the exercise runs 1,000 paths. */
const withTrainingPaths = (s: Scenario): Scenario => ({ ...s, monteCarlo: { ...s.monteCarlo, paths: 1000 } });
const EFG_UNCAPPED = msg('UK EFG without the portfolio loss cap (training)');
/** The UK EFG preset with the training's paths, under its own name. */
const efgCapped = memo(() => parseOrThrow(withTrainingPaths(loadPreset('uk-efg'))));
const efgUncapped = memo(() => variantOf('uk-efg', EFG_UNCAPPED, (s) => ({ ...withTrainingPaths(s), guarantee: { ...s.guarantee, portfolioLossCap: null } })));

const lossCapRows = memo(() => [efgCapped(), efgUncapped()].map((s) => ({ s, sum: project(s).summary, settings: traineeSettings(s), mc: traineeRun(s) })));

const lossCap: Exercise = {
  monteCarlo: true,
  id: 'loss-cap',
  title: msg('Portfolio loss caps'),
  question: msg('The UK Enterprise Finance Guarantee covered 75 % of each loan, but a lender could claim on defaults only up to 13 % of what it lent under the scheme, so the government paid out at most 9.75 % of that lending. What does the cap do to claims and to the taxpayer’s cost, in the expected case and in bad cycles, and who bears the losses above it?'),
  context: msg('A loss cap bounds the fund’s cost however badly a portfolio performs, and keeps the lender’s stake in the worst loans. Coverage per loan can then be generous without giving up the lender’s incentive.'),
  concepts: ['portfolio-loss-cap', 'coverage-ratio', 'moral-hazard', 'value-at-risk'],
  variants: [
    { id: 'capped', label: msg('UK EFG with its 9.75 % payout cap'), note: msg('The UK EFG preset (quarterly periods), with 1,000 Monte Carlo paths.'), build: efgCapped },
    { id: 'uncapped', label: msg('UK EFG without the cap'), note: msg('The same scheme with no portfolio loss cap.'), name: EFG_UNCAPPED, build: efgUncapped },
  ],
  steps: [
    msg('Open the capped scheme and note claims paid and capital at the horizon.'),
    msg('Open the uncapped variant and compare.'),
    msg('Run a Monte Carlo simulation of each with the settings the page suggests (1,000 paths, seed 42): compare the value at risk of net claims (tail-risk table) — the cap matters most in bad cycles.'),
  ],
  lookFor: [
    msg('“Fee income, claims and recoveries per year”: whether the cap trims any vintage’s claims in the expected case.'),
    msg('Capital at the horizon and the fiscal cost per additional loan.'),
    msg('After a Monte Carlo run, the right tail of “Cumulative net claims: distribution”.'),
  ],
  asks: perLanguage((l) => {
    const { t } = l;
    return lossCapRows().map((r, i) => expected(l, i === 0 ? 'claimsCapped' : 'claimsUncapped', t('Claims paid over ten years (expected case), {variant}', { variant: variantLabel(lossCap.variants[i]!, l) }), 'money', r.sum.totalClaimsPaid.toNumber(), r.s.currency));
  }),
  answer: perLanguage((l) => {
    const { t } = l;
    const rows = lossCapRows();
    const [cap, none] = rows as [typeof rows[0], typeof rows[0]];
    const f = formatter(cap.s.currency, l.locale);
    const claims = (r: typeof cap) => r.sum.totalClaimsPaid.toNumber();
    const saved = claims(none) - claims(cap);
    const var99 = (r: typeof cap) => r.mc.netClaims.tail.find((x) => x.level === 0.99)?.valueAtRisk ?? null;
    const capShare = f.percent(cap.s.guarantee.portfolioLossCap, 2);
    const tailSaved = (var99(none) ?? 0) - (var99(cap) ?? 0);
    return {
      paragraphs: [
        saved > 0.5
          ? t('In the expected case the {cap} cap trims the claims of the worst vintages: the scheme pays {capped} of claims over ten years with it and {uncapped} without, {saved} ({share}) less, on the same guaranteed lending of {lending}.', {
            cap: capShare, capped: f.money(claims(cap)), uncapped: f.money(claims(none)), saved: f.money(saved), share: f.percent(saved / claims(none), 0), lending: f.money(cap.sum.guaranteedLending.toNumber()),
          })
          : t('In the expected case the {cap} cap does not bind: no vintage’s claims reach it, and the scheme pays {claims} of claims over ten years with or without it, on {lending} of guaranteed lending. A cap set above expected losses is not meant to bind in normal times.', {
            cap: capShare, claims: f.money(claims(cap)), lending: f.money(cap.sum.guaranteedLending.toNumber()),
          }),
        t('It binds in bad cycles. Across {paths} simulated cycles (seed {seed}, the settings the results page suggests), cumulative net claims average {meanCapped} with the cap and {meanUncapped} without; in the worst 1 % of cycles they exceed {worstCapped} with the cap and {worstUncapped} without.{tailSaved, select, yes { The cap takes {saved} off the taxpayer’s loss at that level.} other {}}', {
          paths: f.count(cap.settings.paths), seed: String(cap.settings.seed), meanCapped: f.money(cap.mc.netClaims.mean), meanUncapped: f.money(none.mc.netClaims.mean),
          worstCapped: f.money(var99(cap)), worstUncapped: f.money(var99(none)), tailSaved: yes(tailSaved > 0), saved: f.money(tailSaved),
        }),
        t('Above the cap every further loss on a vintage is the lenders’: the cap bounds the taxpayer’s cost however badly a cohort performs, and leaves the lenders the tail of the losses. (The model does not let the cap change how lenders screen or lend: lending is the same in both variants.)'),
      ],
      table: {
        caption: t('UK EFG with and without its portfolio loss cap (expected case and Monte Carlo, ten years)'),
        columns: [t('Variant'), t('Claims paid (expected)'), t('Capital at the horizon (expected)'), t('Fiscal cost (expected)'), t('Net claims, mean of cycles'), t('Net claims, worst 1 % of cycles')],
        rows: rows.map((r, i) => [variantLabel(lossCap.variants[i]!, l), f.money(claims(r)), f.money(r.sum.closingCapital.toNumber()), f.money(r.sum.fiscalCost.toNumber()), f.money(r.mc.netClaims.mean), f.money(var99(r))]),
      },
    };
  }),
};

// ---------------------------------------------------------------------------------------------

const DEADWEIGHT_LOW = msg('Default fund, banks rarely guarantee loans they would make anyway (training)');
const DEADWEIGHT_HIGH = msg('Default fund, banks guarantee most loans they would make anyway (training)');
const deadweightLow = memo(() => variantOf('default', DEADWEIGHT_LOW, (s) => ({ ...s, guarantee: { ...s.guarantee, deadweightTakeUp: 0.1 } })));
const deadweightHigh = memo(() => variantOf('default', DEADWEIGHT_HIGH, (s) => ({ ...s, guarantee: { ...s.guarantee, deadweightTakeUp: 0.9 } })));

const additionalityRows = memo(() => [deadweightLow(), deadweightHigh()].map((s) => ({ s, sum: project(s).summary })));

const additionality: Exercise = {
  id: 'additionality',
  title: msg('Additionality and substitution'),
  question: msg('Banks can put a guarantee on loans they would have made anyway. What happens to the fund’s outreach figures, its cost, and its cost per additional loan, when banks do that rarely (10 % of such loans) or usually (90 %)?'),
  context: msg('Substitution makes a scheme look big — many firms, much lending — while adding little credit. The fiscal cost per additional loan is the figure that does not flatter.'),
  concepts: ['additionality', 'substitution', 'deadweight', 'fiscal-cost-per-additional-loan'],
  variants: [
    { id: 'low-substitution', label: msg('Take-up by loans made anyway: 10 %'), note: msg('The default fund with little substitution.'), name: DEADWEIGHT_LOW, build: deadweightLow },
    { id: 'high-substitution', label: msg('Take-up by loans made anyway: 90 %'), note: msg('The default fund with much substitution.'), name: DEADWEIGHT_HIGH, build: deadweightHigh },
  ],
  steps: [
    msg('Open both variants and compare firms supported, guaranteed lending and additional lending.'),
    msg('Compare the fiscal cost and the fiscal cost per additional loan.'),
    msg('Look at the lending-by-stage chart: which stages’ loans are additional?'),
  ],
  lookFor: [
    msg('“Lending by stage, with and without the guarantee”: mature firms borrow anyway, founding firms do not.'),
    msg('The additional lending indicator’s sentence: the share of guaranteed lending that is additional.'),
  ],
  asks: perLanguage((l) => {
    const { t } = l;
    const labels = [t('Fiscal cost per additional loan, take-up by loans made anyway: 10 %'), t('Fiscal cost per additional loan, take-up by loans made anyway: 90 %')];
    return additionalityRows().map((r, i) => expected(l, i === 0 ? 'costLow' : 'costHigh', labels[i]!, 'money', r.sum.fiscalCostPerAdditionalLoan?.toNumber() ?? 0, r.s.currency));
  }),
  answer: perLanguage((l) => {
    const { t } = l;
    const rows = additionalityRows();
    const [lo, hi] = rows as [typeof rows[0], typeof rows[0]];
    const f = formatter(lo.s.currency, l.locale);
    const share = (r: typeof lo) => r.sum.additionalLending.toNumber() / r.sum.guaranteedLending.toNumber();
    return {
      paragraphs: [
        t('With little substitution the fund guarantees {lending} for {firms} firms, {share} of it additional. With much substitution it guarantees {lendingMuch} for {firmsMuch} firms, but only {shareMuch} is additional. {same, select, yes {Additional lending is the same in both, {additional}: the extra guarantees are all substitution.} other {Additional lending is {additional} against {additionalMuch}.}}', {
          lending: f.money(lo.sum.guaranteedLending.toNumber()), firms: f.count(lo.sum.firmsSupported), share: f.percent(share(lo), 0),
          lendingMuch: f.money(hi.sum.guaranteedLending.toNumber()), firmsMuch: f.count(hi.sum.firmsSupported), shareMuch: f.percent(share(hi), 0),
          same: yes(Math.abs(lo.sum.additionalLending.toNumber() - hi.sum.additionalLending.toNumber()) < 1),
          additional: f.money(lo.sum.additionalLending.toNumber()), additionalMuch: f.money(hi.sum.additionalLending.toNumber()),
        }),
        t('The fiscal cost per additional loan is {little} with little substitution and {much} with much. Outreach counts flatter a scheme with much substitution; judge it by what it adds.', {
          little: f.money(lo.sum.fiscalCostPerAdditionalLoan?.toNumber() ?? null), much: f.money(hi.sum.fiscalCostPerAdditionalLoan?.toNumber() ?? null),
        }),
      ],
      table: {
        caption: t('The default fund with little and much substitution (expected case, ten years)'),
        columns: [t('Variant'), t('Firms supported'), t('Guaranteed lending'), t('Additional lending'), t('Fiscal cost per additional loan')],
        rows: rows.map((r, i) => [variantLabel(additionality.variants[i]!, l), f.count(r.sum.firmsSupported), f.money(r.sum.guaranteedLending.toNumber()), f.money(r.sum.additionalLending.toNumber()), f.money(r.sum.fiscalCostPerAdditionalLoan?.toNumber() ?? null)]),
      },
    };
  }),
};

export const EXERCISES: readonly Exercise[] = [moralHazard, breakEven, leverage, microfinance, recession, lossCap, additionality];

export function exercise(id: string): Exercise | undefined {
  return EXERCISES.find((e) => e.id === id);
}
