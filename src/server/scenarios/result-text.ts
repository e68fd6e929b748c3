/**
 * Wording the results page and the costing section share: the break-even bases and reasons,
 * costs that are gains, and the plain table both build.
 */
import type { BreakEvenBasis } from '../../core/solvers.ts';
import type { Formatter } from '../../i18n/format.ts';
import { english, msg, type Localizer, type Translate } from '../../i18n/index.ts';

export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** English, for downloads (CSV headers stay English) and callers that do not choose a language. */
export const ENGLISH: Localizer = { lang: 'en', locale: 'en-US', t: english };

/** The break-even bases, as the core names them. */
export const BASIS_NAMES: Readonly<Record<BreakEvenBasis, string>> = {
  lifetime: msg('lifetime, without investment income'),
  lifetimeWithInvestmentIncome: msg('lifetime, with investment income'),
  horizon: msg('capital at the horizon equal to capital put in'),
};

/** Why no break-even fee was found (the core's reason, in the page's language). */
export function breakEvenReason(t: Translate, reason: string): string {
  const low = /^even the lowest fee searched \((.+)\) covers the fund’s costs$/.exec(reason);
  if (low) return t('even the lowest fee searched ({fee}) covers the fund’s costs', { fee: low[1] });
  const high = /^no annual fee up to (.+?) covers the fund’s costs on this basis \(at .+? it still falls short by (.+)\)$/.exec(reason);
  if (high) return t('no annual fee up to {fee} covers the fund’s costs on this basis (at {fee} it still falls short by {shortfall})', { fee: high[1], shortfall: high[2] });
  return reason;
}

/** A cost as money, a negative one marked as a gain: "−$111 (a gain)". */
export function costText(f: Formatter, x: number | null | undefined, t: Translate): string {
  const text = f.money(x);
  return typeof x === 'number' && Number.isFinite(x) && x <= -0.5 ? t('{amount} (a gain)', { amount: text }) : text;
}

/** What a negative cost means, wherever one is shown. */
export const negativeCostNote = (t: Translate): string => t('A negative cost is a gain, not an error: more money comes back to the public than it put in (fees and investment income exceed claims and costs); the cash cost at the horizon leaves out the guarantees still outstanding and the cost of the capital.');
