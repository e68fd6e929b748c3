/**
 * Which language a request is answered in. Pages: the visitor's choice (the `lang` cookie, set
 * by the switcher on every page or by `?lang=` in any address), else the browser's
 * Accept-Language, else English. The JSON API: Accept-Language only (its field names never
 * change; its messages do).
 */
import type { NextFunction, Request, Response } from 'express';
import { Router } from 'express';
import { languages, type Localizer } from '../../i18n/index.ts';
import { parseCookies } from './security.ts';

export const LANGUAGE_COOKIE = 'lang';
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/** Puts the language, its translator and the switcher's list in res.locals. */
export function chooseLanguage(options: { cookie: boolean }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const langs = languages();
    const query = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    const cookie = options.cookie ? parseCookies(req.headers.cookie)[LANGUAGE_COOKIE] : undefined;
    const chosen = query && langs.supports(query) ? query : cookie;
    if (options.cookie && query && langs.supports(query) && query !== cookie) rememberLanguage(req, res, query);
    const lang = langs.choose(chosen, req.headers['accept-language']);
    const info = langs.info(lang);
    res.locals.lang = lang;
    res.locals.dir = info.dir;
    res.locals.intlLocale = info.intl;
    res.locals.t = langs.translator(lang);
    res.locals.localizer = { lang, locale: info.intl, t: res.locals.t } satisfies Localizer;
    res.locals.returnPath = req.originalUrl;
    res.locals.languages = langs.offered.map((l) => ({ ...l, current: l.code === lang }));
    res.set('Content-Language', lang);
    res.vary('Accept-Language');
    next();
  };
}

function rememberLanguage(req: Request, res: Response, code: string): void {
  res.cookie(LANGUAGE_COOKIE, code, { httpOnly: true, sameSite: 'lax', path: '/', secure: req.secure, maxAge: ONE_YEAR_MS });
}

/** A local address to go back to: a path on this site, never another host. */
export function safeReturnPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  return next;
}

/** GET /language?lang=xx&next=/path: the switcher's target; remembers the choice and goes back. */
export function languageRouter(): Router {
  const r = Router();
  r.get('/language', (req, res) => {
    // chooseLanguage, which runs first, has already remembered a supported ?lang=.
    res.redirect(303, safeReturnPath(req.query.next));
  });
  return r;
}

const ENGLISH: Localizer = { lang: 'en', locale: 'en-US', t: (key, values) => languages().translator('en')(key, values) };

/** The language of this response: what page models and messages are written in. */
export function localizerOf(res: Response): Localizer {
  return (res.locals.localizer as Localizer | undefined) ?? ENGLISH;
}
