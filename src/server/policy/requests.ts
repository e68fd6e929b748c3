/**
 * Policy-analysis requests: what a job computes, validated by the core's own parsers. Shared by
 * the JSON API and the forms. A scenario may be given inline, as a preset id, or as
 * `preset:<id>` / `saved:<id>`.
 */
import {
  INDICATOR_LABELS, parameterInfo, parameterLabel, parseBudgetComparison, parseSearchSpec, parseSweepSpec, parseTornadoSpec,
  type BudgetComparison, type SearchSpec, type SweepSpec, type TornadoSpec,
} from '../../core/policy/index.ts';
import { parseScenario, type FieldIssue, type ParseResult, type Scenario } from '../../core/schema.ts';
import { ID_PATTERN, StoredScenarioError, type Storage } from '../../storage/index.ts';
import { formatter } from '../../i18n/format.ts';
import { english, type Translate } from '../../i18n/index.ts';
import { presetScenario } from '../scenarios/presets.ts';

export type PolicyRequest =
  | { readonly kind: 'budget'; readonly comparison: BudgetComparison; readonly monteCarlo: { readonly paths: number; readonly seed: number } | null; readonly scenarioRef: string | null }
  | { readonly kind: 'tornado'; readonly scenario: Scenario; readonly scenarioRef: string | null; readonly spec: TornadoSpec }
  | { readonly kind: 'sweep'; readonly scenario: Scenario; readonly scenarioRef: string | null; readonly spec: SweepSpec }
  | { readonly kind: 'search'; readonly scenario: Scenario; readonly scenarioRef: string | null; readonly spec: SearchSpec };

/** Cost of one projection, in simulated paths (a projection costs about as much as 5–10 paths). */
const PROJECTION_WORK = 10;

/** Rough work of a request in path-equivalents of a ten-year annual scenario; decides inline or pool. */
export function requestWork(r: PolicyRequest): number {
  if (r.kind === 'budget') return r.monteCarlo ? r.monteCarlo.paths : 0;
  const s = r.scenario;
  const scale = (s.horizonYears * (s.period === 'quarterly' ? 4 : 1)) / 10;
  if (r.kind === 'tornado') {
    const points = 1 + 2 * r.spec.parameters.length;
    return scale * points * ((r.spec.indicator === 'depletion' ? r.spec.paths : 0) + PROJECTION_WORK);
  }
  if (r.kind === 'sweep') {
    const points = r.spec.x.steps * r.spec.y.steps;
    const depletion = r.spec.indicator === 'depletion' || r.spec.depletionTarget !== null;
    return scale * points * ((depletion ? r.spec.paths : 0) + PROJECTION_WORK);
  }
  const perRound = r.spec.gridSteps * r.spec.gridSteps;
  // Every projection of every round, at worst every point of the first round simulated, and
  // about one point a round whose interval straddles the target taken to the most paths.
  const escalation = (r.spec.refinements + 1) * Math.max(0, (r.spec.maxPaths ?? r.spec.paths) - r.spec.paths);
  return scale * (perRound * (r.spec.refinements + 1) * PROJECTION_WORK + perRound * r.spec.paths + escalation);
}

/** A job's title in the language of `t`: the comparison's own name, or what was analysed on which scenario. */
export function requestTitle(r: PolicyRequest, t: Translate = english): string {
  if (r.kind === 'budget') return r.comparison.name;
  // A preset's name is in the catalogue; a saved scenario's is its author's.
  const name = r.scenarioRef?.startsWith('preset:') ? t(r.scenario.name) : r.scenario.name;
  switch (r.kind) {
    case 'tornado': return t('Tornado of {indicator, select, capital {capital at the horizon} depletion {probability of depletion} additionalLending {additional lending} fiscalCostPerAdditionalLoan {fiscal cost per additional loan} other {firms supported}} — {scenario}', { indicator: r.spec.indicator, scenario: name });
    case 'sweep': {
      const label = (path: string) => {
        const info = parameterInfo(r.scenario, path);
        return 'error' in info ? path : parameterLabel(path, t).toLowerCase();
      };
      return t('{indicator} over {x} × {y} — {scenario}', { indicator: t(INDICATOR_LABELS[r.spec.indicator]), x: label(r.spec.x.path), y: label(r.spec.y.path), scenario: name });
    }
    case 'search': return t('Best coverage and fee — {scenario}', { scenario: name });
  }
}

/** A scenario by reference (`preset:id`, `saved:id`, a bare preset id) or inline. */
export function resolveScenario(storage: Storage, value: unknown, at = 'scenario'): { scenario: Scenario; ref: string | null } | { issues: FieldIssue[] } {
  if (typeof value === 'string') {
    const m = /^(?:(preset|saved):)?([A-Za-z0-9_-]{1,64})$/.exec(value.trim());
    if (m && (m[1] ?? 'preset') === 'preset') {
      const s = presetScenario(m[2]!);
      if (s) return { scenario: s, ref: `preset:${m[2]}` };
    } else if (m && ID_PATTERN.test(m[2]!)) {
      try {
        const saved = storage.scenarios.get(m[2]!);
        if (saved) return { scenario: saved.scenario, ref: `saved:${saved.id}` };
      } catch (e) {
        if (e instanceof StoredScenarioError) return { issues: [{ path: at, message: 'is a saved scenario that cannot be read' }] };
        throw e;
      }
    }
    return { issues: [{ path: at, message: `there is no preset or saved scenario “${value.slice(0, 80)}”` }] };
  }
  if (value === undefined || value === null) return { issues: [{ path: at, message: 'is required: a scenario object, a preset id (e.g. "default") or "saved:<id>"' }] };
  const parsed = parseScenario(value);
  if (!parsed.ok) return { issues: parsed.issues.map((i) => ({ path: `${at}.${i.path}`, message: i.message })) };
  return { scenario: parsed.value, ref: null };
}

export interface Limits {
  /** Largest number of paths for one simulation. */
  readonly maxPaths: number;
}

/** Total work a server takes for one request, in path-equivalents. */
export const maxWork = (limits: Limits) => limits.maxPaths * 10;

function workIssue(r: PolicyRequest, limits: Limits, at: string): FieldIssue[] {
  const work = requestWork(r);
  if (work <= maxWork(limits)) return [];
  const f = formatter('');
  return [{ path: at, message: `this asks for about ${f.count(work)} simulated paths in all; this server takes at most ${f.count(maxWork(limits))}: use fewer points or fewer paths` }];
}

const pathsIssue = (paths: number, limits: Limits, at = 'paths'): FieldIssue[] =>
  paths > limits.maxPaths ? [{ path: at, message: `must be at most ${formatter('').count(limits.maxPaths)} on this server` }] : [];

type Body = Record<string, unknown>;
const isObject = (x: unknown): x is Body => typeof x === 'object' && x !== null && !Array.isArray(x);

function sensitivityBase(storage: Storage, body: unknown): { scenario: Scenario; ref: string | null; rest: Body } | { issues: FieldIssue[] } {
  if (!isObject(body)) return { issues: [{ path: '(request)', message: 'must be a JSON object with a scenario and the analysis settings' }] };
  const { scenario, ...rest } = body;
  const resolved = resolveScenario(storage, scenario);
  if ('issues' in resolved) return resolved;
  return { scenario: resolved.scenario, ref: resolved.ref, rest };
}

export function tornadoRequest(storage: Storage, body: unknown, limits: Limits): ParseResult<PolicyRequest> {
  const base = sensitivityBase(storage, body);
  if ('issues' in base) return { ok: false, issues: base.issues };
  const spec = parseTornadoSpec(base.rest, base.scenario);
  if (!spec.ok) return spec;
  const request: PolicyRequest = { kind: 'tornado', scenario: base.scenario, scenarioRef: base.ref, spec: spec.value };
  const issues = [...pathsIssue(spec.value.paths, limits), ...workIssue(request, limits, 'parameters')];
  return issues.length ? { ok: false, issues } : { ok: true, value: request };
}

export function sweepRequest(storage: Storage, body: unknown, limits: Limits): ParseResult<PolicyRequest> {
  const base = sensitivityBase(storage, body);
  if ('issues' in base) return { ok: false, issues: base.issues };
  const spec = parseSweepSpec(base.rest, base.scenario);
  if (!spec.ok) return spec;
  const request: PolicyRequest = { kind: 'sweep', scenario: base.scenario, scenarioRef: base.ref, spec: spec.value };
  const issues = [...pathsIssue(spec.value.paths, limits), ...workIssue(request, limits, 'y.steps')];
  return issues.length ? { ok: false, issues } : { ok: true, value: request };
}

export function searchRequest(storage: Storage, body: unknown, limits: Limits): ParseResult<PolicyRequest> {
  const base = sensitivityBase(storage, body);
  if ('issues' in base) return { ok: false, issues: base.issues };
  const spec = parseSearchSpec(base.rest);
  if (!spec.ok) return spec;
  const request: PolicyRequest = { kind: 'search', scenario: base.scenario, scenarioRef: base.ref, spec: spec.value };
  const issues = [...pathsIssue(spec.value.paths, limits), ...workIssue(request, limits, 'gridSteps')];
  return issues.length ? { ok: false, issues } : { ok: true, value: request };
}

/**
 * A budget comparison request. `monteCarlo`: null = none; otherwise paths and seed override the
 * comparison's own monteCarlo settings when given.
 */
export function budgetRequest(storage: Storage, body: unknown, mc: { run: boolean; paths?: number; seed?: number }, limits: Limits): ParseResult<PolicyRequest> {
  if (!isObject(body)) return { ok: false, issues: [{ path: '(comparison)', message: 'must be a JSON object describing a budget comparison' }] };
  let input: Body = body;
  let ref: string | null = null;
  if (body.scenario !== undefined && body.scenario !== null) {
    const resolved = resolveScenario(storage, body.scenario);
    if ('issues' in resolved) return { ok: false, issues: resolved.issues };
    input = { ...body, scenario: resolved.scenario };
    ref = resolved.ref;
  }
  const parsed = parseBudgetComparison(input);
  if (!parsed.ok) return parsed;
  const c = parsed.value;
  const paths = mc.paths ?? c.monteCarlo.paths;
  const seed = mc.seed ?? c.monteCarlo.seed;
  const issues = mc.run ? pathsIssue(paths, limits, 'monteCarlo.paths') : [];
  if (issues.length) return { ok: false, issues };
  return { ok: true, value: { kind: 'budget', comparison: c, monteCarlo: mc.run ? { paths, seed } : null, scenarioRef: ref } };
}
