/**
 * Sign-in throttling: failed attempts counted per account and per address over a window;
 * past the limit, attempts are refused until the window's first failure is old enough.
 * The clock is passed in, so tests step it instead of waiting.
 */
export interface ThrottleLimits {
  readonly perName: number;
  readonly perAddress: number;
  readonly windowMs: number;
}

export const THROTTLE_DEFAULTS: ThrottleLimits = { perName: 5, perAddress: 20, windowMs: 15 * 60_000 };

export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: ThrottleLimits = THROTTLE_DEFAULTS, private readonly now: () => number = Date.now) {}

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds to wait before another attempt for this name from this address, or 0. */
  wait(name: string, address: string): number {
    const waits: number[] = [];
    for (const [key, limit] of [[`n:${name.toLowerCase()}`, this.limits.perName], [`a:${address}`, this.limits.perAddress]] as const) {
      const list = this.recent(key);
      if (list.length >= limit) waits.push(Math.ceil((list[list.length - limit]! + this.limits.windowMs - this.now()) / 1000));
    }
    return waits.length ? Math.max(1, ...waits) : 0;
  }

  failed(name: string, address: string): void {
    const t = this.now();
    for (const key of [`n:${name.toLowerCase()}`, `a:${address}`]) this.failures.set(key, [...this.recent(key), t]);
    // Bound the memory a flood of made-up names can take.
    if (this.failures.size > 100_000) this.failures.clear();
  }

  succeeded(name: string): void {
    this.failures.delete(`n:${name.toLowerCase()}`);
  }
}
