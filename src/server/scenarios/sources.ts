/**
 * Where a results page's scenario comes from (a preset, a saved scenario, a Monte Carlo run or an
 * unsaved draft), and the loaders that find each one or refuse with a 404.
 */
import type { MonteCarloResult } from '../../core/montecarlo/types.ts';
import type { Scenario } from '../../core/schema.ts';
import { fill } from '../../core/validation.ts';
import { msg } from '../../i18n/index.ts';
import { ID_PATTERN, TRASH_DAYS, type RunRecord, type SavedScenario } from '../../storage/index.ts';
import type { Context } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { presetScenario } from './presets.ts';

export interface ResultSource {
  readonly kind: 'preset' | 'saved' | 'run' | 'unsaved';
  readonly id: string | null;
  readonly scenario: Scenario;
  /** URL prefix of the downloads, null for an unsaved scenario (downloads then post it). */
  readonly base: string | null;
  readonly monteCarlo: MonteCarloResult | null;
  readonly run: RunRecord | null;
  /** The stable address of a result that has no other (an unsaved scenario's draft). */
  readonly address?: string | null;
  /** For an edited saved scenario: the version it was opened at. */
  readonly version?: number | null;
}

const PRESET_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const DRAFT_ID = /^[A-Za-z0-9_-]{22}$/;

/** An unsaved scenario's result, kept as a draft named by its hash. */
export const draftSource = (id: string, scenario: Scenario, savedId: string | null = null, version: number | null = null): ResultSource =>
  ({ kind: 'unsaved', id: savedId, scenario, base: `/drafts/${id}`, monteCarlo: null, run: null, address: `/drafts/${id}`, version });

/** The loaders of one app's storage. */
export function sources(ctx: Context) {
  const { scenarios, runs: runStore } = ctx.storage;
  const loadPreset = (id: string): Scenario => {
    const s = PRESET_ID.test(id) ? presetScenario(id) : null;
    if (!s) throw new HttpError(404, msg('There is no preset with that name.'));
    return s;
  };
  const loadSaved = (id: string): SavedScenario => {
    const saved = ID_PATTERN.test(id) ? scenarios.get(id) : null;
    if (!saved) {
      const trashed = ID_PATTERN.test(id) ? scenarios.trashedName(id) : null;
      if (trashed !== null) throw new HttpError(404, fill(msg('“{name}” is in the trash.'), { name: trashed }), [fill(msg('Restore it from the trash (Saved scenarios → Trash) within {days} days of deleting it.'), { days: TRASH_DAYS })]);
      throw new HttpError(404, msg('There is no saved scenario with that id. It may have been deleted.'));
    }
    return saved;
  };
  const loadRun = (id: string): RunRecord => {
    const run = ID_PATTERN.test(id) ? runStore.get(id) : null;
    if (!run) throw new HttpError(404, msg('There is no Monte Carlo run with that id.'));
    return run;
  };
  const loadDraft = (id: string): Scenario => {
    const scenario = DRAFT_ID.test(id) ? ctx.storage.drafts.get(id) : null;
    if (!scenario) throw new HttpError(404, msg('There is no result at this address.'), [msg('Results of unsaved scenarios are kept by the server that computed them; this one may come from another server or a reset database.')]);
    return scenario;
  };
  const source = (kind: 'preset' | 'saved' | 'run', id: string): ResultSource => {
    if (kind === 'preset') return { kind, id, scenario: loadPreset(id), base: `/presets/${id}`, monteCarlo: null, run: null };
    if (kind === 'saved') return { kind, id, scenario: loadSaved(id).scenario, base: `/scenarios/${id}`, monteCarlo: null, run: null };
    const run = loadRun(id);
    const scenario = runStore.scenario(id)!;
    return { kind, id, scenario, base: `/runs/${id}`, monteCarlo: run.status === 'done' ? runStore.result(id) : null, run };
  };
  return { loadPreset, loadSaved, loadRun, loadDraft, source };
}
