/**
 * The Host header check (DNS rebinding): a page of another site whose name is made to point
 * at this machine sends its own name as Host. Only the configured names are answered; on a
 * server that listens on loopback these are the loopback names, whatever the port.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** Whether an address to listen on is a loopback one. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The name of a Host header without its port, lower case ('[::1]' keeps its brackets). */
export function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const h = header.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(h);
  return m ? m[1]! : null;
}

/** 'any' answers every name; otherwise the names (without ports) that are answered. */
export type AllowedHosts = readonly string[] | 'any';

export function hostAllowed(header: string | undefined, allowed: AllowedHosts): boolean {
  if (allowed === 'any') return true;
  const name = hostName(header);
  return name !== null && allowed.some((a) => a.toLowerCase() === name);
}

export function checkHost(allowed: AllowedHosts): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (hostAllowed(req.headers.host, allowed)) {
      next();
      return;
    }
    const message = `This server does not answer to the name “${String(req.headers.host ?? '').slice(0, 100)}”. Use the address it was set up with${allowed === 'any' ? '' : ` (${allowed.join(', ')})`}; an administrator can add names with ALLOWED_HOSTS.`;
    res.status(421).set('Cache-Control', 'no-store');
    if (req.path.startsWith('/api/')) res.json({ error: message, issues: [{ path: 'Host', message: 'is not a name this server answers to' }] });
    else res.type('text/plain; charset=utf-8').send(message);
  };
}
