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

function currencyFormat(currency: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  // No currency (amounts in several currencies side by side): plain numbers.
  if (currency === '') return new Intl.NumberFormat('en-US', options);
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, ...options });
  } catch {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', ...options });
  }
}

export function formatter(currency: string): Formatter {
  const hit = cache.get(currency);
  if (hit) return hit;
  const full = currencyFormat(currency, { maximumFractionDigits: 0, minimumFractionDigits: 0 });
  const short = currencyFormat(currency, { notation: 'compact', maximumSignificantDigits: 3 });
  const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const ok = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);
  const f: Formatter = {
    currency,
    money: (x) => (ok(x) ? full.format(Math.abs(x) < 0.5 ? 0 : x) : DASH),
    moneyShort: (x) => (ok(x) ? short.format(x) : DASH),
    percent: (x, digits = 2) => (ok(x) ? `${(x * 100).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} %` : DASH),
    count: (x) => (ok(x) ? count.format(Math.round(x)) : DASH),
    multiple: (x) => (ok(x) ? `${x.toLocaleString('en-US', { maximumFractionDigits: 1 })}×` : DASH),
  };
  cache.set(currency, f);
  return f;
}

/** What a negative cost means, wherever one is shown. */
export const NEGATIVE_COST_NOTE = 'A negative cost is a gain, not an error: more money comes back to the public than it put in (fees and investment income exceed claims and costs); the cash cost at the horizon leaves out the guarantees still outstanding and the cost of the capital.';

/** A cost as money, a negative one marked as a gain: "−$111 (a gain)". */
export function costMoney(f: Formatter, x: number | null | undefined): string {
  const text = f.money(x);
  return typeof x === 'number' && Number.isFinite(x) && x <= -0.5 ? `${text} (a gain)` : text;
}
