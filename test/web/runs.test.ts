import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMonteCarlo } from '../../src/core/montecarlo/run.ts';
import { openStorage, type Storage } from '../../src/storage/index.ts';
import { InlineEngine } from '../../src/server/runs/inline-engine.ts';
import { BusyError, RunManager, UnavailableError, type RunEvent } from '../../src/server/runs/runs.ts';
import { monteCarloWork } from '../../src/server/runs/work.ts';
import { GateEngine, smallScenario, tempDir, until } from './helpers.ts';

let dir: string;
let storage: Storage;
let gate: GateEngine;

beforeEach(() => {
  dir = tempDir('cgf-runs-');
  storage = openStorage(dir);
  gate = new GateEngine();
});
afterEach(() => {
  storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const manager = (limits: Partial<ConstructorParameters<typeof RunManager>[2]> = {}, small: GateEngine | InlineEngine | null = null) =>
  new RunManager({ pool: gate, small }, storage.runs, { maxConcurrent: 1, maxQueued: 2, maxPaths: 1e6, inlinePaths: 0, ...limits });

describe('the in-thread engine', () => {
  it('gives the same result as the core’s single-threaded run', async () => {
    const s = smallScenario();
    const progress: number[] = [];
    const result = await new InlineEngine(7).run(s, { paths: 40, seed: 12 }, { onProgress: (f) => progress.push(f) });
    expect(result).toEqual(runMonteCarlo(s, { paths: 40, seed: 12 }));
    expect(progress[progress.length - 1]).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const run = new InlineEngine(1).run(smallScenario(), { paths: 500, seed: 1 }, { signal: controller.signal, onProgress: (f) => f > 0.01 && controller.abort() });
    await expect(run).rejects.toThrow(/cancelled/);
  });
});

describe('the run manager', () => {
  it('runs one at a time, queues the next ones in order and refuses beyond the queue', async () => {
    const m = manager();
    const a = m.start(smallScenario(), { paths: 10, seed: 1 });
    const b = m.start(smallScenario(), { paths: 20, seed: 2 });
    const c = m.start(smallScenario(), { paths: 30, seed: 3 });
    expect(() => m.start(smallScenario(), { paths: 40, seed: 4 })).toThrow(BusyError);
    expect(m.load()).toEqual({ running: 1, queued: 2 });
    expect(m.liveState(c.id)).toEqual({ status: 'queued', progress: 0, queuePosition: 2 });
    await until(() => gate.waiting === 1);
    expect(gate.started.map((x) => x.options.paths)).toEqual([10]);
    await gate.finish();
    await until(() => gate.started.length === 2);
    expect(gate.started[1]!.options.paths).toBe(20);
    expect(storage.runs.get(a.id)!.status).toBe('done');
    expect(storage.runs.get(b.id)!.status).toBe('running');
    await m.shutdown();
  });

  it('sends progress and end events, at most ten a second', async () => {
    const m = manager();
    const run = m.start(smallScenario(), { paths: 10, seed: 1 });
    const events: RunEvent[] = [];
    m.subscribe(run.id, (e) => events.push(e));
    await until(() => gate.waiting === 1);
    for (let i = 1; i <= 50; i++) gate.step(i / 100);
    gate.step(1);
    await gate.finish();
    await m.wait(run.id);
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.length).toBeLessThanOrEqual(3);
    expect(progress[progress.length - 1]!.progress).toBe(1);
    expect(events[events.length - 1]).toEqual({ type: 'end', status: 'done', progress: 1, error: null });
    expect(m.subscribe(run.id, () => {})).toBeNull();
  });

  it('cancels queued and running runs', async () => {
    const m = manager();
    const a = m.start(smallScenario(), { paths: 10, seed: 1 });
    const b = m.start(smallScenario(), { paths: 10, seed: 1 });
    await until(() => gate.waiting === 1);
    expect(m.cancel(b.id)).toBe(true);
    expect(storage.runs.get(b.id)).toMatchObject({ status: 'cancelled', error: 'cancelled before it started' });
    expect(m.cancel(a.id)).toBe(true);
    await m.wait(a.id);
    expect(storage.runs.get(a.id)!.status).toBe('cancelled');
    expect(gate.started[0]!.signal!.aborted).toBe(true);
    expect(m.cancel(a.id)).toBe(false);
  });

  it('sends small runs to the small-run engine and large ones to the pool', async () => {
    const small = new GateEngine();
    // The limit is in work (paths × periods relative to ten annual ones): 100 paths of this scenario.
    const m = manager({ inlinePaths: monteCarloWork(smallScenario(), 100), maxConcurrent: 2 }, small);
    m.start(smallScenario(), { paths: 100, seed: 1 });
    m.start(smallScenario(), { paths: 101, seed: 1 });
    await until(() => small.waiting === 1 && gate.waiting === 1);
    expect(small.started[0]!.options.paths).toBe(100);
    expect(gate.started[0]!.options.paths).toBe(101);
    await m.shutdown();
  });

  it('routes a run by its estimated work, not its path count', async () => {
    const small = new GateEngine();
    const m = manager({ inlinePaths: 1_000, maxConcurrent: 2 }, small);
    const long = { ...smallScenario(), horizonYears: 30, period: 'quarterly' as const };
    // 1,000 paths of 120 quarters is 12 times the limit; 1,500 paths of 5 years is 750.
    expect(m.placementOf(long, 1_000)).toBe('pool');
    expect(m.placementOf(smallScenario(), 1_500)).toBe('inline');
    m.start(long, { paths: 1_000, seed: 1 });
    m.start(smallScenario(), { paths: 1_500, seed: 1 });
    await until(() => small.waiting === 1 && gate.waiting === 1);
    expect(gate.started[0]!.scenario.horizonYears).toBe(30);
    expect(small.started[0]!.options.paths).toBe(1_500);
    await m.shutdown();
  });

  it('cancels everything on shutdown and takes no new runs', async () => {
    const m = manager();
    const a = m.start(smallScenario(), { paths: 10, seed: 1 });
    const b = m.start(smallScenario(), { paths: 10, seed: 1 });
    await until(() => gate.waiting === 1);
    await m.shutdown();
    expect(storage.runs.get(a.id)!.status).toBe('cancelled');
    expect(storage.runs.get(b.id)!.status).toBe('cancelled');
    expect(() => m.start(smallScenario(), { paths: 10, seed: 1 })).toThrow(UnavailableError);
  });

  it('is unavailable without any engine', () => {
    const m = new RunManager({ pool: null, small: null }, storage.runs, { maxConcurrent: 1, maxQueued: 1, maxPaths: 10, inlinePaths: 0 });
    expect(m.available).toBe(false);
    expect(() => m.start(smallScenario(), { paths: 1, seed: 1 })).toThrow(UnavailableError);
  });
});
