/**
 * The interface's languages: one i18next instance with ICU MessageFormat over every file in
 * src/i18n/locales/, a translator per language, and the choice of language from a request.
 *
 * English is the source: a key missing from another language falls back to it. A pseudo-locale
 * ("qps", not offered in the switcher) wraps every message in ⟦…⟧, so a test can crawl the pages
 * and find any text that does not go through a translation.
 */
import i18next, { type i18n } from 'i18next';
import ICU from 'i18next-icu';
import { IntlMessageFormat } from 'intl-messageformat';
import { type Catalog, type LanguageInfo, loadCatalogs } from './catalog.ts';
import type { MessageValues, Translate } from './translate.ts';

export type { Localizer, MessageValues, Translate } from './translate.ts';
export { msg } from './translate.ts';

export const SOURCE_LANGUAGE = 'en';
export const PSEUDO_LANGUAGE = 'qps';

const PSEUDO_INFO: LanguageInfo = { code: PSEUDO_LANGUAGE, name: 'Pseudo', englishName: 'Pseudo-locale', intl: 'en-US', dir: 'ltr' };

export interface Languages {
  /** The languages offered, English first, each in its own name. */
  readonly offered: readonly LanguageInfo[];
  readonly catalogs: readonly Catalog[];
  info(code: string): LanguageInfo;
  translator(code: string): Translate;
  /** The language a request gets: a supported choice it made, else its Accept-Language, else English. */
  choose(chosen: string | undefined, acceptLanguage: string | undefined): string;
  supports(code: string): boolean;
}

function pseudo(messages: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(messages)) out[key] = `⟦${key}⟧`;
  return out;
}

/** Parses an Accept-Language header into tags by preference (q-values, then order). */
export function preferredTags(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((x) => x.tag !== '' && x.tag !== '*' && x.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map((x) => x.tag);
}

/**
 * A tag matched to a supported language: exactly, else by its primary language. Chinese in
 * traditional script (zh-TW, zh-HK, zh-Hant) is not matched to Simplified Chinese.
 */
export function matchTag(tag: string, supported: readonly string[]): string | null {
  const lower = tag.toLowerCase();
  const exact = supported.find((s) => s.toLowerCase() === lower);
  if (exact) return exact;
  const [primary] = lower.split('-');
  if (primary === 'zh' && /-(tw|hk|mo|hant)(-|$)/.test(lower)) return null;
  return supported.find((s) => s.toLowerCase().split('-')[0] === primary) ?? null;
}

export function createLanguages(catalogs: readonly Catalog[] = loadCatalogs()): Languages {
  const source = catalogs.find((c) => c.language.code === SOURCE_LANGUAGE);
  if (!source) throw new Error('There is no en.json in src/i18n/locales: English is the source language.');
  const resources: Record<string, { translation: Record<string, string> }> = {};
  for (const c of catalogs) resources[c.language.code] = { translation: c.messages };
  resources[PSEUDO_LANGUAGE] = { translation: pseudo(source.messages) };

  const instance: i18n = i18next.createInstance();
  instance.use(ICU).init({
    resources,
    lng: SOURCE_LANGUAGE,
    fallbackLng: SOURCE_LANGUAGE,
    // Keys are English sentences: dots and colons in them are text, not key paths.
    keySeparator: false,
    nsSeparator: false,
    // Values go into HTML through Handlebars, which escapes them; no second escaping here.
    interpolation: { escapeValue: false },
    returnEmptyString: false,
    initAsync: false,
    showSupportNotice: false,
  });

  const english = [source, ...catalogs.filter((c) => c !== source)];
  const offered = english.map((c) => c.language);
  const codes = offered.map((l) => l.code);
  const translators = new Map<string, Translate>();
  const translator = (code: string): Translate => {
    const lang = code === PSEUDO_LANGUAGE || codes.includes(code) ? code : SOURCE_LANGUAGE;
    let t = translators.get(lang);
    if (!t) {
      t = cachedTranslator(instance, lang, resources[lang]!.translation, source.messages);
      translators.set(lang, t);
    }
    return t;
  };
  const supports = (code: string) => code === PSEUDO_LANGUAGE || codes.includes(code);
  return {
    offered,
    catalogs: english,
    supports,
    info: (code) => (code === PSEUDO_LANGUAGE ? PSEUDO_INFO : (offered.find((l) => l.code === code) ?? source.language)),
    translator,
    choose(chosen, acceptLanguage) {
      if (chosen && supports(chosen)) return chosen;
      for (const tag of preferredTags(acceptLanguage)) {
        const hit = tag === PSEUDO_LANGUAGE ? tag : matchTag(tag, codes);
        if (hit) return hit;
      }
      return SOURCE_LANGUAGE;
    },
  };
}

/**
 * A page calls its translator hundreds of times, and i18next's own call costs tens of
 * microseconds (it copies its options each time). For a catalogue message the translator keeps
 * what i18next answers: the text of a message without values, and the compiled ICU message of
 * one with values, formatted as i18next-icu does (the language's text, else English's, else the
 * key; the page's language as the ICU locale; tags taken as text; a message that cannot be
 * formatted is returned as written). Anything else goes to i18next. Results are the same
 * (test/i18n/translator.test.ts compares every message in every language).
 */
function cachedTranslator(instance: i18n, lang: string, messages: Record<string, string>, english: Record<string, string>): Translate {
  const fixed = instance.getFixedT(lang);
  const viaI18next = (key: string, values?: MessageValues) => String(fixed(key, values as Record<string, unknown>));
  const texts = new Map<string, string>();
  const compiled = new Map<string, { readonly source: string; readonly format: IntlMessageFormat | null }>();
  const known = (key: string) => Object.hasOwn(english, key);
  return (key, values) => {
    if (!known(key)) return viaI18next(key, values);
    if (values === undefined || Object.keys(values).length === 0) {
      let text = texts.get(key);
      if (text === undefined) {
        text = viaI18next(key);
        texts.set(key, text);
      }
      return text;
    }
    let message = compiled.get(key);
    if (message === undefined) {
      const source = messages[key] || english[key] || key;
      let format: IntlMessageFormat | null = null;
      try {
        format = new IntlMessageFormat(source, lang, undefined, { ignoreTag: true });
      } catch {
        // Not valid ICU: shown as written, as i18next-icu does.
      }
      message = { source, format };
      compiled.set(key, message);
    }
    if (!message.format) return message.source;
    try {
      return String(message.format.format(values));
    } catch {
      return message.source;
    }
  };
}

let shared: Languages | undefined;
/** The languages read from src/i18n/locales, loaded once. */
export function languages(): Languages {
  shared ??= createLanguages();
  return shared;
}

/** English, for code that writes text outside a request (the CLI, logs). */
export const english: Translate = (key, values) => languages().translator(SOURCE_LANGUAGE)(key, values);
