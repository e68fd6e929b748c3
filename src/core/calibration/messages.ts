/**
 * The calibration's sentences for people, as messages. The estimators, the row checks and the
 * backtest write their warnings, problems and verdicts in English (the stored report, the CSV
 * and JSON downloads and the scenario's assumptions keep that English); each English sentence
 * follows one of the messages below, so a page shows it in its reader's language by reading
 * the values back out of the English and handing the message and its values to a `Translate`.
 * Pure: no I/O, no i18n runtime.
 */
import { msg, type MessageValues, type Translate } from '../../i18n/translate.ts';

interface Pattern {
  readonly key: string;
  readonly re: RegExp;
  readonly names: readonly string[];
  /** Values that are numbers (for plurals), read from their English form. */
  readonly numbers?: readonly string[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The English sentence a message writes, as a pattern: each {name} any text. */
function pattern(key: string): Pattern {
  const names: string[] = [];
  const re = key.split(/(\{\w+\})/).map((part) => {
    const m = /^\{(\w+)\}$/.exec(part);
    if (!m) return escapeRegExp(part);
    names.push(m[1]!);
    return '(.+?)';
  }).join('');
  return { key, re: new RegExp(`^${re}$`, 's'), names };
}

/** A message with a plural, and the English it writes (its count the first group). */
const plural = (key: string, re: RegExp, names: readonly string[], numbers: readonly string[]): Pattern => ({ key, re, names, numbers });

/** Row checks, the column mapping, the file. */
const ROW_MESSAGES = [
  msg('{field}: “{value}” is not a date (write YYYY-MM-DD or DD/MM/YYYY)'),
  msg('{field}: is required'),
  msg('{field}: {date} is after the data’s end date {end}'),
  msg('{field}: “{value}” is not a number'),
  msg('{field}: must be more than 0 (found {value})'),
  msg('{field}: must be at least {min} (found {value})'),
  msg('{field}: must be at most {max} (found {value})'),
  msg('{field}: “{value}” is not bullet, linear or annuity'),
  msg('{field}: “{value}” is not one of {stages}'),
  msg('{field}: {date} is after the origination date'),
  msg('Lifecycle stage: the row has no stage, firm age or founding date'),
  msg('{field}: {date} is before the origination date {origination}'),
  msg('{field}: is required for a defaulted loan'),
  msg('{field}: a loan that defaulted cannot also have been repaid early: leave one of the two dates empty'),
  msg('{field}: {date} is before the default date {defaultDate}'),
  msg('{field}: is required when something was recovered'),
  msg('{field}: {amount} is more than 1.5 times the amount outstanding at default ({outstanding})'),
  msg('{field}: is given for a loan with no default date'),
  msg('Loan id: “{id}” appears on an earlier line; every loan must have its own id'),
  msg('{field}: the file has no column “{column}”.'),
  msg('{field}: is required; choose the column that holds it.'),
  msg('Lifecycle stage: choose the column of the stage, of the firm’s age or of its founding date.'),
  msg('{field}: column “{column}” is already used for {other}.'),
];

/** The estimates' warnings and notes, the values left at the base scenario, the backtest. */
const REPORT_MESSAGES = [
  msg('The tape has no collateral values: the collateral levels and the LGD before collateral are left at the base scenario’s values.'),
  msg('The data cover no full calendar year: no default-rate series, correlation or backtest.'),
  msg('Portfolio: {warning}'),
  msg('Only {years} years of default rates: the asset correlation is weakly identified (its interval is wide); {advised} or more years are advisable.'),
  msg('Only {defaults} defaults: the asset correlation needs at least {needed}.'),
  msg('No loans of this stage.'),
  msg('{defaults} defaults in {loanYears} loan-years'),
  msg('too little data: {defaults} defaults in {loanYears} loan-years (needs {minDefaults} and {minLoanYears})'),
  msg('too little data: {count} resolved defaults without collateral (needs {min})'),
  msg('{exits} loans repaid early in {loanYears} loan-years'),
  msg('no stage at the end in the data'),
  msg('{count} of {known} loans moved here'),
  msg('no resolved defaults'),
  msg('no dated recoveries'),
  msg('{path}: {why}; left at the base scenario’s value.'),
  msg('no loans of this stage in the tape'),
  msg('{count} grades, more than the 10 a stage may have'),
  msg('grade {grade} {note}'),
  msg('no collateral values in the tape'),
  msg('too few years of default rates'),
  msg('too little data ({count} loan-years)'),
  msg('too little data ({count} resolved defaults)'),
  msg('too little data ({count} dated recoveries)'),
  msg('Observed defaults of the whole portfolio lie inside the {band} % band in every year ({years} of {years}); by stage and year together {inside} of {points} points ({share} %, against {band} % expected if the model is right).'),
  msg('Observed claims arising of the whole portfolio lie inside the {band} % band in every year ({years} of {years}); by stage and year together {inside} of {points} points ({share} %, against {band} % expected if the model is right).'),
  msg('Observed recoveries of the whole portfolio lie inside the {band} % band in every year ({years} of {years}); by stage and year together {inside} of {points} points ({share} %, against {band} % expected if the model is right).'),
  msg('Observed defaults of the whole portfolio lie inside the {band} % band in {yearsInside} of {years} years, outside in {outside}; by stage and year together {inside} of {points} points ({share} %, against {band} % expected if the model is right).'),
  msg('Observed claims arising of the whole portfolio lie inside the {band} % band in {yearsInside} of {years} years, outside in {outside}; by stage and year together {inside} of {points} points ({share} %, against {band} % expected if the model is right).'),
  msg('Observed recoveries of the whole portfolio lie inside the {band} % band in {yearsInside} of {years} years, outside in {outside}; by stage and year together {inside} of {points} points ({share} %, against {band} % expected if the model is right).'),
  msg('{paths} Monte Carlo paths (seed {seed}); the band holds the central {band} % of them, from the {low}th to the {high}th percentile.'),
  msg('Years {first}–{last}: from the first origination to the last full year of data. Loans made later are left out.'),
  msg('Loans per year and stage as in the tape, each of the scenario’s loan size ({sizes}) and the stage’s mean tenor, in the stage’s mix of repayment types (bullet, linear, annuity).'),
  msg('PDs of the scenario’s risk grades as stated, without the lenders’ selection and moral hazard a future book would have; the tape’s coverage and each stage’s measured recovery rate; no stage moves other than exits.'),
  msg('The data cover no full calendar year: there is nothing to backtest.'),
  msg('The backtest scenario is not valid: {issues}'),
  msg('The tape has no loans.'),
];

const PATTERNS: readonly Pattern[] = [
  ...[...ROW_MESSAGES, ...REPORT_MESSAGES].map(pattern),
  plural(msg('Only {years, plural, one {# full year} other {# full years}} of default rates: the asset correlation needs at least {needed} and is not estimated.'),
    /^Only (\d+) full years? of default rates: the asset correlation needs at least (.+?) and is not estimated\.$/s, ['years', 'needed'], ['years']),
];

/** The lifecycle stages as the tapes write them (codes) and as people read them. */
const STAGE_WORDS: Readonly<Record<string, string>> = { founding: msg('founding'), growth: msg('growth'), maturity: msg('maturity'), transformation: msg('transformation') };

/** Values that are themselves sentences or labels: shown in the reader's language too. */
const NESTED = new Set(['why', 'warning', 'note', 'field', 'other']);

/** Values that are counts or amounts (not years, dates or ids): written again in the reader's locale. */
const AMOUNTS = new Set(['paths', 'defaults', 'loanYears', 'minDefaults', 'minLoanYears', 'count', 'min', 'max', 'exits', 'known', 'inside', 'points', 'share', 'band',
  'needed', 'advised', 'years', 'yearsInside', 'amount', 'outstanding', 'value', 'cells', 'headers']);
const ENGLISH_NUMBER = /^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$/;

/** An English number ("1,000", "-5", "0.25") in a locale; anything else as it is. */
function localNumber(raw: string, locale: string): string {
  if (!ENGLISH_NUMBER.test(raw)) return raw;
  const x = Number(raw.replace(/,/g, ''));
  const decimals = raw.includes('.') ? raw.length - raw.indexOf('.') - 1 : 0;
  // Grouped only where the English grouped it: "12345" stays "12345", "1,000" becomes "1.000" in Spanish.
  return Number.isFinite(x) ? x.toLocaleString(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: raw.includes(',') }) : raw;
}

/**
 * An English sentence of the calibration in the reader's language: the message it follows with
 * its values, else the sentence through `t` as it is (a label or a message without values).
 * `extra` adds the messages of the pages' own sentences (the file reader's, the server's).
 */
export function localizeCalibrationText(text: string, t: Translate, extra: readonly string[] = [], locale = 'en-US'): string {
  for (const p of [...PATTERNS, ...extra.map(pattern)]) {
    const m = p.re.exec(text);
    if (!m) continue;
    const values: MessageValues = {};
    p.names.forEach((name, i) => {
      const raw = m[i + 1] ?? '';
      if (p.numbers?.includes(name)) values[name] = Number(raw.replace(/,/g, ''));
      else if (name === 'why' && raw.startsWith('grade ')) values[name] = raw.split(/, (?=grade )/).map((part) => localizeCalibrationText(part, t, extra, locale)).join(', ');
      else if (name === 'sizes') {
        values[name] = raw.split(', ').map((part) => {
          const m2 = /^(founding|growth|maturity|transformation) (.+)$/.exec(part);
          return m2 ? `${t(STAGE_WORDS[m2[1]!]!)} ${localNumber(m2[2]!, locale)}` : part;
        }).join(', ');
      } else if (NESTED.has(name)) values[name] = localizeCalibrationText(raw, t, extra, locale);
      else if (AMOUNTS.has(name)) values[name] = localNumber(raw, locale);
      else if (!(name in values)) values[name] = raw;
    });
    return t(p.key, values);
  }
  return t(text);
}
