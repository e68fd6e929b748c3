/**
 * Every page in the pseudo-locale: starting from the navigation, a saved scenario and a Monte
 * Carlo run, follow every link on the site and check that each page shows no English text
 * outside a translated message (test/support/pseudo.ts). A page that writes English in code
 * fails here whatever its feature, so a new page cannot miss the translation files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untranslated } from '../support/pseudo.ts';
import { FIXTURE } from './fixture.ts';
import { freshToken, makeApp, smallScenario, type TestApp } from './helpers.ts';

let t: TestApp;
const START = ['/', '/scenarios/new', '/scenarios', '/scenarios/trash', '/compare', '/policy', '/calibration', '/training', '/glossary', '/classes', '/workspaces', '/account', '/languages', '/no-such-page'];
const SKIP = /^\/(?:static|vendor|docs|api|language)(?:\/|$)|\/download\/|\.(?:csv|json|xlsx|md|pdf)(?:\?|$)|\/events(?:\?|$)|sign-?out/;
const MAX_PAGES = 160;

beforeAll(async () => {
  t = makeApp();
  await t.agent.get('/?lang=qps');
  const saved = await t.agent.post('/api/v1/scenarios').send({ ...FIXTURE, name: 'Crawl fund' });
  expect(saved.status).toBe(201);
  const token = await freshToken(t);
  const run = await t.agent.post('/runs').type('form').send({ _csrf: token, scenarioJson: JSON.stringify(smallScenario()), paths: '200', seed: '3' });
  expect(run.status).toBe(303);
  START.push(run.headers.location as string);
  await t.web.runs.wait(String(run.headers.location).split('/').pop() as string);
});

afterAll(() => t.close());

describe('every page in the pseudo-locale', () => {
  it('shows nothing but translated messages and data', async () => {
    const seen = new Set<string>();
    const queue = [...START];
    const problems: string[] = [];
    while (queue.length && seen.size < MAX_PAGES) {
      const url = queue.shift() as string;
      // One page per kind of address: the same route with another id or page number adds nothing.
      const kind = url.replace(/[A-Za-z0-9_-]{12,}/g, ':id').replace(/([?&]page=)\d+/, '$1n');
      if (seen.has(kind)) continue;
      seen.add(kind);
      const res = await t.agent.get(url);
      if (res.status >= 300 && res.status < 400) continue;
      if (!String(res.headers['content-type']).includes('text/html')) continue;
      if (res.status >= 500) problems.push(`${url}: ${res.status}`);
      const left = untranslated(res.text, ['Crawl fund', 'Web test fund', 'A fund for the web tests', 'local']);
      if (left.length) problems.push(`${url}: ${left.slice(0, 6).join(' | ')}`);
      for (const m of res.text.matchAll(/href="(\/[^"#]*)"/g)) {
        const href = (m[1] as string).replace(/&amp;/g, '&');
        if (!SKIP.test(href)) queue.push(href);
      }
    }
    expect(seen.size).toBeGreaterThan(30);
    expect(problems).toEqual([]);
  }, 600_000);
});
