/**
 * The capital a fund needs for a target probability of depletion, with its sampling error: the
 * request (shared by the JSON API and the page), and its reading in words. The bisection runs
 * in the server's thread, so the paths are bounded (MAX_CAPITAL_PATHS).
 */
import { z } from 'zod';
import { capitalForTarget, type CapitalForTargetResult } from '../../core/montecarlo/capital.ts';
import { issuesOf, type FieldIssue, type Scenario } from '../../core/schema.ts';
import { DEFAULT_CONFIDENCE } from '../../core/stats/intervals.ts';
import { formatter } from '../../i18n/format.ts';
import { msg, type Localizer } from '../../i18n/index.ts';
import { fill } from '../../core/validation.ts';
import { ENGLISH } from '../scenarios/results.ts';

/** Paths per evaluation; each request simulates them at some 20 capitals. */
export const MAX_CAPITAL_PATHS = 5000;

const numberError = (issue: { input?: unknown }) => (issue.input === undefined ? msg('is required') : msg('must be a number'));
const betweenZeroAndOne = msg('must be more than 0 and less than 1 (0.01 = 1 %)');

export const CapitalRequestSchema = z.object({
  target: z.number({ error: numberError }).gt(0, { error: betweenZeroAndOne }).lt(1, { error: betweenZeroAndOne }),
  paths: z.number({ error: numberError }).int({ error: msg('must be a whole number') }).min(100, { error: fill(msg('must be at least {min}'), { min: 100 }) }).max(MAX_CAPITAL_PATHS, { error: fill(msg('must be at most {max}'), { max: MAX_CAPITAL_PATHS.toLocaleString('en') }) }).default(1000),
  seed: z.number({ error: numberError }).int({ error: msg('must be a whole number') }).min(0, { error: msg('must be 0 or more') }).max(2 ** 32 - 1, { error: fill(msg('must be at most {max}'), { max: '4294967295' }) }).nullable().default(null),
  confidence: z.number({ error: numberError }).min(0.5, { error: fill(msg('must be between {min} and {max}'), { min: 0.5, max: 0.999 }) }).max(0.999, { error: fill(msg('must be between {min} and {max}'), { min: 0.5, max: 0.999 }) }).default(DEFAULT_CONFIDENCE),
});
export type CapitalRequest = z.output<typeof CapitalRequestSchema>;

export function parseCapitalRequest(input: unknown): { ok: true; value: CapitalRequest } | { ok: false; issues: FieldIssue[] } {
  const r = CapitalRequestSchema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: issuesOf(r.error) };
}

export function computeCapital(s: Scenario, req: CapitalRequest): CapitalForTargetResult {
  return capitalForTarget(s, req.target, { paths: req.paths, seed: req.seed ?? s.monteCarlo.seed, confidence: req.confidence });
}

export interface CapitalView {
  readonly ok: boolean;
  readonly headline: string;
  readonly rows: readonly { label: string; capital: string; probability: string; interval: string }[];
  readonly notes: readonly string[];
}

/** The result in words and a table, in the scenario's currency. */
export function capitalView(s: Scenario, r: CapitalForTargetResult, l: Localizer = ENGLISH): CapitalView {
  const { t } = l;
  const f = formatter(s.currency, l.locale);
  if (!r.ok) return { ok: false, headline: t('No capital found: {reason}.', { reason: r.reason }), rows: [], notes: [] };
  const level = f.percent(r.confidence, 0);
  const row = (label: string, e: { capital: number; interval: { estimate: number; lower: number; upper: number } }) => ({
    label, capital: f.money(e.capital), probability: f.percent(e.interval.estimate, 2), interval: t('{lower} to {upper}', { lower: f.percent(e.interval.lower, 2), upper: f.percent(e.interval.upper, 2) }),
  });
  const rows = [
    row(t('Central estimate: share of depleted paths at most the target'), r.central),
    ...(r.prudent ? [row(t('Prudent: the whole {level} interval at most the target', { level }), r.prudent)] : []),
    row(t('The scenario’s own capital'), r.current),
  ];
  const v = { years: s.horizonYears, target: f.percent(r.target, 2), central: f.money(r.central.capital), paths: f.count(r.paths), prudent: r.prudent ? f.money(r.prudent.capital) : '', level, seed: String(r.seed) };
  const headline = r.prudent
    ? t('To keep the probability of depletion within {years, plural, one {# year} other {# years}} at or below {target}, the fund needs about {central} of initial capital; allowing for sampling error at {paths} paths, {prudent}.', v)
    : t('To keep the probability of depletion at or below {target}, the fund needs about {central} of initial capital; at {paths} paths the {level} interval never falls under the target, so no prudent figure can be given: use more paths.', v);
  return {
    ok: true, headline, rows,
    notes: [
      t('Each capital is tried on the same {paths} simulated paths (seed {seed}), by bisection to 0.1 % of the highest capital tried; a probability from {paths} paths is an estimate, shown with its {level} Wilson interval.', v),
      t('The central estimate is the smallest capital at which the share of depleted paths meets the target; the prudent figure is the smallest at which the whole interval does, so it holds even if the true probability is at the top of the interval. More paths bring them closer.'),
      t('More capital can also mean more guarantees where the leverage cap binds, so the probability need not fall steadily with capital; the bisection returns a capital that meets the target next to one that does not.'),
    ],
  };
}
