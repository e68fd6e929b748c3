/**
 * Import one scenario from a JSON file by upload (/import): the file the editor's “Download
 * JSON” or the API gives (a scenario, or a result document holding one), checked by the same
 * schema as the API and the command line. A valid file is saved as a new scenario and opened;
 * an invalid one is answered with every problem by field, and nothing is saved. The multipart
 * form carries its CSRF token before the file, checked here (the form parser does not read
 * multipart bodies).
 */
import busboy from 'busboy';
import express, { type Request, type Response, type Router } from 'express';
import { parseScenario, type FieldIssue, type Scenario } from '../../core/schema.ts';
import type { Context } from '../context.ts';
import { CSRF_COOKIE, CSRF_FIELD, parseCookies } from '../http/security.ts';
import { sendPage } from '../http/view.ts';
import { localizerOf } from '../http/language.ts';
import { msg } from '../../i18n/index.ts';
import { translateIssues } from '../../i18n/issues.ts';
import { fill } from '../../core/validation.ts';
import { viewerOf, whoOf } from '../accounts/auth.ts';
import { withViewer } from '../../storage/index.ts';

/** Largest scenario file taken: far above any scenario (the presets are a few kilobytes). */
export const MAX_SCENARIO_FILE = 1024 * 1024;

export type UploadCheck = { ok: true; scenario: Scenario } | { ok: false; problems: readonly FieldIssue[] };

/**
 * A file's text as a scenario: JSON first (a syntax error names its line and column), then the
 * schema. A result document (`{ scenario, summary, … }`) gives its scenario.
 */
export function scenarioFromFile(text: string): UploadCheck {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(message);
    const detail = message.replace(/^Unexpected/, 'unexpected').replace(/ in JSON at position \d+.*$/, '');
    if (at) {
      const before = text.slice(0, Number(at[1]));
      const line = before.split('\n').length;
      const column = before.length - before.lastIndexOf('\n');
      return { ok: false, problems: [{ path: '(file)', message: fill(msg('is not valid JSON at line {line}, column {column}: {detail}'), { line, column, detail }) }] };
    }
    return { ok: false, problems: [{ path: '(file)', message: fill(msg('is not valid JSON: {detail}'), { detail }) }] };
  }
  if (data && typeof data === 'object' && !Array.isArray(data) && !('fund' in data) && 'scenario' in data && typeof (data as { scenario: unknown }).scenario === 'object') {
    data = (data as { scenario: unknown }).scenario;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, problems: [{ path: '(file)', message: msg('must hold one scenario: a JSON object such as the editor’s “Download JSON” gives') }] };
  }
  const parsed = parseScenario(data);
  return parsed.ok ? { ok: true, scenario: parsed.value } : { ok: false, problems: parsed.issues };
}

export function scenarioUploadRouter(ctx: Context): Router {
  const r = express.Router();
  const page = (res: Response, data: { fileName?: string; problems?: readonly FieldIssue[]; error?: string }, status = 200) => {
    const l = localizerOf(res);
    const { t } = l;
    const problems = data.problems ? translateIssues(l, data.problems) : undefined;
    sendPage(res, ctx.views, 'scenarios/import', { title: data.problems?.length || data.error ? t('Fix the file: import a scenario') : t('Import a scenario'), nav: 'scenarios', maxSize: '1 MB', ...data, problems }, status);
  };

  /** GET /import: the form. */
  function showImportForm(_req: Request, res: Response) {
    page(res, {});
  }

  /** POST /import: reads the multipart upload itself (its token too), then saves the scenario or shows the problems. */
  function importScenarioFile(req: Request, res: Response) {
    const { t } = localizerOf(res);
    if (!(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      page(res, { error: t('The file must be sent from the form below.') }, 400);
      return;
    }
    // Bound to the session when signed in, as every other form's token.
    const cookieId = whoOf(res)?.session || parseCookies(req.headers.cookie)[CSRF_COOKIE];
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { fileSize: MAX_SCENARIO_FILE, files: 1, fields: 3, fieldSize: 1000, parts: 5 } });
    } catch {
      page(res, { error: t('The upload could not be read. Choose the file again and send it.') }, 400);
      return;
    }
    let tokenOk = false;
    let fileName = '';
    let truncated = false;
    const chunks: Buffer[] = [];
    bb.on('field', (name, value) => {
      if (name === CSRF_FIELD) tokenOk = ctx.csrf.verify(cookieId, value);
    });
    bb.on('file', (name, stream, info) => {
      if (!tokenOk || name !== 'scenarioFile' || fileName) {
        stream.resume();
        return;
      }
      fileName = info.filename || t('the file');
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => { truncated = true; });
    });
    bb.on('error', () => {
      req.unpipe(bb);
      if (!res.headersSent) page(res, { error: t('The upload was interrupted or is not a valid form. Send the file again.') }, 400);
    });
    bb.on('close', () => {
      if (res.headersSent) return;
      if (!tokenOk) return page(res, { error: t('The form has expired or did not come from this site. Reload the page and try again.') }, 403);
      const body = Buffer.concat(chunks);
      if (!fileName || body.length === 0) return page(res, { error: t('Choose a scenario file (.json) to import.') }, 422);
      if (truncated) return page(res, { fileName, error: t('“{fileName}” is larger than 1 MB: a scenario file is a few kilobytes. Nothing was saved.', { fileName }) }, 413);
      const checked = scenarioFromFile(body.toString('utf8'));
      if (!checked.ok) return page(res, { fileName, problems: checked.problems }, 422);
      // Stream callbacks run outside the request's context: saved as the request's user explicitly.
      const saved = withViewer(viewerOf(res), () => ctx.storage.scenarios.create(checked.scenario));
      res.redirect(303, `/scenarios/${saved.id}?flash=saved`);
    });
    req.pipe(bb);
  }

  r.get('/', showImportForm);
  r.post('/', importScenarioFile);
  return r;
}
