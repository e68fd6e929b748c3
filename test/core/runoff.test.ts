import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/core/plan.ts';
import { expectedDefaults, runLedger } from '../../src/core/projection.ts';
import { Runoff } from '../../src/core/runoff.ts';
import { RUNOFF_LAYOUT, runoffLength } from '../../src/core/runoff-layout.ts';
import { parseScenario } from '../../src/core/schema.ts';

describe('the run-off', () => {
  it('makes every array with the length runoff-layout.ts gives, and refuses a view for other sizes', () => {
    const runoff = new Runoff({ customDefaults: () => NaN });
    const sizes = { grades: 3, maxLife: 7, periods: 11, queue: 13, transitions: true, cohorts: true };
    runoff.init(sizes.grades, sizes.maxLife, sizes.periods, sizes.queue, true, true, true);
    for (const spec of RUNOFF_LAYOUT) {
      const array = spec.type === 'i32' ? runoff.i32(spec.name as 'life', sizes) : runoff.f64(spec.name as 'alive', sizes);
      expect(array.length, spec.name).toBe(runoffLength(spec.name, sizes));
    }
    expect(runoff.f64('mix', sizes).length).toBeGreaterThan(0);
    expect(() => runoff.f64('alive', { ...sizes, periods: 12 })).toThrow();
  });

  it.each(['default.json', 'chile-fogape.json', 'recession-stress.json'])(
    'counts a custom model\'s defaults as its own: n·p through the call-back gives the projection\'s ledger exactly (%s)',
    (file) => {
      const parsed = parseScenario(JSON.parse(readFileSync(new URL(`../../src/presets/${file}`, import.meta.url), 'utf8')));
      if (!parsed.ok) throw new Error(file);
      for (const period of ['annual', 'quarterly'] as const) {
        const plan = buildPlan({ ...parsed.value, period });
        const expected = expectedDefaults(plan);
        const custom = { ...expected, defaultCount: 'custom' as const, defaults: (n: number, p: number) => n * p };
        expect(runLedger(plan, custom).periods).toEqual(runLedger(plan, expected).periods);
      }
    },
  );

  it('has a preset with stage transitions among those above, so the mix path is covered', () => {
    const files = readdirSync(new URL('../../src/presets/', import.meta.url));
    expect(files).toContain('chile-fogape.json');
    const parsed = parseScenario(JSON.parse(readFileSync(new URL('../../src/presets/chile-fogape.json', import.meta.url), 'utf8')));
    expect(parsed.ok && buildPlan(parsed.value).transitions).toBeTruthy();
  });
});
