import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/core/schema.ts';
import { twoPeriodInput } from '../support/scenarios.ts';

const issuesFor = (mutate: (s: Record<string, any>) => void) => {
  const input = structuredClone(twoPeriodInput()) as Record<string, any>;
  mutate(input);
  const r = parseScenario(input);
  return r.ok ? [] : r.issues;
};

describe('scenario validation names the field and what is wrong', () => {
  it.each([
    ['coverage above 1', (s: any) => (s.guarantee.coverageRatio = 1.2), 'guarantee.coverageRatio', 'between 0 and 1'],
    ['negative capital', (s: any) => (s.fund.initialCapital = -1), 'fund.initialCapital', 'must be 0 or more'],
    ['horizon too long', (s: any) => (s.horizonYears = 31), 'horizonYears', 'at most 30 years'],
    ['fractional horizon', (s: any) => (s.horizonYears = 2.5), 'horizonYears', 'whole number'],
    ['PD above 1', (s: any) => (s.stages.growth.riskGrades[0].pd = 1.5), 'stages.growth.riskGrades.0.pd', 'between 0 and 1'],
    ['grade shares not summing to 1', (s: any) => (s.stages.growth.riskGrades = [{ share: 0.5, pd: 0.1 }]), 'stages.growth.riskGrades', 'sum to 1'],
    ['transitions above 1', (s: any) => (s.stages.founding.transitions = { growth: 0.7, exit: 0.5 }), 'stages.founding.transitions', 'at most 1'],
    ['bad currency', (s: any) => (s.currency = 'dollars'), 'currency', 'ISO 4217'],
    ['missing lender', (s: any) => delete s.lender, 'lender', 'is required'],
    ['text for a number', (s: any) => (s.fund.investmentYield = 'high'), 'fund.investmentYield', 'must be a number'],
    ['injection after the horizon', (s: any) => (s.fund.capitalInjections = [{ year: 5, amount: 1 }]), 'fund.capitalInjections.0.year', 'after the horizon'],
    ['open bracket not last', (s: any) => (s.guarantee.annualFee = [{ upTo: null, rate: 0.01 }, { upTo: null, rate: 0.02 }]), 'guarantee.annualFee.0.upTo', 'only the last bracket'],
    ['brackets not increasing', (s: any) => (s.guarantee.annualFee = [{ upTo: 100, rate: 0.01 }, { upTo: 50, rate: 0.02 }, { upTo: null, rate: 0.03 }]), 'guarantee.annualFee.1.upTo', 'must increase'],
    ['stress ending before it starts', (s: any) => (s.monteCarlo.stress = [{ fromYear: 2, toYear: 1, shift: -1 }]), 'monteCarlo.stress.0.toYear', 'not be before'],
    ['wrong schema version', (s: any) => (s.schemaVersion = 2), 'schemaVersion', 'must be 1'],
    ['too many paths', (s: any) => (s.monteCarlo.paths = 2_000_000), 'monteCarlo.paths', 'must be at most 1,000,000'],
    ['unknown timing', (s: any) => (s.timing.defaults = 'late'), 'timing.defaults', 'must be one of "start", "middle", "end"'],
    ['negative claim lag', (s: any) => (s.fund.claimLagMonths = -3), 'fund.claimLagMonths', 'must be at least 0'],
  ])('%s', (_label, mutate, path, message) => {
    const issues = issuesFor(mutate);
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.message).toContain(message);
  });

  it('a valid scenario has no issues and gets every default filled in', () => {
    const r = parseScenario(twoPeriodInput());
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.guarantee.feePayer).toBe('borrower');
      expect(r.value.stages.growth.transitions.exit).toBe(0);
    }
  });
});
