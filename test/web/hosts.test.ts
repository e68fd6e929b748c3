/** The Host header check against DNS rebinding, and which names are answered by default. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedHostsFromEnv } from '../../src/server/config.ts';
import { hostAllowed, hostName, isLoopback, LOOPBACK_NAMES } from '../../src/server/http/hosts.ts';
import { makeApp, type TestApp } from './helpers.ts';

let t: TestApp;
let open: TestApp;
beforeAll(() => {
  t = makeApp();
  open = makeApp({ allowedHosts: ['sim.example.org'] });
});
afterAll(async () => {
  await t.close();
  await open.close();
});

describe('names', () => {
  it.each([
    ['127.0.0.1:3000', '127.0.0.1'],
    ['LOCALHOST', 'localhost'],
    ['[::1]:8080', '[::1]'],
    ['sim.example.org:443', 'sim.example.org'],
    ['evil.example/x', null],
    ['', null],
  ])('hostName(%j) = %j', (header, name) => {
    expect(hostName(header)).toBe(name);
  });

  it.each([
    ['127.0.0.1', true], ['127.1.2.3', true], ['localhost', true], ['::1', true], ['[::1]', true],
    ['0.0.0.0', false], ['192.168.1.5', false], ['::', false], ['sim.example.org', false],
  ])('isLoopback(%j) = %s', (host, yes) => {
    expect(isLoopback(host)).toBe(yes);
  });

  it.each([
    [{}, '127.0.0.1', LOOPBACK_NAMES],
    [{}, '0.0.0.0', 'any'],
    [{}, '10.0.0.5', ['10.0.0.5']],
    [{ ALLOWED_HOSTS: 'sim.example.org, Other.example' }, '0.0.0.0', ['sim.example.org', 'other.example']],
    [{ ALLOWED_HOSTS: '*' }, '127.0.0.1', 'any'],
  ])('ALLOWED_HOSTS %j listening on %s: %j', (env, host, expected) => {
    expect(allowedHostsFromEnv(env, host)).toEqual(expected);
  });

  it.each([
    ['localhost:3000', LOOPBACK_NAMES, true],
    ['attacker.example:3000', LOOPBACK_NAMES, false],
    [undefined, LOOPBACK_NAMES, false],
    ['anything', 'any' as const, true],
  ])('hostAllowed(%j)', (header, allowed, yes) => {
    expect(hostAllowed(header, allowed)).toBe(yes);
  });
});

describe('requests', () => {
  it.each([
    ['/', 'localhost:3000', 200],
    ['/', '127.0.0.1:3000', 200],
    ['/', '[::1]:3000', 200],
    ['/', 'attacker.example', 421],
    ['/api/v1/scenarios', 'attacker.example:3000', 421],
    ['/static/css/app.css', 'attacker.example', 421],
  ])('GET %s with Host %s: %i', async (path, host, status) => {
    const res = await request(t.web.app).get(path).set('Host', host);
    expect(res.status).toBe(status);
    if (status === 421 && path.startsWith('/api/')) expect(res.body.issues).toEqual([{ path: 'Host', message: 'is not a name this server answers to' }]);
    if (status === 421 && !path.startsWith('/api/')) expect(res.text).toContain('does not answer to the name “attacker.example');
  });

  it('a server set up with its names answers those only', async () => {
    expect((await request(open.web.app).get('/').set('Host', 'sim.example.org')).status).toBe(200);
    expect((await request(open.web.app).get('/').set('Host', 'localhost:3000')).status).toBe(421);
  });
});
