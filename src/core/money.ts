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
