/** Helpers shared by the routers. */
import type { NextFunction, Request, Response } from 'express';

export type Handler = (req: Request, res: Response, next: NextFunction) => unknown;

/** Express 5 passes rejected promises on; this also catches synchronous throws. */
export const route = (h: Handler): Handler => (req, res, next) => {
  try {
    return Promise.resolve(h(req, res, next)).catch(next);
  } catch (e) {
    next(e);
  }
};

/** A path parameter as a string ('' when absent). */
export const param = (req: Request, name: string) => String((req.params as Record<string, string>)[name] ?? '');
