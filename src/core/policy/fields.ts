/**
 * Field builders shared by the policy inputs (budget comparison, sensitivity specs), in the
 * style of src/core/schema.ts: a description on every field, bounds, and messages that say
 * what is wrong. Units: rates and shares are fractions (0.26 = 26 %), per year unless named
 * otherwise; money is in the comparison's currency.
 */
import { z } from 'zod';
import { MAX_MONEY } from '../schema.ts';

const numberError = (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : 'must be a number');

export const money = (description: string) =>
  z.number({ error: numberError })
    .finite({ error: 'must be a finite number' })
    .min(0, { error: 'must be 0 or more' })
    .max(MAX_MONEY, { error: `must be at most ${MAX_MONEY.toExponential()}` })
    .describe(description);

export const positiveMoney = (description: string) =>
  z.number({ error: numberError })
    .finite({ error: 'must be a finite number' })
    .positive({ error: 'must be more than 0' })
    .max(MAX_MONEY, { error: `must be at most ${MAX_MONEY.toExponential()}` })
    .describe(description);

export const share = (description: string) =>
  z.number({ error: numberError })
    .min(0, { error: 'must be between 0 and 1 (a fraction: 0.8 = 80 %)' })
    .max(1, { error: 'must be between 0 and 1 (a fraction: 0.8 = 80 %)' })
    .describe(description);

export const rate = (description: string, min = 0, max = 1) =>
  z.number({ error: numberError })
    .min(min, { error: `must be at least ${min} (a fraction per year: 0.05 = 5 %)` })
    .max(max, { error: `must be at most ${max} (a fraction per year: 0.05 = 5 %)` })
    .describe(description);

export const count = (description: string, max: number) =>
  z.number({ error: numberError })
    .min(0, { error: 'must be 0 or more' })
    .max(max, { error: `must be at most ${max}` })
    .describe(description);

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
      : { parameter: `${prefix}.${key}`, value, basis: 'input' as const, note: 'set in the comparison input' };
  });
}
