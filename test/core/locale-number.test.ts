import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENGLISH_MARKS, parseLocaleNumber, type NumberMarks } from '../../src/core/locale-number.ts';
import { numberMarks } from '../../src/i18n/format.ts';

const ES: NumberMarks = { decimal: ',', group: '.' };
const FR: NumberMarks = { decimal: ',', group: '\u202f' };
const value = (text: string, marks: NumberMarks) => {
  const r = parseLocaleNumber(text, marks);
  return r.ok ? r.value : r.problem;
};

describe('numbers typed the locale’s way', () => {
  it.each([
    ['250.000.000', ES, 250_000_000],
    ['1,5', ES, 1.5],
    ['1.234,56', ES, 1234.56],
    ['1 234,5', ES, 1234.5],
    ['1\u00a0234,5', ES, 1234.5],
    ['1\u202f234,5', ES, 1234.5],
    ['1.500', ES, 1500],
    ['-1.234,5', ES, -1234.5],
    ['−2,5', ES, -2.5],
    [',5', ES, 0.5],
    ['1500', ES, 1500],
    ['250,000,000', ENGLISH_MARKS, 250_000_000],
    ['1.5', ENGLISH_MARKS, 1.5],
    ['1,234.56', ENGLISH_MARKS, 1234.56],
    ['1 000 000', ENGLISH_MARKS, 1_000_000],
    ['1_500.50', ENGLISH_MARKS, 1500.5],
    ['.5', ENGLISH_MARKS, 0.5],
    ['1e6', ENGLISH_MARKS, 1_000_000],
    ['2,5e3', ES, 2500],
    ['1 234,5', FR, 1234.5],
    ['1.234.567', FR, 1_234_567],
  ] as const)('%s reads as %s', (text, marks, expected) => {
    expect(value(text, marks)).toBe(expected);
  });

  it('takes a trailing % with or without a space', () => {
    expect(parseLocaleNumber('1,5 %', ES)).toEqual({ ok: true, value: 1.5, percent: true });
    expect(parseLocaleNumber('1,5%', ES)).toEqual({ ok: true, value: 1.5, percent: true });
    expect(parseLocaleNumber('1,5\u00a0%', ES)).toEqual({ ok: true, value: 1.5, percent: true });
    expect(parseLocaleNumber('12.5 %', ENGLISH_MARKS)).toEqual({ ok: true, value: 12.5, percent: true });
  });

  it('names both readings of a number that could mean two', () => {
    expect(value('1.5', ES)).toEqual({ kind: 'ambiguous', readings: [1.5, 15] });
    expect(value('0.500', ES)).toEqual({ kind: 'ambiguous', readings: [0.5, 500] });
    expect(value('1,5', ENGLISH_MARKS)).toEqual({ kind: 'ambiguous', readings: [1.5, 15] });
    expect(value('1,00', ENGLISH_MARKS)).toEqual({ kind: 'ambiguous', readings: [1, 100] });
    // A point where the locale groups with spaces: a decimal point, or a thousands point.
    expect(value('1.500', FR)).toEqual({ kind: 'ambiguous', readings: [1.5, 1500] });
  });

  it('refuses marks in the wrong order, bad groups and other text, saying why', () => {
    expect(value('1,234.56', ES)).toEqual({ kind: 'invalid', reason: 'order' });
    expect(value('1.234,56', ENGLISH_MARKS)).toEqual({ kind: 'invalid', reason: 'order' });
    expect(value('1.50.000', ES)).toEqual({ kind: 'invalid', reason: 'grouping' });
    expect(value('1,000,00', ENGLISH_MARKS)).toEqual({ kind: 'invalid', reason: 'grouping' });
    expect(value('1,2,3', ES)).toEqual({ kind: 'invalid', reason: 'decimals' });
    for (const text of ['lots', '12abc', '0x10', 'Infinity', 'NaN', '1-2', '--1', '.', ',']) {
      expect(parseLocaleNumber(text, ES).ok, text).toBe(false);
      expect(parseLocaleNumber(text, ENGLISH_MARKS).ok, text).toBe(false);
    }
    expect(value('   ', ES)).toEqual({ kind: 'empty' });
    expect(value('1e999', ENGLISH_MARKS)).toEqual({ kind: 'invalid', reason: 'range' });
  });

  it('reads the marks of each language from Intl', () => {
    expect(numberMarks('en-US')).toEqual({ decimal: '.', group: ',' });
    expect(numberMarks('es')).toEqual({ decimal: ',', group: '.' });
    expect(numberMarks('vi-VN')).toEqual({ decimal: ',', group: '.' });
  });
});

const LOCALES = ['en-US', 'es', 'vi-VN', 'id-ID', 'th-TH', 'zh-CN'] as const;

describe('what Intl writes reads back', () => {
  it.each(LOCALES)('%s: a number formatted with Intl parses back to itself', (locale) => {
    const marks = numberMarks(locale);
    const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 3 }), (n, k) => {
        const x = n / 10 ** k;
        const r = parseLocaleNumber(format.format(x), marks);
        expect(r).toEqual({ ok: true, value: x, percent: false });
      }),
      { numRuns: 300 },
    );
  });

  it.each(LOCALES)('%s: a percentage formatted with Intl parses back', (locale) => {
    const marks = numberMarks(locale);
    const format = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 });
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), (n) => {
        const r = parseLocaleNumber(format.format(n / 10_000), marks);
        expect(r).toEqual({ ok: true, value: n / 100, percent: true });
      }),
      { numRuns: 200 },
    );
  });

  it('never answers NaN or an infinite number', () => {
    const typed = fc.stringMatching(/^[-+−]?[0-9.,  _%eE]{0,14}$/);
    for (const marks of [ENGLISH_MARKS, ES, FR]) {
      fc.assert(
        fc.property(fc.oneof(typed, fc.string()), (text) => {
          const r = parseLocaleNumber(text, marks);
          if (r.ok) expect(Number.isFinite(r.value)).toBe(true);
          else if (r.problem.kind === 'ambiguous') expect(r.problem.readings.every(Number.isFinite)).toBe(true);
        }),
        { numRuns: 2000 },
      );
    }
  });
});
