/**
 * Rationing and leverage above the cap on the results page (issue 15, item 6): the rationing
 * indicator and chart against sums of the projection's own periods, the leverage chart drawn whole
 * (values above the top, and paths with no capital, drawn at the top and named in the table).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { project } from '../../src/core/projection.ts';
import { runMonteCarlo } from '../../src/core/montecarlo/run.ts';
import { PERCENTILES } from '../../src/core/montecarlo/types.ts';
import { formatter } from '../../src/i18n/format.ts';
import { charts, indicators, leverageCeiling } from '../../src/server/scenarios/results.ts';
import { makeApp, preset, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(() => {
  t = makeApp();
});
afterAll(async () => {
  await t.close();
});

type ChartJson = { id: string; yMax?: number; stacked?: boolean; tableRows?: string[][]; datasets: { label: string; data: (number | null)[] }[] };
const chartData = (html: string) => JSON.parse(/<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as ChartJson[];
const text = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, '’').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/\s+/g, ' ');

describe('guarantees rationed', () => {
  it('India’s fund, whose capital runs out: the indicator sums the periods’ rationed guarantees and names the fall in new loans', async () => {
    const s = preset('india-cgtmse');
    const p = project(s);
    let rationed = 0;
    let issued = 0;
    for (const r of p.periods) {
      rationed += Number(r.rationedGuaranteed.toString());
      issued += Number(r.newGuaranteed.toString());
    }
    expect(rationed).toBeGreaterThan(0);
    const first = p.periods.find((r) => Number(r.rationedGuaranteed.toString()) > 0)!;
    const f = formatter(s.currency);
    const res = await t.agent.get('/presets/india-cgtmse');
    expect(res.status).toBe(200);
    const block = text(/id="indicator-rationing"[\s\S]*?<\/li>/.exec(res.text)![0]);
    expect(block).toContain(`Guarantees rationed ${f.moneyShort(rationed)} ${f.percent(rationed / (issued + rationed), 1)} of demand; from ${first.label}`);
    expect(block).toContain(`${f.money(rationed)} of the guarantees lenders asked for over 10 years`);
    const peak = Math.max(...p.periods.map((r) => r.newLoans));
    expect(block).toContain(`New guaranteed loans fall from ${f.count(peak)} in`);
    expect(block).toContain(`to ${f.count(p.periods.at(-1)!.newLoans)} in Y10`);
    expect(block).toContain('capital runs out');

    const chart = chartData(res.text).find((c) => c.id === 'rationing')!;
    expect(chart.stacked).toBe(true);
    expect(chart.datasets.map((d) => d.label)).toEqual(['Guarantees issued', 'Guarantees demanded but rationed']);
    p.periods.forEach((r, i) => {
      expect(chart.datasets[0]!.data[i]).toBeCloseTo(Number(r.newGuaranteed.toString()), 2);
      expect(chart.datasets[1]!.data[i]).toBeCloseTo(Number(r.rationedGuaranteed.toString()), 2);
    });
    // The chart's CSV: one row a period, the share of demand rationed as issued and rationed give it.
    const csv = (await t.agent.get('/presets/india-cgtmse/download/chart-rationing.csv')).text.trim().split('\r\n');
    expect(csv[0]).toBe('Period,Guarantees issued,Guarantees rationed,Share of demand rationed,New guaranteed loans');
    const y8 = csv.find((l) => l.startsWith('Y8,'))!.split(',').map(Number);
    expect(y8[3]).toBeCloseTo(y8[2]! / (y8[1]! + y8[2]!), 12);
  });

  it('a fund whose capacity never binds says so', async () => {
    const s = preset('default');
    const ind = indicators({ scenario: s, projection: project(s), monteCarlo: null, breakEven: null }).find((i) => i.id === 'rationing')!;
    expect(ind.value).toBe('None');
    expect(ind.sentence).toContain('supports every guarantee lenders ask for over 10 years');
    expect(ind.tone).toBe('good');
  });
});

describe('leverage against the cap, drawn whole', () => {
  it('the top of the chart is twice the cap unless the expected case peaks higher under three times it', () => {
    expect(leverageCeiling(20, [3.5, 31, 127, null])).toBe(40);
    expect(leverageCeiling(10, [5, 18.5, null])).toBe(Math.ceil(18.5 * 1.1));
    expect(leverageCeiling(10, [5, 35])).toBe(20);
  });

  it('India with a Monte Carlo run: no gap in any series, values above the top drawn at it, and the table says where capital is exhausted', () => {
    const s = preset('india-cgtmse');
    const p = project(s);
    const mc = runMonteCarlo(s, { paths: 300, seed: 4 });
    const chart = charts({ scenario: s, projection: p, monteCarlo: mc, breakEven: null }).find((c) => c.id === 'leverage')!;
    expect(chart.yMax).toBe(40);
    for (const d of chart.datasets) {
      expect(d.data).toHaveLength(p.periods.length);
      for (const x of d.data) {
        expect(x).not.toBeNull();
        expect(x!).toBeLessThanOrEqual(40);
      }
    }
    expect(chart.datasets.every((d) => d.style !== 'points')).toBe(true);
    const p95 = mc.leverage.bands[PERCENTILES.indexOf(95)]!;
    const col = chart.table.columns.indexOf('Leverage, simulated 95th percentile');
    const f = formatter(s.currency);
    p95.forEach((x, t) => {
      const drawn = chart.datasets.find((d) => d.label === 'Leverage, simulated 95th percentile')!.data[t];
      expect(drawn).toBe(Number.isFinite(x) ? Math.min(x, 40) : 40);
      expect(chart.table.rows[t]![col]).toBe(Number.isFinite(x) ? f.multiple(x) : 'capital exhausted');
    });
    expect(p95.some((x) => !Number.isFinite(x))).toBe(true);
    // The expected case has no capital from Y9: drawn at the top, named in the table.
    const exp = chart.table.columns.indexOf('Leverage, expected case');
    p.periods.forEach((r, t) => {
      if (r.leverage === null) expect(chart.table.rows[t]![exp]).toBe('capital exhausted');
    });
    expect(chart.caption).toContain('is drawn at the top of the chart (40×), as some are here');
    const leverage = indicators({ scenario: s, projection: p, monteCarlo: mc, breakEven: null }).find((i) => i.id === 'leverage')!;
    expect(leverage.sentence).toContain('More than one simulated path in twenty ends with its capital exhausted');
  });
});
