/**
 * GET /languages: the languages the interface is offered in, how much of each is translated
 * (messages translated out of all the messages in the code and the views), and each language's
 * terminology table: the domain's terms as that region's guarantee institutions write them.
 * A translator's page as much as a reader's; it says how a language is added.
 */
import express, { type Router, type Request, type Response } from 'express';
import { languages, SOURCE_LANGUAGE } from '../../i18n/index.ts';
import { plainNumber } from '../../i18n/format.ts';
import type { Catalog } from '../../i18n/catalog.ts';
import type { Context } from '../context.ts';
import { localizerOf } from '../http/language.ts';
import { route } from '../http/route.ts';
import { sendPage } from '../http/view.ts';

export interface LanguageRow {
  readonly code: string;
  readonly name: string;
  /** The language's name in the language of the page ("Spanish", "español"). */
  readonly displayName: string;
  readonly source: boolean;
  readonly translated: number;
  readonly total: number;
  /** Whole percent, rounded down so that 100 means every message. */
  readonly percent: number;
  readonly terms: readonly { readonly en: string; readonly term: string; readonly usedBy: string }[];
}

/** How many of the source messages a catalogue translates (a non-empty text for the key). */
export function completeness(source: Catalog, catalog: Catalog): { translated: number; total: number } {
  const keys = Object.keys(source.messages);
  if (catalog === source) return { translated: keys.length, total: keys.length };
  const translated = keys.filter((k) => typeof catalog.messages[k] === 'string' && catalog.messages[k] !== '').length;
  return { translated, total: keys.length };
}

function displayName(code: string, locale: string, fallback: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? fallback;
  } catch {
    return fallback;
  }
}

export function languageRows(locale: string): LanguageRow[] {
  const langs = languages();
  const source = langs.catalogs.find((c) => c.language.code === SOURCE_LANGUAGE) ?? langs.catalogs[0]!;
  return langs.catalogs.map((c) => {
    const { translated, total } = completeness(source, c);
    return {
      code: c.language.code,
      name: c.language.name,
      displayName: displayName(c.language.code, locale, c.language.englishName),
      source: c === source,
      translated,
      total,
      percent: total === 0 ? 100 : Math.floor((100 * translated) / total),
      terms: c.terminology,
    };
  });
}

export function languagesPageRouter(ctx: Context): Router {
  const r = express.Router();
  function showLanguages(_req: Request, res: Response) {
    const l = localizerOf(res);
    const rows = languageRows(l.locale).map((row) => ({
      ...row,
      translatedText: plainNumber(row.translated, l.locale),
      totalText: plainNumber(row.total, l.locale),
      percentText: plainNumber(row.percent, l.locale),
    }));
    const { t } = l;
    sendPage(res, ctx.views, 'languages/languages', { title: t('Languages'), nav: 'languages', rows });
  }
  r.get('/languages', route(showLanguages));
  return r;
}
