/**
 * Every result has an address (issue 15, item 10): the result of an unsaved scenario is kept as a
 * draft named by the hash of its scenario, and opens from that address without the session that
 * made it.
 */
import request from 'supertest';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioToForm } from '../../src/server/forms/form.ts';
import { parseScenario } from '../../src/core/schema.ts';
import { freshToken, makeApp, preset, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(() => {
  t = makeApp();
});
afterAll(async () => {
  await t.close();
});

const post = async (path: string, fields: Record<string, string>) => {
  const token = await freshToken(t);
  return t.agent.post(path).type('form').send({ ...fields, _csrf: token });
};
const addressOf = (html: string) => /id="result-address" data-address="(\/drafts\/[A-Za-z0-9_-]{22})"/.exec(html)?.[1] ?? null;
const indicator = (html: string, id: string) => new RegExp(`id="indicator-${id}">[^]*?<p class="value">([^<]+)</p>`).exec(html)![1];

describe('the address of an unsaved result', () => {
  it('is the hash of the scenario, opens in a fresh session with the same figures, and the same scenario keeps it', async () => {
    const res = await post('/simulate', { ...scenarioToForm(preset()), name: 'Shared draft', 'guarantee.coverageRatio': '65' });
    expect(res.status).toBe(200);
    const address = addressOf(res.text);
    expect(address).not.toBeNull();
    // The id is the first 22 characters of the SHA-256 of the stored scenario, in base64url.
    const parsed = parseScenario({ ...preset(), name: 'Shared draft', guarantee: { ...preset().guarantee, coverageRatio: 0.65 } });
    if (!parsed.ok) throw new Error('bad scenario');
    const json = JSON.stringify(parsed.value);
    expect(address).toBe(`/drafts/${createHash('sha256').update(`${parsed.value.schemaVersion}\n${json}`).digest('base64url').slice(0, 22)}`);
    const fresh = await request(t.web.app).get(address!);
    expect(fresh.status).toBe(200);
    for (const id of ['capital', 'additional', 'firms', 'fiscalCost']) expect(indicator(fresh.text, id)).toBe(indicator(res.text, id));
    expect(fresh.text).toContain('<h1>Shared draft</h1>');
    const again = await post('/simulate', { ...scenarioToForm(preset()), name: 'Shared draft', 'guarantee.coverageRatio': '65' });
    expect(addressOf(again.text)).toBe(address);
    const other = await post('/simulate', { ...scenarioToForm(preset()), name: 'Shared draft', 'guarantee.coverageRatio': '66' });
    expect(addressOf(other.text)).not.toBe(address);
  });

  it('has its downloads and handout under the same address', async () => {
    const res = await post('/simulate', { ...scenarioToForm(preset()), name: 'Downloadable draft' });
    const address = addressOf(res.text)!;
    expect(res.text).toContain(`href="${address}/download/result.csv"`);
    const csv = await request(t.web.app).get(`${address}/download/result.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const scenario = await request(t.web.app).get(`${address}/download/scenario.json`);
    expect(JSON.parse(scenario.text).name).toBe('Downloadable draft');
    const handout = await request(t.web.app).get(`${address}/summary`);
    expect(handout.status).toBe(200);
    expect(handout.text).toContain('Downloadable draft');
  });

  it('an unknown or malformed address is a clear 404', async () => {
    for (const path of ['/drafts/AAAAAAAAAAAAAAAAAAAAAA', '/drafts/short', '/drafts/AAAAAAAAAAAAAAAAAAAAAA/download/result.csv']) {
      const res = await request(t.web.app).get(path);
      expect(res.status).toBe(404);
      expect(res.text).toContain('There is no result at this address.');
    }
  });
});
