/**
 * Loan tapes in the JSON API, under /api/v1/tapes: the tapes the user may see (their own, those
 * shared with a workspace of theirs; administrators all), one tape with its calibration report,
 * and PATCH `{ "workspace": id | null }` to share one with a workspace or make it private.
 * Uploading and importing stay on the pages (/calibration).
 */
import express, { type Request, type Response, type Router } from 'express';
import { msg } from '../../i18n/translate.ts';
import { ID_PATTERN, type TapeRecord } from '../../storage/index.ts';
import { whoOf } from '../accounts/auth.ts';
import { sharingJson, shareTarget } from '../accounts/sharing.ts';
import type { Context } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { param, route } from '../http/route.ts';

export function tapesApiRouter(ctx: Context): Router {
  const r = express.Router();
  const { tapes } = ctx.storage;

  const tapeJson = (tape: TapeRecord) => ({
    id: tape.id, name: tape.name, lender: tape.lender, format: tape.format, sizeBytes: tape.sizeBytes, status: tape.status, rows: tape.rows,
    asOf: tape.asOf, baseRef: tape.baseRef, createdAt: tape.createdAt, importedAt: tape.importedAt, ...sharingJson(tape),
    links: { self: `/api/v1/tapes/${tape.id}`, page: `/calibration/tapes/${tape.id}`, ...(tape.status === 'imported' ? { report: `/calibration/tapes/${tape.id}/report.json` } : {}) },
  });

  const loadTape = (req: Request): TapeRecord => {
    const id = param(req, 'id');
    const tape = ID_PATTERN.test(id) ? tapes.get(id) : null;
    if (!tape) throw new HttpError(404, msg('There is no loan tape with that id. It may have been deleted.'));
    return tape;
  };

  function listTapes(_req: Request, res: Response) {
    res.json({ tapes: tapes.list().map(tapeJson) });
  }
  r.get('/', route(listTapes));

  function getTape(req: Request, res: Response) {
    const tape = loadTape(req);
    res.json({ ...tapeJson(tape), mapping: tape.mapping, report: tape.status === 'imported' ? tapes.report(tape.id) : null });
  }
  r.get('/:id', route(getTape));

  /** PATCH /api/v1/tapes/:id `{ "workspace": id | null }`: its owner shares the tape, or makes it private. */
  function shareTape(req: Request, res: Response) {
    const tape = loadTape(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!('workspace' in body) || Object.keys(body).some((k) => k !== 'workspace')) {
      throw new HttpError(422, msg('Only the workspace can be patched.'), [{ path: 'workspace', message: msg('must be the id of one of your workspaces, or null to make it private') }]);
    }
    tapes.share(tape.id, shareTarget(ctx, whoOf(res)?.user ?? null, tape, body.workspace));
    res.json(tapeJson(tapes.get(tape.id)!));
  }
  r.patch('/:id', route(shareTape));

  return r;
}
