/**
 * The training section and the glossary: /training (the exercises), /training/:id (one
 * exercise: its question, the scenarios to open, what to change and look for, the answer on
 * demand), /training/:id/:variant (the variant's results; /edit its editor, /summary its
 * handout), and /glossary (every term, each with an anchor).
 */
import express, { type Request, type Response, type Router } from 'express';
import { plainNumber } from '../../i18n/format.ts';
import type { Localizer } from '../../i18n/translate.ts';
import { EXERCISES, exercise, traineeRun, variantLabel, variantNote, variantScenario, type Exercise, type Variant } from '../../training/exercises.ts';
import { glossaryEntry, glossarySorted } from '../../training/glossary.ts';
import type { Context } from '../context.ts';
import { scenarioToForm } from '../forms/form.ts';
import { termLabel } from './glossary-links.ts';
import { localizerOf } from '../http/language.ts';
import { renderEditorPage, renderResultsPage } from '../scenarios/routes.ts';
import type { ResultSource } from '../scenarios/sources.ts';
import { HttpError } from '../http/errors.ts';
import { renderSummaryPage } from '../scenarios/summary.ts';
import { sendPage } from '../http/view.ts';
import { param, route } from '../http/route.ts';

/**
 * The letter an entry is filed under: the first letter of its term, in capitals, in a script
 * that has capitals; in one without (Chinese, Thai) every entry is filed under "" (no letters).
 */
function initial(term: string, locale: string): string {
  const first = /\p{L}/u.exec(term)?.[0] ?? '';
  const upper = first.toLocaleUpperCase(locale);
  return upper !== first.toLocaleLowerCase(locale) ? upper : '';
}

/**
 * The pre-filled form's values as someone typing in the page's language would: the
 * comparison's name (the one message among them) translated, the numbers in the locale's marks
 * ("10,000,000" is "10.000.000" in Spanish), since the form reads numbers that way.
 */
function localQuery(query: Readonly<Record<string, string>>, l: Localizer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (name === 'name') out[name] = l.t(value);
    else if (/^\d{1,3}(,\d{3})*$/.test(value)) out[name] = plainNumber(Number(value.replace(/,/g, '')), l.locale);
    else out[name] = value;
  }
  return out;
}

export function trainingRouter(ctx: Context): Router {
  const r = express.Router();
  const page = (res: Response, name: string, data: Record<string, unknown>, status = 200) => sendPage(res, ctx.views, name, data, status);

  const load = (req: Request, res: Response): { ex: Exercise; number: number } => {
    const id = param(req, 'id');
    const ex = exercise(id);
    const { t } = localizerOf(res);
    if (!ex) throw new HttpError(404, t('There is no training exercise with that name.'));
    return { ex, number: EXERCISES.indexOf(ex) + 1 };
  };
  const loadVariant = (req: Request, res: Response): { ex: Exercise; number: number; variant: Variant } => {
    const { ex, number } = load(req, res);
    const variant = ex.variants.find((v) => v.id === param(req, 'variant'));
    const { t } = localizerOf(res);
    if (!variant) throw new HttpError(404, t('This exercise has no scenario with that name.'));
    return { ex, number, variant };
  };
  const banner = (l: Localizer, ex: Exercise, number: number, variant: Variant) => {
    const { t } = l;
    return {
      text: t('Training exercise {number}, “{title}”: {variant}. {note}', { number: String(number), title: t(ex.title), variant: variantLabel(variant, l), note: variantNote(variant, l) }),
      link: `/training/${ex.id}`, linkText: t('Back to the exercise'),
    };
  };

  function listExercises(_req: Request, res: Response) {
    const l = localizerOf(res);
    const { t } = l;
    page(res, 'training/training', {
      title: t('Training'), nav: 'training',
      exercises: EXERCISES.map((e, i) => ({ id: e.id, number: i + 1, title: t(e.title), question: t(e.question), concepts: e.concepts.map((c) => ({ id: c, label: termLabel(c, l) })) })),
    });
  }
  r.get('/training', route(listExercises));

  function showExercise(req: Request, res: Response) {
    const { ex, number } = load(req, res);
    const l = localizerOf(res);
    const { t } = l;
    const title = t(ex.title);
    const query = ex.budget ? localQuery(ex.budget.query, l) : null;
    const budgetUrl = query ? `/policy/budget?${new URLSearchParams(query).toString()}` : null;
    const neighbour = (e: Exercise | undefined) => (e ? { id: e.id, title: t(e.title) } : null);
    page(res, 'training/exercise', {
      title: t('Exercise {number}: {title}', { number: String(number), title }), nav: 'training',
      ex: { id: ex.id, title, question: t(ex.question), context: t(ex.context), steps: ex.steps.map((s) => t(s)), lookFor: ex.lookFor.map((s) => t(s)) },
      number, answer: ex.answer(l), asks: ex.asks(l),
      variants: ex.variants.map((v) => ({ id: v.id, label: variantLabel(v, l), note: variantNote(v, l), url: `/training/${ex.id}/${v.id}`, editUrl: `/training/${ex.id}/${v.id}/edit`, summaryUrl: `/training/${ex.id}/${v.id}/summary` })),
      budget: ex.budget && query ? { label: t(ex.budget.label), url: budgetUrl, fields: Object.entries(query).map(([name, value]) => ({ name, value })) } : null,
      concepts: ex.concepts.map((c) => {
        const entry = glossaryEntry(c);
        return { id: c, label: entry ? t(entry.term) : c, definition: entry ? t(entry.definition) : '' };
      }),
      previous: neighbour(number > 1 ? EXERCISES[number - 2] : undefined),
      next: neighbour(number < EXERCISES.length ? EXERCISES[number] : undefined),
    });
  }
  r.get('/training/:id', route(showExercise));

  /** The variant's scenario, named in the page's language. */
  const variantSource = (variant: Variant, l: Localizer): ResultSource => ({ kind: 'unsaved', id: null, scenario: variantScenario(variant, l), base: null, monteCarlo: null, run: null });

  async function showVariant(req: Request, res: Response) {
    const { ex, number, variant } = loadVariant(req, res);
    const l = localizerOf(res);
    await renderResultsPage(ctx, res, variantSource(variant, l), { banner: banner(l, ex, number, variant), summaryUrl: `/training/${ex.id}/${variant.id}/summary` });
  }
  r.get('/training/:id/:variant', route(showVariant));

  function editVariant(req: Request, res: Response) {
    const { ex, number, variant } = loadVariant(req, res);
    const l = localizerOf(res);
    const { t } = l;
    renderEditorPage(ctx, res, { values: scenarioToForm(variantScenario(variant, l), l.locale), heading: t('Edit “{name}”', { name: variantLabel(variant, l) }), banner: banner(l, ex, number, variant) });
  }
  r.get('/training/:id/:variant/edit', route(editVariant));

  async function showVariantSummary(req: Request, res: Response) {
    const { ex, number, variant } = loadVariant(req, res);
    const l = localizerOf(res);
    const { t } = l;
    // An exercise whose steps run Monte Carlo hands out the run made with the settings it suggests.
    const source = variantSource(variant, l);
    await renderSummaryPage(ctx, res, ex.monteCarlo ? { ...source, monteCarlo: traineeRun(variant.build()) } : source, {
      resultsUrl: `/training/${ex.id}/${variant.id}`,
      origin: t('Training exercise {number}: {title}. {note}', { number: String(number), title: t(ex.title), note: variantNote(variant, l) }),
    });
  }
  r.get('/training/:id/:variant/summary', route(showVariantSummary));

  function showGlossary(_req: Request, res: Response) {
    const l = localizerOf(res);
    const { t } = l;
    const entries = glossarySorted(l.t, l.locale).map((e) => ({ ...e, related: (e.related ?? []).map((id) => ({ id, label: termLabel(id, l) })) }));
    const letters = [...new Set(entries.map((e) => initial(e.term, l.locale)))];
    page(res, 'training/glossary', {
      title: t('Glossary'), nav: 'glossary', entries,
      groups: letters.map((letter) => ({ letter, entries: entries.filter((e) => initial(e.term, l.locale) === letter) })),
    });
  }
  r.get('/glossary', route(showGlossary));

  return r;
}
