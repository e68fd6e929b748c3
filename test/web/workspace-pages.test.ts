/**
 * Workspaces on pages, without JavaScript: make a team, add and remove a member, share a
 * scenario and make it private again, invite by a one-time link; an administrator resets a
 * password and changes a role on the Users page.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withViewer } from '../../src/storage/index.ts';
import { csrfToken, makeApp, preset, type TestApp } from './helpers.ts';

let t: TestApp;
const PASSWORD = 'a long password';
type Agent = ReturnType<typeof request.agent>;

async function signIn(name: string, password = PASSWORD): Promise<{ agent: Agent; status: number }> {
  const agent = request.agent(t.web.app);
  const form = await agent.get('/signin');
  const res = await agent.post('/signin').type('form').send({ name, password, _csrf: csrfToken(form.text) });
  return { agent, status: res.status };
}
const send = async (agent: Agent, path: string, body: Record<string, string> = {}) =>
  agent.post(path).type('form').send({ ...body, _csrf: csrfToken((await agent.get('/account')).text) });

beforeAll(async () => {
  t = makeApp({ auth: 'required' });
  for (const [n, r] of [['root', 'administrator'], ['ana', 'analyst'], ['bea', 'analyst']] as const) await t.web.storage.users.add(n, r, PASSWORD);
});
afterAll(async () => {
  await t.close();
});

describe('a team on pages', () => {
  it('is made, gets and loses a member, and has a scenario shared and unshared', async () => {
    const ana = (await signIn('ana')).agent;
    const bea = (await signIn('bea')).agent;
    const made = await send(ana, '/workspaces', { name: 'Budget team', kind: 'team' });
    expect(made.status).toBe(303);
    const ws = made.headers.location!;
    expect((await send(ana, `${ws}/members`, { name: 'nobody' })).status).toBe(422);
    expect((await send(ana, `${ws}/members`, { name: 'bea' })).headers.location).toBe(`${ws}?flash=added`);
    const page = (await ana.get(ws)).text;
    expect(page).toMatch(/<th scope="row">bea<\/th><td>analyst<\/td>/);

    const u = t.web.storage.users.byName('ana')!;
    const scenario = withViewer({ id: u.id, role: u.role }, () => t.web.storage.scenarios.create({ ...preset(), name: 'ana fund' })).id;
    expect((await bea.get(`/scenarios/${scenario}`)).status).toBe(404);
    expect((await ana.get(ws)).text).toContain('<option value="' + scenario + '">ana fund</option>');
    expect((await send(ana, `${ws}/share`, { scenario })).headers.location).toBe(`${ws}?flash=shared`);
    expect((await bea.get(`/scenarios/${scenario}`)).status).toBe(200);
    expect((await bea.get(ws)).text).toContain(`href="/scenarios/${scenario}">ana fund</a>`);
    // A member who may change it (an analyst) may make it private again; then it is gone for them.
    expect((await send(ana, `${ws}/unshare`, { scenario })).headers.location).toBe(`${ws}?flash=unshared`);
    expect((await bea.get(`/scenarios/${scenario}`)).status).toBe(404);

    const beaId = t.web.storage.users.byName('bea')!.id;
    expect((await send(ana, `${ws}/members/${beaId}/remove`)).headers.location).toBe(`${ws}?flash=removed`);
    expect((await bea.get(ws)).status).toBe(404);
    expect(t.web.storage.users.auditLog(20).map((a) => a.action)).toEqual(expect.arrayContaining(['member added', 'member removed', 'scenario shared', 'scenario unshared']));
  });

  it('invites by a one-time link that makes an account with the role, in the workspace', async () => {
    const ana = (await signIn('ana')).agent;
    const ws = (await send(ana, '/workspaces', { name: 'Second team' })).headers.location!;
    expect((await send(ana, `${ws}/invite`, { role: 'administrator' })).status).toBe(403);
    const invited = await send(ana, `${ws}/invite`, { role: 'analyst' });
    expect(invited.status).toBe(201);
    const link = /id="invitation-link">([^<]+)</.exec(invited.text)![1]!;
    const anon = request.agent(t.web.app);
    const form = await anon.get(link);
    expect(form.status).toBe(200);
    expect(form.text).toContain('invited as analyst to “Second team”');
    expect((await anon.post(link).type('form').send({ name: 'cleo', password: 'short', confirm: 'short', _csrf: csrfToken(form.text) })).status).toBe(422);
    const made = await anon.post(link).type('form').send({ name: 'cleo', password: PASSWORD, confirm: PASSWORD, _csrf: csrfToken(form.text) });
    expect(made.status).toBe(303);
    expect(made.headers.location).toBe(ws);
    expect(t.web.storage.users.byName('cleo')!.role).toBe('analyst');
    expect((await anon.get(ws)).status).toBe(200);
    // Used once.
    expect((await request(t.web.app).get(link)).status).toBe(404);
  });
});

describe('the Users page', () => {
  it('an administrator resets a password (ending the sessions) and changes a role', async () => {
    const root = (await signIn('root')).agent;
    const bea = (await signIn('bea')).agent;
    expect((await bea.get('/account')).status).toBe(200);
    const page = await root.get('/admin/users');
    expect(page.status).toBe(200);
    const beaId = t.web.storage.users.byName('bea')!.id;
    expect((await send(root, `/admin/users/${beaId}/password`, { password: 'short' })).status).toBe(422);
    expect((await send(root, `/admin/users/${beaId}/password`, { password: 'a brand new password' })).headers.location).toBe('/admin/users?flash=password');
    expect((await bea.get('/account')).status).toBe(303);
    expect((await signIn('bea')).status).toBe(401);
    expect((await signIn('bea', 'a brand new password')).status).toBe(303);
    expect((await send(root, `/admin/users/${beaId}/role`, { role: 'trainer' })).status).toBe(303);
    expect(t.web.storage.users.byName('bea')!.role).toBe('trainer');
    const rootId = t.web.storage.users.byName('root')!.id;
    expect((await send(root, `/admin/users/${rootId}/role`, { role: 'analyst' })).status).toBe(422);
    const invite = await send(root, '/admin/invitations', { role: 'trainer' });
    expect(invite.status).toBe(201);
    expect(invite.text).toMatch(/id="invitation-link">\/invite\/[A-Za-z0-9_-]{32}</);
  });
});
