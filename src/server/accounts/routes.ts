/** Sign-in, sign-out and the account page: password change and personal API tokens. */
import express, { type Request, type Response, type Router } from 'express';
import { SESSION_COOKIE, whoOf, type AuthMode } from './auth.ts';
import { localizerOf } from '../http/language.ts';
import type { Context } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { route } from '../http/route.ts';
import { SignInThrottle } from '../http/throttle.ts';
import { sendPage } from '../http/view.ts';
import { passwordError, roleLabel } from './workspaces.ts';

const field = (req: Request, name: string): string => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

/** Only an address of this site (a path), never another site's. */
const safeNext = (next: string) => (/^\/(?![/\\])/.test(next) && !next.startsWith('/signin') ? next : '/');

export function accountRouter(ctx: Context, mode: AuthMode, throttle = new SignInThrottle()): Router {
  const r = express.Router();
  const users = ctx.storage.users;
  const page = (res: Response, name: string, data: Record<string, unknown>, status = 200) => sendPage(res, ctx.views, name, { nav: 'account', ...data }, status);

  const signInPage = (res: Response, data: { name?: string; next?: string; error?: string | null }, status = 200) => {
    const { t } = localizerOf(res);
    page(res, 'accounts/signin', { title: t('Sign in'), name: data.name ?? '', next: safeNext(data.next ?? '/'), error: data.error ?? null, local: mode === 'local' }, status);
  };

  function showSignIn(req: Request, res: Response) {
    signInPage(res, { next: typeof req.query.next === 'string' ? req.query.next : '/' });
  }
  r.get('/signin', route(showSignIn));

  async function signIn(req: Request, res: Response) {
    const name = field(req, 'name').trim().slice(0, 64);
    const password = field(req, 'password').slice(0, 200);
    const next = field(req, 'next');
    const address = req.ip ?? req.socket.remoteAddress ?? '?';
    const wait = throttle.wait(name, address);
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      const { t } = localizerOf(res);
      signInPage(res, { name, next, error: t('Too many failed attempts: try again in {minutes, plural, one {# minute} other {# minutes}}.', { minutes: Math.ceil(wait / 60) }) }, 429);
      return;
    }
    const user = name && password ? await users.check(name, password) : null;
    if (!user) {
      throttle.failed(name, address);
      users.audit(null, 'sign-in failed', `${name || '(no name)'} from ${address}`);
      const { t } = localizerOf(res);
      signInPage(res, { name, next, error: t('The name or the password is not right.') }, 401);
      return;
    }
    throttle.succeeded(name);
    const token = users.createSession(user.id);
    users.audit(user.id, 'signed in', `from ${address}`);
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: 14 * 86_400_000 });
    res.redirect(303, safeNext(next));
  }
  r.post('/signin', route(signIn));

  function signOut(_req: Request, res: Response) {
    const who = whoOf(res);
    if (who?.session) {
      users.endSession(who.session);
      users.audit(who.user.id, 'signed out', '');
    }
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, mode === 'local' ? '/' : '/signin');
  }
  r.post('/signout', route(signOut));

  const accountPage = (res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const who = whoOf(res)!;
    const { t } = localizerOf(res);
    const tokens = users.tokens(who.user.id).map((k) => ({ ...k, created: k.createdAt.replace('T', ' ').slice(0, 16), used: k.lastUsedAt?.replace('T', ' ').slice(0, 16) ?? t('never') }));
    page(res, 'accounts/account', {
      title: t('Account'), account: { name: who.user.name, role: who.user.role, roleLabel: roleLabel(t, who.user.role), local: who.via === 'local', hasPassword: who.user.hasPassword },
      tokens, passwordErrors: [], ...extra,
    }, status);
  };

  function showAccount(_req: Request, res: Response) {
    return accountPage(res);
  }
  r.get('/account', route(showAccount));

  function makeToken(req: Request, res: Response) {
    const who = whoOf(res)!;
    const { t } = localizerOf(res);
    const label = field(req, 'label').trim() || t('API token');
    const made = users.createToken(who.user.id, label);
    // Shown once: only its hash is kept.
    accountPage(res, { newToken: made.token, newTokenLabel: label }, 201);
  }
  r.post('/account/tokens', route(makeToken));

  function revokeApiToken(req: Request, res: Response) {
    const who = whoOf(res)!;
    const id = String(req.params.id ?? '');
    const { t } = localizerOf(res);
    if (!users.revokeToken(who.user.id, id)) throw new HttpError(404, t('There is no live API token of yours with that id.'));
    res.redirect(303, '/account?flash=revoked');
  }
  r.post('/account/tokens/:id/revoke', route(revokeApiToken));

  async function changePassword(req: Request, res: Response) {
    const who = whoOf(res)!;
    const current = field(req, 'current');
    const fresh = field(req, 'password');
    const again = field(req, 'confirm');
    const { t } = localizerOf(res);
    const errors: string[] = [];
    if (who.user.hasPassword && !(await users.check(who.user.name, current))) errors.push(t('The current password is not right.'));
    const weak = passwordError(t, fresh, 'new');
    if (weak) errors.push(weak);
    else if (fresh !== again) errors.push(t('The two new passwords differ.'));
    if (errors.length) {
      accountPage(res, { passwordErrors: errors }, 422);
      return;
    }
    await users.setPassword(who.user.name, fresh, who.user.id);
    // Every session ended with the old password; this browser gets a new one.
    if (who.via !== 'token') {
      const token = users.createSession(who.user.id);
      res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: 14 * 86_400_000 });
    }
    res.redirect(303, '/account?flash=password');
  }
  r.post('/account/password', route(changePassword));

  return r;
}
