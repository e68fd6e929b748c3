/**
 * Accounts: passwords hashed with scrypt, sign-in with sessions kept on the server, sign-in
 * throttling, API tokens, CSRF tokens bound to the session, the route table of who may reach
 * what in each mode, and the command that creates the first administrator.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../../src/server/config.ts';
import { SignInThrottle } from '../../src/server/http/throttle.ts';
import { openStorage } from '../../src/storage/index.ts';
import { hashPassword, nameProblemOfUser, passwordProblem, verifyPassword } from '../../src/storage/users.ts';
import { csrfToken, makeApp, preset, tempDir, type TestApp } from './helpers.ts';

const ROOT = new URL('../../', import.meta.url);
let clock = 0;
let local: TestApp;
let shared: TestApp;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  local = makeApp();
  shared = makeApp({ auth: 'required', throttle: new SignInThrottle({ perName: 5, perAddress: 20, windowMs: 15 * 60_000 }, () => clock) });
  await shared.web.storage.users.add('ana', 'analyst', PASSWORD);
  await shared.web.storage.users.add('tom', 'trainee', PASSWORD);
});
afterAll(async () => {
  await local.close();
  await shared.close();
});

/** A browser signed in as a user of the shared server. */
async function signIn(name: string, password = PASSWORD) {
  const agent = request.agent(shared.web.app);
  const form = await agent.get('/signin');
  const res = await agent.post('/signin').type('form').send({ name, password, next: '/scenarios', _csrf: csrfToken(form.text) });
  return { agent, res };
}

describe('passwords', () => {
  it('are hashed with scrypt, salted, and checked', async () => {
    const a = await hashPassword('a long enough password');
    const b = await hashPassword('a long enough password');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('a long enough password', a)).toBe(true);
    expect(await verifyPassword('a long enough passworD', a)).toBe(false);
    expect(await verifyPassword('anything', null)).toBe(false);
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false);
  });

  it.each([
    ['short', 'must be at least 10 characters long'],
    ['ten chars!', null],
    ['x'.repeat(201), 'must be at most 200 characters long'],
  ])('password %j: %s', (pw, problem) => {
    expect(passwordProblem(pw)).toBe(problem);
  });

  it.each([['ana', null], ['ana.lopez@mof', null], ['-ana', 'must'], ['a b', 'must'], ['', 'must']])('name %j', (name, problem) => {
    const p = nameProblemOfUser(name);
    if (problem === null) expect(p).toBeNull();
    else expect(p).toMatch(/^must be 1 to 64/);
  });
});

describe('modes', () => {
  it.each([
    [{}, 'local'],
    [{ HOST: '127.0.0.1' }, 'local'],
    [{ HOST: '0.0.0.0' }, 'required'],
    [{ HOST: '10.1.2.3' }, 'required'],
    [{ HOST: '127.0.0.1', AUTH: 'required' }, 'required'],
  ])('settings %j: sign-in %s', (env, mode) => {
    expect(settingsFromEnv(env).auth).toBe(mode);
  });

  it('on loopback a local user is signed in by itself: npm start needs no set-up', async () => {
    expect((await request(local.web.app).get('/scenarios')).status).toBe(200);
    const created = await request(local.web.app).post('/api/v1/scenarios').send(preset());
    expect(created.status).toBe(201);
    expect(local.web.storage.users.list().map((u) => [u.name, u.role])).toEqual([['local', 'administrator']]);
  });
});

describe('who may reach what, signed out, on a shared server', () => {
  it.each([
    ['GET', '/', 303, '/signin?next=%2F'],
    ['GET', '/scenarios', 303, '/signin?next=%2Fscenarios'],
    ['GET', '/compare', 303, '/signin?next=%2Fcompare'],
    ['GET', '/training', 303, '/signin?next=%2Ftraining'],
    ['GET', '/account', 303, '/signin?next=%2Faccount'],
    ['GET', '/api/v1/scenarios', 401, null],
    ['GET', '/api/v1/presets', 401, null],
    ['POST', '/api/v1/simulate', 401, null],
    ['DELETE', '/api/v1/scenarios/abcdefgh', 401, null],
    ['POST', '/scenarios', 401, null],
    ['GET', '/signin', 200, null],
    ['GET', '/static/css/app.css', 200, null],
  ])('%s %s: %i', async (method, path, status, location) => {
    const res = await (request(shared.web.app) as unknown as Record<string, (p: string) => request.Test>)[method.toLowerCase()]!(path);
    expect(res.status).toBe(status);
    if (location) expect(res.headers.location).toBe(location);
    if (path.startsWith('/api/')) {
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body.issues).toEqual([{ path: 'Authorization', message: 'is missing' }]);
    }
  });
});

describe('signing in', () => {
  it('a wrong password is refused with the name kept; the right one opens a session', async () => {
    const wrong = await signIn('ana', 'not the password');
    expect(wrong.res.status).toBe(401);
    expect(wrong.res.text).toContain('The name or the password is not right.');
    expect(wrong.res.text).toContain('value="ana"');
    const { agent, res } = await signIn('ana');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/scenarios');
    const cookie = res.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/^cgf_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect((await agent.get('/scenarios')).status).toBe(200);
    // Kept on the server as a hash only.
    const stored = shared.web.storage.db.prepare('SELECT id_hash FROM sessions').pluck().all() as string[];
    expect(stored).not.toContain(/cgf_session=([^;]+)/.exec(cookie)![1]);
    const account = await agent.get('/account');
    expect(account.text).toContain('Account: ana');
    expect(account.text).toContain('Role: analyst.');
  });

  it('goes back only to an address of this site', async () => {
    const agent = request.agent(shared.web.app);
    const form = await agent.get('/signin');
    const res = await agent.post('/signin').type('form').send({ name: 'ana', password: PASSWORD, next: '//attacker.example/', _csrf: csrfToken(form.text) });
    expect(res.headers.location).toBe('/');
  });

  it('binds form tokens to the session: the token of the signed-out cookie no longer works', async () => {
    const agent = request.agent(shared.web.app);
    const form = await agent.get('/signin');
    const before = csrfToken(form.text);
    await agent.post('/signin').type('form').send({ name: 'ana', password: PASSWORD, _csrf: before });
    const refused = await agent.post('/account/tokens').type('form').send({ label: 'x', _csrf: before });
    expect(refused.status).toBe(403);
    const page = await agent.get('/account');
    const ok = await agent.post('/account/tokens').type('form').send({ label: 'x', _csrf: csrfToken(page.text) });
    expect(ok.status).toBe(201);
  });

  it('signing out ends the session on the server', async () => {
    const { agent } = await signIn('ana');
    const page = await agent.get('/account');
    const out = await agent.post('/signout').type('form').send({ _csrf: csrfToken(page.text) });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/signin');
    expect((await agent.get('/scenarios')).status).toBe(303);
  });

  it('throttles failed attempts per account: the sixth is refused even with the right password, until the window passes', async () => {
    clock = 1_000_000;
    for (let i = 0; i < 5; i++) expect((await signIn('tom', 'wrong password!')).res.status).toBe(401);
    const blocked = await signIn('tom');
    expect(blocked.res.status).toBe(429);
    expect(blocked.res.headers['retry-after']).toBe('900');
    expect(blocked.res.text).toContain('Too many failed attempts: try again in 15 minutes.');
    // Another account from the same address is not blocked by tom's failures.
    expect((await signIn('ana')).res.status).toBe(303);
    clock += 15 * 60_000 + 1;
    expect((await signIn('tom')).res.status).toBe(303);
    const log = shared.web.storage.users.auditLog(50).map((a) => a.action);
    expect(log).toContain('sign-in failed');
    expect(log).toContain('signed in');
  });

  it('a disabled account cannot sign in and its sessions end', async () => {
    await shared.web.storage.users.add('gone', 'analyst', PASSWORD);
    const { agent } = await signIn('gone');
    shared.web.storage.users.setDisabled('gone', true);
    expect((await agent.get('/scenarios')).status).toBe(303);
    expect((await signIn('gone')).res.status).toBe(401);
  });

  it('changes the password: the current one is asked, sessions end, this browser stays signed in', async () => {
    await shared.web.storage.users.add('pat', 'trainer', PASSWORD);
    const { agent } = await signIn('pat');
    const other = (await signIn('pat')).agent;
    let page = await agent.get('/account');
    const bad = await agent.post('/account/password').type('form').send({ current: 'nope', password: 'short', confirm: 'short', _csrf: csrfToken(page.text) });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('The current password is not right.');
    expect(bad.text).toContain('The new password must be at least 10 characters long.');
    page = await agent.get('/account');
    const ok = await agent.post('/account/password').type('form').send({ current: PASSWORD, password: 'a new long password', confirm: 'a new long password', _csrf: csrfToken(page.text) });
    expect(ok.status).toBe(303);
    expect((await agent.get('/account')).status).toBe(200);
    expect((await other.get('/account')).status).toBe(303);
    expect((await signIn('pat', 'a new long password')).res.status).toBe(303);
  });
});

describe('API tokens', () => {
  it('are shown once, work as bearer credentials on the API only, and stop when revoked', async () => {
    const { agent } = await signIn('ana');
    const page = await agent.get('/account');
    const made = await agent.post('/account/tokens').type('form').send({ label: 'spreadsheet', _csrf: csrfToken(page.text) });
    const token = /id="new-token-value">(cgf_[A-Za-z0-9_-]{43})</.exec(made.text)![1]!;
    expect((await agent.get('/account')).text).not.toContain(token);
    const api = (t: string) => request(shared.web.app).get('/api/v1/scenarios').set('Authorization', `Bearer ${t}`);
    expect((await api(token)).status).toBe(200);
    // Not a page credential.
    expect((await request(shared.web.app).get('/scenarios').set('Authorization', `Bearer ${token}`)).status).toBe(303);
    const bad = await api(`cgf_${'A'.repeat(43)}`);
    expect(bad.status).toBe(401);
    expect(bad.body.issues).toEqual([{ path: 'Authorization', message: 'is not a live API token' }]);
    const id = shared.web.storage.users.tokens(shared.web.storage.users.byName('ana')!.id).find((t) => t.label === 'spreadsheet')!.id;
    const account = await agent.get('/account');
    expect((await agent.post(`/account/tokens/${id}/revoke`).type('form').send({ _csrf: csrfToken(account.text) })).status).toBe(303);
    expect((await api(token)).status).toBe(401);
  });
});

describe('npm run user', () => {
  it('add --admin NAME creates the first administrator, who can then sign in', async () => {
    const dir = tempDir('cgf-user-');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/user.ts', 'add', '--admin', 'chief'], { cwd: ROOT, env: { ...process.env, DATA_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    expect(await new Promise((r) => child.on('close', r))).toBe(0);
    expect(out).toContain('Added chief (administrator).');
    const password = /shown once[^:]*: (\S+)/.exec(out)![1]!;
    const storage = openStorage(dir);
    expect((await storage.users.check('chief', password))?.role).toBe('administrator');
    expect(await storage.users.check('chief', 'not it at all')).toBeNull();
    storage.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
