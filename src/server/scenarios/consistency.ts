/**
 * Rules every answer follows: a name has something visible in it; a wrong method on a known
 * address is 405 with the methods it takes; every 4xx answer of the API lists at least one issue.
 */
import type { Router } from 'express';
import { msg } from '../../i18n/translate.ts';

/** Control and format characters (C0, C1, DEL, zero-width, bidi controls) and white space. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\s]/gu;

/** Why a name cannot be used, or null: it must have a visible character. */
export function nameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return null;
  if (name.length > 0 && name.replace(INVISIBLE, '') === '') {
    // Messages (translated where the issue is shown).
    return name.trim() === '' ? msg('is required') : msg('must contain a visible character, not only control characters or spaces');
  }
  return null;
}

interface LayerLike {
  route?: { methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
  /** router 2: the match ({ path }) or false; older layers: a boolean and `path` set. */
  match(path: string): { path?: string } | boolean;
  path?: string;
}

/** The methods the routers answer at a path (HEAD with GET), or [] when none does. */
export function allowedMethods(routers: readonly Router[], path: string): string[] {
  const found = new Set<string>();
  const walk = (stack: readonly LayerLike[], p: string) => {
    for (const layer of stack) {
      if (layer.route) {
        if (!layer.match(p)) continue;
        for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') found.add(m.toUpperCase());
      } else if (layer.handle?.stack) {
        // A mounted router: match the rest of the path against its own routes.
        const m = layer.match(p);
        if (!m) continue;
        const mounted = typeof m === 'object' && typeof m.path === 'string' ? m.path : layer.path ?? '';
        const rest = p.slice(mounted.length) || '/';
        walk(layer.handle.stack, rest.startsWith('/') ? rest : `/${rest}`);
      }
    }
  };
  for (const r of routers) walk((r as unknown as { stack: LayerLike[] }).stack, path);
  if (found.has('GET')) found.add('HEAD');
  return [...found].sort();
}

/** The place an issue refers to when an answer has no field to name, by status. */
export function defaultIssue(status: number, message: string): { path: string; message: string } {
  const path = ({ 400: '(body)', 404: '(url)', 405: '(method)', 409: '(state)', 412: 'If-Match', 413: '(body)', 415: 'Content-Type', 422: '(body)', 429: '(rate)', 503: '(server)', 507: '(storage)' } as Record<number, string>)[status] ?? '(request)';
  return { path, message };
}
