/**
 * Training in the pseudo-locale: the list of exercises, every exercise page with its answer
 * (paragraphs, table, the numbers to give and their tolerances), every variant's results,
 * editor copy and printable handout, and the glossary show nothing but translated messages and
 * data (the presets' own names, codes). In Spanish each still renders, with lang="es".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { languages } from '../../src/i18n/index.ts';
import { loadPreset } from '../../src/presets/index.ts';
import { ENGLISH, EXERCISES } from '../../src/training/exercises.ts';
import { GLOSSARY } from '../../src/training/glossary.ts';
import { termLabel } from '../../src/server/training/glossary-links.ts';
import { untranslated } from '../support/pseudo.ts';
import { makeApp, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(() => {
  t = makeApp();
});
afterAll(async () => {
  await t.close();
});

/** Data, not text: the names of the presets the exercises open as they are, and each language's own name in the switcher. */
const DATA = [
  ...['default', 'recession-stress', 'startup-local-fund', 'uk-efg', 'japan-cgc'].map((id) => loadPreset(id).name),
  ...languages().offered.map((l) => l.name),
];

/**
 * A message may carry markup (a link in a sentence): the text inside its ⟦…⟧ is translated
 * whatever tags split it, so the tags inside a marked message are set aside before the check.
 */
function joinMarkedMessages(html: string): string {
  let out = html;
  let prev = '';
  while (prev !== out) {
    prev = out;
    out = out.replace(/⟦([^⟦⟧]*)⟧/g, (_, inner: string) => `\uE000${inner.replace(/<[^>]*>/g, ' ')}\uE001`);
  }
  return out.replace(/\uE000/g, '⟦').replace(/\uE001/g, '⟧');
}

async function checkPseudo(path: string): Promise<string> {
  const res = await t.agent.get(`${path}?lang=qps`);
  expect(res.status, path).toBe(200);
  expect(res.text, path).toContain('lang="qps"');
  expect(untranslated(joinMarkedMessages(res.text), DATA), path).toEqual([]);
  return res.text;
}

async function checkSpanish(path: string): Promise<void> {
  const res = await t.agent.get(`${path}?lang=es`);
  expect(res.status, path).toBe(200);
  expect(res.text, path).toContain('lang="es"');
}

const variantPaths = EXERCISES.flatMap((ex) => ex.variants.map((v) => `/training/${ex.id}/${v.id}/summary`));

describe('training in the pseudo-locale', () => {
  it('the list of exercises', async () => {
    const html = await checkPseudo('/training');
    for (const ex of EXERCISES) expect(html).toContain(`href="/training/${ex.id}"`);
    await checkSpanish('/training');
  });

  it.each(EXERCISES.map((ex) => [ex.id]))('exercise %s, its answer and the numbers to give', async (id) => {
    const html = await checkPseudo(`/training/${id}`);
    // The answer is on the page (folded), every paragraph a message.
    expect(html).toMatch(/<div class="answer-body">\s*<p>⟦/);
    expect(html).toMatch(/<ul class="asks" id="asks">\s*<li>⟦/);
    await checkSpanish(`/training/${id}`);
  }, 120_000);

  it.each(variantPaths.map((p) => [p]))('the handout %s', async (path) => {
    await checkPseudo(path);
    await checkSpanish(path);
  }, 120_000);

  it.each(EXERCISES.map((ex) => [ex.id]))('exercise %s: each scenario’s results and editor copy, with the exercise’s banner', async (id) => {
    const ex = EXERCISES.find((e) => e.id === id)!;
    for (const v of ex.variants) {
      const results = await checkPseudo(`/training/${id}/${v.id}`);
      expect(results).toMatch(/<p class="training-banner">⟦/);
      const editor = await checkPseudo(`/training/${id}/${v.id}/edit`);
      expect(editor).toMatch(/<p class="training-banner">⟦/);
    }
  }, 120_000);

  it('the glossary: every term and definition, the anchors in English', async () => {
    const html = await checkPseudo('/glossary');
    for (const e of GLOSSARY) {
      expect(html).toContain(`id="${e.id}"`);
      expect(html).toContain(`⟦${e.definition}⟧`);
    }
    await checkSpanish('/glossary');
  });
});

describe('English is unchanged', () => {
  it('answers and asked numbers in English by default, and the same for the English localizer', () => {
    for (const ex of EXERCISES) {
      expect(ex.answer(ENGLISH)).toEqual(ex.answer());
      expect(ex.asks(ENGLISH)).toEqual(ex.asks());
      expect(ex.answer().paragraphs.join(' ')).not.toMatch(/[⟦{}]/);
    }
  }, 120_000);

  it('term labels in link text keep their English case rules', () => {
    expect(termLabel('coverage-ratio')).toBe('coverage ratio');
    expect(termLabel('coverage-ratio', ENGLISH)).toBe('coverage ratio');
    expect(termLabel('pd')).toBe(GLOSSARY.find((e) => e.id === 'pd')!.term);
  });
});
