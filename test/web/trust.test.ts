/**
 * Answers an official can trust, checked on the server's pages without a browser: settings that
 * other settings override are shown as such; Monte Carlo probabilities carry their sampling error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capitalForTarget } from '../../src/core/montecarlo/capital.ts';
import { intervalOfShare } from '../../src/core/stats/intervals.ts';
import { formatter } from '../../src/i18n/format.ts';
import { InlinePolicyEngine } from '../../src/server/policy/engine.ts';
import { makeApp, preset, type TestApp } from './helpers.ts';

let t: TestApp;

beforeAll(() => {
  t = makeApp({ policyEngine: new InlinePolicyEngine(), inlinePolicyWork: 500 });
});

afterAll(async () => {
  await t.close();
});

const text = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, '’').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('a setting overridden by others', () => {
  it('the KODIT editor says the coverage ratio is not in force, and links the stage coverage that overrides it (no JavaScript needed)', async () => {
    const page = await t.agent.get('/scenarios/new?from=preset:korea-kodit');
    expect(page.status).toBe(200);
    const m = /<p class="override-notice override-full" id="f-guarantee-coverageRatio-override" role="note">([\s\S]*?)<\/p>/.exec(page.text);
    expect(m).not.toBeNull();
    expect(text(m![1]!)).toContain('Not in force: every stage has its own coverage (founding 85 %, growth 85 %, maturity 75 %, transformation 80 %), which overrides this field, so changing it changes nothing.');
    for (const st of ['founding', 'growth', 'maturity', 'transformation']) expect(m![1]).toContain(`href="#f-guarantee-coverageByStage-${st}"`);
    // The input names the notice, so a screen reader reads it with the field.
    expect(page.text).toMatch(/id="f-guarantee-coverageRatio"[^>]*aria-describedby="f-guarantee-coverageRatio-override/);
  });

  it('the default preset, without stage coverage, shows no such notice', async () => {
    const page = await t.agent.get('/scenarios/new');
    expect(page.text).not.toContain('override-notice');
  });
});

describe('sampling error on a Monte Carlo run', () => {
  it('the probability of depletion is shown with its 95 % Wilson interval, in the indicator and the chart', async () => {
    const res = await t.agent.post('/api/v1/simulate/montecarlo').send({ scenario: preset('default'), paths: 400, seed: 3 });
    expect([200, 201, 202]).toContain(res.status);
    const id = (res.body as { id: string }).id;
    const page = await t.agent.get(`/runs/${id}`);
    expect(page.status).toBe(200);
    const result = (await t.agent.get(`/api/v1/runs/${id}`)).body as { result: { probabilityOfDepletion: number[] } };
    const pd = result.result.probabilityOfDepletion.at(-1)!;
    const iv = intervalOfShare(pd, 400);
    const f = formatter('USD');
    expect(text(page.text)).toContain(`95 % interval ${f.percent(iv.lower, 2)} to ${f.percent(iv.upper, 2)}; 400 paths`);
    const charts = JSON.parse(/<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(page.text)![1]!) as { id: string; datasets: { label: string; data: number[] }[] }[];
    const depletion = charts.find((c) => c.id === 'depletion')!;
    const low = depletion.datasets.find((d) => d.label === 'Capital below zero: 95 % interval, lower bound')!;
    const high = depletion.datasets.find((d) => d.label === 'Capital below zero: 95 % interval (sampling error)')!;
    result.result.probabilityOfDepletion.forEach((p, y) => {
      expect(low.data[y]).toBeCloseTo(intervalOfShare(p, 400).lower, 12);
      expect(high.data[y]).toBeCloseTo(intervalOfShare(p, 400).upper, 12);
      expect(low.data[y]!).toBeLessThanOrEqual(p);
      expect(high.data[y]!).toBeGreaterThanOrEqual(p);
    });
  });
});

describe('capital for a target probability of depletion (issue 15, item 12)', () => {
  it('the JSON API answers the central and prudent capital with their intervals, as the core does', async () => {
    const s = preset('startup-local-fund');
    const res = await t.agent.post('/api/v1/simulate/capital-for-target').send({ scenario: s, target: 0.01, paths: 600, seed: 5 });
    expect(res.status).toBe(200);
    const core = capitalForTarget(s, 0.01, { paths: 600, seed: 5 });
    expect(res.body).toMatchObject(JSON.parse(JSON.stringify(core)));
    expect(res.body.central.interval.lower).toBeLessThanOrEqual(res.body.central.interval.estimate);
  });

  it('the JSON API names bad fields', async () => {
    const res = await t.agent.post('/api/v1/simulate/capital-for-target').send({ scenario: preset('default'), target: 1.5, paths: 10 });
    expect(res.status).toBe(422);
    expect((res.body.issues as { path: string }[]).map((i) => i.path).sort()).toEqual(['paths', 'target']);
  });

  it('the page works without JavaScript: a GET form, errors beside the fields in the form’s unit', async () => {
    const bad = await t.agent.get('/policy/capital?scenario=preset:default&target=150&paths=1000');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="capital-target-error"><span>Must be more than 0 % and less than 100 %</span>');
    expect(bad.text).toContain('value="150"');
  });
});
