/**
 * A number as a person types it in their language's format: "250.000.000" and "1,5" in Spanish,
 * "250,000,000" and "1.5" in English, "1 234,5" with a space (plain, no-break or narrow no-break)
 * grouping the thousands anywhere. The caller reads the locale's marks (from Intl) and passes
 * them in; nothing here depends on the language of the page.
 *
 * The rules, in order:
 *   1. Blank text is `empty`. A trailing "%" (with or without a space) is taken off and noted.
 *   2. A leading sign ("-", "+" or the minus sign "−") is kept; then only digits, ".", ",",
 *      spaces and "_" may appear. Plain digits with an exponent ("1e6", "2.5e-3" with the
 *      locale's decimal mark) are read as such.
 *   3. Spaces and "_" always group thousands; they are never a decimal mark.
 *   4. The locale's decimal mark, once, splits the whole part from the fraction; the whole part
 *      may be grouped with the locale's group mark or spaces, in valid groups: a first group of
 *      1 to 3 digits not starting with 0, then groups of exactly 3 digits.
 *   5. The locale's group mark alone ("1.500" in Spanish, "1,500" in English) in valid groups
 *      is grouping: the locale's 1500. It is never doubted, because that is how the locale
 *      writes the number.
 *   6. The other mark alone once, not in valid groups ("1.5" in Spanish, "1,5" in English), is
 *      `ambiguous`: a decimal mark in the other convention (1.5), or a slip in a number without
 *      it (15). Both readings are returned so the message can name them.
 *   7. A mark from outside the locale's pair ("." where the group is a space and the decimal a
 *      comma) in valid groups several times is grouping; once in valid groups ("1.500") it is
 *      `ambiguous` between 1.5 and 1500.
 *   8. Both marks: valid only as the locale writes them, groups first and the decimal mark last
 *      ("1.234,56" in Spanish). The other order ("1,234.56" in Spanish) is `invalid` with the
 *      reason `order`, never read as a guess.
 * Every value returned is a finite number; anything else is refused with a reason.
 */

/** The marks a locale writes numbers with, as Intl reports them. */
export interface NumberMarks {
  /** "." in English, "," in Spanish. */
  readonly decimal: string;
  /** "," in English, "." in Spanish, a no-break space in French. */
  readonly group: string;
}

export const ENGLISH_MARKS: NumberMarks = { decimal: '.', group: ',' };

export type NumberProblem =
  | { readonly kind: 'empty' }
  | { readonly kind: 'invalid'; readonly reason: 'characters' | 'grouping' | 'order' | 'decimals' | 'range' }
  | { readonly kind: 'ambiguous'; readonly readings: readonly [number, number] };

export type LocaleNumber =
  | { readonly ok: true; readonly value: number; readonly percent: boolean }
  | { readonly ok: false; readonly problem: NumberProblem; readonly percent: boolean };

const SPACES = /[\s\u00a0\u202f\u2009\u2007]/;
const SPACES_G = /[\s\u00a0\u202f\u2009\u2007]/g;
const isSpace = (mark: string) => SPACES.test(mark) || mark === '';

const fail = (problem: NumberProblem, percent: boolean): LocaleNumber => ({ ok: false, problem, percent });

/** Digits grouped as a locale groups them: 1 to 3 digits (not starting with 0), then groups of 3. */
function validGroups(groups: readonly string[]): boolean {
  if (groups.length < 2) return false;
  const [first = '', ...rest] = groups;
  return /^[1-9]\d{0,2}$/.test(first) && rest.every((g) => /^\d{3}$/.test(g));
}

/** A whole part that may be grouped with spaces or "_" only: "1 234", "1_500", "250". */
function spacedWhole(s: string): string | null {
  if (s === '') return '';
  const groups = s.split(/[ _]/);
  if (groups.length === 1) return /^\d+$/.test(s) ? s : null;
  return validGroups(groups) ? groups.join('') : null;
}

function toNumber(sign: string, whole: string, fraction: string): number | null {
  const text = `${sign}${whole === '' ? '0' : whole}${fraction === '' ? '' : `.${fraction}`}`;
  const x = Number(text);
  return Number.isFinite(x) ? x : null;
}

/** Reads typed text with the locale's marks; see the rules above. */
export function parseLocaleNumber(text: string, marks: NumberMarks = ENGLISH_MARKS): LocaleNumber {
  let s = text.trim();
  let percent = false;
  if (s.endsWith('%')) {
    percent = true;
    s = s.slice(0, -1).trim();
    s = s.replace(/[\s\u00a0\u202f]+$/, '');
  }
  if (s === '') return fail({ kind: 'empty' }, percent);
  let sign = '';
  if (/^[-+−]/.test(s)) {
    sign = s[0] === '+' ? '' : '-';
    s = s.slice(1).trim();
  }
  // One kind of space from here on.
  s = s.replace(SPACES_G, ' ');
  if (!/^[\d., _eE+-]+$/.test(s) || !/\d/.test(s)) return fail({ kind: 'invalid', reason: 'characters' }, percent);

  const decimal = marks.decimal;
  const group = isSpace(marks.group) ? ' ' : marks.group;

  // Exponent notation: plain digits and at most the locale's decimal mark.
  const exp = /^(\d*)(?:[.,](\d*))?[eE]([+-]?\d{1,3})$/.exec(s);
  if (exp) {
    const used = s.match(/[.,]/)?.[0];
    if (used !== undefined && used !== decimal) return fail({ kind: 'invalid', reason: 'characters' }, percent);
    if ((exp[1] ?? '') === '' && (exp[2] ?? '') === '') return fail({ kind: 'invalid', reason: 'characters' }, percent);
    const x = Number(`${sign}${exp[1] || '0'}.${exp[2] || '0'}e${exp[3]}`);
    return Number.isFinite(x) ? { ok: true, value: x, percent } : fail({ kind: 'invalid', reason: 'range' }, percent);
  }
  if (/[eE+-]/.test(s)) return fail({ kind: 'invalid', reason: 'characters' }, percent);
  if (/^[ _]|[ _]$|[ _]{2}/.test(s)) return fail({ kind: 'invalid', reason: 'grouping' }, percent);

  const done = (whole: string | null, fraction: string): LocaleNumber => {
    if (whole === null) return fail({ kind: 'invalid', reason: 'grouping' }, percent);
    if (!/^\d*$/.test(fraction)) return fail({ kind: 'invalid', reason: 'decimals' }, percent);
    if (whole === '' && fraction === '') return fail({ kind: 'invalid', reason: 'characters' }, percent);
    const x = toNumber(sign, whole, fraction);
    return x === null ? fail({ kind: 'invalid', reason: 'range' }, percent) : { ok: true, value: x, percent };
  };

  const dots = (s.match(/\./g) ?? []).length;
  const commas = (s.match(/,/g) ?? []).length;

  // Rule 3 and plain digits: no "." or ",".
  if (dots === 0 && commas === 0) return done(spacedWhole(s), '');

  // Rule 8: both marks.
  if (dots > 0 && commas > 0) {
    const last = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
    const lastMark = s[last]!;
    if (lastMark !== decimal || group === ' ' || group === decimal) return fail({ kind: 'invalid', reason: 'order' }, percent);
    const head = s.slice(0, last);
    const fraction = s.slice(last + 1);
    if (head.includes(decimal)) return fail({ kind: 'invalid', reason: 'order' }, percent);
    const groups = head.split(new RegExp(`[ _${escapeMark(group)}]`));
    if (!validGroups(groups)) return fail({ kind: 'invalid', reason: 'grouping' }, percent);
    return done(groups.join(''), fraction);
  }

  const mark = dots > 0 ? '.' : ',';
  const times = dots + commas;
  const parts = s.split(mark);

  // Rule 4: the locale's decimal mark.
  if (mark === decimal) {
    if (times > 1) return fail({ kind: 'invalid', reason: 'decimals' }, percent);
    const [whole = '', fraction = ''] = parts;
    if (fraction.includes(' ') || fraction.includes('_')) return fail({ kind: 'invalid', reason: 'decimals' }, percent);
    return done(spacedWhole(whole), fraction);
  }

  // The whole number with this mark (and any spaces) grouping it.
  const groups = s.split(new RegExp(`[ _${escapeMark(mark)}]`));
  const grouped = validGroups(groups);

  // Rule 5: the locale's group mark.
  if (mark === group) {
    if (grouped) return done(groups.join(''), '');
    if (times > 1) return fail({ kind: 'invalid', reason: 'grouping' }, percent);
  } else if (grouped && times > 1) {
    // Rule 7: a foreign mark used several times can only group.
    return done(groups.join(''), '');
  } else if (times > 1) {
    return fail({ kind: 'invalid', reason: 'grouping' }, percent);
  }

  // Rules 6 and 7: once, in a place where it could be a decimal mark or not.
  const [before = '', after = ''] = parts;
  if (after.includes(' ') || after.includes('_')) return fail({ kind: 'invalid', reason: 'grouping' }, percent);
  const whole = spacedWhole(before);
  if (whole === null || !/^\d*$/.test(after) || (whole === '' && after === '')) return fail({ kind: 'invalid', reason: 'grouping' }, percent);
  const asDecimal = toNumber(sign, whole, after);
  const asOther = grouped ? toNumber(sign, `${whole}${after}`, '') : after === '' ? null : toNumber(sign, `${whole}${after}`, '');
  if (asDecimal === null) return fail({ kind: 'invalid', reason: 'range' }, percent);
  if (asOther === null || asOther === asDecimal) return { ok: true, value: asDecimal, percent };
  return fail({ kind: 'ambiguous', readings: [asDecimal, asOther] }, percent);
}

function escapeMark(mark: string): string {
  return mark.replace(/[\\\]^-]/g, '\\$&');
}
