import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { runMonteCarlo } from '../../src/core/montecarlo/run.ts';
import { MonteCarloPool, RunCancelledError } from '../../src/pool/pool.ts';
import { loadPreset } from '../../src/presets/index.ts';

const s = loadPreset('default');
const pools: MonteCarloPool[] = [];
const pool = (workers: number, chunkSize?: number, workerUrl?: URL) => {
  const p = new MonteCarloPool({ workers, chunkSize, workerUrl });
  pools.push(p);
  return p;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

/** The nice value of each thread of this process (Linux: field 19 of /proc/self/task/TID/stat). */
function threadNiceness(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [Number(fields[16])];
    } catch {
      return []; // a thread that ended meanwhile
    }
  });
}

describe('worker pool', () => {
  it.runIf(process.platform === 'linux')('runs its workers below the calling thread by the niceness asked for, and leaves that thread as it was', async () => {
    const base = getPriority(0);
    const lowered = Math.min(19, base + 7);
    const before = threadNiceness().filter((n) => n === lowered).length;
    const p = new MonteCarloPool({ workers: 2, niceness: 7 });
    pools.push(p);
    await p.run(s, { paths: 40, seed: 3 });
    expect(getPriority(0)).toBe(base);
    if (lowered !== base) expect(threadNiceness().filter((n) => n === lowered).length - before).toBe(2);
  });


  it('gives bit-identical results on 1 or 2 workers and any chunking, equal to one thread', async () => {
    const options = { paths: 300, seed: 17 };
    const reference = JSON.stringify(runMonteCarlo(s, options));
    const one = await pool(1, 300).run(s, options);
    const two = await pool(2, 7).run(s, options);
    const twoOther = await pool(2, 64).run(s, options);
    expect(JSON.stringify(one)).toBe(reference);
    expect(JSON.stringify(two)).toBe(reference);
    expect(JSON.stringify(twoOther)).toBe(reference);
  });

  it('reports progress up to 1 and can be cancelled', async () => {
    const p = pool(2, 10);
    const seen: number[] = [];
    await p.run(s, { paths: 100, seed: 1 }, { onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1]!)).toBe(true);

    const controller = new AbortController();
    const run = p.run(s, { paths: 50_000, seed: 1 }, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toBeInstanceOf(RunCancelledError);
    // The pool is free again afterwards.
    const after = await p.run(s, { paths: 20, seed: 2 });
    expect(after.paths).toBe(20);
  });

  it('a worker that dies mid-run fails the run with an error, not a hang, and the pool recovers', async () => {
    const crashing = pool(2, 10, new URL('../support/crashing-worker.mjs', import.meta.url));
    await expect(crashing.run(s, { paths: 100, seed: 1 })).rejects.toThrow(/worker stopped unexpectedly/);
    const failing = pool(1, 10, new URL('../support/failing-worker.mjs', import.meta.url));
    await expect(failing.run(s, { paths: 100, seed: 1 })).rejects.toThrow(/a Monte Carlo worker failed: out of luck/);
  });
});
