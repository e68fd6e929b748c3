/**
 * The form kit both the scenario editor and the policy forms are built on: the view model of a
 * field and the reading of a posted value, for a money field, a percent field and a select, in
 * English and in Spanish (whose numbers group with "." and start decimals with ",").
 */
import { describe, expect, it } from 'vitest';
import { english, languages } from '../../src/i18n/index.ts';
import { numberMarks } from '../../src/i18n/format.ts';
import type { Localizer } from '../../src/i18n/translate.ts';
import {
  checkboxView, fieldView, formatForInput, parseFormNumber, readValue, type FieldSpec, type ReadNumber, type SchemaInfo,
} from '../../src/server/forms/kit.ts';

const EN: Localizer = { lang: 'en', locale: 'en-US', t: english };
const ES: Localizer = { lang: 'es', locale: 'es', t: languages().translator('es') };
const readSpanish: ReadNumber = (raw, unit) => parseFormNumber(raw, unit, numberMarks('es'));

const MONEY: FieldSpec = { path: 'fund.initialCapital', label: 'Initial capital', kind: 'number', unit: 'money' };
const MONEY_INFO: SchemaInfo = { minimum: 0, required: true };
const PERCENT: FieldSpec = { path: 'guarantee.coverageRatio', label: 'Coverage ratio', kind: 'number', unit: 'percent', blankIsNull: true };
const PERCENT_INFO: SchemaInfo = { minimum: 0, maximum: 1, required: false };
const SELECT: FieldSpec = { path: 'period', label: 'Period', kind: 'select', options: [{ value: 'annual', label: 'Annual' }, { value: 'quarterly', label: 'Quarterly' }] };

const view = (spec: FieldSpec, info: SchemaInfo, value: string, l: Localizer, errors: string[] = []) =>
  fieldView({ name: spec.path, id: `f-${spec.path.replace(/\./g, '-')}`, spec, info, values: { [spec.path]: value }, errors: errors.length ? { [spec.path]: errors } : {}, currency: 'EUR', l });

describe('a money field', () => {
  it('shows its value, unit and bounds in English', () => {
    expect(formatForInput(10_000_000, 'money')).toBe('10,000,000');
    const v = view(MONEY, MONEY_INFO, '10,000,000', EN);
    expect(v).toMatchObject({
      id: 'f-fund-initialCapital', name: 'fund.initialCapital', label: 'Initial capital', value: '10,000,000', unit: 'EUR',
      isSelect: false, isTextarea: false, inputmode: 'decimal', help: '', facts: 'Allowed: 0 or more.', hasHelp: true,
      errors: [], describedBy: 'f-fund-initialCapital-help', wide: false, term: null, termText: '', shareField: false,
    });
  });

  it('shows them in Spanish, with the error first among what describes it', () => {
    expect(formatForInput(10_000_000.5, 'money', 'es')).toBe('10.000.000,5');
    const v = view(MONEY, MONEY_INFO, '10.000.000,5', ES, ['Debe ser un número']);
    expect(v).toMatchObject({
      label: 'Patrimonio inicial', value: '10.000.000,5', unit: 'EUR', facts: 'Permitido: 0 o más.',
      errors: ['Debe ser un número'], describedBy: 'f-fund-initialCapital-error f-fund-initialCapital-help',
    });
  });

  it('reads a posted amount in either language', () => {
    expect(readValue(MONEY, '10,000,000')).toBe(10_000_000);
    expect(readValue(MONEY, ' 1,500.5 ')).toBe(1500.5);
    expect(readValue(MONEY, '10.000.000', readSpanish)).toBe(10_000_000);
    expect(readValue(MONEY, '1.500,5', readSpanish)).toBe(1500.5);
    // Blank leaves the key out; what is not a number is kept for the schema to refuse.
    expect(readValue(MONEY, '  ')).toBeUndefined();
    expect(readValue(MONEY, 'ten')).toBe('ten');
  });
});

describe('a percent field', () => {
  it('shows a fraction as a percentage, with bounds in percent', () => {
    expect(formatForInput(0.8, 'percent')).toBe('80');
    expect(view(PERCENT, PERCENT_INFO, '80', EN)).toMatchObject({ value: '80', unit: '%', inputmode: 'decimal', facts: 'Allowed: 0 % to 100 %.' });
    expect(formatForInput(0.125, 'percent', 'es')).toBe('12,5');
    expect(view(PERCENT, PERCENT_INFO, '12,5', ES)).toMatchObject({ label: 'Cobertura', value: '12,5', unit: '%', facts: 'Permitido: de 0 % a 100 %.' });
  });

  it('reads a percentage back as a fraction; blank is none', () => {
    expect(readValue(PERCENT, '80')).toBe(0.8);
    expect(readValue(PERCENT, '12.5 %')).toBe(0.125);
    expect(readValue(PERCENT, '12,5', readSpanish)).toBe(0.125);
    expect(readValue(PERCENT, '12,5 %', readSpanish)).toBe(0.125);
    expect(readValue(PERCENT, '')).toBeNull();
  });
});

describe('a select', () => {
  it('shows its options in the page’s language, the value selected', () => {
    const en = view(SELECT, { required: false }, 'quarterly', EN);
    expect(en).toMatchObject({ isSelect: true, inputmode: 'text', unit: '', facts: '', hasHelp: false, describedBy: '' });
    expect(en.options).toEqual([{ value: 'annual', label: 'Annual', selected: false }, { value: 'quarterly', label: 'Quarterly', selected: true }]);
    const es = view(SELECT, { required: false }, 'annual', ES);
    expect(es.label).toBe('Período');
    expect(es.options).toEqual([{ value: 'annual', label: 'Anual', selected: true }, { value: 'quarterly', label: 'Trimestral', selected: false }]);
  });

  it('reads the chosen value; blank is kept unless the field is optional', () => {
    expect(readValue(SELECT, 'quarterly')).toBe('quarterly');
    expect(readValue(SELECT, '')).toBe('');
    expect(readValue({ ...SELECT, optional: true }, '')).toBeUndefined();
    const yesNo: FieldSpec = { path: 'x', label: 'X', kind: 'select', options: [{ value: 'false', label: 'No' }, { value: 'true', label: 'Yes' }] };
    expect(readValue(yesNo, 'true')).toBe(true);
    expect(readValue(yesNo, 'false')).toBe(false);
  });
});

describe('a checkbox', () => {
  it('is checked when "on" came last, and reads as a boolean', () => {
    const spec: FieldSpec = { path: 'microfinance.enabled', label: 'Include the microfinance institution', kind: 'checkbox' };
    expect(checkboxView('b', spec, { 'microfinance.enabled': 'on' }, ES.t)).toEqual({
      id: 'b-microfinance-enabled', name: 'microfinance.enabled', label: ES.t('Include the microfinance institution'), checked: true, help: '',
    });
    expect(readValue(spec, 'on')).toBe(true);
    expect(readValue(spec, 'off')).toBe(false);
  });
});
