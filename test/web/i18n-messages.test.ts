import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/core/schema.ts';
import { loadPreset, PRESET_IDS } from '../../src/presets/index.ts';
import { languages } from '../../src/i18n/index.ts';
import { translateIssues, translateMessage } from '../../src/i18n/issues.ts';
import type { Localizer } from '../../src/i18n/translate.ts';
import { formErrors, formToInput, scenarioToForm } from '../../src/server/forms/form.ts';
import { untranslated } from '../support/pseudo.ts';
import { csrfToken, makeApp, preset, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(() => {
  t = makeApp();
});
afterAll(async () => {
  await t.close();
});

const api = () => request(t.web.app);
/** The pseudo-locale with Spanish numbers: every message marked ⟦…⟧, numbers as Spanish writes them. */
const pseudoSpanish: Localizer = { lang: 'qps', locale: 'es', t: languages().translator('qps') };
const spanish: Localizer = { lang: 'es', locale: 'es', t: languages().translator('es') };
const wrapped = (text: string) => /^⟦[\s\S]*⟧$/.test(text);

/** Posts the editor form in a language, as a browser showing the page in it would. */
async function postForm(lang: string, path: string, changes: Record<string, string>) {
  const agent = request.agent(t.web.app);
  const page = await agent.get(`/scenarios/new?lang=${lang}`);
  const fields = { ...scenarioToForm(preset(), lang === 'es' ? 'es' : 'en-US'), ...changes, _csrf: csrfToken(page.text) };
  return agent.post(path).type('form').send(fields);
}

describe('forms read numbers the way the page’s language writes them', () => {
  it('reads a Spanish form: "250.000.000" and "1,5 %"', () => {
    const values = { ...scenarioToForm(preset(), 'es'), 'fund.initialCapital': '250.000.000', 'guarantee.coverageRatio': '1,5 %' };
    const form = formToInput(values, spanish);
    expect(form.ambiguous).toEqual({});
    const parsed = parseScenario(form.input);
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
    if (!parsed.ok) return;
    expect(parsed.value.fund.initialCapital).toBe(250_000_000);
    expect(parsed.value.guarantee.coverageRatio).toBe(0.015);
    // The rest of the preset survives the round trip through the Spanish form.
    expect({ ...parsed.value, fund: preset().fund, guarantee: preset().guarantee }).toEqual(preset());
  });

  it.each(['es', 'vi-VN', 'id-ID', 'th-TH', 'zh-CN'])('every preset survives the round trip through a form in %s', (locale) => {
    const l: Localizer = { lang: 'qps', locale, t: languages().translator('qps') };
    for (const id of PRESET_IDS) {
      const scenario = loadPreset(id);
      const form = formToInput(scenarioToForm(scenario, locale), l);
      expect(form.ambiguous).toEqual({});
      const parsed = parseScenario(form.input);
      expect(parsed.ok ? [] : parsed.issues).toEqual([]);
      if (parsed.ok) expect(parsed.value).toEqual(scenario);
    }
  });

  it('names the field and both readings of an ambiguous number, in the page’s language, and keeps what was typed', () => {
    const values = { ...scenarioToForm(preset(), 'es'), 'guarantee.coverageRatio': '1.5' };
    const form = formToInput(values, pseudoSpanish);
    expect(form.values['guarantee.coverageRatio']).toBe('1.5');
    expect(form.ambiguous['guarantee.coverageRatio']).toMatchObject({ typed: '1.5', readings: [1.5, 15] });
    const parsed = parseScenario(form.input);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const errors = formErrors(parsed.issues, form.rowMaps, pseudoSpanish, form.ambiguous);
    const [message = ''] = errors['guarantee.coverageRatio'] ?? [];
    expect(wrapped(message)).toBe(true);
    expect(message).toContain('⟦Coverage ratio⟧');
    expect(message).toContain('“1.5”');
    expect(message).toContain('1,5');
    expect(message).toContain('15');
  });

  it('puts every form message through a translation', () => {
    const values = { ...scenarioToForm(preset(), 'es'), 'fund.initialCapital': 'mucho', 'horizonYears': '0', 'stages.growth.collateral.0.share': '10' };
    const form = formToInput(values, pseudoSpanish);
    const parsed = parseScenario(form.input);
    if (parsed.ok) throw new Error('should fail');
    const errors = formErrors(parsed.issues, form.rowMaps, pseudoSpanish, form.ambiguous);
    expect(Object.keys(errors).sort()).toEqual(['fund.initialCapital', 'horizonYears', 'stages.growth.collateral']);
    for (const list of Object.values(errors)) for (const m of list) expect(wrapped(m), m).toBe(true);
  });

  it('saves a Spanish form post with "250.000.000" and "1,5 %"', async () => {
    const res = await postForm('es', '/scenarios', { 'fund.initialCapital': '250.000.000', 'guarantee.coverageRatio': '1,5 %', name: 'Spanish numbers' });
    expect(res.status).toBe(303);
    const saved = t.web.storage.scenarios.list().find((s) => s.name === 'Spanish numbers');
    expect(saved).toBeDefined();
    const scenario = t.web.storage.scenarios.get(saved!.id)!.scenario;
    expect(scenario.fund.initialCapital).toBe(250_000_000);
    expect(scenario.guarantee.coverageRatio).toBe(0.015);
  });

  it('answers an ambiguous number in a Spanish form with the form again, naming both readings, the typed text kept', async () => {
    const res = await postForm('es', '/scenarios', { 'guarantee.coverageRatio': '1.5', name: 'Ambiguous' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('lang="es"');
    const error = /id="f-guarantee-coverageRatio-error">([\s\S]*?)<\/(?:p|div)>/.exec(res.text)?.[1] ?? '';
    expect(error).toContain('1,5');
    expect(error).toContain('15');
    expect(res.text).toMatch(/name="guarantee\.coverageRatio"[^>]*value="1\.5"|value="1\.5"[^>]*name="guarantee\.coverageRatio"/);
  });

  it('keeps English forms as they were', async () => {
    const res = await postForm('en', '/scenarios', { 'fund.initialCapital': '250,000,000', 'guarantee.coverageRatio': '1.5', name: 'English numbers' });
    expect(res.status).toBe(303);
  });
});

describe('messages of the JSON API in the language of the request', () => {
  const bad = () => ({ ...preset(), horizonYears: 0, fund: { ...preset().fund, initialCapital: -5 } });

  it('answers 200 with Accept-Language: es', async () => {
    const res = await api().post('/api/v1/simulate').set('Accept-Language', 'es').send(preset());
    expect(res.status).toBe(200);
    expect(res.headers['content-language']).toBe('es');
  });

  it('answers an invalid body with the same status and field paths in Spanish as in English', async () => {
    const en = await api().post('/api/v1/simulate').send(bad());
    const es = await api().post('/api/v1/simulate').set('Accept-Language', 'es').send(bad());
    expect(es.status).toBe(en.status);
    expect(es.status).toBeGreaterThanOrEqual(400);
    expect(es.body.issues.map((i: { path: string }) => i.path)).toEqual(en.body.issues.map((i: { path: string }) => i.path));
    expect(Object.keys(es.body).sort()).toEqual(Object.keys(en.body).sort());
  });

  it.each([
    ['an invalid scenario', () => api().post('/api/v1/simulate?lang=qps').send(bad())],
    ['an invalid Monte Carlo request', () => api().post('/api/v1/simulate/montecarlo?lang=qps').send({ scenario: preset(), paths: 0, seed: -1 })],
    ['a body that is not JSON', () => api().post('/api/v1/simulate?lang=qps').set('Content-Type', 'application/json').send('{nope')],
    ['a body that is a list', () => api().post('/api/v1/simulate?lang=qps').send([1, 2])],
    ['a form body', () => api().post('/api/v1/simulate?lang=qps').type('form').send({ a: '1' })],
    ['an unknown route', () => api().get('/api/v1/nowhere?lang=qps')],
    ['a method not taken', () => api().put('/api/v1/presets?lang=qps')],
    ['a missing saved scenario', () => api().get('/api/v1/scenarios/nope?lang=qps')],
    ['bad list parameters', () => api().get('/api/v1/scenarios?lang=qps&page=0')],
    ['an invalid policy query', () => api().post('/api/v1/policy/budget?lang=qps&paths=0').send({})],
    ['a missing policy job', () => api().get('/api/v1/policy/jobs/nope?lang=qps')],
  ])('translates every message of %s (pseudo-locale)', async (_what, send) => {
    const res = await send();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(wrapped(res.body.error), res.body.error).toBe(true);
    expect(res.body.issues.length).toBeGreaterThan(0);
    for (const issue of res.body.issues as { path: string; message: string }[]) {
      expect(wrapped(issue.message), `${issue.path}: ${issue.message}`).toBe(true);
      expect(issue.path).not.toContain('⟦');
    }
  });
});

describe('validation messages', () => {
  it('writes the numbers of a filled message in the locale', () => {
    expect(translateMessage(pseudoSpanish, 'must be at most 10,000,000,000,000')).toBe('⟦must be at most 10.000.000.000.000⟧');
    expect(translateMessage(pseudoSpanish, 'must be at least 0.25 (three months)')).toBe('⟦must be at least 0.25 (three months)⟧');
    expect(translateMessage(pseudoSpanish, 'must be at least 2')).toBe('⟦must be at least 2⟧');
  });

  it('leaves English exactly as it was', () => {
    const english: Localizer = { lang: 'en', locale: 'en-US', t: languages().translator('en') };
    const issues = [{ path: 'a.b', message: 'must be at most 10,000,000,000,000' }];
    expect(translateIssues(english, issues)).toEqual(issues);
  });
});

describe('the languages page', () => {
  it('lists each language with how complete it is and its terminology, all through translations', async () => {
    const res = await api().get('/languages?lang=qps');
    expect(res.status).toBe(200);
    // Data: the languages' names, and the terms of each translation file.
    const names = languages().offered.flatMap((l) => [l.name, l.englishName]);
    const display = languages().offered.map((l) => new Intl.DisplayNames(['en-US'], { type: 'language' }).of(l.code) ?? '');
    const terms = languages().catalogs.flatMap((c) => c.terminology.flatMap((x) => [x.term, x.usedBy]));
    const data = [...terms, ...names, ...display].filter((x) => x !== '').sort((a, b) => b.length - a.length);
    const codes = new RegExp(`^(?:${languages().offered.map((l) => l.code).join('|')})$`);
    expect(untranslated(res.text, [...data, codes])).toEqual([]);
    for (const l of languages().offered) expect(res.text).toContain(`id="terms-${l.code}"`);
    expect(res.text).toContain('credit guarantee fund');
  });

  it('renders in Spanish', async () => {
    const res = await api().get('/languages?lang=es');
    expect(res.status).toBe(200);
    expect(res.text).toContain('lang="es"');
  });
});
