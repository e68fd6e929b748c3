/**
 * The building blocks of every input schema (the scenario, the policy analyses): numbers with
 * their bounds, and the plain-words messages that name what is wrong. One place, so that a
 * field of the same kind says the same thing wherever it is typed.
 *
 * Units: shares and rates are fractions (0.8 = 80 %), rates per year; money is in the input's
 * currency.
 */
import { z } from 'zod';
import { msg } from '../i18n/translate.ts';

/** Largest amount accepted anywhere: well inside float64's exact-cent range (2^53 cents). */
export const MAX_MONEY = 1e13;

const formatBound = (x: number) => (Math.abs(x) >= 1e6 ? x.toLocaleString('en') : String(x));

/**
 * The messages with values in them (English ICU text such as "must be at most {max}"), as
 * they were filled. A translation of an issue finds its message here, takes the values back out
 * and writes them in the reader's language (src/i18n/issues.ts).
 */
export const MESSAGE_TEMPLATES = new Set<string>();

/**
 * A message with its values put in, in English: `fill(msg('must be at most {max}'), { max })`.
 * Numbers are written as English writes them ("10,000,000,000,000"); a translation rewrites
 * them in its locale.
 */
export function fill(template: string, values: Record<string, string | number>): string {
  MESSAGE_TEMPLATES.add(template);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = values[name];
    return v === undefined ? whole : String(v);
  });
}

export const MESSAGES = {
  required: msg('is required'),
  number: msg('must be a number'),
  finite: msg('must be a finite number'),
  whole: msg('must be a whole number'),
  nonNegative: msg('must be 0 or more'),
  positive: msg('must be more than 0'),
  share: msg('must be between 0 and 1 (a fraction: 0.8 = 80 %)'),
  atMost: (max: number) => fill(msg('must be at most {max}'), { max: formatBound(max) }),
  rateAtLeast: (min: number) => fill(msg('must be at least {min} (a fraction per year: 0.05 = 5 %)'), { min }),
  rateAtMost: (max: number) => fill(msg('must be at most {max} (a fraction per year: 0.05 = 5 %)'), { max }),
} as const;

/** Missing fields say so; present ones of the wrong type say what they should be. */
export const numberError = (issue: { input?: unknown }) => (issue.input === undefined ? MESSAGES.required : MESSAGES.number);

export const money = (description: string) =>
  z.number({ error: numberError })
    .finite({ error: MESSAGES.finite })
    .min(0, { error: MESSAGES.nonNegative })
    .max(MAX_MONEY, { error: MESSAGES.atMost(MAX_MONEY) })
    .describe(description);

export const positiveMoney = (description: string) =>
  z.number({ error: numberError })
    .finite({ error: MESSAGES.finite })
    .positive({ error: MESSAGES.positive })
    .max(MAX_MONEY, { error: MESSAGES.atMost(MAX_MONEY) })
    .describe(description);

export const share = (description: string) =>
  z.number({ error: numberError })
    .min(0, { error: MESSAGES.share })
    .max(1, { error: MESSAGES.share })
    .describe(description);

export const rate = (description: string, min = 0, max = 1) =>
  z.number({ error: numberError })
    .min(min, { error: MESSAGES.rateAtLeast(min) })
    .max(max, { error: MESSAGES.rateAtMost(max) })
    .describe(description);

/** A whole number of things (firms, loans, paths) from 0 to `max`. */
export const count = (description: string, max: number) =>
  z.number({ error: numberError })
    .int({ error: MESSAGES.whole })
    .min(0, { error: MESSAGES.nonNegative })
    .max(max, { error: MESSAGES.atMost(max) })
    .describe(description);
