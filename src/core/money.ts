/**
 * Money: every reported amount is a decimal.js value rounded to the cent. The Monte Carlo
 * hot loops work in float64; amounts cross into decimal here, once, when they are reported.
 */
import { Decimal as BaseDecimal } from 'decimal.js';

/** A project-local Decimal: 40 significant digits, half-up rounding for cents. */
export const Decimal = BaseDecimal.clone({ precision: 40, rounding: BaseDecimal.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;
export type Money = Decimal;

export const ZERO: Money = new Decimal(0);

/** Rounds an amount to the cent (half away from zero). */
export function cents(amount: number | Decimal): Money {
  return new Decimal(amount).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Replaces decimal amounts by numbers (they are rounded to the cent already). */
export function plain(value: unknown): unknown {
  if (Decimal.isDecimal(value)) return (value as Decimal).toNumber();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
