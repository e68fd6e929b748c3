/**
 * Compare (issue 15, item 8): currencies never share an axis (a normalised view instead),
 * Monte Carlo figures side by side when the scenarios have runs, and no percentage change across
 * a sign change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMonteCarlo } from '../../src/core/montecarlo/run.ts';
import { project } from '../../src/core/projection.ts';
import { intervalOfShare } from '../../src/core/stats/intervals.ts';
import { differenceText } from '../../src/server/compare/compare.ts';
import { formatter } from '../../src/i18n/format.ts';
import { freshToken, makeApp, preset, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(() => {
  t = makeApp({ inlinePaths: 1000 });
});
afterAll(async () => {
  await t.close();
});

type ChartJson = { id: string; format: string; currency: string; datasets: { label: string; data: (number | null)[] }[] };
const chartData = (html: string) => JSON.parse(/<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as ChartJson[];
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, '’').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('two currencies', () => {
  it('USD next to KRW: money charts as a share of each scenario’s capital put in, never one currency axis', async () => {
    const res = await t.agent.get('/compare?s=preset:default&s=preset:korea-kodit');
    expect(res.status).toBe(200);
    expect(text(res.text)).toContain('the charts show them as a share of each scenario’s capital put in, so that no two currencies share an axis');
    const charts = chartData(res.text);
    for (const id of ['capital', 'netClaims', 'additional']) {
      const c = charts.find((x) => x.id === id)!;
      expect(c.format, id).toBe('percent');
      expect(c.currency).toBe('');
    }
    const capital = charts.find((c) => c.id === 'capital')!;
    ['default', 'korea-kodit'].forEach((id, k) => {
      const p = project(preset(id));
      const putIn = p.summary.initialCapital.toNumber() + p.summary.totalInjections.toNumber();
      for (let y = 1; y <= 10; y++) {
        const last = p.periods.filter((r) => r.year === y).at(-1)!;
        expect(capital.datasets[k]!.data[y - 1]).toBeCloseTo(last.ledger.closing.toNumber() / putIn, 12);
      }
    });
    // The leverage chart is a ratio: it stays as it is.
    expect(charts.find((c) => c.id === 'leverage')!.format).toBe('multiple');
  });

  it('one currency: amounts drawn in it', async () => {
    const charts = chartData((await t.agent.get('/compare?s=preset:default&s=preset:us-sba-7a')).text);
    expect(charts.find((c) => c.id === 'capital')!).toMatchObject({ format: 'money', currency: 'USD' });
  });
});

describe('differences', () => {
  const f = formatter('USD');
  it.each([
    ['money', 100, 150, '+50 %'],
    ['money', 1000, -24, '−$1,024'],
    ['money', -1000, 24, '+$1,024'],
    ['money', -100, -50, '+$50'],
    ['count', 0, 10, '+10'],
    ['percent', 0.02, 0.035, '+1.5 points'],
  ] as const)('%s from %d to %d reads %s', (format, base, v, expected) => {
    expect(differenceText(format, base, v, f)).toBe(expected);
  });
});

describe('Monte Carlo side by side', () => {
  it('a saved scenario’s latest run appears with its interval; one without a run says “not run”', async () => {
    const token = await freshToken(t);
    const a = await t.agent.post('/api/v1/scenarios').send({ ...preset('startup-local-fund'), name: 'With a run', horizonYears: 5 });
    const b = await t.agent.post('/api/v1/scenarios').send({ ...preset('startup-local-fund'), name: 'Without a run', horizonYears: 5 });
    const [ida, idb] = [a.body.id as string, b.body.id as string];
    const scenario = { ...preset('startup-local-fund'), name: 'With a run', horizonYears: 5 };
    const run = await t.agent.post('/runs').type('form').send({ _csrf: token, scenarioJson: JSON.stringify(scenario), _scenarioId: ida, paths: '300', seed: '8' });
    expect(run.status).toBe(303);
    await t.web.runs.wait(run.headers.location!.split('/').pop()!);
    const before = text((await t.agent.get(`/compare?s=saved:${idb}&s=preset:default`)).text);
    expect(before).toContain('None of these scenarios has a Monte Carlo run yet');
    const res = await t.agent.get(`/compare?s=saved:${ida}&s=saved:${idb}`);
    const table = text(/<table class="data-table compare-table" id="compare-mc">([\s\S]*?)<\/table>/.exec(res.text)![1]!);
    const mc = runMonteCarlo(scenario, { paths: 300, seed: 8 });
    const p = mc.probabilityOfDepletion.at(-1)!;
    const iv = intervalOfShare(p, 300);
    const fe = formatter('EUR');
    expect(table).toContain(`Probability of depletion within the horizon (Monte Carlo) ${fe.percent(p, 2)} (95 % interval ${fe.percent(iv.lower, 2)} to ${fe.percent(iv.upper, 2)}; 300 paths) not run`);
    expect(table).toContain(`Capital at horizon, 5th percentile (Monte Carlo) ${fe.money(mc.capital.bands[1]!.at(-1)!)} not run`);
  });
});
