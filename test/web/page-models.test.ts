/** Page models built without HTTP: the run page and the compare page's choosers and address. */
import { describe, expect, it } from 'vitest';
import { compareQuery, compareSelects } from '../../src/server/compare/routes.ts';
import { runNotice, runPageModel } from '../../src/server/runs/routes.ts';
import { ENGLISH } from '../../src/server/scenarios/results.ts';
import type { RunRecord } from '../../src/storage/index.ts';

const run = (over: Partial<RunRecord> = {}): RunRecord => ({
  id: 'r1', scenarioId: null, scenarioName: 'Fund A', paths: 20000, seed: 7, status: 'running', error: null,
  createdAt: '2026-01-02T03:04:05.000Z', finishedAt: null, ...over,
});

describe('the run page model', () => {
  it('shows progress in whole percent, the queue position and the settings as written', () => {
    const m = runPageModel(run(), { progress: 0.456, queuePosition: 2 }, ENGLISH);
    expect(m).toMatchObject({ title: 'Monte Carlo run: Fund A', nav: 'runs', progress: 46, queuePosition: 2, pathsText: '20,000', seedText: '7', refresh: true });
    expect(runPageModel(run(), null, ENGLISH)).toMatchObject({ progress: 0, queuePosition: null });
  });

  it('says why a finished run shows only the expected case', () => {
    expect(runNotice(run({ status: 'done' }), ENGLISH)).toBeNull();
    expect(runNotice(run({ status: 'cancelled' }), ENGLISH)).toMatch(/^This run was cancelled\./);
    expect(runNotice(run({ status: 'failed', error: 'out of memory' }), ENGLISH)).toMatch(/^This run failed: out of memory\./);
  });
});

describe('the compare page', () => {
  it('writes its address from the chosen scenarios and selects each in its chooser', () => {
    const refs = [{ kind: 'preset', id: 'default' }, { kind: 'saved', id: 'a b' }] as const;
    expect(compareQuery(refs)).toBe('s=preset%3Adefault&s=saved%3Aa%20b');
    const selects = compareSelects(refs, [{ value: 'preset:default', label: 'Default' }, { value: 'saved:a b', label: 'A' }]);
    expect(selects).toHaveLength(4);
    expect(selects[0]!.options.map((o) => o.selected)).toEqual([true, false]);
    expect(selects[1]!.options.map((o) => o.selected)).toEqual([false, true]);
    expect(selects[2]!.options.every((o) => !o.selected)).toBe(true);
  });
});
