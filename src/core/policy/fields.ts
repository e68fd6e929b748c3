/**
 * Field builders shared by the policy inputs (budget comparison, sensitivity specs), in the
 * style of src/core/schema.ts: a description on every field, bounds, and messages that say
 * what is wrong. Units: rates and shares are fractions (0.26 = 26 %), per year unless named
 * otherwise; money is in the comparison's currency.
 */
import { msg } from '../../i18n/translate.ts';
import { z } from 'zod';
import { numberError } from '../validation.ts';

export { count, money, positiveMoney, rate, share } from '../validation.ts';

export const tenor = (description: string) =>
  z.number({ error: numberError })
    .min(1 / 12, { error: 'must be at least 1/12 (one month)' })
    .max(30, { error: 'must be at most 30 years' })
    .describe(description);

/**
 * A parameter of a policy option and where its value comes from. Every option's result lists
 * these, so a page can say which figures are sourced, which are illustrative and which the
 * user set.
 */
export interface Assumption {
  /** Dotted path of the input field, e.g. `microfinance.portfolioYield`. */
  readonly parameter: string;
  /** The value used (a resolved default is shown as the number it resolved to). */
  readonly value: number | string | null;
  /** `sourced`: a documented default with a source; `illustrative`: a default with no primary source; `derived`: taken from the target segment or the base scenario; `input`: set by the user. */
  readonly basis: 'sourced' | 'illustrative' | 'derived' | 'input';
  /** Source or reasoning, citing the project's documentation (docs/model.md, docs/sources.md) where it applies. */
  readonly note: string;
}

/** A documented default: the value and where it comes from. */
export interface DocumentedDefault {
  readonly value: number | string | null;
  readonly basis: 'sourced' | 'illustrative' | 'derived';
  readonly note: string;
}

/**
 * Lists the parameters of an option with their basis: a value equal to the documented default
 * carries the default's note; any other value was set by the user.
 */
export function assumptionsOf(
  prefix: string,
  values: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, DocumentedDefault>>,
  resolved: Readonly<Record<string, number | string | null>> = {},
): Assumption[] {
  return Object.entries(defaults).map(([key, d]) => {
    const given = values[key] as number | string | null | undefined;
    const value = key in resolved ? resolved[key]! : (given ?? null);
    const isDefault = given === d.value || (given === undefined && d.value === null);
    return isDefault
      ? { parameter: `${prefix}.${key}`, value, basis: d.basis, note: d.note }
      : { parameter: `${prefix}.${key}`, value, basis: 'input' as const, note: msg('set in the comparison input') };
  });
}
