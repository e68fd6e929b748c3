/**
 * The scenario editor, the import page, the stale-save page and the delete confirmation in the
 * pseudo-locale: every text a user reads goes through a translation (only data is left outside
 * ⟦…⟧), and every schema description the editor shows as help is in the catalogue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { english, languages } from '../../src/i18n/index.ts';
import { SCHEMA_HELP, schemaInfo } from '../../src/server/forms/fields.ts';
import { placedFields, placedLists, scenarioToForm } from '../../src/server/forms/form.ts';
import { untranslated } from '../support/pseudo.ts';
import { csrfToken, makeApp, preset, type TestApp } from './helpers.ts';

let t: TestApp;

beforeAll(() => {
  t = makeApp();
});
afterAll(async () => {
  await t.close();
});

/** Scenario names and what a user typed are data; so are the JSON blocks of the stale-save page. */
const SAVED_NAME = 'Zebra fund';

const pseudo = async (path: string) => {
  const res = await t.agent.get(`${path}${path.includes('?') ? '&' : '?'}lang=qps`);
  expect(res.status).toBe(200);
  return res.text;
};

/** The languages' own names in the switcher are data. */
const LANGUAGE_NAMES = languages().offered.map((l) => l.name);

/**
 * The page's readable texts that are not data. What a scenario holds (the text in its text
 * areas: description, sources, assumptions) and the JSON blocks are left out, and inline markup
 * is taken away first: a message carrying a link or emphasis (tHtml) is one text.
 */
const check = (html: string, allowed: readonly (string | RegExp)[] = []) =>
  untranslated(
    html
      .replace(/<pre class="json-block"[\s\S]*?<\/pre>/g, '')
      .replace(/(<textarea\b[^>]*>)[\s\S]*?<\/textarea>/g, '$1</textarea>')
      .replace(/<\/?(?:strong|em|a|code)\b[^>]*>/g, ''),
    [...LANGUAGE_NAMES, SAVED_NAME, ...allowed],
  );

describe('the editor in the pseudo-locale', () => {
  it('a new scenario shows no untranslated text', async () => {
    const html = await pseudo('/scenarios/new');
    expect(check(html)).toEqual([]);
    expect(html).toContain('<html lang="qps"');
  });

  it('a preset, with its data (sources, currency) left as typed', async () => {
    const html = await pseudo('/scenarios/new?from=preset:thailand-tcg');
    expect(check(html)).toEqual([]);
  });

  it('a saved scenario, with the override notice and a unit hint', async () => {
    const saved = t.web.storage.scenarios.create({ ...preset(), name: SAVED_NAME });
    let html = await pseudo(`/scenarios/${saved.id}/edit`);
    expect(check(html)).toEqual([]);

    const token = csrfToken(html);
    const form = {
      ...scenarioToForm({ ...preset(), name: SAVED_NAME }),
      'guarantee.coverageByStage.founding': '90',
      'guarantee.coverageRatio': '0.8',
      'fund.recoveryRate': 'lots',
      'stages.growth.loanSize': '',
    };
    const res = await t.agent.post('/simulate').type('form').send({ ...form, _csrf: token });
    expect(res.status).toBe(422);
    html = res.text;
    expect(html).toContain('⟦In force only for the');
    expect(html).toContain('class="unit-hint"');
    expect(html).toContain('id="error-summary"');
    // The validation messages themselves come from the schema's message table.
    const errors = [...html.matchAll(/<span>([^<]*)<\/span>/g)].map((m) => m[1]!);
    expect(check(html, [...errors.filter((e) => !e.includes('⟦'))])).toEqual([]);
    expect(html).toMatch(/<title>⟦Fix \d+ errors: Zebra fund⟧/);
  });

  it('a copy of a saved scenario, and a scenario posted to the editor', async () => {
    const saved = t.web.storage.scenarios.create({ ...preset(), name: SAVED_NAME });
    const copy = await pseudo(`/scenarios/new?from=saved:${saved.id}`);
    expect(copy).toContain('value="⟦Copy of Zebra fund⟧"');
    expect(check(copy)).toEqual([]);
    const posted = await t.agent.post('/editor').type('form')
      .send({ scenarioJson: JSON.stringify({ ...preset(), name: SAVED_NAME }), _csrf: csrfToken(copy) });
    expect(posted.status).toBe(200);
    expect(check(posted.text)).toEqual([]);
  });

  it('every schema description shown as help is in the catalogue', () => {
    const listed = new Set(SCHEMA_HELP);
    const shown = new Set<string>();
    for (const f of placedFields()) if (!f.spec.help) shown.add(schemaInfo(f.schemaPath).description ?? '');
    for (const l of placedLists()) if (!l.spec.help) shown.add(schemaInfo(l.name).description ?? '');
    shown.delete('');
    expect([...shown].filter((d) => !listed.has(d))).toEqual([]);
    const en = languages().catalogs.find((c) => c.language.code === 'en')!;
    expect([...shown].filter((d) => !(d in en.messages))).toEqual([]);
  });

  it('English is unchanged: facts, bounds and labels', async () => {
    const res = await t.agent.get('/scenarios/new?lang=en');
    expect(res.text).toContain('Allowed: 0 % to 100 %. Default: 30 %.');
    expect(res.text).toContain('<span class="visually-hidden">Row</span>#');
    expect(res.text).toContain('Founding stage, Risk grades, row 1: Share');
    expect(english('{count, plural, one {# problem to fix} other {# problems to fix}}', { count: 2 })).toBe('2 problems to fix');
  });
});

describe('import, stale save and delete in the pseudo-locale', () => {
  it('the import page, and a file with problems', async () => {
    let html = await pseudo('/import');
    expect(check(html)).toEqual([]);
    const bad = await t.agent.post('/import')
      .field('_csrf', csrfToken(html))
      .attach('scenarioFile', Buffer.from('{"name": '), 'broken.json');
    expect(bad.status).toBe(422);
    html = bad.text;
    // The parser's own detail (from the JSON engine) is data; the sentence around it is translated.
    expect(html).toContain('⟦is not valid JSON');
    expect(check(html)).toEqual([]);
    const invalid = await t.agent.post('/import')
      .field('_csrf', csrfToken(html))
      .attach('scenarioFile', Buffer.from(JSON.stringify({ ...preset(), guarantee: { ...preset().guarantee, coverageRatio: 2 }, horizonYears: 'ten' })), 'bad.json');
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('<code>guarantee.coverageRatio</code>');
    expect(check(invalid.text)).toEqual([]);
    const missing = await t.agent.post('/import').field('_csrf', csrfToken(html));
    expect(missing.status).toBe(422);
    expect(check(missing.text)).toEqual([]);
  });

  it('the stale-save page', async () => {
    const saved = t.web.storage.scenarios.create({ ...preset(), name: SAVED_NAME });
    const html = await pseudo(`/scenarios/${saved.id}/edit`);
    t.web.storage.scenarios.update(saved.id, { ...preset(), name: SAVED_NAME, horizonYears: 7 });
    const res = await t.agent.post(`/scenarios/${saved.id}`).type('form')
      .send({ ...scenarioToForm({ ...preset(), name: SAVED_NAME }), 'guarantee.coverageRatio': '70', 'fund.capitalInjections.0.year': '', 'fund.capitalInjections.0.amount': '', _scenarioId: saved.id, _version: '1', _csrf: csrfToken(html) });
    expect(res.status).toBe(409);
    // Values of the settings (numbers, codes, typed names) are data.
    const values = [...res.text.matchAll(/<td class="conflict-(?:yours|theirs)">([^<]*)<\/td>/g)].map((m) => m[1]!).filter((v) => !v.includes('⟦'));
    expect(check(res.text, values)).toEqual([]);
  });

  it('the delete confirmation', async () => {
    const saved = t.web.storage.scenarios.create({ ...preset(), name: SAVED_NAME });
    expect(check(await pseudo(`/scenarios/${saved.id}/delete`))).toEqual([]);
  });
});

describe('Spanish is served (its translations arrive later)', () => {
  it('every page answers with lang="es"', async () => {
    const saved = t.web.storage.scenarios.create({ ...preset(), name: SAVED_NAME });
    for (const path of ['/scenarios/new', '/scenarios/new?from=preset:default', `/scenarios/${saved.id}/edit`, '/import', `/scenarios/${saved.id}/delete`]) {
      const res = await t.agent.get(`${path}${path.includes('?') ? '&' : '?'}lang=es`);
      expect(res.status, path).toBe(200);
      expect(res.text, path).toContain('<html lang="es"');
    }
  });

  it('numbers in the facts and hints are written with the locale\'s decimal mark', async () => {
    const page = await t.agent.get('/scenarios/new?lang=es');
    expect(page.text).toContain('data-decimal=","');
    const res = await t.agent.post('/simulate').type('form')
      .send({ ...scenarioToForm(preset(), 'es'), 'guarantee.coverageRatio': '0,8', 'fund.recoveryRate': 'x', _csrf: csrfToken(page.text) });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/<p class="unit-hint" id="f-guarantee-coverageRatio-unit">0,8 %[^<]*80 %/);
  });
});
