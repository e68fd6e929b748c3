import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileRunoff, RUNOFF_LAYOUT_MODULE, runoffLayoutSource } from '../../src/build/wasm.ts';
import { buildPlan } from '../../src/core/plan.ts';
import { expectedDefaults, runLedger } from '../../src/core/projection.ts';
import { parseScenario } from '../../src/core/schema.ts';
import { RUNOFF_LAYOUT, runoffLength } from '../../src/core/wasm/layout.ts';
import { instantiateRunoff } from '../../src/core/wasm/runoff.ts';
import { RUNOFF_WASM_BASE64 } from '../../src/core/wasm/runoff.wasm.ts';

describe('the WebAssembly run-off', () => {
  it('has the layout module layout.ts generates (run `npm run build:wasm` after changing the layout)', () => {
    expect(readFileSync(RUNOFF_LAYOUT_MODULE, 'utf8')).toBe(runoffLayoutSource());
  });

  it('views every array with the length the AssemblyScript lays out for it', () => {
    const runoff = instantiateRunoff({ customDefaults: () => NaN });
    const sizes = { grades: 3, maxLife: 7, periods: 11, queue: 13, transitions: true, cohorts: true };
    runoff.init(sizes.grades, sizes.maxLife, sizes.periods, sizes.queue, true, true, true);
    for (const [i, spec] of RUNOFF_LAYOUT.entries()) {
      const next = RUNOFF_LAYOUT[i + 1];
      if (!spec.shared || !next?.shared) continue;
      const bytes = runoffLength(spec.name, sizes) * (spec.type === 'i32' ? 4 : 8);
      expect(runoff.address(next.name) - runoff.address(spec.name), spec.name).toBe(Math.ceil(bytes / 8) * 8);
    }
  });

  it('embeds the binary its source compiles to (run `npm run build:wasm` after changing the source; compiling type-checks it)', async () => {
    const binary = await compileRunoff();
    expect(Buffer.from(binary).toString('base64')).toBe(RUNOFF_WASM_BASE64);
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
