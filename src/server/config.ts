/** Server configuration, from the environment (server.ts) or given directly (tests). */
import type { PolicyEngine } from './policy/engine.ts';
import { isLoopback, LOOPBACK_NAMES, type AllowedHosts } from './http/hosts.ts';
import type { AuthMode } from './accounts/auth.ts';
import type { SignInThrottle } from './http/throttle.ts';
import type { MonteCarloEngine } from './runs/runs.ts';
import type { ComputeEngine } from './runs/work.ts';

export interface AppConfig {
  /** Where the SQLite database lives; created when missing. ':memory:' for tests. */
  readonly dataDir: string;
  /** The worker pool for long Monte Carlo runs; without it every run is in-thread. */
  readonly pool?: MonteCarloEngine | null;
  /** Engine for small runs; the in-thread engine by default. */
  readonly smallEngine?: MonteCarloEngine | null;
  readonly maxConcurrentRuns?: number;
  readonly maxQueuedRuns?: number;
  readonly maxPaths?: number;
  /** Runs up to this many paths run in-thread and the API answers them at once. */
  readonly inlinePaths?: number;
  /**
   * The engine of large policy analyses (sweeps, tornadoes, searches, budget Monte Carlo); by
   * default the pool when it can run them. Without one they run in-thread.
   */
  readonly policyEngine?: PolicyEngine | null;
  /** Policy analyses up to this much work (in simulated paths) run in-thread; default inlinePaths. */
  readonly inlinePolicyWork?: number;
  /**
   * Where long projections and break-even searches run (a pool of one worker in server.ts):
   * one at a time, the rest queued. Without it they run in-thread.
   */
  readonly computeEngine?: (ComputeEngine & { close(): Promise<void> }) | null;
  /** Projections and break-even searches up to this much work (./work.ts) run in-thread. */
  readonly inlineComputeWork?: number;
  /** Request body limit of the JSON API, e.g. '200kb'. */
  readonly bodyLimit?: string;
  /** Body limit of an import of saved scenarios (POST /api/v1/scenarios/import). */
  readonly importBodyLimit?: string;
  /**
   * Body limit of the pages' forms. Larger than the API's so that an oversized paste reaches the
   * form's own checks and is answered beside its field with the input kept (browsers stop most
   * pastes earlier, at each field's maxlength).
   */
  readonly formBodyLimit?: string;
  /** Secret for CSRF tokens; by default one is generated and kept in the database. */
  readonly secret?: string;
  /**
   * Host names (without port) the server answers to, or 'any'. By default the loopback names:
   * a page of another site reaching this server through DNS rebinding is refused.
   */
  readonly allowedHosts?: AllowedHosts;
  /**
   * 'local' (the default, for a server on loopback): a local administrator is signed in by
   * itself. 'required': every page and API call needs a session or an API token.
   */
  readonly auth?: AuthMode;
  /** At most this many accounts may sign up with one class's join code per hour (CLASS_SIGNUPS_PER_HOUR, default 60). */
  readonly classSignupsPerHour?: number;
  /** Sign-in throttling (tests pass one with their own clock). */
  readonly throttle?: SignInThrottle;
  /** Log unexpected errors (on by default; tests may silence them). */
  readonly logErrors?: boolean;
}

export const DEFAULTS = {
  maxConcurrentRuns: 2,
  maxQueuedRuns: 4,
  maxPaths: 200_000,
  inlinePaths: 1_000,
  /** Below one ten-year annual projection (10): only very short scenarios stay in-thread. */
  inlineComputeWork: 5,
  bodyLimit: '200kb',
  importBodyLimit: '64mb',
  formBodyLimit: '8mb',
  /** A whole class signs up in its first session; a leaked code does not make hundreds of accounts. */
  classSignupsPerHour: 60,
  /**
   * The worker threads' nice increment: Linux then gives the thread answering requests about
   * nine times the CPU share of a busy worker (scheduler weights 1024 and 110) when both want it.
   */
  workerNiceness: 10,
} as const;

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min} (got “${raw}”)`);
  return n;
}

export interface ServerSettings {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly maxConcurrentRuns: number;
  readonly maxQueuedRuns: number;
  readonly maxPaths: number;
  readonly inlinePaths: number;
  readonly workers: number | undefined;
  readonly workerNiceness: number;
  readonly classSignupsPerHour: number;
  readonly allowedHosts: AllowedHosts;
  readonly auth: AuthMode;
}

/**
 * ALLOWED_HOSTS: names (comma-separated, without port) or '*'. By default the loopback names
 * when listening on loopback; otherwise the address listened on when it is a name or a
 * specific address, and any name when listening on every address (0.0.0.0, ::).
 */
export function allowedHostsFromEnv(env: NodeJS.ProcessEnv, host: string): AllowedHosts {
  const raw = env.ALLOWED_HOSTS?.trim();
  if (raw === '*') return 'any';
  if (raw) return raw.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  if (isLoopback(host)) return LOOPBACK_NAMES;
  if (host === '0.0.0.0' || host === '::' || host === '[::]') return 'any';
  return [host.includes(':') && !host.startsWith('[') ? `[${host}]` : host.toLowerCase()];
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const host = env.HOST?.trim() || '127.0.0.1';
  return {
    port: intFromEnv(env, 'PORT', 3000, 0),
    host,
    allowedHosts: allowedHostsFromEnv(env, host),
    // Sign-in is required unless the server listens only on loopback (AUTH=required forces it).
    auth: env.AUTH?.trim() === 'required' || !isLoopback(host) ? 'required' : 'local',
    dataDir: env.DATA_DIR?.trim() || './data',
    maxConcurrentRuns: intFromEnv(env, 'MAX_CONCURRENT_RUNS', DEFAULTS.maxConcurrentRuns, 1),
    maxQueuedRuns: intFromEnv(env, 'MAX_QUEUED_RUNS', DEFAULTS.maxQueuedRuns, 0),
    maxPaths: intFromEnv(env, 'MAX_PATHS', DEFAULTS.maxPaths, 1),
    inlinePaths: intFromEnv(env, 'INLINE_PATHS', DEFAULTS.inlinePaths, 0),
    workers: env.MC_WORKERS ? intFromEnv(env, 'MC_WORKERS', 1, 1) : undefined,
    workerNiceness: Math.min(19, intFromEnv(env, 'WORKER_NICENESS', DEFAULTS.workerNiceness, 0)),
    classSignupsPerHour: intFromEnv(env, 'CLASS_SIGNUPS_PER_HOUR', DEFAULTS.classSignupsPerHour, 1),
  };
}
