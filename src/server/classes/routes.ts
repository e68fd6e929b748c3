/**
 * Classrooms. A trainer creates a class (a workspace of kind 'class' with a join code) and
 * assigns exercises from /training with a due date; trainees join with the code (or sign up
 * with it, which makes a trainee account) and submit the numbers the exercise asks for, a
 * short explanation and the scenario they ran (shared with the class, so the trainer can open
 * it). The trainer sees a table of the class with each number checked against the exercise's
 * own answer, within its stated tolerance or sampling error, and downloads it as CSV.
 *
 * Every form works without JavaScript; pages are plain tables that scroll on a phone.
 */
import express, { type Request, type Response, type Router } from 'express';
import { toCsv, type Cell } from '../../core/report.ts';
import { ID_PATTERN, type Assignment, type Submission, type User, type Workspace } from '../../storage/index.ts';
import { EXERCISES, exercise, type AskedNumber, type Exercise } from '../../training/exercises.ts';
import { SESSION_COOKIE, whoOf } from '../accounts/auth.ts';
import type { Context } from '../context.ts';
import { DEFAULTS } from '../config.ts';
import { parseLocaleNumber } from '../../core/locale-number.ts';
import { formatter, numberMarks } from '../../i18n/format.ts';
import type { Localizer, Translate } from '../../i18n/translate.ts';
import { localizerOf } from '../http/language.ts';
import { HttpError } from '../http/errors.ts';
import { param, route } from '../http/route.ts';
import { SignInThrottle } from '../http/throttle.ts';
import { sendPage } from '../http/view.ts';
import { accountError, managesWorkspace, mayCreateClass, passwordError, roleLabel, signedInUser } from '../accounts/workspaces.ts';

const field = (req: Request, name: string): string => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EXPLANATION_MAX = 2000;

/**
 * A number as a trainee types it: "12,345,678", "USD 12 345 678", "3.4 %", "3.4"; null when it is
 * not one. In a locale that writes numbers otherwise ("4,2" in Spanish), with that locale's marks.
 */
export function readNumber(text: string, unit: AskedNumber['unit'], locale = 'en-US'): number | null {
  const marks = numberMarks(locale);
  if (marks.decimal !== '.') {
    const read = parseLocaleNumber(text.trim().replace(/^[A-Z]{3}\s*/i, ''), marks);
    if (!read.ok) return null;
    return unit === 'percent' ? read.value / 100 : read.value;
  }
  const t = text.trim().replace(/^[A-Z]{3}\s*/i, '').replace(/[\s,\u00a0\u202f]/g, '').replace(/%$/, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) return null;
  const n = Number(t);
  return unit === 'percent' ? n / 100 : n;
}

export interface Check {
  readonly given: string;
  readonly value: number | null;
  /** null when nothing (or not a number) was given. */
  readonly within: boolean | null;
}

/** A given number against the exercise's answer, within its tolerance. */
export function checkNumber(ask: AskedNumber, given: string | undefined): Check {
  const value = given === undefined || given.trim() === '' ? null : readNumber(given, ask.unit);
  return { given: given ?? '', value, within: value === null ? null : Math.abs(value - ask.value) <= ask.tolerance + 1e-9 };
}

export const formatAsked = (ask: AskedNumber, x: number, locale = 'en-US'): string => {
  const f = formatter(ask.currency ?? 'USD', locale);
  return ask.unit === 'money' ? f.money(x) : ask.unit === 'percent' ? f.percent(x, 2) : f.count(x);
};

const isLate = (a: Assignment, submittedAt: string) => submittedAt > `${a.dueAt}T23:59:59.999Z`;

/** Accounts one class's join code may make per hour (CLASS_SIGNUPS_PER_HOUR). */
export function classesRouter(ctx: Context, throttle = new SignInThrottle(), signupsPerHour: number = DEFAULTS.classSignupsPerHour): Router {
  const r = express.Router();
  const { workspaces, classes, users, scenarios } = ctx.storage;
  const page = (res: Response, name: string, data: Record<string, unknown>, status = 200) => sendPage(res, ctx.views, name, { nav: 'classes', ...data }, status);
  const me = signedInUser;
  const manages = managesWorkspace;

  /** The class, when the user belongs to it (administrators: any class); else 404. */
  const loadClass = (req: Request, res: Response): { ws: Workspace; user: User; manager: boolean } => {
    const user = me(res);
    const id = param(req, 'id');
    const ws = ID_PATTERN.test(id) ? workspaces.get(id) : null;
    const { t } = localizerOf(res);
    if (ws?.kind !== 'class' || (user.role !== 'administrator' && !workspaces.isMember(ws.id, user.id))) throw new HttpError(404, t('There is no class of yours with that id.'));
    return { ws, user, manager: manages(user, ws) };
  };
  const loadAssignment = (req: Request, res: Response, ws: Workspace): { a: Assignment; ex: Exercise } => {
    const id = param(req, 'aid');
    const a = ID_PATTERN.test(id) ? classes.assignment(id) : null;
    const ex = a ? exercise(a.exerciseId) : undefined;
    const { t } = localizerOf(res);
    if (!a || a.workspaceId !== ws.id || !ex) throw new HttpError(404, t('This class has no such assignment.'));
    return { a, ex };
  };
  const manage = (res: Response, ws: Workspace) => {
    const { t } = localizerOf(res);
    if (!manages(me(res), ws)) throw new HttpError(403, t('Only the class’s trainer or an administrator can do this.'));
  };
  const exerciseNumber = (ex: Exercise) => EXERCISES.indexOf(ex) + 1;

  // ----- The list of one's classes, making one, joining one -----------------------------------
  const listPage = (res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const user = me(res);
    const { t, locale } = localizerOf(res);
    const n = formatter('', locale);
    const mine = workspaces.of(user.role === 'administrator' ? null : user.id).filter((w) => w.kind === 'class');
    page(res, 'classes/classes', {
      title: t('Classes'), canCreate: mayCreateClass(user), name: '', code: '', createError: null, joinError: null,
      classes: mine.map((w) => ({ ...w, url: `/classes/${w.id}`, trainees: n.count(workspaces.members(w.id).filter((m) => m.role === 'trainee').length), assignments: n.count(classes.assignments(w.id).length), mine: manages(user, w) })),
      ...extra,
    }, status);
  };

  function listClasses(_req: Request, res: Response) {
    return listPage(res);
  }
  r.get('/classes', route(listClasses));

  function makeClass(req: Request, res: Response) {
    const user = me(res);
    const { t } = localizerOf(res);
    if (!mayCreateClass(user)) throw new HttpError(403, t('Only trainers and administrators create classes; trainees join one with its code.'));
    const name = field(req, 'name').trim();
    // eslint-disable-next-line no-control-regex
    if (!name || name.length > 120 || /^[\p{C}\s]*$/u.test(name)) {
      const { t } = localizerOf(res);
      listPage(res, { name: name.slice(0, 120), createError: t('The class needs a name of 1 to 120 characters.') }, 422);
      return;
    }
    const ws = workspaces.create(name, 'class', user.id);
    classes.newJoinCode(ws.id);
    res.redirect(303, `/classes/${ws.id}`);
  }
  r.post('/classes', route(makeClass));

  /** Joining with a code, for a signed-in user. */
  function joinWithCode(req: Request, res: Response) {
    const user = me(res);
    const code = field(req, 'code').slice(0, 20);
    const address = req.ip ?? '?';
    const wait = throttle.wait('', address);
    const ws = wait > 0 ? null : classes.byJoinCode(code);
    if (!ws) {
      if (wait <= 0) throttle.failed('', address);
      const { t } = localizerOf(res);
      listPage(res, { code, joinError: wait > 0 ? t('Too many wrong codes: try again in a few minutes.') : t('There is no class with that code: check it with your trainer.') }, wait > 0 ? 429 : 422);
      return;
    }
    workspaces.addMember(ws.id, user.id, user.id);
    res.redirect(303, `/classes/${ws.id}?flash=joined`);
  }
  r.post('/classes/join', route(joinWithCode));

  // ----- Sign-up with a join code (open without signing in) -----------------------------------
  const joinPage = (req: Request, res: Response, data: Record<string, unknown> = {}, status = 200) => {
    const who = whoOf(res);
    const { t } = localizerOf(res);
    page(res, 'classes/join', {
      title: t('Join a class'), signedIn: who && who.via !== 'local' ? who.user.name : null,
      code: typeof req.query.code === 'string' ? req.query.code.slice(0, 20) : '', name: '', errors: [], ...data,
    }, status);
  };
  function showJoin(req: Request, res: Response) {
    return joinPage(req, res);
  }
  r.get('/join', route(showJoin));

  async function joinAsTrainee(req: Request, res: Response) {
    const code = field(req, 'code').slice(0, 20);
    const name = field(req, 'name').trim().slice(0, 64);
    const password = field(req, 'password').slice(0, 200);
    const address = req.ip ?? '?';
    const wait = throttle.wait('', address);
    const { t } = localizerOf(res);
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      joinPage(req, res, { code, name, errors: [t('Too many wrong codes from this address: try again in a few minutes.')] }, 429);
      return;
    }
    const ws = classes.byJoinCode(code);
    const errors: string[] = [];
    if (!ws) {
      throttle.failed('', address);
      errors.push(t('There is no class with that code: check it with your trainer.'));
    } else if (classes.signupsSince(ws.id, new Date(Date.now() - 3_600_000).toISOString()) >= signupsPerHour) {
      users.audit(null, 'join code sign-up refused', `${ws.id}: ${signupsPerHour} accounts in the past hour`);
      res.set('Retry-After', '3600');
      joinPage(req, res, { code, name, errors: [t('This class’s code has already made {count, plural, one {# account} other {# accounts}} in the past hour, the most allowed. Try again later, or ask your trainer for a new code.', { count: signupsPerHour })] }, 429);
      return;
    }
    const weak = passwordError(t, password);
    if (weak) errors.push(weak);
    else if (password !== field(req, 'confirm')) errors.push(t('The two passwords differ.'));
    if (!name) errors.push(t('Choose a name to sign in with.'));
    let user: User | null = null;
    if (!errors.length) {
      try {
        user = await users.add(name, 'trainee', password, null);
      } catch (e) {
        errors.push(accountError(t, e, name));
      }
    }
    if (!user || !ws) {
      joinPage(req, res, { code, name, errors }, 422);
      return;
    }
    users.audit(user.id, 'signed up with a join code', `${name} in ${ws.name}`);
    workspaces.addMember(ws.id, user.id, user.id);
    const token = users.createSession(user.id);
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: 14 * 86_400_000 });
    res.redirect(303, `/classes/${ws.id}?flash=joined`);
  }
  r.post('/join', route(joinAsTrainee));

  // ----- One class ---------------------------------------------------------------------------
  /** Each assignment's table: a row per trainee, each asked number checked. */
  const tableOf = (ws: Workspace, a: Assignment, ex: Exercise, onlyUser?: string, l?: Localizer) => {
    // The numbers asked in the reader's language (the English ones for the CSV).
    const asks = ex.asks(l);
    const t: Translate = l?.t ?? ((k) => k);
    const subs = new Map(classes.submissions(a.id, onlyUser).map((s) => [s.userId, s]));
    const trainees = workspaces.members(ws.id).filter((m) => m.role === 'trainee' && (!onlyUser || m.id === onlyUser));
    return {
      asks: asks.map((k) => ({ ...k, answer: formatAsked(k, k.value, l?.locale), tolerance: k.basis })),
      rows: trainees.map((member) => {
        const s = subs.get(member.id) ?? null;
        const checks = asks.map((k) => checkNumber(k, s?.answers[k.id]));
        return {
          trainee: member.name, submission: s, submitted: s ? s.submittedAt.replace('T', ' ').slice(0, 16) : null, late: s ? isLate(a, s.submittedAt) : false,
          checks: checks.map((c) => ({ ...c, mark: c.within === null ? '—' : c.within ? 'right' : 'off' })),
          right: checks.filter((c) => c.within).length,
          scenarioUrl: s?.scenarioId ? `/scenarios/${s.scenarioId}` : null,
          scenarioName: s?.scenarioId ? scenarios.nameOf(s.scenarioId) ?? t('(deleted)') : null,
        };
      }),
    };
  };

  function showClass(req: Request, res: Response) {
    const { ws, user, manager } = loadClass(req, res);
    const l = localizerOf(res);
    const { t } = localizerOf(res);
    const today = new Date().toISOString().slice(0, 10);
    const items = classes.assignments(ws.id).flatMap((a) => {
      const ex = exercise(a.exerciseId);
      if (!ex) return [];
      const mine = classes.submissions(a.id, user.id)[0] ?? null;
      return [{
        ...a, ex: { id: ex.id, title: t(ex.title), number: exerciseNumber(ex) }, url: `/classes/${ws.id}/assignments/${a.id}`, overdue: a.dueAt < today,
        mine: mine ? { submitted: mine.submittedAt.replace('T', ' ').slice(0, 16), late: isLate(a, mine.submittedAt) } : null,
        table: manager ? tableOf(ws, a, ex, undefined, l) : null,
      }];
    });
    const members = workspaces.members(ws.id);
    page(res, 'classes/class', {
      title: ws.name, ws, manager, isTrainee: user.role === 'trainee',
      joinCode: manager ? classes.joinCodeOf(ws.id) : null,
      joinUrl: manager ? `/join?code=${encodeURIComponent(classes.joinCodeOf(ws.id) ?? '')}` : null,
      members: members.map((m) => ({ ...m, roleLabel: roleLabel(t, m.role) })), trainees: members.filter((m) => m.role === 'trainee').length,
      assignments: items, exercises: EXERCISES.map((e, i) => ({ id: e.id, title: t(e.title), number: i + 1 })),
      defaultDue: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
      flash: req.query.flash === 'joined' ? t('You are in “{name}”.', { name: ws.name }) : req.query.flash === 'submitted' ? t('Your answers were submitted. You can change them by submitting again.') : req.query.flash === 'assigned' ? t('The exercise was assigned.')
        : req.query.flash === 'code' ? t('The class has a new join code; the old one no longer works.') : null,
      assignErrors: [],
    });
  }
  r.get('/classes/:id', route(showClass));

  function setAssignment(req: Request, res: Response) {
    const { ws, user } = loadClass(req, res);
    manage(res, ws);
    const ex = exercise(field(req, 'exercise'));
    const due = field(req, 'due').trim();
    const { t } = localizerOf(res);
    const errors: string[] = [];
    if (!ex) errors.push(t('Choose one of the exercises.'));
    if (!DATE.test(due) || Number.isNaN(Date.parse(`${due}T00:00:00Z`))) errors.push(t('The due date must be a date (YYYY-MM-DD).'));
    if (errors.length) throw new HttpError(422, t('The exercise was not assigned.'), errors);
    classes.assign(ws.id, ex!.id, due, user.id);
    res.redirect(303, `/classes/${ws.id}?flash=assigned`);
  }
  r.post('/classes/:id/assignments', route(setAssignment));

  function deleteAssignment(req: Request, res: Response) {
    const { ws, user } = loadClass(req, res);
    manage(res, ws);
    const { a } = loadAssignment(req, res, ws);
    classes.unassign(a.id, user.id);
    res.redirect(303, `/classes/${ws.id}`);
  }
  r.post('/classes/:id/assignments/:aid/delete', route(deleteAssignment));

  function renewJoinCode(req: Request, res: Response) {
    const { ws, user } = loadClass(req, res);
    manage(res, ws);
    classes.newJoinCode(ws.id);
    users.audit(user.id, 'join code renewed', ws.id);
    res.redirect(303, `/classes/${ws.id}?flash=code`);
  }
  r.post('/classes/:id/code', route(renewJoinCode));

  // ----- Submitting ----------------------------------------------------------------------------
  const submitPage = (res: Response, ws: Workspace, a: Assignment, ex: Exercise, user: User, values: Submission | { answers: Record<string, string>; explanation: string; scenarioId: string | null } | null, errors: string[] = [], status = 200) => {
    const l = localizerOf(res);
    const { t } = l;
    const asks = ex.asks(l);
    const choices = scenarios.choices().filter((c) => scenarios.canChange(c.id));
    page(res, 'classes/class-submit', {
      title: t('{exercise} — {class}', { exercise: t(ex.title), class: ws.name }), ws, a, ex: { id: ex.id, title: t(ex.title), question: t(ex.question), number: exerciseNumber(ex) },
      classUrl: `/classes/${ws.id}`, action: `/classes/${ws.id}/assignments/${a.id}`,
      asks: asks.map((k) => ({ id: k.id, label: k.label, unit: k.unit === 'money' ? k.currency ?? '' : k.unit === 'percent' ? '%' : t('firms'), basis: k.basis, value: values?.answers[k.id] ?? '' })),
      explanation: values?.explanation ?? '', max: EXPLANATION_MAX, maxText: String(EXPLANATION_MAX),
      scenarios: choices.map((c) => ({ ...c, selected: c.id === values?.scenarioId })),
      submitted: values && 'submittedAt' in values ? values.submittedAt.replace('T', ' ').slice(0, 16) : null,
      late: new Date().toISOString().slice(0, 10) > a.dueAt, errors, canSubmit: user.role !== 'administrator' || workspaces.isMember(ws.id, user.id),
    }, status);
  };

  function showAssignment(req: Request, res: Response) {
    const { ws, user } = loadClass(req, res);
    const { a, ex } = loadAssignment(req, res, ws);
    submitPage(res, ws, a, ex, user, classes.submissions(a.id, user.id)[0] ?? null);
  }
  r.get('/classes/:id/assignments/:aid', route(showAssignment));

  function submitAssignment(req: Request, res: Response) {
    const { ws, user } = loadClass(req, res);
    const { a, ex } = loadAssignment(req, res, ws);
    const l = localizerOf(res);
    const { t, locale } = l;
    if (!workspaces.isMember(ws.id, user.id)) throw new HttpError(403, t('Only members of the class submit answers.'));
    const asks = ex.asks(l);
    const answers: Record<string, string> = {};
    const typed: Record<string, string> = {};
    const errors: string[] = [];
    for (const k of asks) {
      const given = field(req, `answer.${k.id}`).trim().slice(0, 40);
      typed[k.id] = given;
      const value = given === '' ? null : readNumber(given, k.unit, locale);
      // Kept as the English reading of the number, so the trainer's table checks it in any language.
      answers[k.id] = value === null || numberMarks(locale).decimal === '.' ? given : String(k.unit === 'percent' ? Math.round(value * 100 * 1e9) / 1e9 : value);
      if (given === '') errors.push(t('{field}: is required.', { field: k.label }));
      else if (value === null) errors.push(k.unit === 'percent' ? t('{field}: must be a number (in percent, e.g. {example}).', { field: k.label, example: (4.2).toLocaleString(locale) }) : t('{field}: must be a number.', { field: k.label }));
    }
    const explanation = field(req, 'explanation').trim();
    if (!explanation) errors.push(t('Explanation: is required (a few sentences).'));
    else if (explanation.length > EXPLANATION_MAX) errors.push(t('Explanation: must be at most {max} characters.', { max: String(EXPLANATION_MAX) }));
    const scenarioField = field(req, 'scenario');
    let scenarioId: string | null = null;
    if (scenarioField) {
      if (!ID_PATTERN.test(scenarioField) || !scenarios.canChange(scenarioField)) errors.push(t('Scenario: choose one of the scenarios you saved.'));
      else scenarioId = scenarioField;
    }
    if (errors.length) {
      submitPage(res, ws, a, ex, user, { answers: typed, explanation: explanation.slice(0, EXPLANATION_MAX * 2), scenarioId }, errors, 422);
      return;
    }
    // The scenario is shared with the class: its trainer may open it (other trainees still may not).
    if (scenarioId) scenarios.share(scenarioId, ws.id);
    classes.submit(a.id, user.id, answers, explanation, scenarioId);
    res.redirect(303, `/classes/${ws.id}?flash=submitted`);
  }
  r.post('/classes/:id/assignments/:aid', route(submitAssignment));

  // ----- The table as CSV ----------------------------------------------------------------------
  function downloadSubmissions(req: Request, res: Response) {
    const { ws } = loadClass(req, res);
    manage(res, ws);
    const rows: Cell[][] = [];
    for (const a of classes.assignments(ws.id)) {
      const ex = exercise(a.exerciseId);
      if (!ex) continue;
      const table = tableOf(ws, a, ex);
      const asks = ex.asks();
      for (const row of table.rows) {
        const s = row.submission;
        if (!s) {
          rows.push([ws.name, ex.title, a.dueAt, row.trainee, null, null, null, null, null, null, null, null, null, null, null]);
          continue;
        }
        asks.forEach((k, i) => {
          const c = row.checks[i]!;
          rows.push([ws.name, ex.title, a.dueAt, row.trainee, s.submittedAt, row.late ? 'yes' : 'no', k.label, k.unit === 'money' ? k.currency ?? '' : k.unit === 'percent' ? 'share' : 'count', c.given, c.value, k.value, k.tolerance, c.within === null ? '' : c.within ? 'yes' : 'no', s.explanation, s.scenarioId ? `/scenarios/${s.scenarioId}` : null]);
        });
      }
    }
    const csv = toCsv({ columns: ['class', 'exercise', 'due', 'trainee', 'submitted_at', 'late', 'number', 'unit', 'given', 'given_value', 'answer', 'tolerance', 'within_tolerance', 'explanation', 'scenario'], rows });
    const file = ws.name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || 'class';
    res.type('text/csv; charset=utf-8').attachment(`${file}.csv`).send(csv);
  }
  r.get('/classes/:id/table.csv', route(downloadSubmissions));

  return r;
}
