/** Shared set-up for the web tests: an app on a temporary DATA_DIR, CSRF tokens, engines. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { MonteCarloOptions, MonteCarloResult } from '../../src/core/montecarlo/types.ts';
import type { Scenario } from '../../src/core/schema.ts';
import { loadPreset } from '../../src/presets/index.ts';
import { createApp, type WebApp } from '../../src/server/app.ts';
import type { AppConfig } from '../../src/server/config.ts';
import { InlineEngine } from '../../src/server/runs/inline-engine.ts';
import { InlinePolicyEngine } from '../../src/server/policy/engine.ts';
import type { MonteCarloEngine } from '../../src/server/runs/runs.ts';

export interface TestApp {
  readonly web: WebApp;
  readonly dataDir: string;
  /** A supertest agent that keeps cookies (the CSRF cookie). */
  readonly agent: ReturnType<typeof request.agent>;
  close(): Promise<void>;
}

export function tempDir(prefix = 'cgf-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function makeApp(config: Partial<AppConfig> = {}): TestApp {
  const dataDir = tempDir();
  const web = createApp({ dataDir, logErrors: false, ...config });
  return {
    web,
    dataDir,
    agent: request.agent(web.app),
    close: async () => {
      await web.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The CSRF token of a page (the agent then holds the matching cookie). */
export function csrfToken(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token in the page');
  return m[1]!;
}

export async function freshToken(t: TestApp): Promise<string> {
  const res = await t.agent.get('/scenarios/new');
  return csrfToken(res.text);
}

export const preset = (id = 'default'): Scenario => loadPreset(id);

/** A small, fast variant of a preset (fewer years) for Monte Carlo tests. */
export function smallScenario(): Scenario {
  const s = preset('default');
  return { ...s, horizonYears: 5, monteCarlo: { ...s.monteCarlo, paths: 200 } };
}

/**
 * An engine whose runs advance only when the test says so: `step(fraction)` reports progress,
 * `finish()` completes with the in-thread engine's result, `fail(message)` rejects.
 */
export class GateEngine implements MonteCarloEngine {
  readonly started: { scenario: Scenario; options: MonteCarloOptions; signal?: AbortSignal }[] = [];
  private pending: {
    progress?: (f: number) => void;
    resolve: (r: MonteCarloResult) => void;
    reject: (e: Error) => void;
    scenario: Scenario;
    options: MonteCarloOptions;
  }[] = [];
  closed = false;

  run(scenario: Scenario, options: MonteCarloOptions, hooks: { onProgress?: (f: number) => void; signal?: AbortSignal } = {}): Promise<MonteCarloResult> {
    this.started.push({ scenario, options, signal: hooks.signal });
    return new Promise((resolve, reject) => {
      const entry = { progress: hooks.onProgress, resolve, reject, scenario, options };
      this.pending.push(entry);
      hooks.signal?.addEventListener('abort', () => {
        this.pending = this.pending.filter((p) => p !== entry);
        reject(new Error('cancelled'));
      }, { once: true });
    });
  }

  get waiting(): number {
    return this.pending.length;
  }

  step(fraction: number, index = 0): void {
    this.pending[index]?.progress?.(fraction);
  }

  async finish(index = 0): Promise<void> {
    const p = this.pending[index];
    if (!p) throw new Error('no pending run');
    this.pending.splice(index, 1);
    p.resolve(await new InlineEngine(1000).run(p.scenario, { ...p.options, paths: Math.min(p.options.paths, 100) }));
  }

  fail(message: string, index = 0): void {
    const p = this.pending.splice(index, 1)[0];
    p?.reject(new Error(message));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Where a redirect points; fails the test when the response is not a redirect. */
export function redirectTo(res: { status: number; headers: Record<string, string | undefined> }): string {
  const to = res.headers.location;
  if (to === undefined) throw new Error(`expected a redirect, got status ${res.status}`);
  return to;
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A policy engine whose work waits until the test says so: `release()` lets every pending step
 * run (in-thread), `waiting` counts the steps held. Cancellation rejects a held step.
 */
export class GatePolicyEngine extends InlinePolicyEngine {
  private held: { go: () => void; stop: (e: Error) => void }[] = [];
  readonly seen: string[] = [];

  private gate(kind: string, signal?: AbortSignal): Promise<void> {
    this.seen.push(kind);
    return new Promise((resolve, reject) => {
      const entry = { go: resolve, stop: reject };
      this.held.push(entry);
      signal?.addEventListener('abort', () => {
        this.held = this.held.filter((h) => h !== entry);
        reject(new Error('the run was cancelled'));
      }, { once: true });
    });
  }

  get waiting(): number {
    return this.held.length;
  }

  release(): void {
    for (const h of this.held.splice(0)) h.go();
  }

  override async evaluatePoints(...args: Parameters<InlinePolicyEngine['evaluatePoints']>): ReturnType<InlinePolicyEngine['evaluatePoints']> {
    args[4]?.onProgress?.(0.25);
    await this.gate('points', args[4]?.signal);
    return super.evaluatePoints(...args);
  }

  override async runTask<T extends Parameters<InlinePolicyEngine['runTask']>[0]>(task: T, hooks: Parameters<InlinePolicyEngine['runTask']>[1] = {}) {
    await this.gate('task', hooks.signal);
    return super.runTask(task, hooks);
  }

  override async run(...args: Parameters<InlinePolicyEngine['run']>): ReturnType<InlinePolicyEngine['run']> {
    await this.gate('run', args[2]?.signal);
    return super.run(...args);
  }
}
