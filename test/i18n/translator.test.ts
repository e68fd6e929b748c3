/**
 * The translators keep what i18next answers for catalogue messages (src/i18n/index.ts): here
 * every message of every language, with and without values, is compared with i18next's own
 * answer for the same call, on a fresh instance that keeps nothing.
 */
import i18next from 'i18next';
import ICU from 'i18next-icu';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { loadCatalogs } from '../../src/i18n/catalog.ts';
import { createLanguages, PSEUDO_LANGUAGE, type MessageValues } from '../../src/i18n/index.ts';

const catalogs = loadCatalogs();
const languages = createLanguages(catalogs);
const en = catalogs.find((c) => c.language.code === 'en')!;

/** i18next alone, set up as the server sets it up. */
function reference() {
  const resources: Record<string, { translation: Record<string, string> }> = {};
  for (const c of catalogs) resources[c.language.code] = { translation: c.messages };
  resources[PSEUDO_LANGUAGE] = { translation: Object.fromEntries(Object.keys(en.messages).map((k) => [k, `⟦${k}⟧`])) };
  const instance = i18next.createInstance();
  instance.use(ICU).init({
    resources, lng: 'en', fallbackLng: 'en', keySeparator: false, nsSeparator: false,
    interpolation: { escapeValue: false }, returnEmptyString: false, initAsync: false, showSupportNotice: false,
  });
  return instance;
}

/**
 * Values for each argument an English message uses, of the kind its ICU type asks for: a
 * number for number and plural arguments (`count` of them: 1, then 7), a date for dates and
 * times, a select's first option, text otherwise.
 */
function valuesFor(message: string, count: number): MessageValues {
  const values: MessageValues = {};
  const walk = (nodes: unknown): void => {
    if (!Array.isArray(nodes)) return;
    for (const n of nodes as { type: number; value?: string; options?: Record<string, { value: unknown }> }[]) {
      if (typeof n.value === 'string') {
        if (n.type === 1) values[n.value] ??= `<${n.value} & “text”>`;
        if (n.type === 2 || n.type === 6) values[n.value] = count * 1234.5 - (count === 1 ? 1233.5 : 0);
        if (n.type === 3 || n.type === 4) values[n.value] = new Date(Date.UTC(2026, 11, 5, 9, 30));
        if (n.type === 5) values[n.value] = Object.keys(n.options ?? {})[0] ?? 'other';
      }
      if (n.options) for (const o of Object.values(n.options)) walk(o.value);
    }
  };
  walk(new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).getAst());
  return values;
}

describe('the cached translators', () => {
  const codes = [...catalogs.map((c) => c.language.code), PSEUDO_LANGUAGE];
  it.each(codes)('answer every message in %s as i18next does, with and without values, the first time and again', (code) => {
    const oracle = reference().getFixedT(code);
    const t = languages.translator(code);
    let compared = 0;
    for (const key of Object.keys(en.messages)) {
      const one = valuesFor(key, 1);
      // A message without arguments is also asked with an empty set of values (as a view does).
      const variants = Object.keys(one).length === 0 ? [undefined, one] : [undefined, one, valuesFor(key, 7)];
      for (const values of variants) {
        const expected = String(oracle(key, values as Record<string, unknown>));
        expect(t(key, values), `${code}: ${key}`).toBe(expected);
        expect(t(key, values), `${code}, again: ${key}`).toBe(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(2 * Object.keys(en.messages).length);
  });

  it('answers a text that is not in the catalogue as i18next does (the text itself, its values put in)', () => {
    const oracle = reference().getFixedT('es');
    const t = languages.translator('es');
    for (const [key, values] of [['Not a catalogue message', undefined], ['{n} things not in the catalogue', { n: 3 }]] as const) {
      expect(t(key, values)).toBe(String(oracle(key, values)));
    }
    expect(t('{n} things not in the catalogue', { n: 3 })).toBe('3 things not in the catalogue');
  });
});
