/**
 * What the route handlers share: the settings, the storage, the Monte Carlo runs, the policy
 * analyses, the views, CSRF, and the projections of scenarios (./projections.ts).
 */
import type { Storage } from '../storage/index.ts';
import type { AppConfig } from './config.ts';
import type { Csrf } from './http/security.ts';
import type { Views } from './http/view.ts';
import type { PolicyJobManager } from './policy/jobs.ts';
import type { Projections } from './projections.ts';
import type { RunManager } from './runs/runs.ts';

export interface Context {
  readonly config: AppConfig;
  readonly storage: Storage;
  readonly runs: RunManager;
  readonly policy: PolicyJobManager;
  readonly views: Views;
  readonly csrf: Csrf;
  readonly projections: Projections;
}
