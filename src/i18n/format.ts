/** Numbers for people: thousands separators, the scenario's currency, percentages. */

export interface Formatter {
  readonly currency: string;
  /** Full amount, no decimals: "€50,605,033". */
  money(x: number | null | undefined): string;
  /** Short amount for headlines: "€50.6M". */
  moneyShort(x: number | null | undefined): string;
  /** A fraction as a percentage: 0.0145 → "1.45 %". */
  percent(x: number | null | undefined, digits?: number): string;
  count(x: number | null | undefined): string;
  multiple(x: number | null | undefined): string;
}

const DASH = '—';
const cache = new Map<string, Formatter>();

function currencyFormat(locale: string, currency: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  // No currency (amounts in several currencies side by side): plain numbers.
  if (currency === '') return new Intl.NumberFormat(locale, options);
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, ...options });
  } catch {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', ...options });
  }
}

/**
 * Numbers for one currency in one locale (an Intl tag: "en-US", "es", "zh-CN"): the locale's
 * grouping and decimal marks, and its compact wording for large amounts (万/亿 in Chinese).
 */
export function formatter(currency: string, locale = 'en-US'): Formatter {
  const key = `${locale}|${currency}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const full = currencyFormat(locale, currency, { maximumFractionDigits: 0, minimumFractionDigits: 0 });
  const short = currencyFormat(locale, currency, { notation: 'compact', maximumSignificantDigits: 3 });
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const ok = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);
  const f: Formatter = {
    currency,
    money: (x) => (ok(x) ? full.format(Math.abs(x) < 0.5 ? 0 : x) : DASH),
    moneyShort: (x) => (ok(x) ? short.format(x) : DASH),
    percent: (x, digits = 2) => (ok(x) ? `${(x * 100).toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 })} %` : DASH),
    count: (x) => (ok(x) ? count.format(Math.round(x)) : DASH),
    multiple: (x) => (ok(x) ? `${x.toLocaleString(locale, { maximumFractionDigits: 1 })}×` : DASH),
  };
  cache.set(key, f);
  return f;
}

/** What a negative cost means, wherever one is shown. */
export const NEGATIVE_COST_NOTE = 'A negative cost is a gain, not an error: more money comes back to the public than it put in (fees and investment income exceed claims and costs); the cash cost at the horizon leaves out the guarantees still outstanding and the cost of the capital.';

/** A cost as money, a negative one marked as a gain: "−$111 (a gain)". */
export function costMoney(f: Formatter, x: number | null | undefined): string {
  const text = f.money(x);
  return typeof x === 'number' && Number.isFinite(x) && x <= -0.5 ? `${text} (a gain)` : text;
}

const marksCache = new Map<string, { decimal: string; group: string }>();

/** The marks a locale writes numbers with: decimal "," and group "." in Spanish. */
export function numberMarks(locale = 'en-US'): { decimal: string; group: string } {
  const hit = marksCache.get(locale);
  if (hit) return hit;
  let parts: Intl.NumberFormatPart[];
  try {
    parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(1234567.5);
  } catch {
    parts = new Intl.NumberFormat('en-US').formatToParts(1234567.5);
  }
  const marks = {
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
  };
  marksCache.set(locale, marks);
  return marks;
}

/** A plain number in a locale's format, up to `digits` decimals: 1500.5 → "1.500,5" in Spanish. */
export function plainNumber(x: number, locale = 'en-US', digits = 6): string {
  return x.toLocaleString(locale, { maximumFractionDigits: digits });
}

/** A currency's name in a language ("euro"), or its code when the language has none. */
export function currencyName(code: string, locale = 'en-US'): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'currency' }).of(code) ?? code;
  } catch {
    return code;
  }
}
