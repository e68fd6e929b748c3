/**
 * Classrooms through the pages, without JavaScript: a trainer creates a class and assigns an
 * exercise, trainees sign up with the join code and submit, the trainer's table checks each
 * number against the exercise's own answer within its tolerance, and downloads it as CSV.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNumber, readNumber } from '../../src/server/classes/routes.ts';
import { settingsFromEnv } from '../../src/server/config.ts';
import { withViewer } from '../../src/storage/index.ts';
import { exercise, type AskedNumber } from '../../src/training/exercises.ts';
import { csrfToken, makeApp, preset, type TestApp } from './helpers.ts';

let t: TestApp;
const PASSWORD = 'a long password';

async function signIn(name: string) {
  const agent = request.agent(t.web.app);
  const form = await agent.get('/signin');
  expect((await agent.post('/signin').type('form').send({ name, password: PASSWORD, _csrf: csrfToken(form.text) })).status).toBe(303);
  return agent;
}
type Agent = ReturnType<typeof request.agent>;
const post = async (agent: Agent, formPath: string, path: string, body: Record<string, string>) => {
  const form = await agent.get(formPath);
  return agent.post(path).type('form').send({ ...body, _csrf: csrfToken(form.text) });
};

beforeAll(async () => {
  t = makeApp({ auth: 'required' });
  await t.web.storage.users.add('tina', 'trainer', PASSWORD);
  await t.web.storage.users.add('ana', 'analyst', PASSWORD);
});
afterAll(async () => {
  await t.close();
});

describe('numbers as trainees type them', () => {
  it('reads money, counts and percentages', () => {
    expect(readNumber('USD 12,345,678', 'money')).toBe(12_345_678);
    expect(readNumber(' 1 234.5 ', 'money')).toBe(1234.5);
    expect(readNumber('4.25 %', 'percent')).toBeCloseTo(0.0425, 12);
    expect(readNumber('4,25', 'percent')).toBe(4.25); // a thousands separator, not a decimal comma
    expect(readNumber('twelve', 'count')).toBeNull();
    expect(readNumber('1e5', 'count')).toBeNull();
  });

  it('checks a number within its tolerance, both edges', () => {
    const ask: AskedNumber = { id: 'p', label: 'p', unit: 'percent', value: 0.2, tolerance: 0.02, basis: '' };
    expect(checkNumber(ask, '22').within).toBe(true);
    expect(checkNumber(ask, '18').within).toBe(true);
    expect(checkNumber(ask, '22.1').within).toBe(false);
    expect(checkNumber(ask, '').within).toBeNull();
  });

  it('every exercise asks for numbers with a tolerance, from its own answer', () => {
    const ex = exercise('additionality')!;
    const asks = ex.asks();
    expect(asks.map((a) => a.id)).toEqual(['costLow', 'costHigh']);
    for (const a of asks) expect(a.tolerance).toBeCloseTo(Math.abs(a.value) * 0.01, 6);
    // The answer's table shows the same figure the check uses.
    expect(ex.answer().table!.rows[0]!.at(-1)).toContain(Math.round(asks[0]!.value).toLocaleString('en').slice(0, 3));
  });
});

describe('the classroom journey through the pages', () => {
  let classUrl = '';
  let code = '';
  let tina: Agent;

  it('a trainer creates a class and gets a join code', async () => {
    tina = await signIn('tina');
    const made = await post(tina, '/classes', '/classes', { name: 'May course' });
    expect(made.status).toBe(303);
    classUrl = made.headers.location!;
    const page = await tina.get(classUrl);
    expect(page.status).toBe(200);
    code = /id="join-code-value">([A-Z0-9-]+)</.exec(page.text)![1]!;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const assigned = await post(tina, classUrl, `${classUrl}/assignments`, { exercise: 'additionality', due: '2099-01-31' });
    expect(assigned.status).toBe(303);
    expect((await tina.get(classUrl)).text).toContain('Additionality and substitution');
  });

  it('trainees sign up with the code; a wrong code or a weak password is refused', async () => {
    const anon = request.agent(t.web.app);
    const join = await anon.get(`/join?code=${code}`);
    expect(join.status).toBe(200);
    const bad = await anon.post('/join').type('form').send({ code: 'ABCD-EFGH', name: 'x1', password: PASSWORD, confirm: PASSWORD, _csrf: csrfToken(join.text) });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('There is no class with that code');
    const weak = await anon.post('/join').type('form').send({ code, name: 'x2', password: 'short', confirm: 'short', _csrf: csrfToken(join.text) });
    expect(weak.status).toBe(422);
    expect(t.web.storage.users.byName('x2')).toBeNull();
    for (const name of ['tom', 'tia']) {
      const a = request.agent(t.web.app);
      const form = await a.get('/join');
      const res = await a.post('/join').type('form').send({ code: code.toLowerCase().replace('-', ''), name, password: PASSWORD, confirm: PASSWORD, _csrf: csrfToken(form.text) });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${classUrl}?flash=joined`);
      expect(t.web.storage.users.byName(name)!.role).toBe('trainee');
      expect((await a.get(classUrl)).text).toContain('Submit your answers');
    }
  });

  it('trainees submit; the trainer sees each number checked and opens their scenario; CSV', async () => {
    const ex = exercise('additionality')!;
    const asks = ex.asks();
    const saveAs = (name: string, scenarioName: string) => {
      const u = t.web.storage.users.byName(name)!;
      return withViewer({ id: u.id, role: u.role }, () => t.web.storage.scenarios.create({ ...preset(), name: scenarioName })).id;
    };
    const tomScenario = saveAs('tom', 'tom run');
    const tiaScenario = saveAs('tia', 'tia run');
    const assignmentUrl = /href="(\/classes\/[^"]+\/assignments\/[^"]+)" class="submit-link"/.exec((await tina.get(classUrl)).text)![1]!;
    const tom = await signIn('tom');
    const form = await tom.get(assignmentUrl);
    expect(form.text).toContain('name="answer.costLow"');
    expect(form.text).toContain('tom run');
    expect(form.text).not.toContain('tia run');
    // Right to the rounded figure, as read from the page.
    const ok = await tom.post(assignmentUrl).type('form').send({
      'answer.costLow': Math.round(asks[0]!.value).toLocaleString('en'), 'answer.costHigh': `USD ${Math.round(asks[1]!.value)}`,
      explanation: 'Substitution adds guarantees, not lending.', scenario: tomScenario, _csrf: csrfToken(form.text),
    });
    expect(ok.status).toBe(303);
    const tia = await signIn('tia');
    const tiaForm = await tia.get(assignmentUrl);
    const refused = await tia.post(assignmentUrl).type('form').send({ 'answer.costLow': 'lots', 'answer.costHigh': '', explanation: '', scenario: tomScenario, _csrf: csrfToken(tiaForm.text) });
    expect(refused.status).toBe(422);
    for (const m of ['must be a number', 'is required', 'choose one of the scenarios you saved']) expect(refused.text).toContain(m);
    expect(refused.text).toContain('value="lots"');
    const wrong = await tia.post(assignmentUrl).type('form').send({
      'answer.costLow': String(Math.round(asks[0]!.value * 1.5)), 'answer.costHigh': String(Math.round(asks[1]!.value)),
      explanation: '=1+1 a guess', scenario: tiaScenario, _csrf: csrfToken(tiaForm.text),
    });
    expect(wrong.status).toBe(303);

    const table = (await tina.get(classUrl)).text;
    const row = (name: string) => new RegExp(`<th scope="row">${name}</th>([\\s\\S]*?)</tr>`).exec(table)![1]!;
    expect(row('tom').match(/✓ right/g)).toHaveLength(2);
    expect(row('tia').match(/✗ off/g)).toHaveLength(1);
    expect(row('tia').match(/✓ right/g)).toHaveLength(1);
    expect(row('tom')).toContain(`href="/scenarios/${tomScenario}"`);
    expect(row('tom')).toContain('2 of 2');
    // The trainer opens a trainee's scenario; the other trainee may not.
    expect((await tina.get(`/scenarios/${tomScenario}`)).status).toBe(200);
    expect((await tia.get(`/scenarios/${tomScenario}`)).status).toBe(404);
    // A trainee sees only their own submission, never the table.
    expect((await tom.get(classUrl)).text).not.toContain('tia run');

    const csv = await tina.get(`${classUrl}/table.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('May-course.csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('class,exercise,due,trainee,submitted_at,late,number,unit,given,given_value,answer,tolerance,within_tolerance,explanation,scenario');
    expect(lines.filter((l) => l.includes(',tom,')).every((l) => l.includes(',yes,"Substitution adds guarantees, not lending.",'))).toBe(true);
    expect(lines.filter((l) => l.includes(',tia,')).map((l) => /,(yes|no),'=1\+1 a guess,/.exec(l)?.[1])).toEqual(['no', 'yes']);
    // The spreadsheet-formula guard of the one CSV writer.
    expect(csv.text).not.toContain(',=1+1');
  });
});

describe('who makes a class: one rule for the pages and the API', () => {
  it('trainers and administrators make classes; analysts and trainees do not, by either way', async () => {
    const users = t.web.storage.users;
    await users.add('rita', 'administrator', PASSWORD);
    const token = (name: string) => users.createToken(users.byName(name)!.id, 'test').token;
    const api = (name: string, kind: string) => request(t.web.app).post('/api/v1/workspaces').set('Authorization', `Bearer ${token(name)}`).send({ name: `${name}'s ${kind}`, kind });
    expect((await api('ana', 'class')).status).toBe(403);
    expect((await api('ana', 'team')).status).toBe(201);
    expect((await api('tom', 'class')).status).toBe(403);
    for (const name of ['tina', 'rita']) {
      const made = await api(name, 'class');
      expect(made.status).toBe(201);
      // A class made through the API has its join code, as one made on the pages.
      expect(t.web.storage.classes.joinCodeOf(made.body.id)).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    }
    const ana = await signIn('ana');
    expect((await post(ana, '/classes', '/classes', { name: 'Sneaky class' })).status).toBe(403);
    expect((await post(ana, '/workspaces', '/workspaces', { name: 'Sneaky class', kind: 'class' })).status).toBe(403);
    expect((await ana.get('/workspaces')).text).not.toContain('value="class"');
    expect((await ana.get('/classes')).text).not.toContain('action="/classes" ');
    const tina = await signIn('tina');
    expect((await tina.get('/workspaces')).text).toContain('value="class"');
    expect((await post(tina, '/workspaces', '/workspaces', { name: 'Class by workspaces', kind: 'class' })).status).toBe(303);
  });
});

describe('join codes', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = makeApp({ auth: 'required', classSignupsPerHour: 3 });
    await app.web.storage.users.add('tina', 'trainer', PASSWORD);
  });
  afterAll(async () => {
    await app.close();
  });

  const signUp = async (code: string, name: string) => {
    const a = request.agent(app.web.app);
    const form = await a.get('/join');
    return a.post('/join').type('form').send({ code, name, password: PASSWORD, confirm: PASSWORD, _csrf: csrfToken(form.text) });
  };
  const trainer = async () => {
    const agent = request.agent(app.web.app);
    const form = await agent.get('/signin');
    await agent.post('/signin').type('form').send({ name: 'tina', password: PASSWORD, _csrf: csrfToken(form.text) });
    return agent;
  };

  it('one class’s code makes at most so many accounts an hour, and says so', async () => {
    const tina = await trainer();
    const classUrl = (await post(tina, '/classes', '/classes', { name: 'Leaky class' })).headers.location!;
    const code = /id="join-code-value">([A-Z0-9-]+)</.exec((await tina.get(classUrl)).text)![1]!;
    for (const name of ['s1', 's2', 's3']) expect((await signUp(code, name)).status).toBe(303);
    const refused = await signUp(code, 's4');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('3600');
    expect(refused.text).toContain('has already made 3 accounts in the past hour');
    expect(app.web.storage.users.byName('s4')).toBeNull();
    // An hour later the code works again.
    app.web.storage.db.prepare("UPDATE workspace_members SET added_at = '2000-01-01T00:00:00.000Z'").run();
    expect((await signUp(code, 's4')).status).toBe(303);
    // Another class's code is not held back by this one.
    const other = (await post(tina, '/classes', '/classes', { name: 'Other class' })).headers.location!;
    const otherCode = /id="join-code-value">([A-Z0-9-]+)</.exec((await tina.get(other)).text)![1]!;
    expect((await signUp(otherCode, 's5')).status).toBe(303);
  });

  it('the hourly limit is CLASS_SIGNUPS_PER_HOUR, 60 unless set', () => {
    expect(settingsFromEnv({}).classSignupsPerHour).toBe(60);
    expect(settingsFromEnv({ CLASS_SIGNUPS_PER_HOUR: '25' }).classSignupsPerHour).toBe(25);
  });

  it('the trainer makes a new code; the old one stops working; only the trainer may', async () => {
    const tina = await trainer();
    const classUrl = (await post(tina, '/classes', '/classes', { name: 'Renewed class' })).headers.location!;
    const old = /id="join-code-value">([A-Z0-9-]+)</.exec((await tina.get(classUrl)).text)![1]!;
    expect((await signUp(old, 'r1')).status).toBe(303);
    const trainee = request.agent(app.web.app);
    const form = await trainee.get('/signin');
    await trainee.post('/signin').type('form').send({ name: 'r1', password: PASSWORD, _csrf: csrfToken(form.text) });
    expect((await post(trainee, '/classes', `${classUrl}/code`, {})).status).toBe(403);
    const renewed = await post(tina, classUrl, `${classUrl}/code`, {});
    expect(renewed.status).toBe(303);
    expect(renewed.headers.location).toBe(`${classUrl}?flash=code`);
    const page = (await tina.get(renewed.headers.location!)).text;
    expect(page).toContain('the old one no longer works');
    const fresh = /id="join-code-value">([A-Z0-9-]+)</.exec(page)![1]!;
    expect(fresh).not.toBe(old);
    const stale = await signUp(old, 'r2');
    expect(stale.status).toBe(422);
    expect(stale.text).toContain('There is no class with that code');
    expect((await signUp(fresh, 'r3')).status).toBe(303);
    // Who had joined stays in the class.
    expect(app.web.storage.workspaces.members(classUrl.split('/').pop()!).map((m) => m.name)).toContain('r1');
  });
});
