/**
 * The projections of scenarios and their break-even fees, as the pages and the API ask for them:
 * memoised (a preset's page is computed once, not per visit), and routed by their estimated work
 * (./runs/work.ts): small ones run in the server's thread, larger ones on the compute worker
 * (`prepare`, then the synchronous getters answer from the memo). The worker takes one at a
 * time and queues the rest, so a burst of heavy requests waits there instead of holding up
 * cheap ones on the event loop.
 */
import { createHash } from 'node:crypto';
import type { MonteCarloResult } from '../core/montecarlo/types.ts';
import { project, type Projection } from '../core/projection.ts';
import type { Scenario } from '../core/schema.ts';
import { simulationDocument } from '../core/simulation-document.ts';
import { breakEvenFees, type BreakEvenBasis, type BreakEvenFee } from '../core/solvers.ts';
import type { BreakEven, ResultInput } from './scenarios/results.ts';
import { breakEvenWork, placement, projectionWork, type ComputeEngine, type Placement } from './runs/work.ts';

export type { ComputeEngine } from './runs/work.ts';

export interface ComputeOffload {
  readonly engine: ComputeEngine | null;
  /** Work (path-equivalents, ./work.ts) up to which a computation stays in the server's thread. */
  readonly inlineWork: number;
}

export interface Computed {
  readonly projection: Projection;
  /** On the scenario's own basis. */
  readonly breakEven: BreakEven | null;
  readonly breakEvenFees: Record<BreakEvenBasis, BreakEvenFee> | null;
}

/** A small least-recently-used cache. */
export class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
}

export class Projections {
  private readonly memo = new Lru<Projection>(64);
  private readonly breakEvens = new Lru<Record<BreakEvenBasis, BreakEvenFee>>(64);
  /** Computations under way on the worker, by key: identical requests share one. */
  private readonly pending = new Map<string, Promise<void>>();
  /** JSON documents being built on the worker, by key. */
  private readonly documents = new Map<string, Promise<string>>();

  constructor(readonly offload: ComputeOffload = { engine: null, inlineWork: Infinity }) {}

  /** Where a projection of `s` (and, with `withBreakEven`, its break-even search) would run. */
  placementOf(s: Scenario, withBreakEven = true): Placement {
    const work = projectionWork(s) + (withBreakEven ? breakEvenWork(s) : 0);
    return placement(work, this.offload.inlineWork, { pool: this.offload.engine !== null, inline: true });
  }

  /**
   * Makes sure the projection of `s` (and its break-even fees) are in the memo, computed on the
   * worker when their estimated work is above the in-thread limit; after it, `project`,
   * `computed` and `resultInput` answer without computing. Results are the same either way.
   */
  async prepare(s: Scenario, withBreakEven = true): Promise<void> {
    const key = this.key(s);
    const engine = this.offload.engine;
    const haveProjection = this.memo.get(key) !== undefined;
    const haveBreakEven = !withBreakEven || this.breakEvens.get(key) !== undefined;
    if (haveProjection && haveBreakEven) return;
    if (engine === null || this.placementOf(s, withBreakEven) === 'inline') return;
    const tasks: Promise<void>[] = [];
    const once = (name: string, run: () => Promise<void>) => {
      const k = `${name}:${key}`;
      let p = this.pending.get(k);
      if (!p) {
        p = run().finally(() => this.pending.delete(k));
        this.pending.set(k, p);
      }
      tasks.push(p);
    };
    if (!haveProjection) {
      once('p', async () => {
        try {
          this.memo.set(key, await engine.runTask({ kind: 'project', scenario: s }));
        } catch {
          // A worker that failed or stopped: the caller's `project` computes it in-thread,
          // with the same result or the same error as before.
        }
      });
    }
    if (!haveBreakEven) {
      once('b', async () => {
        try {
          this.breakEvens.set(key, await engine.runTask({ kind: 'breakEvenFees', scenario: s }));
        } catch {
          // As for the projection: the caller's `breakEvenFees` computes it in-thread.
        }
      });
    }
    await Promise.all(tasks);
  }

  /**
   * The projection (with `withBreakEven`, and the break-even fees) as the JSON document the API
   * answers. Above the in-thread limit the worker builds the whole document and sends one
   * string, so the event loop neither rebuilds the projection's decimal amounts nor serialises
   * them; the result is the same text either way.
   */
  async simulationJson(s: Scenario, withBreakEven: boolean): Promise<string> {
    const engine = this.offload.engine;
    if (engine !== null && this.placementOf(s, withBreakEven) === 'pool') {
      // Identical scenarios asked for together share one computation.
      const k = `${withBreakEven ? 'jb' : 'j'}:${this.key(s)}`;
      let p = this.documents.get(k);
      if (!p) {
        p = engine.runTask({ kind: 'simulationJson', scenario: s, withBreakEven }).finally(() => this.documents.delete(k));
        this.documents.set(k, p);
      }
      try {
        return await p;
      } catch {
        // A worker that failed or stopped: computed in-thread below, with the same result or
        // the same error.
      }
    }
    return JSON.stringify(simulationDocument(s, this.project(s), withBreakEven ? this.breakEvenFees(s) : undefined));
  }

  /** The projection, computed on the worker when it is long (see `prepare`). */
  async projection(s: Scenario): Promise<Projection> {
    await this.prepare(s, false);
    return this.project(s);
  }

  private key(s: Scenario): string {
    return createHash('sha256').update(JSON.stringify(s)).digest('base64url');
  }

  project(s: Scenario): Projection {
    const key = this.key(s);
    let p = this.memo.get(key);
    if (!p) {
      p = project(s);
      this.memo.set(key, p);
    }
    return p;
  }

  /** The break-even annual fee on every basis (a few dozen projections, so memoised too). */
  breakEvenFees(s: Scenario): Record<BreakEvenBasis, BreakEvenFee> {
    const key = this.key(s);
    const hit = this.breakEvens.get(key);
    if (hit !== undefined) return hit;
    // No try/catch: the search always answers (an unreachable fee is a result, not an error),
    // so an exception here is a bug and must reach the error handler and the log.
    const value = breakEvenFees(s);
    this.breakEvens.set(key, value);
    return value;
  }

  /** The break-even annual fee on the scenario's own basis. */
  breakEven(s: Scenario): BreakEven | null {
    return this.breakEvenFees(s)?.[s.costing.breakEvenBasis] ?? null;
  }

  computed(s: Scenario, withBreakEven = true): Computed {
    const fees = withBreakEven ? this.breakEvenFees(s) : null;
    return { projection: this.project(s), breakEven: fees?.[s.costing.breakEvenBasis] ?? null, breakEvenFees: fees };
  }

  resultInput(s: Scenario, monteCarlo: MonteCarloResult | null = null): ResultInput {
    const { projection, breakEven, breakEvenFees: fees } = this.computed(s);
    return { scenario: s, projection, breakEven, breakEvenFees: fees, monteCarlo };
  }
}
