/**
 * A synthetic loan tape drawn from known parameters, seeded: the demo's sample file and the
 * round-trip tests' data. Pure.
 *
 * Each calendar year draws a business-cycle factor Z_y = φ Z_{y−1} + √(1 − φ²) ε_y. A loan of
 * stage s and grade g defaults in year y with annual probability p(Z_y) = Φ((Φ⁻¹(PD) − √ρ_s Z_y)/√(1 − ρ_s)),
 * as a constant hazard over the part of the year it is on the books; it is repaid early with
 * annual probability `exit`; its firm moves to another stage (at most once) with the yearly
 * transition probabilities. A defaulted loan recovers a Beta-distributed share of its balance
 * whose mean is the stage's unsecured recovery (1 − LGD before collateral) plus
 * `collateralRecovery` × its collateral ratio, capped at 0.95, after a gamma-distributed lag.
 * Nothing after the data's end date is seen (censoring).
 */
import { inverseNormalCdf, normalCdf } from '../math/normal.ts';
import { createRng, type Xoshiro128StarStar } from '../random/rng.ts';
import { standardNormal } from '../random/samplers.ts';
import { STAGES, type Stage } from '../stages.ts';
import { DAYS_PER_YEAR, dayOf, isoDate, type Loan, type Repayment } from './rows.ts';

export interface SyntheticStage {
  readonly share: number;
  readonly grades: readonly { readonly name: string; readonly share: number; readonly pd: number }[];
  readonly assetCorrelation: number;
  readonly lgdBeforeCollateral: number;
  /** Collateral levels: share of loans and collateral value ÷ amount. */
  readonly collateral: readonly { readonly share: number; readonly ratio: number }[];
  readonly exit: number;
  readonly transitions: Partial<Record<Stage, number>>;
  readonly meanAmount: number;
  readonly tenorMonths: readonly number[];
}

export interface SyntheticParameters {
  readonly seed: number;
  readonly firstYear: number;
  readonly years: number;
  readonly loansPerYear: number;
  readonly cyclePersistence: number;
  readonly collateralRecovery: number;
  readonly recoveryLagMonths: number;
  readonly coverage: number;
  readonly stages: Readonly<Record<Stage, SyntheticStage>>;
}

export const SAMPLE_PARAMETERS: SyntheticParameters = {
  seed: 1,
  firstYear: 2012,
  years: 12,
  loansPerYear: 1000,
  cyclePersistence: 0.3,
  collateralRecovery: 0.4,
  recoveryLagMonths: 18,
  coverage: 0.7,
  stages: {
    founding: {
      share: 0.35, assetCorrelation: 0.1, lgdBeforeCollateral: 0.75, exit: 0.04, meanAmount: 30_000, tenorMonths: [24, 36, 48],
      grades: [{ name: 'A', share: 0.3, pd: 0.03 }, { name: 'B', share: 0.4, pd: 0.06 }, { name: 'C', share: 0.3, pd: 0.11 }],
      collateral: [{ share: 0.6, ratio: 0 }, { share: 0.4, ratio: 0.6 }],
      transitions: { growth: 0.15 },
    },
    growth: {
      share: 0.3, assetCorrelation: 0.1, lgdBeforeCollateral: 0.65, exit: 0.06, meanAmount: 80_000, tenorMonths: [36, 48, 60],
      grades: [{ name: 'A', share: 0.35, pd: 0.02 }, { name: 'B', share: 0.4, pd: 0.04 }, { name: 'C', share: 0.25, pd: 0.08 }],
      collateral: [{ share: 0.4, ratio: 0 }, { share: 0.6, ratio: 1.2 }],
      transitions: { maturity: 0.08 },
    },
    maturity: {
      share: 0.25, assetCorrelation: 0.1, lgdBeforeCollateral: 0.55, exit: 0.08, meanAmount: 200_000, tenorMonths: [36, 60, 84],
      grades: [{ name: 'A', share: 0.4, pd: 0.012 }, { name: 'B', share: 0.4, pd: 0.025 }, { name: 'C', share: 0.2, pd: 0.05 }],
      collateral: [{ share: 0.3, ratio: 0 }, { share: 0.7, ratio: 1.5 }],
      transitions: { transformation: 0.03 },
    },
    transformation: {
      share: 0.1, assetCorrelation: 0.1, lgdBeforeCollateral: 0.6, exit: 0.05, meanAmount: 150_000, tenorMonths: [36, 60],
      grades: [{ name: 'A', share: 0.5, pd: 0.03 }, { name: 'B', share: 0.5, pd: 0.07 }],
      collateral: [{ share: 0.5, ratio: 0 }, { share: 0.5, ratio: 1 }],
      transitions: { maturity: 0.05 },
    },
  },
};

function pick<T extends { share: number }>(rng: Xoshiro128StarStar, items: readonly T[]): T {
  let u = rng.nextFloat();
  for (const it of items) {
    u -= it.share;
    if (u < 0) return it;
  }
  return items[items.length - 1]!;
}

/** Gamma(shape k, scale θ) for k ≥ 1 (Marsaglia and Tsang 2000). */
function gamma(rng: Xoshiro128StarStar, k: number): number {
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = standardNormal(rng);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = rng.nextFloat();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

function beta(rng: Xoshiro128StarStar, mean: number, concentration: number): number {
  const a = gamma(rng, Math.max(1, mean * concentration));
  const b = gamma(rng, Math.max(1, (1 - mean) * concentration));
  return a / (a + b);
}

/** Balance of a loan `years` after origination, as a share of principal (instalments monthly, annuities at 8 %). */
export function balanceShare(repayment: Repayment, tenorMonths: number, years: number): number {
  const m = Math.min(tenorMonths, Math.floor(years * 12));
  if (repayment === 'bullet') return m >= tenorMonths ? 0 : 1;
  if (repayment === 'linear') return 1 - m / tenorMonths;
  const r = 0.08 / 12;
  return (1 - (1 + r) ** -(tenorMonths - m)) / (1 - (1 + r) ** -tenorMonths);
}

/** The recovery mean of a stage and collateral ratio, as the generator draws it. */
export function meanRecovery(p: SyntheticParameters, stage: Stage, ratio: number): number {
  return Math.min(0.95, 1 - p.stages[stage].lgdBeforeCollateral + p.collateralRecovery * ratio);
}

export interface SyntheticTape {
  readonly loans: Loan[];
  readonly asOf: number;
  /** The factor drawn for each year. */
  readonly factors: readonly number[];
}

/** Draws the tape. Loans are in origination order; the data end on 31 December of the last year. */
export function generateTape(p: SyntheticParameters): SyntheticTape {
  const rng = createRng(p.seed);
  const phi = p.cyclePersistence;
  const factors: number[] = [];
  for (let y = 0; y < p.years; y++) {
    const e = standardNormal(rng);
    factors.push(y === 0 ? e : phi * factors[y - 1]! + Math.sqrt(1 - phi * phi) * e);
  }
  const asOf = dayOf(p.firstYear + p.years - 1, 12, 31);
  const stageItems = STAGES.map((s) => ({ stage: s, share: p.stages[s].share }));
  const loans: Loan[] = [];
  const yearStart = (y: number) => dayOf(p.firstYear + y, 1, 1);
  let line = 1;
  const repayments: Repayment[] = ['annuity', 'annuity', 'linear', 'bullet'];
  for (let y = 0; y < p.years; y++) {
    const daysInYear = yearStart(y + 1) - yearStart(y);
    const origins = Array.from({ length: p.loansPerYear }, () => yearStart(y) + Math.floor(rng.nextFloat() * daysInYear)).sort((a, b) => a - b);
    for (const origination of origins) {
      line++;
      const stage = pick(rng, stageItems).stage;
      const sp = p.stages[stage];
      const grade = pick(rng, sp.grades);
      const coll = pick(rng, sp.collateral);
      const amount = Math.round(sp.meanAmount * Math.exp(0.5 * standardNormal(rng) - 0.125) / 100) * 100 || 100;
      const tenor = sp.tenorMonths[Math.floor(rng.nextFloat() * sp.tenorMonths.length)]!;
      const repayment = repayments[Math.floor(rng.nextFloat() * repayments.length)]!;
      const maturity = origination + Math.round(tenor * (DAYS_PER_YEAR / 12));
      const c = inverseNormalCdf(grade.pd);
      const rho = sp.assetCorrelation;
      const lambdaExit = -Math.log1p(-sp.exit);
      const moves = Object.entries(sp.transitions) as [Stage, number][];
      let stageNow: Stage = stage;
      let t = origination;
      let defaultDate: number | null = null;
      let closedDate: number | null = null;
      const horizon = Math.min(maturity, asOf);
      while (t < horizon && defaultDate === null && closedDate === null) {
        const yi = new Date(t * 86_400_000).getUTCFullYear() - p.firstYear;
        const segEnd = Math.min(horizon, yearStart(yi + 1));
        const pz = normalCdf((c - Math.sqrt(rho) * factors[yi]!) / Math.sqrt(1 - rho));
        const lambdaD = -Math.log1p(-Math.min(pz, 0.999999));
        const td = -Math.log(1 - rng.nextFloat()) / lambdaD * DAYS_PER_YEAR;
        const te = -Math.log(1 - rng.nextFloat()) / lambdaExit * DAYS_PER_YEAR;
        const len = segEnd - t;
        if (td < len && td <= te) defaultDate = t + Math.floor(td);
        else if (te < len) closedDate = t + Math.floor(te);
        // Stage moves (at most one): yearly probability, as a constant hazard.
        if (stageNow === stage) {
          for (const [to, q] of moves) {
            const tm = -Math.log(1 - rng.nextFloat()) / -Math.log1p(-q) * DAYS_PER_YEAR;
            const stop = defaultDate ?? closedDate ?? segEnd;
            if (tm < stop - t) { stageNow = to; break; }
          }
        }
        t = segEnd;
      }
      let ead: number | null = null;
      let recoveryAmount: number | null = null;
      let recoveryDate: number | null = null;
      if (defaultDate !== null) {
        ead = Math.round(amount * balanceShare(repayment, tenor, (defaultDate - origination) / DAYS_PER_YEAR) * 100) / 100;
        const rr = beta(rng, meanRecovery(p, stage, coll.ratio), 12);
        const lagMonths = (gamma(rng, 9) * p.recoveryLagMonths) / 9;
        const when = defaultDate + Math.round(lagMonths * (DAYS_PER_YEAR / 12));
        if (when <= asOf && ead > 0) {
          recoveryAmount = Math.round(rr * ead * 100) / 100;
          recoveryDate = when;
        }
      }
      loans.push({
        line, id: `L${String(line - 1).padStart(7, '0')}`, origination, amount, tenorMonths: tenor, repayment, stage, grade: grade.name,
        collateralValue: Math.round(coll.ratio * amount), coverage: p.coverage, defaultDate, outstandingAtDefault: ead,
        recoveryAmount, recoveryDate, closedDate, stageAtEnd: stageNow,
        region: ['North', 'South', 'East', 'West'][Math.floor(rng.nextFloat() * 4)]!, sector: ['Manufacturing', 'Trade', 'Services', 'Agriculture'][Math.floor(rng.nextFloat() * 4)]!, lender: 'Sample Bank',
      });
    }
  }
  return { loans, asOf, factors };
}

/** The sample file's headers, as a lender's export might name them (the mapping step matches them). */
export const SAMPLE_HEADERS = ['Loan ID', 'Disbursement date', 'Principal', 'Term (months)', 'Repayment', 'Stage', 'Rating', 'Collateral value',
  'Guarantee cover', 'Default date', 'Outstanding at default', 'Recovered', 'Recovery date', 'Repaid early on', 'Stage at end', 'Region', 'Sector', 'Lender'] as const;

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One CSV line of a loan, in SAMPLE_HEADERS order. */
export function loanCsvLine(l: Loan): string {
  const d = (x: number | null) => (x === null ? '' : isoDate(x));
  const n = (x: number | null) => (x === null ? '' : String(x));
  return [l.id, isoDate(l.origination), String(l.amount), String(l.tenorMonths), l.repayment ?? '', l.stage, l.grade, n(l.collateralValue),
    n(l.coverage), d(l.defaultDate), n(l.outstandingAtDefault), n(l.recoveryAmount), d(l.recoveryDate), d(l.closedDate), l.stageAtEnd ?? '',
    l.region, l.sector, l.lender].map(csvCell).join(',');
}

export function tapeCsv(loans: readonly Loan[]): string {
  return `${SAMPLE_HEADERS.join(',')}\n${loans.map(loanCsvLine).join('\n')}\n`;
}
