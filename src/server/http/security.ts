/**
 * Security middleware: helmet with a strict Content-Security-Policy, and CSRF protection for
 * form posts by a signed double-submit token. The browser holds a random id in an HttpOnly,
 * SameSite=Strict cookie; every form carries HMAC(secret, id) in a hidden field. A forged
 * cross-site post has neither the cookie (SameSite) nor a way to compute the HMAC.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

export const CSRF_COOKIE = 'cgf_csrf';
export const CSRF_FIELD = '_csrf';

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Served on plain http on a local machine: HSTS would be meaningless there.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}

export class Csrf {
  constructor(private readonly secret: string) {}

  tokenFor(id: string): string {
    return createHmac('sha256', this.secret).update(`csrf:${id}`).digest('base64url');
  }

  verify(id: string | undefined, token: unknown): boolean {
    if (!id || typeof token !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) return false;
    const expected = Buffer.from(this.tokenFor(id));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** Gives every request a CSRF id (set as a cookie when new) and puts the token in res.locals. */
  issue(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      // A signed-in browser's forms are bound to its session, which the client cannot choose.
      const session = (res.locals.who as { session?: string | null } | undefined)?.session;
      if (session) {
        res.locals.csrfId = session;
        res.locals.csrfToken = this.tokenFor(session);
        next();
        return;
      }
      let id = parseCookies(req.headers.cookie)[CSRF_COOKIE];
      if (!id || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
        id = randomBytes(18).toString('base64url');
        res.cookie(CSRF_COOKIE, id, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure });
      }
      res.locals.csrfId = id;
      res.locals.csrfToken = this.tokenFor(id);
      next();
    };
  }

  /** Rejects a state-changing form post whose token does not match its cookie. */
  check(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
      const session = (res.locals.who as { session?: string | null } | undefined)?.session;
      const cookieId = session || parseCookies(req.headers.cookie)[CSRF_COOKIE];
      const body = req.body as Record<string, unknown> | undefined;
      const token = body?.[CSRF_FIELD] ?? req.get('x-csrf-token');
      if (this.verify(cookieId, token)) return next();
      const err = new Error('The form has expired or did not come from this site. Reload the page and try again.') as Error & { status: number; expose: boolean };
      err.status = 403;
      err.expose = true;
      next(err);
    };
  }
}
