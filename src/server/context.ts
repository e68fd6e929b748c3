/**
 * What the route handlers share: storage, the run manager, the views, CSRF, and the
 * projection of a scenario (memoised: a preset's page is computed once, not per visit).
 */
import { createHash } from 'node:crypto';
import type { MonteCarloResult } from '../core/montecarlo/types.ts';
import { project, type Projection } from '../core/projection.ts';
import type { Scenario } from '../core/schema.ts';
import { breakEvenFees, type BreakEvenBasis, type BreakEvenFee } from '../core/solvers.ts';
import type { Storage } from '../storage/index.ts';
import type { AppConfig } from './config.ts';
import type { BreakEven, ResultInput } from './results.ts';
import type { PolicyJobManager } from './policy-jobs.ts';
import type { RunManager } from './runs.ts';
import type { Csrf } from './security.ts';
import type { Views } from './view.ts';

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
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
}

export class Context {
  private readonly projections = new Lru<Projection>(64);
  private readonly breakEvens = new Lru<Record<BreakEvenBasis, BreakEvenFee> | null>(64);

  constructor(
    readonly config: AppConfig,
    readonly storage: Storage,
    readonly runs: RunManager,
    readonly views: Views,
    readonly csrf: Csrf,
    readonly policy: PolicyJobManager,
  ) {}

  private key(s: Scenario): string {
    return createHash('sha256').update(JSON.stringify(s)).digest('base64url');
  }

  project(s: Scenario): Projection {
    const key = this.key(s);
    let p = this.projections.get(key);
    if (!p) {
      p = project(s);
      this.projections.set(key, p);
    }
    return p;
  }

  /** The break-even annual fee on every basis (a few dozen projections, so memoised too). */
  breakEvenFees(s: Scenario): Record<BreakEvenBasis, BreakEvenFee> | null {
    const key = this.key(s);
    const hit = this.breakEvens.get(key);
    if (hit !== undefined) return hit;
    let value: Record<BreakEvenBasis, BreakEvenFee> | null;
    try {
      value = breakEvenFees(s);
    } catch {
      value = null;
    }
    this.breakEvens.set(key, value);
    return value;
  }

  /** The break-even annual fee on the scenario's own basis. */
  breakEven(s: Scenario): BreakEven | null {
    return this.breakEvenFees(s)?.[s.costing.breakEvenBasis] ?? null;
  }

  compute(s: Scenario, withBreakEven = true): Computed {
    const fees = withBreakEven ? this.breakEvenFees(s) : null;
    return { projection: this.project(s), breakEven: fees?.[s.costing.breakEvenBasis] ?? null, breakEvenFees: fees };
  }

  resultInput(s: Scenario, monteCarlo: MonteCarloResult | null = null): ResultInput {
    const { projection, breakEven, breakEvenFees: fees } = this.compute(s);
    return { scenario: s, projection, breakEven, breakEvenFees: fees, monteCarlo };
  }
}
