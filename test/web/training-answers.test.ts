/**
 * Training answers that trainees can reproduce (issue 15, item 3): each answer's probabilities are
 * computed with the settings its steps tell trainees to use (the ones the results page suggests),
 * carry their sampling error, and handouts of those exercises carry the same run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMonteCarlo } from '../../src/core/montecarlo/run.ts';
import { formatter } from '../../src/i18n/format.ts';
import { EXERCISES, exercise, runToRunMargin, traineeSettings } from '../../src/training/exercises.ts';
import { makeApp, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(() => {
  t = makeApp();
});
afterAll(async () => {
  await t.close();
});

/** Wilson score interval at 95 %, written out here independently of the app's statistics module. */
function wilson(p: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

describe('the settings the steps state are the ones the answer uses', () => {
  it.each(EXERCISES.filter((e) => e.monteCarlo).map((e) => [e.id]))('%s: every variant’s suggested paths and seed are those the steps name', (id) => {
    const ex = exercise(id)!;
    const stated = ex.steps.map((s) => /\(([\d,]+) paths, seed (\d+)\)/.exec(s)).find(Boolean);
    expect(stated, 'the steps name the paths and seed').toBeTruthy();
    for (const v of ex.variants) {
      expect(traineeSettings(v.build())).toEqual({ paths: Number(stated![1]!.replace(/,/g, '')), seed: Number(stated![2]) });
    }
  });
});

describe('exercise 3: leverage and the probability of depletion', () => {
  it('quotes each variant’s probability at 2,000 paths and seed 42, with its Wilson interval, and how far another seed may land', () => {
    const ex = exercise('leverage')!;
    expect(EXERCISES.indexOf(ex)).toBe(2);
    expect(ex.steps.join(' ')).toContain('2,000 paths, seed 42');
    const answer = ex.answer();
    const f = formatter('USD');
    const ps = ex.variants.map((v) => {
      const mc = runMonteCarlo(v.build(), { paths: 2000, seed: 42 });
      return mc.probabilityOfDepletion.at(-1)!;
    });
    const text = answer.paragraphs.join(' ');
    ps.forEach((p, i) => {
      const [lo, hi] = wilson(p, 2000);
      expect(text).toContain(`${f.percent(p, 1)} (95 % interval ${f.percent(lo, 1)} to ${f.percent(hi, 1)})`);
      expect(answer.table!.rows[i]!.slice(4)).toEqual([f.percent(p, 1), `${f.percent(lo, 1)} to ${f.percent(hi, 1)}`, '2,000, 42']);
    });
    const margin = Math.max(...ps.map((p) => 1.96 * Math.sqrt((2 * p * (1 - p)) / 2000)));
    expect(text).toContain(`These probabilities come from 2,000 simulated cycles with seed 42, the settings the results page suggests: a run with them shows exactly these figures.`);
    expect(text).toContain(`differ from these by less than ${f.percent(margin, 1).replace(' %', ' percentage points')}`);
  }, 120_000);

  it('the run-to-run margin: two independent estimates of p from n paths differ by less than 1.96·√(2p(1−p)/n) 95 % of the time', () => {
    expect(runToRunMargin(0.5, 2000)).toBeCloseTo(1.96 * Math.sqrt(0.5 / 2000), 15);
    expect(runToRunMargin(0, 2000)).toBe(0);
  });

  it('the handout of a variant carries the run with the suggested settings, not “Not run”', async () => {
    const res = await t.agent.get('/training/leverage/capital-125m/summary');
    expect(res.status).toBe(200);
    const ex = exercise('leverage')!;
    const p = runMonteCarlo(ex.variants[1]!.build(), { paths: 2000, seed: 42 }).probabilityOfDepletion.at(-1)!;
    expect(res.text).toMatch(new RegExp(`id="summary-indicator-depletion">[^]*?<span class="value">${formatter('USD').percent(p, 2).replace('.', '\\.')}</span>`));
    expect(res.text).not.toContain('Not run');
    expect(res.text).toContain('2,000 paths, seed 42');
  }, 120_000);
});
