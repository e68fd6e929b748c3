/**
 * Who may read and change which saved scenario: a table of role × route × expected status,
 * over private scenarios, a team's and a class's, through the API and the pages.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withViewer } from '../../src/storage/index.ts';
import { makeApp, preset, type TestApp } from './helpers.ts';

let t: TestApp;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
let team = '';
let klass = '';

const as = (user: string) => ({
  get: (p: string) => request(t.web.app).get(p).set('Authorization', `Bearer ${tokens[user]}`),
  post: (p: string) => request(t.web.app).post(p).set('Authorization', `Bearer ${tokens[user]}`),
  put: (p: string) => request(t.web.app).put(p).set('Authorization', `Bearer ${tokens[user]}`),
  patch: (p: string) => request(t.web.app).patch(p).set('Authorization', `Bearer ${tokens[user]}`),
  delete: (p: string) => request(t.web.app).delete(p).set('Authorization', `Bearer ${tokens[user]}`),
});

beforeAll(async () => {
  t = makeApp({ auth: 'required' });
  const users = t.web.storage.users;
  for (const [name, role] of [['root', 'administrator'], ['ana', 'analyst'], ['bea', 'analyst'], ['tina', 'trainer'], ['tom', 'trainee'], ['tia', 'trainee']] as const) {
    const u = await users.add(name, role, 'a long password');
    tokens[name] = users.createToken(u.id, 'test').token;
  }
  team = (await as('ana').post('/api/v1/workspaces').send({ name: 'Budget team' })).body.id;
  klass = (await as('tina').post('/api/v1/workspaces').send({ name: 'Class of May', kind: 'class' })).body.id;
  for (const u of ['bea', 'tom']) expect((await as('ana').post(`/api/v1/workspaces/${team}/members`).send({ user: u })).status).toBe(201);
  for (const u of ['tom', 'tia']) expect((await as('tina').post(`/api/v1/workspaces/${klass}/members`).send({ user: u })).status).toBe(201);
  const save = async (user: string, name: string, workspace?: string) => {
    const id = (await as(user).post('/api/v1/scenarios').send({ ...preset(), name })).body.id as string;
    if (workspace) expect((await as(user).patch(`/api/v1/scenarios/${id}`).send({ workspace })).status).toBe(200);
    ids[name] = id;
  };
  await save('ana', 'ana private');
  await save('ana', 'team fund', team);
  await save('ana', 'team fund 2', team);
  await save('tom', 'tom answer', klass);
  await save('tia', 'tia answer', klass);
  // Saved before accounts existed: no author, open to all.
  t.web.storage.db.prepare("INSERT INTO scenarios (id, name, schema_version, json, created_at, updated_at, version, checked_schema) VALUES ('legacy01', 'legacy', 1, ?, 'x', 'x', 1, 1)").run(JSON.stringify({ ...preset(), name: 'legacy' }));
  ids.legacy = 'legacy01';
});
afterAll(async () => {
  await t.close();
});

describe('reading a saved scenario (GET /api/v1/scenarios/:id)', () => {
  it.each([
    ['ana', 'ana private', 200], ['bea', 'ana private', 404], ['tom', 'ana private', 404], ['tina', 'ana private', 404], ['root', 'ana private', 200],
    ['bea', 'team fund', 200], ['tom', 'team fund', 200], ['tina', 'team fund', 404], ['tia', 'team fund', 404],
    ['tina', 'tom answer', 200], ['tom', 'tom answer', 200], ['tia', 'tom answer', 404], ['ana', 'tom answer', 404],
    ['tom', 'tia answer', 404], ['root', 'tia answer', 200],
    ['tia', 'legacy', 200], ['bea', 'legacy', 200],
  ])('%s reads “%s”: %i', async (user, name, status) => {
    expect((await as(user).get(`/api/v1/scenarios/${ids[name]}`)).status).toBe(status);
  });

  it.each([
    ['ana', ['ana private', 'legacy', 'team fund', 'team fund 2']],
    ['bea', ['legacy', 'team fund', 'team fund 2']],
    ['tom', ['legacy', 'team fund', 'team fund 2', 'tom answer']],
    ['tia', ['legacy', 'tia answer']],
    ['tina', ['legacy', 'tia answer', 'tom answer']],
    ['root', ['ana private', 'legacy', 'team fund', 'team fund 2', 'tia answer', 'tom answer']],
  ])('%s lists only what they may read', async (user, names) => {
    const res = await as(user).get('/api/v1/scenarios?perPage=200');
    expect(res.body.scenarios.map((s: { name: string }) => s.name).sort()).toEqual([...names].sort());
    expect(res.body.total).toBe(names.length);
  });
});

describe('changing a saved scenario', () => {
  it.each([
    ['bea', 'PUT', 'team fund', 200],
    ['tom', 'PUT', 'team fund', 403],
    ['tom', 'PATCH', 'team fund', 403],
    ['tom', 'DELETE', 'team fund', 403],
    ['tia', 'DELETE', 'tom answer', 404],
    ['bea', 'DELETE', 'ana private', 404],
    ['tina', 'PUT', 'tom answer', 200],
    ['tom', 'PUT', 'tom answer', 200],
    ['root', 'PATCH', 'ana private', 200],
    ['ana', 'DELETE', 'team fund 2', 204],
  ])('%s %s “%s”: %i', async (user, method, name, status) => {
    const path = `/api/v1/scenarios/${ids[name]}`;
    const client = as(user);
    const res = method === 'PUT' ? await client.put(path).send({ ...preset(), name })
      : method === 'PATCH' ? await client.patch(path).send({ name: `${name}` })
        : await client.delete(path);
    expect(res.status).toBe(status);
    if (status === 403) expect(res.body.issues[0].path).toBe('(permission)');
  });

  it('a trainee may copy a scenario shared with them, and the copy is theirs', async () => {
    const copy = await as('tom').post(`/api/v1/scenarios/${ids['team fund']}/duplicate`);
    expect(copy.status).toBe(201);
    expect((await as('tom').put(`/api/v1/scenarios/${copy.body.id}`).send({ ...preset(), name: 'my copy' })).status).toBe(200);
    expect((await as('bea').get(`/api/v1/scenarios/${copy.body.id}`)).status).toBe(404);
  });
});

describe('workspaces', () => {
  it.each([
    ['tom', 'POST /api/v1/workspaces', 403],
    ['bea', 'POST /api/v1/workspaces/:team/members', 403],
    ['tia', 'GET /api/v1/workspaces/:team', 404],
    ['tom', 'GET /api/v1/workspaces/:team', 200],
    ['tia', 'PATCH share with :team', 403],
  ])('%s %s: %i', async (user, what, status) => {
    const c = as(user);
    const res = what === 'POST /api/v1/workspaces' ? await c.post('/api/v1/workspaces').send({ name: 'Mine' })
      : what === 'POST /api/v1/workspaces/:team/members' ? await c.post(`/api/v1/workspaces/${team}/members`).send({ user: 'tia' })
        : what === 'GET /api/v1/workspaces/:team' ? await c.get(`/api/v1/workspaces/${team}`)
          : await c.patch(`/api/v1/scenarios/${ids['tia answer']}`).send({ workspace: team });
    expect(res.status).toBe(status);
  });

  it('lists one’s own workspaces with their members', async () => {
    expect((await as('tom').get('/api/v1/workspaces')).body.workspaces.map((w: { name: string }) => w.name)).toEqual(['Budget team', 'Class of May']);
    expect((await as('tom').get(`/api/v1/workspaces/${klass}`)).body.members).toEqual([{ name: 'tia', role: 'trainee' }, { name: 'tina', role: 'trainer' }, { name: 'tom', role: 'trainee' }]);
  });
});

describe('Monte Carlo runs', () => {
  it('the list of recent runs shows one’s own runs and runs of scenarios one may read', async () => {
    const runs = t.web.storage.runs;
    const mk = (user: string | null, scenarioId: string | null, name: string) => {
      const viewer = user ? t.web.storage.users.byName(user)! : null;
      return withViewer(viewer ? { id: viewer.id, role: viewer.role } : null, () => runs.create({ scenario: { ...preset(), name }, scenarioId, paths: 10, seed: 1 }));
    };
    mk('tom', ids['tom answer']!, 'run of tom answer');
    mk('ana', null, 'ana unsaved run');
    mk('bea', ids['team fund']!, 'bea run of team fund');
    const seen = (user: string) => {
      const u = t.web.storage.users.byName(user)!;
      return withViewer({ id: u.id, role: u.role }, () => runs.list(50).map((r) => r.scenarioName)).sort();
    };
    expect(seen('tia')).toEqual([]);
    expect(seen('tina')).toEqual(['run of tom answer']);
    expect(seen('tom')).toEqual(['bea run of team fund', 'run of tom answer']);
    expect(seen('ana')).toEqual(['ana unsaved run', 'bea run of team fund']);
    expect(seen('root')).toEqual(['ana unsaved run', 'bea run of team fund', 'run of tom answer']);
  });
});

describe('pages follow the same rules', () => {
  it('a trainee cannot open another trainee’s work nor see it listed', async () => {
    const agent = request.agent(t.web.app);
    const form = await agent.get('/signin');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    expect((await agent.post('/signin').type('form').send({ name: 'tia', password: 'a long password', _csrf: token })).status).toBe(303);
    expect((await agent.get(`/scenarios/${ids['tom answer']}`)).status).toBe(404);
    expect((await agent.get(`/scenarios/${ids['tia answer']}`)).status).toBe(200);
    // An uploaded scenario file is saved as hers, with the form token bound to her session.
    const importPage = await agent.get('/import');
    const imported = await agent.post('/import')
      .field('_csrf', /name="_csrf" value="([^"]+)"/.exec(importPage.text)![1]!)
      .attach('scenarioFile', Buffer.from(JSON.stringify({ ...preset(), name: 'tia upload' })), 'mine.json');
    expect(imported.status).toBe(303);
    const uploadedId = /\/scenarios\/([A-Za-z0-9_-]+)\?/.exec(imported.headers.location!)![1]!;
    expect((await as('tia').get(`/api/v1/scenarios/${uploadedId}`)).status).toBe(200);
    expect((await as('tom').get(`/api/v1/scenarios/${uploadedId}`)).status).toBe(404);
    const list = await agent.get('/scenarios');
    expect(list.text).toContain('tia answer');
    expect(list.text).not.toContain('tom answer');
    expect(list.text).not.toContain('ana private');
  });
});

describe('pages of classes, workspaces and users: role × route × status', () => {
  const agents: Record<string, ReturnType<typeof request.agent>> = {};
  const forms: Record<string, string> = {};
  let assignment = '';
  beforeAll(async () => {
    for (const name of ['root', 'ana', 'bea', 'tina', 'tom', 'tia']) {
      const agent = request.agent(t.web.app);
      const form = await agent.get('/signin');
      expect((await agent.post('/signin').type('form').send({ name, password: 'a long password', _csrf: /name="_csrf" value="([^"]+)"/.exec(form.text)![1]! })).status).toBe(303);
      agents[name] = agent;
      forms[name] = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/account')).text)![1]!;
    }
    assignment = t.web.storage.classes.assign(klass, 'additionality', '2099-01-01', null).id;
  });
  const id = (name: string) => t.web.storage.users.byName(name)!.id;

  it.each([
    ['tina', 'GET', '/classes', 200], ['tom', 'GET', '/classes', 200],
    ['tina', 'GET', '/classes/:klass', 200], ['tom', 'GET', '/classes/:klass', 200], ['root', 'GET', '/classes/:klass', 200],
    ['ana', 'GET', '/classes/:klass', 404], ['bea', 'GET', '/classes/:team', 404],
    ['tom', 'GET', '/classes/:klass/assignments/:a', 200], ['ana', 'GET', '/classes/:klass/assignments/:a', 404],
    ['tina', 'GET', '/classes/:klass/table.csv', 200], ['root', 'GET', '/classes/:klass/table.csv', 200],
    ['tom', 'GET', '/classes/:klass/table.csv', 403], ['ana', 'GET', '/classes/:klass/table.csv', 404],
    ['tina', 'POST', '/classes', 303], ['root', 'POST', '/classes', 303], ['ana', 'POST', '/classes', 403], ['tom', 'POST', '/classes', 403],
    ['tina', 'POST', '/classes/:klass/assignments', 303], ['tom', 'POST', '/classes/:klass/assignments', 403], ['ana', 'POST', '/classes/:klass/assignments', 404],
    ['tom', 'POST', '/classes/:klass/code', 403], ['tina', 'POST', '/classes/:klass/code', 303],
    ['ana', 'POST', '/classes/:klass/assignments/:a', 404],
    ['tom', 'GET', '/workspaces', 200], ['tom', 'GET', '/workspaces/:team', 200], ['tia', 'GET', '/workspaces/:team', 404], ['root', 'GET', '/workspaces/:team', 200],
    ['tom', 'POST', '/workspaces', 403], ['bea', 'POST', '/workspaces', 303],
    ['bea', 'POST', '/workspaces/:team/members', 403], ['tia', 'POST', '/workspaces/:team/members', 404], ['ana', 'POST', '/workspaces/:team/members', 303],
    ['bea', 'POST', '/workspaces/:team/members/:tom/remove', 403], ['ana', 'POST', '/workspaces/:team/members/:ana/remove', 422],
    ['bea', 'POST', '/workspaces/:team/invite', 403], ['tina', 'POST', '/workspaces/:klass/invite', 201],
    ['tom', 'POST', '/workspaces/:team/share', 404], ['tom', 'POST', '/workspaces/:team/unshare', 403],
    ['tina', 'GET', '/admin/users', 403], ['ana', 'GET', '/admin/users', 403], ['root', 'GET', '/admin/users', 200],
    ['ana', 'POST', '/admin/users/:tom/password', 403], ['tina', 'POST', '/admin/invitations', 403],
  ])('%s %s %s: %i', async (user, method, path, status) => {
    const url = path.replace(':klass', klass).replace(':team', team).replace(':tom', id('tom')).replace(':ana', id('ana')).replace(':a', assignment);
    const agent = agents[user]!;
    const body: Record<string, string> = {
      _csrf: forms[user]!, name: path === '/workspaces/:team/members' ? 'tia' : 'New one', exercise: 'leverage', due: '2099-02-01',
      role: path.includes('invite') ? 'trainee' : 'analyst', password: 'another long password', scenario: ids['team fund']!,
      'answer.costLow': '1', 'answer.costHigh': '2', explanation: 'x',
    };
    const res = method === 'GET' ? await agent.get(url) : await agent.post(url).type('form').send(body);
    expect(res.status).toBe(status);
  });

  it('without signing in, only the join and invitation pages open', async () => {
    const anon = request(t.web.app);
    expect((await anon.get('/join')).status).toBe(200);
    expect((await anon.get('/invite/not-a-live-token-at-all')).status).toBe(404);
    for (const p of ['/classes', `/classes/${klass}`, '/workspaces', '/admin/users']) {
      const res = await anon.get(p);
      expect(res.status, p).toBe(303);
      expect(res.headers.location).toMatch(/^\/signin\?next=/);
    }
  });
});

describe('policy analyses and loan tapes belong to who made them', () => {
  it('a policy job is read by who started it and administrators, listed only for them', async () => {
    const body = JSON.parse((await import('node:fs')).readFileSync('src/presets/comparisons/founding-stage-budget.json', 'utf8')) as Record<string, unknown>;
    const started = await as('ana').post('/api/v1/policy/budget').send(body);
    expect(started.status).toBeLessThan(300);
    const job = started.body.id as string;
    for (const [user, status] of [['ana', 200], ['root', 200], ['bea', 404], ['tom', 404]] as const) {
      expect((await as(user).get(`/api/v1/policy/jobs/${job}`)).status, user).toBe(status);
      expect((await as(user).get('/api/v1/policy/jobs')).body.jobs.some((j: { id: string }) => j.id === job), user).toBe(status === 200);
    }
  });

  it('a loan tape is seen by who uploaded it, members of a workspace it is shared with, and administrators', () => {
    const db = t.web.storage.db;
    const uid = (n: string) => t.web.storage.users.byName(n)!.id;
    const ins = db.prepare("INSERT INTO tapes (id, name, lender, format, size_bytes, status, created_at, owner_id, workspace_id) VALUES (?, ?, 'L', 'csv', 1, 'pending', 'x', ?, ?)");
    ins.run('tapeAna1', 'ana tape', uid('ana'), null);
    ins.run('tapeTeam', 'team tape', uid('ana'), team);
    ins.run('tapeOld1', 'old tape', null, null);
    const seen = (user: string) => {
      const u = t.web.storage.users.byName(user)!;
      return withViewer({ id: u.id, role: u.role }, () => t.web.storage.tapes.list().map((x) => x.name)).sort();
    };
    expect(seen('ana')).toEqual(['ana tape', 'old tape', 'team tape']);
    expect(seen('bea')).toEqual(['old tape', 'team tape']);
    expect(seen('tina')).toEqual(['old tape']);
    expect(seen('root')).toEqual(['ana tape', 'old tape', 'team tape']);
    const bea = t.web.storage.users.byName('bea')!;
    expect(withViewer({ id: bea.id, role: bea.role }, () => t.web.storage.tapes.get('tapeAna1'))).toBeNull();
    expect(withViewer({ id: bea.id, role: bea.role }, () => t.web.storage.tapes.report('tapeAna1'))).toBeNull();
  });
});

describe('sharing loan tapes and policy analyses with a workspace', () => {
  const uid = (n: string) => t.web.storage.users.byName(n)!.id;
  const agents: Record<string, ReturnType<typeof request.agent>> = {};
  const forms: Record<string, string> = {};
  let budgetJob = '';
  beforeAll(async () => {
    const db = t.web.storage.db;
    const tape = db.prepare("INSERT INTO tapes (id, name, lender, format, size_bytes, status, created_at, owner_id, workspace_id) VALUES (?, ?, 'L', 'csv', 1, 'pending', ?, ?, ?)");
    tape.run('tapeTom1', 'tom tape', '2026-01-02', uid('tom'), klass);
    tape.run('tapeTia1', 'tia tape', '2026-01-03', uid('tia'), klass);
    const job = db.prepare("INSERT INTO policy_jobs (id, kind, title, status, engine, request_json, created_at, owner_id, workspace_id) VALUES (?, 'tornado', ?, 'failed', 'inline', 'null', ?, ?, ?)");
    job.run('jobTom01', 'tom tornado', '2026-01-02', uid('tom'), klass);
    job.run('jobTia01', 'tia tornado', '2026-01-03', uid('tia'), null);
    job.run('jobAna01', 'ana tornado', '2026-01-04', uid('ana'), null);
    for (const name of ['ana', 'bea', 'tina', 'tom', 'tia']) {
      const agent = request.agent(t.web.app);
      const form = await agent.get('/signin');
      expect((await agent.post('/signin').type('form').send({ name, password: 'a long password', _csrf: /name="_csrf" value="([^"]+)"/.exec(form.text)![1]! })).status).toBe(303);
      agents[name] = agent;
      forms[name] = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/account')).text)![1]!;
    }
    const body = JSON.parse((await import('node:fs')).readFileSync('src/presets/comparisons/founding-stage-budget.json', 'utf8')) as Record<string, unknown>;
    budgetJob = (await as('ana').post('/api/v1/policy/budget').send(body)).body.id as string;
    for (let i = 0; i < 600 && (await as('ana').get(`/api/v1/policy/jobs/${budgetJob}`)).body.status !== 'done'; i++) await new Promise((r) => setTimeout(r, 50));
  }, 60_000);

  it.each([
    ['tom', 'tapes/tapeTom1', 200], ['tina', 'tapes/tapeTom1', 200], ['root', 'tapes/tapeTom1', 200], ['tia', 'tapes/tapeTom1', 404], ['ana', 'tapes/tapeTom1', 404],
    ['tom', 'tapes/tapeTia1', 404], ['tia', 'tapes/tapeTia1', 200],
    ['bea', 'tapes/tapeTeam', 200], ['tom', 'tapes/tapeTeam', 200], ['tina', 'tapes/tapeTeam', 404], ['bea', 'tapes/tapeAna1', 404],
    ['tom', 'policy/jobs/jobTom01', 200], ['tina', 'policy/jobs/jobTom01', 200], ['tia', 'policy/jobs/jobTom01', 404],
    ['tom', 'policy/jobs/jobTia01', 404], ['tina', 'policy/jobs/jobTia01', 404], ['root', 'policy/jobs/jobTia01', 200],
  ])('%s reads %s through the API: %i', async (user, path, status) => {
    expect((await as(user).get(`/api/v1/${path}`)).status).toBe(status);
  });

  it('the lists say whose each is and with which workspace it is shared, and hold only what one may read', async () => {
    const tapes = (await as('tia').get('/api/v1/tapes')).body.tapes as { name: string; owner: string | null; workspace: { name: string } | null }[];
    // tia was added to the team above: she sees its tape, never tom's.
    expect(tapes.map((x) => x.name).sort()).toEqual(['old tape', 'team tape', 'tia tape']);
    expect(tapes.find((x) => x.name === 'tia tape')).toMatchObject({ owner: 'tia', workspace: { id: klass, name: 'Class of May' } });
    const jobs = (await as('tina').get('/api/v1/policy/jobs')).body.jobs as { title: string; owner: string; workspace: { name: string } | null }[];
    expect(jobs.map((j) => j.title)).toContain('tom tornado');
    expect(jobs.map((j) => j.title)).not.toContain('tia tornado');
    expect(jobs.find((j) => j.title === 'tom tornado')).toMatchObject({ owner: 'tom', workspace: { name: 'Class of May' } });
    const list = (await agents.bea!.get('/calibration')).text;
    expect(list).toMatch(/team tape[\s\S]*?<td>ana<\/td><td>Budget team<\/td>/);
    expect(list).not.toContain('ana tape');
    const policy = (await agents.tina!.get('/policy')).text;
    expect(policy).toMatch(/tom tornado[\s\S]*?<td>tom<\/td><td>Class of May<\/td>/);
    expect(policy).not.toContain('tia tornado');
  });

  it.each([
    ['tina', 'tapes/tapeTom1', null, 403], ['tia', 'tapes/tapeTom1', null, 404], ['bea', 'tapes/tapeTeam', null, 403],
    ['ana', 'tapes/tapeAna1', ':klass', 403], ['ana', 'tapes/tapeAna1', 'nosuchws', 422], ['tom', 'tapes/tapeTom1', ':team', 200],
    ['tina', 'policy/jobs/jobTom01', null, 403], ['tia', 'policy/jobs/jobTom01', ':klass', 404], ['ana', 'policy/jobs/jobAna01', ':klass', 403],
    ['tia', 'policy/jobs/jobTia01', ':klass', 200], ['root', 'policy/jobs/jobAna01', ':team', 200],
  ])('%s shares %s with %s through the API: %i', async (user, path, workspace, status) => {
    const ws = workspace === ':klass' ? klass : workspace === ':team' ? team : workspace;
    const res = await as(user).patch(`/api/v1/${path}`).send({ workspace: ws });
    expect(res.status).toBe(status);
    if (status === 403) expect(res.body.issues[0].path).toMatch(/^\(permission\)|workspace$/);
  });

  it('what was shared through the API is read by the members, and taken back', async () => {
    expect((await as('tom').get('/api/v1/tapes/tapeTom1')).body.workspace.id).toBe(team);
    expect((await as('bea').get('/api/v1/tapes/tapeTom1')).status).toBe(200);
    expect((await as('tina').get('/api/v1/tapes/tapeTom1')).status).toBe(404);
    expect((await as('tom').get('/api/v1/policy/jobs/jobTia01')).status).toBe(404);
    expect((await as('tina').get('/api/v1/policy/jobs/jobTia01')).status).toBe(200);
    expect((await as('bea').get('/api/v1/policy/jobs/jobAna01')).status).toBe(200);
    expect((await as('ana').patch('/api/v1/policy/jobs/jobAna01').send({ workspace: null })).body.workspace).toBeNull();
    expect((await as('bea').get('/api/v1/policy/jobs/jobAna01')).status).toBe(404);
    expect((await as('ana').patch('/api/v1/policy/jobs/jobAna01').send({ name: 'x' })).status).toBe(422);
  });

  it.each([
    ['tina', '/calibration/tapes/tapeTia1/share', ':klass', 403], ['tia', '/calibration/tapes/tapeTom1/share', ':klass', 404],
    ['tom', '/calibration/tapes/tapeTom1/share', ':klass', 303], ['bea', '/calibration/tapes/tapeTeam/delete', '', 403],
    ['tina', '/policy/jobs/jobTom01/share', '', 403], ['tia', '/policy/jobs/jobTom01/share', '', 404], ['tom', '/policy/jobs/jobTom01/share', '', 303],
  ])('%s posts %s (%s) on the pages: %i', async (user, path, workspace, status) => {
    const res = await agents[user]!.post(path).type('form').send({ _csrf: forms[user]!, workspace: workspace === ':klass' ? klass : workspace });
    expect(res.status).toBe(status);
  });

  it('a result page offers its owner the "Share with" select; a member sees whose it is', async () => {
    const own = (await agents.ana!.get(`/policy/jobs/${budgetJob}`)).text;
    expect(own).toContain('id="share-form"');
    expect(own).toMatch(/<option value=""[^>]*>Only me<\/option>/);
    expect(own).toContain(`<option value="${team}">Budget team</option>`);
    const shared = await agents.ana!.post(`/policy/jobs/${budgetJob}/share`).type('form').send({ _csrf: forms.ana!, workspace: team });
    expect(shared.status).toBe(303);
    const after = (await agents.ana!.get(shared.headers.location!.replace(/#.*/, ''))).text;
    expect(after).toContain('Now shared with “Budget team”');
    const member = (await agents.bea!.get(`/policy/jobs/${budgetJob}`)).text;
    expect(member).toContain('Owner: ana. Shared with: Budget team.');
    expect(member).not.toContain('id="share-form"');
    expect((await agents.tina!.get(`/policy/jobs/${budgetJob}`)).status).toBe(404);
  });
});
