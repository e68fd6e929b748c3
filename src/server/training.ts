/**
 * The training section and the glossary: /training (the exercises), /training/:id (one
 * exercise: its question, the scenarios to open, what to change and look for, the answer on
 * demand), /training/:id/:variant (the variant's results; /edit its editor, /summary its
 * handout), and /glossary (every term, each with an anchor).
 */
import express, { type Request, type Response, type Router } from 'express';
import { EXERCISES, exercise, traineeRun, type Exercise, type Variant } from '../training/exercises.ts';
import { glossaryEntry, glossarySorted } from '../training/glossary.ts';
import type { Context } from './context.ts';
import { scenarioToForm } from './form.ts';
import { termLabel } from './glossary-links.ts';
import { HttpError, renderEditorPage, renderResultsPage, type ResultSource } from './pages.ts';
import { renderSummaryPage } from './summary.ts';
import { sendPage } from './view.ts';
import { param, route } from './route.ts';

export function trainingRouter(ctx: Context): Router {
  const r = express.Router();
  const page = (res: Response, name: string, data: Record<string, unknown>, status = 200) => sendPage(res, ctx.views, name, data, status);

  const load = (req: Request): { ex: Exercise; number: number } => {
    const id = param(req, 'id');
    const ex = exercise(id);
    if (!ex) throw new HttpError(404, 'There is no training exercise with that name.');
    return { ex, number: EXERCISES.indexOf(ex) + 1 };
  };
  const loadVariant = (req: Request): { ex: Exercise; number: number; variant: Variant } => {
    const { ex, number } = load(req);
    const variant = ex.variants.find((v) => v.id === param(req, 'variant'));
    if (!variant) throw new HttpError(404, 'This exercise has no scenario with that name.');
    return { ex, number, variant };
  };
  const banner = (ex: Exercise, number: number, variant: Variant) => ({
    text: `Training exercise ${number}, “${ex.title}”: ${variant.label}. ${variant.note}`,
    link: `/training/${ex.id}`, linkText: 'Back to the exercise',
  });

  r.get('/training', route((_req, res) => {
    page(res, 'training', {
      title: 'Training', nav: 'training',
      exercises: EXERCISES.map((e, i) => ({ id: e.id, number: i + 1, title: e.title, question: e.question, concepts: e.concepts.map((c) => ({ id: c, label: termLabel(c) })) })),
    });
  }));

  r.get('/training/:id', route((req, res) => {
    const { ex, number } = load(req);
    const answer = ex.answer();
    const budgetUrl = ex.budget ? `/policy/budget?${new URLSearchParams(ex.budget.query as Record<string, string>).toString()}` : null;
    page(res, 'exercise', {
      title: `Exercise ${number}: ${ex.title}`, nav: 'training',
      ex, number, answer, asks: ex.asks(),
      variants: ex.variants.map((v) => ({ ...v, url: `/training/${ex.id}/${v.id}`, editUrl: `/training/${ex.id}/${v.id}/edit`, summaryUrl: `/training/${ex.id}/${v.id}/summary` })),
      budget: ex.budget ? { label: ex.budget.label, url: budgetUrl, fields: Object.entries(ex.budget.query).map(([name, value]) => ({ name, value })) } : null,
      concepts: ex.concepts.map((c) => ({ id: c, label: glossaryEntry(c)?.term ?? c, definition: glossaryEntry(c)?.definition ?? '' })),
      previous: number > 1 ? EXERCISES[number - 2] : null,
      next: number < EXERCISES.length ? EXERCISES[number] : null,
    });
  }));

  const variantSource = (variant: Variant): ResultSource => ({ kind: 'unsaved', id: null, scenario: variant.build(), base: null, monteCarlo: null, run: null });

  r.get('/training/:id/:variant', route(async (req, res) => {
    const { ex, number, variant } = loadVariant(req);
    await renderResultsPage(ctx, res, variantSource(variant), { banner: banner(ex, number, variant), summaryUrl: `/training/${ex.id}/${variant.id}/summary` });
  }));

  r.get('/training/:id/:variant/edit', route((req, res) => {
    const { ex, number, variant } = loadVariant(req);
    renderEditorPage(ctx, res, { values: scenarioToForm(variant.build()), heading: `Edit “${variant.label}”`, banner: banner(ex, number, variant) });
  }));

  r.get('/training/:id/:variant/summary', route(async (req, res) => {
    const { ex, number, variant } = loadVariant(req);
    // An exercise whose steps run Monte Carlo hands out the run made with the settings it suggests.
    const source = variantSource(variant);
    await renderSummaryPage(ctx, res, ex.monteCarlo ? { ...source, monteCarlo: traineeRun(source.scenario) } : source, { resultsUrl: `/training/${ex.id}/${variant.id}`, origin: `Training exercise ${number}: ${ex.title}. ${variant.note}` });
  }));

  r.get('/glossary', route((_req, res) => {
    const entries = glossarySorted().map((e) => ({ ...e, related: (e.related ?? []).map((id) => ({ id, label: termLabel(id) })) }));
    const letters = [...new Set(entries.map((e) => e.term.charAt(0).toUpperCase()))];
    page(res, 'glossary', {
      title: 'Glossary', nav: 'glossary', entries,
      groups: letters.map((letter) => ({ letter, entries: entries.filter((e) => e.term.charAt(0).toUpperCase() === letter) })),
    });
  }));

  return r;
}
