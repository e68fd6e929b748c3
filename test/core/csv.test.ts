import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cents, csvCell, ledgerTable, toCsv } from '../../src/core/report.ts';
import { project } from '../../src/core/projection.ts';
import { scenario, twoPeriodInput } from '../support/scenarios.ts';

describe('the one CSV writer', () => {
  it('writes numbers without binary noise and amounts to the cent', () => {
    expect(csvCell(0.1 + 0.2)).toBe('0.3');
    expect(csvCell(414.90000000000003)).toBe('414.9');
    expect(csvCell(cents(414.90000000000003))).toBe('414.9');
    expect(csvCell(cents(1234.5678))).toBe('1234.57');
    expect(csvCell(cents(-0.005 - 1e-9))).toBe('-0.01');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('guards text that a spreadsheet would run as a formula, and leaves signed numbers as numbers', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1+2')).toBe("'+1+2");
    expect(csvCell('-A1')).toBe("'-A1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('-1234.50')).toBe('-1234.50');
    expect(csvCell('+3')).toBe('+3');
    expect(csvCell('1e-7')).toBe('1e-7');
    expect(csvCell('Founding, growth')).toBe('"Founding, growth"');
    expect(csvCell('a\nb')).toBe('"a\nb"');
  });

  it('quotes as RFC 4180 and ends every line with CRLF', () => {
    expect(toCsv({ columns: ['a', 'b'], rows: [['x,y', 1.5], [null, 'say "hi"']] })).toBe('a,b\r\n"x,y",1.5\r\n,"say ""hi"""\r\n');
  });

  it('no cell of any string or number is left a formula, and parsing the quoting back gives the text', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const cell = csvCell(s);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
      expect(/^[=+\-@\t\r]/.test(unquoted) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(unquoted)).toBe(false);
      expect(unquoted === s || unquoted === `'${s}`).toBe(true);
    }));
  });

  it('the ledger: every amount to the cent, and each row balances', () => {
    const table = ledgerTable(project(scenario(twoPeriodInput())));
    const csv = toCsv(table).trim().split('\r\n').map((l) => l.split(','));
    const col = (name: string) => csv[0]!.indexOf(name);
    for (const row of csv.slice(1)) {
      for (const name of ['opening_capital', 'annual_fees', 'claims_paid', 'closing_capital']) expect(row[col(name)]).toMatch(/^-?\d+\.\d\d$/);
      const cell = (name: string) => Math.round(Number(row[col(name)]) * 100);
      const inflow = ['capital_injection', 'capital_calls', 'state_compensation', 'upfront_fees', 'annual_fees', 'investment_income', 'recoveries', 'reinsurance_recoveries'].reduce((a, k) => a + cell(k), 0);
      const outflow = ['claims_paid', 'operating_costs', 'reinsurance_premiums', 'recoveries_passed_to_reinsurer'].reduce((a, k) => a + cell(k), 0);
      // Each amount is rounded on its own, so the sum may be off by a cent per term.
      expect(Math.abs(cell('opening_capital') + inflow - outflow - cell('closing_capital'))).toBeLessThanOrEqual(13);
    }
  });
});
