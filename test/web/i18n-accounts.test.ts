/**
 * Accounts, classrooms, workspaces and calibration in the pseudo-locale: sign-in, the account
 * page (tokens, password errors), the Users page (roles, invitation, audit log), an invitation,
 * joining a class, the classes list, a class with the trainer's table, the submission form, the
 * workspaces list and a workspace, and every step of a calibration (upload, columns, errors,
 * report). Each page shows nothing but translated messages and data (names, codes, files); in
 * Spanish each still renders with lang="es".
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtest } from '../../src/core/calibration/backtest.ts';
import { calibrate } from '../../src/core/calibration/estimate.ts';
import { mappingProblems } from '../../src/core/calibration/fields.ts';
import { localizeCalibrationText } from '../../src/core/calibration/messages.ts';
import { dayOf, LoanTable, parseLoan, type Loan } from '../../src/core/calibration/rows.ts';
import { calibratedScenario } from '../../src/core/calibration/scenario.ts';
import { generateTape, SAMPLE_PARAMETERS, tapeCsv } from '../../src/core/calibration/synthetic.ts';
import { parseScenario } from '../../src/core/schema.ts';
import { loadPreset } from '../../src/presets/index.ts';
import { withViewer } from '../../src/storage/index.ts';
import { exercise } from '../../src/training/exercises.ts';
import { languages } from '../../src/i18n/index.ts';
import { untranslated } from '../support/pseudo.ts';
import { csrfToken, makeApp, preset, type TestApp } from './helpers.ts';

let t: TestApp;
const PASSWORD = 'a long password';
type Agent = ReturnType<typeof request.agent>;

/** Data, not text: the people, the class, the team, the scenario, the tape and its lender. */
const DATA = ['tia fund', 'Because.', 'May course', 'Budget team', 'loans.csv', 'bad.csv', 'Sample Bank', 'root', 'tina', 'tia'];

async function signIn(name: string): Promise<Agent> {
  const agent = request.agent(t.web.app);
  const form = await agent.get('/signin?lang=qps');
  const res = await agent.post('/signin').type('form').send({ name, password: PASSWORD, _csrf: csrfToken(form.text) });
  expect(res.status).toBe(303);
  return agent;
}
const post = async (agent: Agent, formPath: string, path: string, body: Record<string, string>) => {
  const form = await agent.get(formPath);
  return agent.post(path).type('form').send({ ...body, _csrf: csrfToken(form.text) });
};

// The language switcher names each language in itself.
const LANGUAGE_NAMES = languages().offered.map((l) => l.name);

/**
 * A message with markup (a link, code) is one message: its tags are taken out of the marked
 * span, so the text between them is read as part of it.
 */
const joinMarkedMarkup = (html: string) => html.replace(/⟦[^⟦⟧]*⟧/g, (m) => m.replace(/<[^>]*>/g, ''));

/** The page in the pseudo-locale, checked: nothing left in English but data. */
function checkPseudo(label: string, res: { status: number; text: string }, status = 200, allowed: readonly (string | RegExp)[] = []): void {
  expect(res.status, label).toBe(status);
  expect(res.text, label).toContain('lang="qps"');
  expect(untranslated(joinMarkedMarkup(res.text), [...DATA, ...LANGUAGE_NAMES, ...allowed]), label).toEqual([]);
}

let root: Agent;
let tina: Agent;
let tia: Agent;
let classUrl = '';
let code = '';
let assignmentUrl = '';
let workspaceUrl = '';

beforeAll(async () => {
  t = makeApp({ auth: 'required' });
  await t.web.storage.users.add('root', 'administrator', PASSWORD);
  await t.web.storage.users.add('tina', 'trainer', PASSWORD);
  await t.web.storage.users.add('tia', 'trainee', PASSWORD);
  root = await signIn('root');
  tina = await signIn('tina');
  tia = await signIn('tia');
  classUrl = (await post(tina, '/classes', '/classes', { name: 'May course' })).headers.location!;
  code = /id="join-code-value">([A-Z0-9-]+)</.exec((await tina.get(classUrl)).text)![1]!;
  expect((await post(tina, classUrl, `${classUrl}/assignments`, { exercise: 'additionality', due: '2099-01-31' })).status).toBe(303);
  expect((await post(tia, '/classes', '/classes/join', { code })).status).toBe(303);
  assignmentUrl = /href="(\/classes\/[^"]+\/assignments\/[^"]+)" class="submit-link"/.exec((await tia.get(classUrl)).text)![1]!;
  const u = t.web.storage.users.byName('tia')!;
  const scenario = withViewer({ id: u.id, role: u.role }, () => t.web.storage.scenarios.create({ ...preset(), name: 'tia fund' })).id;
  const answers = Object.fromEntries(exercise('additionality')!.asks().map((k) => [`answer.${k.id}`, '1234']));
  expect((await post(tia, assignmentUrl, assignmentUrl, { ...answers, explanation: 'Because.', scenario })).status).toBe(303);
  workspaceUrl = (await post(root, '/workspaces', '/workspaces', { name: 'Budget team', kind: 'team' })).headers.location!;
  expect((await post(root, workspaceUrl, `${workspaceUrl}/members`, { name: 'tina' })).status).toBe(303);
  for (const a of [root, tina, tia]) await a.get('/account?lang=qps');
});
afterAll(async () => {
  await t.close();
});

describe('accounts in the pseudo-locale', () => {
  it('sign-in, with a wrong password', async () => {
    const anon = request.agent(t.web.app);
    const form = await anon.get('/signin?lang=qps');
    checkPseudo('sign-in', form);
    checkPseudo('wrong password', await anon.post('/signin').type('form').send({ name: 'root', password: 'not it at all', _csrf: csrfToken(form.text) }), 401);
  });

  it('on a server for this computer only: sign-in and the local user’s account', async () => {
    const local = makeApp();
    try {
      const agent = request.agent(local.web.app);
      const signin = await agent.get('/signin?lang=qps');
      checkPseudo('sign-in, local', signin);
      expect(signin.text).toContain('⟦This server listens only on this computer');
      const account = await agent.get('/account');
      checkPseudo('account, local', account, 200, ['local']);
      expect(account.text).toContain('⟦This is the local user of a server');
    } finally {
      await local.close();
    }
  });

  it('a form sent after the session ended', async () => {
    const anon = request.agent(t.web.app);
    await anon.get('/signin?lang=qps');
    const res = await anon.post('/classes').type('form').send({ name: 'x' });
    expect(res.status).toBe(401);
    expect(res.text).toMatch(/^⟦Sign in first: your session has ended\./);
  });

  it('the account page: a new token, its table, and password errors', async () => {
    checkPseudo('account', await root.get('/account'));
    checkPseudo('new token', await post(root, '/account', '/account/tokens', { label: 'tia fund' }), 201, [/cgf_[\w-]+/]);
    checkPseudo('password errors', await post(root, '/account', '/account/password', { current: 'wrong', password: 'short', confirm: 'short' }), 422);
  });

  it('the Users page: roles, an invitation, the audit log; and the invitation it makes', async () => {
    checkPseudo('users', await root.get('/admin/users?flash=role'));
    const invited = await post(root, '/admin/users', '/admin/invitations', { role: 'analyst' });
    checkPseudo('invitation made', invited, 201, [/\/invite\/[\w-]+/]);
    const link = /id="invitation-link">([^<]+)</.exec(invited.text)![1]!;
    const anon = request.agent(t.web.app);
    const form = await anon.get(`${link}?lang=qps`);
    checkPseudo('invitation', form);
    checkPseudo('invitation errors', await anon.post(link).type('form').send({ name: 'newbie', password: 'short', confirm: 'short', _csrf: csrfToken(form.text) }), 422);
  });
});

describe('classes in the pseudo-locale', () => {
  it('joining a class, signed out and signed in', async () => {
    const anon = request.agent(t.web.app);
    const form = await anon.get(`/join?lang=qps&code=${code}`);
    checkPseudo('join', form, 200, [code]);
    checkPseudo('join errors', await anon.post('/join').type('form').send({ code: 'ABCD-EFGH', name: 'x1', password: 'short', confirm: 'short', _csrf: csrfToken(form.text) }), 422, ['ABCD-EFGH', 'x1']);
    const taken = await anon.post('/join').type('form').send({ code, name: 'tia', password: PASSWORD, confirm: PASSWORD, _csrf: csrfToken(form.text) });
    checkPseudo('join, a name taken', taken, 422, [code]);
    expect(taken.text).toContain('⟦There is already a user named “tia”.⟧');
    checkPseudo('join, a bad name', await anon.post('/join').type('form').send({ code, name: '!!', password: PASSWORD, confirm: PASSWORD, _csrf: csrfToken(form.text) }), 422, [code, '!!']);
    checkPseudo('join signed in', await tia.get('/join'));
  });

  it('the list, a class with the trainer’s table, and the submission form', async () => {
    checkPseudo('classes', await tina.get('/classes'));
    checkPseudo('classes, wrong code', await post(tina, '/classes', '/classes/join', { code: 'ABCD-EFGH' }), 422, ['ABCD-EFGH']);
    checkPseudo('class (trainer)', await tina.get(`${classUrl}?flash=assigned`), 200, [code]);
    checkPseudo('class (trainee)', await tia.get(`${classUrl}?flash=joined`));
    checkPseudo('submission form', await tia.get(assignmentUrl));
    checkPseudo('submission errors', await post(tia, assignmentUrl, assignmentUrl, { explanation: '' }), 422);
  });
});

describe('numbers typed the language’s way', () => {
  it('a trainee in Spanish types 1.234.567,5 and the class keeps 1234567.5', async () => {
    const asks = exercise('additionality')!.asks();
    await tia.get('/account?lang=es');
    const answers = Object.fromEntries(asks.map((k) => [`answer.${k.id}`, '1.234.567,5']));
    expect((await post(tia, assignmentUrl, assignmentUrl, { ...answers, explanation: 'Porque.' })).status).toBe(303);
    const form = (await tia.get(`${assignmentUrl}?lang=en`)).text;
    for (const k of asks) expect(form).toContain(`name="answer.${k.id}" value="1234567.5"`);
    await tia.get('/account?lang=qps');
  });
});

describe('workspaces in the pseudo-locale', () => {
  it('the list and a workspace with an invitation', async () => {
    checkPseudo('workspaces', await root.get('/workspaces'));
    checkPseudo('workspace', await root.get(`${workspaceUrl}?flash=added`));
    checkPseudo('workspace invitation', await post(root, workspaceUrl, `${workspaceUrl}/invite`, { role: 'trainee' }), 201, [/\/invite\/[\w-]+/]);
    checkPseudo('workspace, no such account', await post(root, workspaceUrl, `${workspaceUrl}/members`, { name: 'nobody' }), 422, ['nobody']);
    const classSpace = (await post(root, '/workspaces', '/workspaces', { name: 'May course', kind: 'class' })).headers.location!;
    const page = await root.get(classSpace);
    checkPseudo('workspace of a class', page);
    expect(page.text).toContain('⟦A class.⟧');
    checkPseudo('workspaces, with a class', await root.get('/workspaces'));
    checkPseudo('workspaces, no name', await post(root, '/workspaces', '/workspaces', { name: ' ' }), 422);
  });
});

const small = tapeCsv(generateTape({ ...SAMPLE_PARAMETERS, loansPerYear: 150, years: 8 }).loans);

async function upload(agent: Agent, csv: string, name = 'loans.csv', lender = 'Sample Bank') {
  const tok = csrfToken((await agent.get('/calibration')).text);
  return agent.post('/calibration/upload').field('_csrf', tok).field('lender', lender).attach('tape', Buffer.from(csv), name);
}

/** The mapping form as the page fills it in. */
function mappingForm(html: string): Record<string, string> {
  const form: Record<string, string> = { _csrf: csrfToken(html), base: 'preset:default' };
  for (const m of html.matchAll(/<select id="map-(\w+)" name="(map_\w+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const sel = /<option value="([^"]*)" selected>/.exec(m[3]!);
    if (sel) form[m[2]!] = sel[1]!.replace(/&#x27;/g, "'");
  }
  return form;
}

describe('calibration in the pseudo-locale', () => {
  it('the upload page, a refused file, the columns, their problems, the report', async () => {
    checkPseudo('calibration', await root.get('/calibration'));
    checkPseudo('refused file', await upload(root, 'hello', 'loans.pdf'), 415, ['loans.pdf']);
    const up = await upload(root, small);
    expect(up.status).toBe(303);
    const url = up.headers.location as string;
    const mapping = await root.get(url);
    const headers = [...mapping.text.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]!);
    const cells = [...mapping.text.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]!);
    const fileData = [...headers, ...cells].filter((x) => x.length > 0).sort((a, b) => b.length - a.length);
    checkPseudo('columns', mapping, 200, fileData);
    checkPseudo('calibration list, pending', await root.get('/calibration'));
    const form = mappingForm(mapping.text);
    checkPseudo('column problems', await root.post(`${url}/import`).type('form').send({ ...form, map_originationDate: '', asOf: 'soon', base: 'nothing' }), 422, [...fileData, 'soon']);
    expect((await root.post(`${url}/import`).type('form').send({ ...form, asOf: '2019-12-31' })).status).toBe(303);
    const report = await root.get(url);
    checkPseudo('report', report);
    // The estimates' warnings, the values left at the base scenario and the backtest's verdicts are messages too.
    expect(report.text).toMatch(/<li>⟦stages\.\w+\.\w+: ⟦/);
    expect(report.text).toMatch(/<li>⟦Observed defaults of the whole portfolio lie inside the 90 % band in/);
    checkPseudo('calibration list, imported', await root.get('/calibration?flash=deleted'));
    const unnamed = await upload(root, small, 'loans.csv', '');
    const columns = await root.get(unnamed.headers.location as string);
    expect(columns.text).toContain('⟦Step 2 of 3 · ⟦Unnamed lender⟧⟧');
    expect((await root.get('/calibration')).text).toContain('<td>⟦Unnamed lender⟧</td>');
  }, 120_000);

  it('a tape with bad rows', async () => {
    const lines = small.split('\n');
    lines[3] = lines[3]!.replace(/,20\d\d-\d\d-\d\d,/, ',2013-13-01,');
    lines[6] = lines[6]!.replace(/^([^,]+),([^,]+),\d+,/, '$1,$2,-5,');
    lines[8] = lines[8]!.split(',').slice(0, 2).join(',');
    const up = await upload(root, lines.join('\n'), 'bad.csv');
    const url = up.headers.location as string;
    const res = await root.post(`${url}/import`).type('form').send(mappingForm((await root.get(url)).text));
    checkPseudo('bad rows', res, 422, ['2013-13-01']);
    expect(res.text).toContain('<td>⟦⟦Amount⟧: must be more than 0 (found -5)⟧</td>');
  }, 60_000);
});

describe('the calibration’s sentences', () => {
  const pseudo = languages().translator('qps');
  const unmatched = (texts: readonly string[]) => texts.filter((x) => !localizeCalibrationText(x, pseudo).startsWith('⟦'));
  const base = (() => {
    const p = parseScenario(loadPreset('default'));
    if (!p.ok) throw new Error('default preset');
    return p.value;
  })();
  const loan = (i: number, over: Partial<Loan>): Loan => ({
    line: i + 2, id: `L${i}`, origination: dayOf(2010, 7, 2), amount: 10_000, tenorMonths: 120, repayment: 'bullet', stage: 'founding', grade: 'A',
    collateralValue: null, coverage: 0.8, defaultDate: null, outstandingAtDefault: null, recoveryAmount: null, recoveryDate: null, closedDate: null,
    stageAtEnd: null, region: '', sector: '', lender: '', ...over,
  });

  it('every warning, value left at the base, verdict and note follows a message', () => {
    const thin = new LoanTable();
    for (let i = 0; i < 300; i++) thin.push(loan(i, i % 50 === 0 ? { defaultDate: dayOf(2011, 3, 1), outstandingAtDefault: 9_000 } : {}));
    const sample = new LoanTable();
    for (const l of generateTape({ ...SAMPLE_PARAMETERS, loansPerYear: 150, years: 5 }).loans) sample.push(l);
    const texts: string[] = [];
    for (const [table, asOf] of [[thin, dayOf(2012, 12, 31)], [thin, dayOf(2010, 12, 30)], [sample, undefined]] as const) {
      const cal = calibrate(table, { asOf, fitCorrelation: table === sample });
      const built = calibratedScenario(base, cal, { tapeName: 'loans.csv' });
      texts.push(...cal.warnings, ...built.flagged);
      try {
        const b = backtest(cal, built.scenario, { paths: 50, seed: 1 });
        texts.push(...b.verdicts, ...b.notes);
      } catch (e) {
        texts.push((e as Error).message);
      }
    }
    expect(texts.length).toBeGreaterThan(10);
    expect(unmatched(texts)).toEqual([]);
  });

  it('every problem of a row and of a column mapping follows a message', () => {
    const texts: string[] = [];
    const rows: Record<string, string>[] = [
      { originationDate: '2013-13-01', amount: '-5', tenorMonths: '400', repayment: 'balloon', stage: 'seedling', stageAtEnd: 'later' },
      { originationDate: '2013-01-01', amount: '1000', tenorMonths: '12', firmFoundedDate: '2014-01-01', defaultDate: '2012-01-01', closedDate: '2012-06-01', recoveryAmount: '5000', outstandingAtDefault: '100' },
      { originationDate: '2013-01-01', amount: '1000', tenorMonths: '12', stage: 'growth', outstandingAtDefault: '100', recoveryAmount: '5', recoveryDate: '2013-05-01' },
      { originationDate: '2030-01-01', amount: 'lots', tenorMonths: '12' },
      { amount: '1000' },
    ];
    rows.forEach((row, i) => {
      const r = parseLoan(i + 2, (f) => row[f], { asOf: dayOf(2020, 12, 31) });
      if ('errors' in r) texts.push(...r.errors.map((e) => e.message));
    });
    texts.push(...mappingProblems({ amount: 'Principal', tenorMonths: 'Principal', stage: 'Nope' }, ['Principal']));
    expect(texts.length).toBeGreaterThan(10);
    expect(unmatched(texts)).toEqual([]);
  });
});

describe('in Spanish', () => {
  it('every page renders with lang="es"', async () => {
    for (const [agent, path] of [[root, '/account'], [root, '/admin/users'], [tina, '/classes'], [tina, classUrl], [tia, assignmentUrl], [root, '/workspaces'], [root, workspaceUrl], [root, '/calibration']] as const) {
      const res = await agent.get(`${path}?lang=es`);
      expect(res.status, path).toBe(200);
      expect(res.text, path).toContain('lang="es"');
    }
    const anon = request.agent(t.web.app);
    for (const path of ['/signin', '/join']) {
      const res = await anon.get(`${path}?lang=es`);
      expect(res.status, path).toBe(200);
      expect(res.text, path).toContain('lang="es"');
    }
    // Back to the pseudo-locale for what follows.
    await root.get('/account?lang=qps');
  });
});
