import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../src/core/money.ts';
import { project } from '../src/core/projection.ts';
import { parseScenario, type Scenario } from '../src/core/schema.ts';
import { STAGES } from '../src/core/stages.ts';
import { DEFAULT_PRESET_ID, listPresets, loadPreset, PRESET_IDS } from '../src/presets/index.ts';

const dir = new URL('../src/presets/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const read = (file: string): unknown => JSON.parse(readFileSync(new URL(file, dir), 'utf8'));

function parsed(file: string): Scenario {
  const result = parseScenario(read(file));
  if (!result.ok) throw new Error(`${file}: ${result.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return result.value;
}

describe('preset files', () => {
  it('are exactly the listed presets', () => {
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...PRESET_IDS].sort());
    for (const f of files) expect(f).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*\.json$/);
  });

  describe.each(files)('%s', (file) => {
    it('validates against the scenario schema', () => {
      const result = parseScenario(read(file));
      expect(result.ok ? [] : result.issues).toEqual([]);
    });

    it('has a name, a description, sources and assumptions', () => {
      const s = parsed(file);
      expect(s.schemaVersion).toBe(1);
      expect(s.name.trim()).not.toBe('');
      expect(s.description.trim().length).toBeGreaterThan(40);
      expect(s.sources.length).toBeGreaterThan(0);
      for (const src of s.sources) expect(src.trim()).not.toBe('');
      expect(s.assumptions.length).toBeGreaterThan(0);
    });

    it('gives every lifecycle stage differentiated, plausible parameters', () => {
      const s = parsed(file);
      const founding = s.stages.founding;
      const maturity = s.stages.maturity;
      expect(founding.loanSize).toBeLessThan(maturity.loanSize);
      const meanPd = (st: Scenario['stages'][keyof Scenario['stages']]) =>
        Array.isArray(st.riskGrades) ? st.riskGrades.reduce((a, g) => a + g.share * g.pd, 0) : st.riskGrades.meanPd;
      expect(meanPd(founding)).toBeGreaterThan(meanPd(maturity));
      for (const stage of STAGES) {
        const st = s.stages[stage];
        expect(st.applicantsPerYear).toBeGreaterThan(0);
        expect(st.collateral.length).toBeGreaterThanOrEqual(2);
        if (Array.isArray(st.riskGrades)) {
          expect(st.riskGrades.length).toBeGreaterThanOrEqual(2);
          // Listed safest first.
          const pds = st.riskGrades.map((g) => g.pd);
          expect(pds).toEqual([...pds].sort((a, b) => a - b));
        }
      }
    });

    it('runs with project() and its decimal ledger balances in every period', () => {
      const s = parsed(file);
      const p = project(s);
      expect(p.periods.length).toBe(s.horizonYears * (s.period === 'quarterly' ? 4 : 1));
      let opening = new Decimal(s.fund.initialCapital).toDecimalPlaces(2);
      for (const { ledger: l, label } of p.periods) {
        const expected = l.opening
          .plus(l.capitalInjection)
          .plus(l.capitalCalls)
          .plus(l.stateCompensation)
          .plus(l.upfrontFees)
          .plus(l.annualFees)
          .plus(l.investmentIncome)
          .plus(l.recoveries)
          .plus(l.reinsuranceRecoveries)
          .minus(l.claimsPaid)
          .minus(l.operatingCosts)
          .minus(l.reinsurancePremiums)
          .minus(l.recoveriesPassedToReinsurer);
        expect(l.closing.equals(expected), `${file} ${label}: closing ${l.closing} ≠ ${expected}`).toBe(true);
        expect(l.opening.equals(opening), `${file} ${label}: opening ${l.opening} ≠ previous closing ${opening}`).toBe(true);
        // Every line is a whole number of cents.
        for (const v of Object.values(l)) expect(v.decimalPlaces()).toBeLessThanOrEqual(2);
        opening = l.closing;
      }
      expect(p.summary.closingCapital.equals(opening)).toBe(true);
    });

    it('supports firms, and the guarantee adds lending to founding firms', () => {
      const p = project(parsed(file));
      expect(p.summary.firmsSupported).toBeGreaterThan(0);
      expect(p.summary.additionalLending.greaterThan(0)).toBe(true);
      const founding = p.lending.find((l) => l.stage === 'founding')!;
      expect(founding.additionalLoans).toBeGreaterThan(0);
    });
  });

  it('leave most funds solvent over the horizon', () => {
    const depleted = files.filter((f) => project(parsed(f)).summary.depletionYear !== null);
    expect(depleted.length).toBeLessThanOrEqual(2);
  });

  it('include at least one quarterly preset', () => {
    expect(files.some((f) => parsed(f).period === 'quarterly')).toBe(true);
  });
});

describe('listPresets', () => {
  it('lists every preset with its id, name, description and sources', () => {
    const list = listPresets();
    expect(list.map((p) => p.id)).toEqual([...PRESET_IDS]);
    for (const p of list) {
      const s = parsed(`${p.id}.json`);
      expect(p.name).toBe(s.name);
      expect(p.description).toBe(s.description);
      expect(p.sources).toEqual(s.sources);
      expect(p.sources.length).toBeGreaterThan(0);
    }
  });

  it('starts with the default preset', () => {
    expect(listPresets()[0]!.id).toBe(DEFAULT_PRESET_ID);
  });
});

describe('loadPreset', () => {
  it('loads a validated scenario', () => {
    const s = loadPreset('korea-kodit');
    expect(s.currency).toBe('KRW');
    expect(s.lender.guaranteedRiskWeight).toBe(0);
    expect(loadPreset(DEFAULT_PRESET_ID).horizonYears).toBe(10);
  });

  it('returns a fresh object on every call', () => {
    const a = loadPreset('default');
    a.fund.initialCapital = 1;
    expect(loadPreset('default').fund.initialCapital).not.toBe(1);
  });

  it.each(['../package', '../../package', 'nope', '', 'default.json', './default', 'DEFAULT', '__proto__', 'constructor', 'index'])(
    'rejects %j',
    (id) => {
      expect(() => loadPreset(id)).toThrow(/Unknown preset/);
    },
  );
});
