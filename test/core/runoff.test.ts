import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileRunoff } from '../../src/build/wasm.ts';
import { buildPlan } from '../../src/core/plan.ts';
import { expectedDefaults, runLedger } from '../../src/core/projection.ts';
import { parseScenario } from '../../src/core/schema.ts';
import { RUNOFF_WASM_BASE64 } from '../../src/core/wasm/runoff.wasm.ts';

describe('the WebAssembly run-off', () => {
  it('embeds the binary its source compiles to (run `npm run build:wasm` after changing the source)', async () => {
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
