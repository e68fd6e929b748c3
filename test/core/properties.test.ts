import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lendingByStage } from '../../src/core/additionality.ts';
import { lenderTerms, segmentDecisions } from '../../src/core/lender.ts';
import { Decimal } from '../../src/core/money.ts';
import { INFLOWS, OUTFLOWS, project, type Projection } from '../../src/core/projection.ts';
import type { Scenario } from '../../src/core/schema.ts';
import { STAGES } from '../../src/core/stages.ts';
import { scenarioArb } from '../support/arbitraries.ts';

const RUNS = { numRuns: 150 };

/** Every number anywhere in the result, found by walking it. */
function numbers(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (Decimal.isDecimal(value)) out.push((value as InstanceType<typeof Decimal>).toNumber());
  else if (value && typeof value === 'object') for (const v of Object.values(value)) numbers(v, out);
  return out;
}

const totalClaimsIncurred = (p: Projection) => p.periods.reduce((a, r) => a + r.claimsIncurred.toNumber(), 0);

const withPd = (s: Scenario, scale: number): Scenario => ({
  ...s,
  stages: Object.fromEntries(STAGES.map((st) => {
    const grades = s.stages[st].riskGrades;
    const scaled = Array.isArray(grades) ? grades.map((g) => ({ ...g, pd: Math.min(1, g.pd * scale) })) : grades;
    return [st, { ...s.stages[st], riskGrades: scaled }];
  })) as Scenario['stages'],
});

describe('properties of the projection', () => {
  it('the ledger balances to the cent in every period, and periods chain', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const p = project(s);
      let previous = new Decimal(s.fund.initialCapital).toDecimalPlaces(2);
      for (const r of p.periods) {
        const l = r.ledger;
        expect(l.opening.equals(previous)).toBe(true);
        const inflow = INFLOWS.reduce((a, k) => a.plus(l[k]), new Decimal(0));
        const outflow = OUTFLOWS.reduce((a, k) => a.plus(l[k]), new Decimal(0));
        expect(l.closing.equals(l.opening.plus(inflow).minus(outflow))).toBe(true);
        for (const k of [...INFLOWS, ...OUTFLOWS, 'closing'] as const) expect(l[k].decimalPlaces()).toBeLessThanOrEqual(2);
        previous = l.closing;
      }
    }), RUNS);
  });

  it('no output is NaN or infinite', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const p = project(s);
      const all = numbers({ periods: p.periods, summary: p.summary, lending: p.lending });
      expect(all.every(Number.isFinite)).toBe(true);
    }), RUNS);
  });

  it('zero PD gives zero claims', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const p = project(withPd(s, 0));
      expect(totalClaimsIncurred(p)).toBe(0);
      expect(p.summary.totalClaimsPaid.isZero()).toBe(true);
    }), RUNS);
  });

  it('higher PD never lowers claims when volumes are given and capacity does not bind', () => {
    const given = scenarioArb.filter((s) => s.origination.mode === 'direct').map((s) => ({
      ...s, fund: { ...s.fund, initialCapital: 1e12, leverageCap: 100, minCapitalRatio: 0 },
    }));
    fc.assert(fc.property(given, fc.double({ min: 1, max: 3, noNaN: true }), (s, factor) => {
      // Each period's claims are reported to the cent on both sides: allow a cent of rounding per period.
      expect(totalClaimsIncurred(project(withPd(s, factor)))).toBeGreaterThanOrEqual(totalClaimsIncurred(project(s)) - 0.01 * s.horizonYears * 4);
    }), RUNS);
  });

  it('higher coverage never lowers lending (no moral hazard, borrower pays the fee)', () => {
    fc.assert(fc.property(scenarioArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (s0, a, b) => {
      const s: Scenario = { ...s0, moralHazard: { pdUpliftAtFullCoverage: 0 }, guarantee: { ...s0.guarantee, feePayer: 'borrower' } };
      const at = (c: number) => {
        const sc: Scenario = { ...s, guarantee: { ...s.guarantee, coverageRatio: c } };
        return lendingByStage(sc, segmentDecisions(sc)).reduce((t, x) => t + x.lendingWithScheme, 0);
      };
      expect(at(Math.max(a, b))).toBeGreaterThanOrEqual(at(Math.min(a, b)) - 1e-6);
    }), RUNS);
  });

  it("the lender's and the fund's shares of a loss add up to the loss", () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      for (const d of segmentDecisions(s)) {
        const params = s.stages[d.stage];
        const ratio = params.collateral[d.collateralLevel]!.ratio;
        // At PD = 1 the expected loss is the loss itself: lender's share at coverage c plus c × the whole loss.
        const whole = lenderTerms(s, params, 1, ratio, 0).expectedLoss;
        const lenderShare = lenderTerms(s, params, 1, ratio, d.effectiveCoverage).expectedLoss;
        expect(lenderShare + d.effectiveCoverage * whole).toBeCloseTo(whole, 12);
      }
    }), RUNS);
  });
});
