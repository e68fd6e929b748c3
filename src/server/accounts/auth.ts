/**
 * Who is asking. On a server that listens only on loopback (`auth: 'local'`) a single local
 * user, an administrator, is signed in by itself, so `npm install && npm start` needs no
 * set-up; anyone may still sign in as an account. Elsewhere (`auth: 'required'`) every page
 * and API call needs a session (signed in through /signin; the browser holds a random token
 * in an HttpOnly, SameSite cookie, the server its hash) or a personal API token as a bearer
 * credential; only the sign-in page and static files are open.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { User, UserStore, Viewer } from '../../storage/index.ts';
import { languages, type Translate } from '../../i18n/index.ts';
import { LANGUAGE_COOKIE } from '../http/language.ts';
import { parseCookies } from '../http/security.ts';

export type AuthMode = 'local' | 'required';
export const SESSION_COOKIE = 'cgf_session';

/** Open without signing in. */
const OPEN = [/^\/signin$/, /^\/join$/, /^\/invite\/[A-Za-z0-9_-]{1,64}$/, /^\/static\//, /^\/vendor\//, /^\/favicon\.ico$/];

export interface Who {
  readonly user: User;
  /** How: 'local' (loopback), 'session' or 'token'. */
  readonly via: 'local' | 'session' | 'token';
  /** The session token, for signing out and binding CSRF tokens. */
  readonly session: string | null;
}

export const whoOf = (res: Response): Who | null => (res.locals.who as Who | undefined) ?? null;

/** The request's user as the storage's viewer (for callbacks that run outside the request's context, such as upload streams). */
export const viewerOf = (res: Response): Viewer | null => {
  const who = whoOf(res);
  return who ? { id: who.user.id, role: who.user.role } : null;
};

/**
 * The language of a refusal made before the language of the request is chosen: the API by
 * Accept-Language only, pages also by ?lang= and the visitor's cookie.
 */
function refusalTranslator(req: Request, api: boolean): Translate {
  const langs = languages();
  const query = typeof req.query?.lang === 'string' ? req.query.lang : undefined;
  const chosen = api ? undefined : query && langs.supports(query) ? query : parseCookies(req.headers.cookie)[LANGUAGE_COOKIE];
  return langs.translator(langs.choose(chosen, req.headers['accept-language']));
}

export function authenticate(users: UserStore, mode: AuthMode): RequestHandler {
  let local: User | null = null;
  return (req: Request, res: Response, next: NextFunction) => {
    let who: Who | null = null;
    // API tokens are for the JSON API; pages go by the session.
    const bearer = req.path.startsWith('/api/') ? /^Bearer\s+(\S+)$/i.exec(req.get('Authorization') ?? '')?.[1] : undefined;
    if (bearer !== undefined) {
      const user = users.tokenUser(bearer);
      if (!user) {
        const t = refusalTranslator(req, true);
        res.status(401).set('WWW-Authenticate', 'Bearer error="invalid_token"').json({
          error: t('The API token is not valid: it may have been revoked or mistyped.'),
          issues: [{ path: 'Authorization', message: t('is not a live API token') }],
        });
        return;
      }
      who = { user, via: 'token', session: null };
    } else {
      const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
      const user = token ? users.sessionUser(token) : null;
      if (user) who = { user, via: 'session', session: token! };
      else if (mode === 'local') {
        local ??= users.local();
        who = { user: local, via: 'local', session: null };
      }
    }
    res.locals.who = who;
    res.locals.user = who ? { name: who.user.name, role: who.user.role, local: who.via === 'local' } : null;
    res.locals.authRequired = mode === 'required';
    if (who || OPEN.some((p) => p.test(req.path))) {
      next();
      return;
    }
    if (req.path.startsWith('/api/')) {
      const t = refusalTranslator(req, true);
      res.status(401).set('WWW-Authenticate', 'Bearer').json({
        error: t('Sign in first: send a personal API token as Authorization: Bearer <token> (made on the Account page).'),
        issues: [{ path: 'Authorization', message: t('is missing') }],
      });
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.redirect(303, `/signin?next=${encodeURIComponent(req.originalUrl.slice(0, 500))}`);
      return;
    }
    const t = refusalTranslator(req, false);
    res.status(401).type('text/plain; charset=utf-8').send(t('Sign in first: your session has ended. Open /signin, sign in, and send the form again (your browser keeps what you typed when you go back).'));
  };
}
