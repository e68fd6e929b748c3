import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { effectiveFeeRate } from '../src/core/fees.ts';
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

/** The fee rate, as a fraction of the guaranteed amount, that the preset's brackets give a loan of `principal`. */
/** The fee rate on the guaranteed amount that a schedule gives a loan of `principal`, under the schedule's rule. */
const feeRate = (brackets: Scenario['guarantee']['annualFee'], rule: Scenario['guarantee']['annualFeeRule'], principal: number, coverage: number) =>
  effectiveFeeRate(brackets, rule, principal, coverage);
const meanPdOf = (st: Scenario['stages'][keyof Scenario['stages']]) =>
  Array.isArray(st.riskGrades) ? st.riskGrades.reduce((a, g) => a + g.share * g.pd, 0) : st.riskGrades.meanPd;
const coverageOf = (s: Scenario, stage: keyof Scenario['stages']) => s.guarantee.coverageByStage[stage] ?? s.guarantee.coverageRatio;
const assumes = (s: Scenario, pattern: RegExp) => s.assumptions.some((a) => pattern.test(a));

describe('the real-scheme presets carry the published figures', () => {
  it('UK EFG: payouts capped at 13 % × 75 % of lending, 2 % a year of the loan balance, founding PDs that are stated and plausible', () => {
    const s = parsed('uk-efg.json');
    expect(s.guarantee.coverageRatio).toBe(0.75);
    // The model caps the fund's claims (coverage × balance at default) as a share of the principal lent.
    expect(s.guarantee.portfolioLossCap).toBeCloseTo(0.13 * 0.75, 12);
    // 2 % of the loan's outstanding balance, as published: 2 % ÷ coverage of the guaranteed amount.
    expect(s.guarantee.annualFee).toEqual([{ upTo: null, rate: 0.02 }]);
    expect(s.guarantee.annualFeeRule.basis).toBe('principal');
    expect(feeRate(s.guarantee.annualFee, s.guarantee.annualFeeRule, 250_000, 0.75)).toBeCloseTo(0.02 / 0.75, 10);
    // EFG lent to viable firms lacking security: a collateral-free product.
    expect(s.guarantee.collateralPolicy).toBe('none');
    expect(s.guarantee.upfrontFee.every((b) => b.rate === 0)).toBe(true);
    expect(s.guarantee.maxGuaranteedPerLoan).toBe(0.75 * 1_000_000);
    // Fewer than a quarter of founding-stage loans default over a 4-year term at the stage's mean PD.
    expect(1 - (1 - meanPdOf(s.stages.founding)) ** 4).toBeLessThan(0.25);
    expect(assumes(s, /^stages\.\*\.riskGrades: not sourced/)).toBe(true);
  });

  it('US SBA 7(a): the upfront fee of 27 March 2025 on the guaranteed portion, 0.55 % a year, and the capital called a fiction', () => {
    const s = parsed('us-sba-7a.json');
    const published = (loan: number) => {
      const guaranteed = (loan <= 150_000 ? 0.85 : 0.75) * loan;
      const fee = loan <= 150_000 ? 0.02 * guaranteed
        : loan <= 700_000 ? 0.03 * guaranteed
          : 0.035 * Math.min(guaranteed, 1_000_000) + 0.0375 * Math.max(0, guaranteed - 1_000_000);
      return fee / guaranteed;
    };
    // Exact for every loan size outside the two narrow bands that stand for the steps.
    for (const loan of [25_000, 100_000, 150_000, 160_000, 400_000, 700_000, 725_000, 1_000_000, 1_200_000, 2_000_000, 5_000_000]) {
      expect(feeRate(s.guarantee.upfrontFee, s.guarantee.upfrontFeeRule, loan, loan <= 150_000 ? 0.85 : 0.75), `loan ${loan}`).toBeCloseTo(published(loan), 6);
    }
    expect(s.guarantee.annualFee).toEqual([{ upTo: null, rate: 0.0055 }]);
    for (const stage of STAGES) {
      expect(coverageOf(s, stage), stage).toBe(s.stages[stage].loanSize <= 150_000 ? 0.85 : 0.75);
    }
    expect(s.guarantee.maxGuaranteedPerLoan).toBe(3_750_000);
    expect(assumes(s, /^fund\.initialCapital .*fiction/)).toBe(true);
    expect(assumes(s, /^fund\.leverageCap .*fictions/)).toBe(true);
  });

  it('India CGTMSE: the April 2023 slab rates on the whole amount, 85 % for micro loans, the ₹5 crore ceiling, the ₹8,000 crore infusion', () => {
    const s = parsed('india-cgtmse.json');
    const lakh = 100_000;
    const crore = 10_000_000;
    const slab = (loan: number) => (loan <= 10 * lakh ? 0.0037 : loan <= 50 * lakh ? 0.0055 : loan <= crore ? 0.006 : loan <= 2 * crore ? 0.012 : 0.0135);
    for (const loan of [2 * lakh, 5 * lakh, 10 * lakh, 11 * lakh, 25 * lakh, 50 * lakh, 51 * lakh, 75 * lakh, crore, 1.05 * crore, 1.5 * crore, 2 * crore, 2.05 * crore, 3 * crore, 5 * crore]) {
      expect(feeRate(s.guarantee.annualFee, s.guarantee.annualFeeRule, loan, 0.75), `loan ${loan}`).toBeCloseTo(slab(loan), 8);
    }
    expect(s.guarantee.coverageRatio).toBe(0.75);
    expect(s.stages.founding.loanSize).toBeLessThanOrEqual(5 * lakh);
    expect(coverageOf(s, 'founding')).toBe(0.85);
    expect(s.guarantee.maxGuaranteedPerLoan).toBe(0.75 * 5 * crore);
    expect(s.fund.claimLockInMonths).toBe(18);
    expect(s.fund.capitalInjections).toContainEqual({ year: 1, amount: 8000 * crore });
    expect(s.lender.guaranteedRiskWeight).toBe(0);
    // The slab's rate on the whole amount, the first year on the full guaranteed amount, the
    // −10 % to +70 % adjustment by claims, and a collateral-free product.
    expect(s.guarantee.annualFeeRule.method).toBe('slab');
    expect(s.guarantee.firstYearFeeOnGuaranteedAmount).toBe(true);
    const adjustments = s.guarantee.claimsRatioAdjustment!.map((b) => b.adjustment);
    expect(Math.min(...adjustments)).toBe(-0.1);
    expect(Math.max(...adjustments)).toBe(0.7);
    expect(s.guarantee.collateralPolicy).toBe('none');
  });

  it('Korea KODIT: KRW 5,091bn of capital at end-2018, KRW 1,027bn of contributions a year, the statutory multiple of 20', () => {
    const s = parsed('korea-kodit.json');
    expect(s.fund.initialCapital).toBe(5.091e12);
    expect(s.fund.capitalInjections).toHaveLength(s.horizonYears);
    for (const injection of s.fund.capitalInjections) expect(injection.amount).toBe(1.027e12);
    expect(s.fund.leverageCap).toBe(20);
  });

  it('Taiwan SMEG: NT$120 million per enterprise, net worth NT$76.42 billion at end-2020, fees and coverage in the published ranges', () => {
    const s = parsed('taiwan-smeg.json');
    expect(s.guarantee.maxGuaranteedPerLoan).toBe(120_000_000);
    expect(s.fund.initialCapital).toBe(76.42e9);
    for (const b of s.guarantee.annualFee) {
      expect(b.rate).toBeGreaterThanOrEqual(0.00375);
      expect(b.rate).toBeLessThanOrEqual(0.01375);
    }
    for (const stage of STAGES) {
      expect(coverageOf(s, stage)).toBeGreaterThanOrEqual(0.6);
      expect(coverageOf(s, stage)).toBeLessThanOrEqual(0.95);
    }
  });

  it('Thailand TCG: 2017 equity, the cap of a published phase, 1.75 % waived for the first years, state compensation', () => {
    const s = parsed('thailand-tcg.json');
    expect(s.fund.initialCapital).toBe(8_526_630_000);
    expect([0.238, 0.3]).toContain(s.guarantee.portfolioLossCap);
    expect(s.guarantee.annualFee).toEqual([{ upTo: null, rate: 0.0175 }]);
    expect(s.guarantee.coverageRatio).toBe(1);
    expect(s.guarantee.maxGuaranteedPerLoan).toBe(40_000_000);
    const subsidy = s.support.feeSubsidy;
    expect(subsidy).not.toBeNull();
    expect(subsidy!.share).toBeGreaterThan(0);
    expect(subsidy!.loanYears).toBeGreaterThanOrEqual(2);
    expect(subsidy!.loanYears).toBeLessThanOrEqual(4);
    expect(s.support.stateLossSharing).not.toBeNull();
    // The compensation rule is not published: the preset says so.
    expect(assumes(s, /^support\.stateLossSharing: .*not found/)).toBe(true);
    // The 2017 leverage, 353,868.01 / 8,526.63, is about what the leverage cap allows.
    expect(353_868.01 / 8_526.63).toBeCloseTo(41.5, 1);
    expect(s.fund.leverageCap).toBeGreaterThanOrEqual(40);
  });

  it('Chile FOGAPE: coverage by loan size, claims within 500 days of default, USD 233m of capital, fee and leverage flagged as unsourced', () => {
    const s = parsed('chile-fogape.json');
    expect(s.fund.initialCapital).toBe(233_000_000);
    const bySize = [...STAGES].sort((a, b) => s.stages[a].loanSize - s.stages[b].loanSize).map((st) => coverageOf(s, st));
    expect(bySize).toEqual([0.8, 0.8, 0.5, 0.5]);
    expect(s.fund.claimLagMonths).toBeLessThanOrEqual((500 / 365.25) * 12);
    expect(assumes(s, /^guarantee\.annualFee .*unsourced/)).toBe(true);
    expect(assumes(s, /^fund\.leverageCap .*unsourced/)).toBe(true);
  });

  it('Japan CGC: 80 % ordinary cover, fees within the nine tiers, the reinsured share marked unverified', () => {
    const s = parsed('japan-cgc.json');
    expect(s.guarantee.coverageRatio).toBe(0.8);
    for (const b of s.guarantee.annualFee) {
      expect(b.rate).toBeGreaterThanOrEqual(0.0045);
      expect(b.rate).toBeLessThanOrEqual(0.019);
    }
    expect(s.fund.counterGuarantee.share).toBeGreaterThan(0);
    expect(assumes(s, /^fund\.counterGuarantee\.share .*unverified/)).toBe(true);
    expect(assumes(s, /^fund\.counterGuarantee\.premiumRate .*unverified/)).toBe(true);
  });
});

describe('sources live in the project', () => {
  const root = new URL('../', import.meta.url);
  const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
  const walk = (dir: string): string[] =>
    readdirSync(new URL(dir, root), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}${e.name}/`) : [`${dir}${e.name}`]));
  /** What users and the app see: the code, the presets, the views, the static files, the README and the docs. */
  const productFiles = [...walk('src/'), ...walk('views/'), ...walk('public/'), ...walk('docs/'), 'README.md']
    .filter((f) => /\.(ts|mjs|js|json|hbs|css|md|html)$/.test(f));
  /** Section numbers and titles of a document, from its headings ("## 5. Real schemes", "### 5.1 UK …"). */
  const sections = (doc: string) => {
    const numbers = new Set<string>();
    const titles: string[] = [];
    for (const m of read(`docs/${doc}.md`).matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.? (.+)$/gm)) {
      numbers.add(m[1]!);
      titles.push(m[2]!.replace(/’/g, "'").toLowerCase());
    }
    return { numbers, titles };
  };
  const docs = { model: sections('model'), sources: sections('sources') };

  it('has the model and its sources in docs/, linked from the README', () => {
    expect(docs.model.numbers.size).toBeGreaterThanOrEqual(10);
    expect(docs.sources.numbers.has('5.1')).toBe(true);
    const readme = read('README.md');
    expect(readme).toContain('(docs/model.md)');
    expect(readme).toContain('(docs/sources.md)');
  });

  it('cites no document outside the project in any preset or product file', () => {
    const outside = /DOMAIN\.md|\.\.\/shared\b|shared\/DOMAIN/;
    const offenders = productFiles.filter((f) => outside.test(read(f)));
    expect(offenders).toEqual([]);
  });

  it('cites only sections of docs/model.md and docs/sources.md that exist', () => {
    const missing: string[] = [];
    for (const f of productFiles) {
      for (const m of read(f).matchAll(/docs\/(model|sources)\.md(?:\s*§\s*(\d+(?:\.\d+)?)|, ([A-Z][\w’' -]+?)(?=[);,.]))?/g)) {
        const doc = docs[m[1] as 'model' | 'sources'];
        if (m[2] && !doc.numbers.has(m[2])) missing.push(`${f}: ${m[0]}`);
        if (m[3] && !doc.titles.some((t) => t.includes(m[3]!.replace(/’/g, "'").toLowerCase().trim()))) missing.push(`${f}: ${m[0]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it.each(files.filter((f) => !['default.json', 'startup-local-fund.json', 'recession-stress.json'].includes(f)))(
    '%s cites its scheme’s section of docs/sources.md and says what is not yet modelled',
    (file) => {
      const s = parsed(file);
      expect(s.sources.some((x) => /docs\/sources\.md §5\.\d/.test(x)), file).toBe(true);
      for (const x of [...s.sources, ...s.assumptions]) expect(x.trim().length).toBeGreaterThan(10);
      expect(assumes(s, /^Not yet modelled: /), file).toBe(true);
    },
  );

  it('every preset cites docs/sources.md and lists its assumptions', () => {
    for (const f of files) {
      const s = parsed(f);
      expect(s.sources.some((x) => x.includes('docs/sources.md')), f).toBe(true);
      expect(s.assumptions.length, f).toBeGreaterThan(0);
    }
  });
});
