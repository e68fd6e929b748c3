/**
 * The leverage effect of the guarantee over direct lending in words, shared by the budget
 * comparison (its stored English explanation) and the report (its findings, in any language).
 */
import type { Translate } from '../../i18n/translate.ts';
import { englishText } from './english.ts';

/** An amount as a decimal (core results) or a number (results stored as plain JSON). */
export type Amount = number | { toNumber(): number };
export const value = (x: Amount | null | undefined): number | null => (x === null || x === undefined ? null : typeof x === 'number' ? x : x.toNumber());

export interface FindingsFormat {
  money(x: number | null): string;
  count(x: number | null): string;
  percent(x: number | null, digits?: number): string;
  /** A plain number with a fixed number of decimals (default: as toFixed writes it). */
  decimal?(x: number, digits: number): string;
}

export const fixed = (f: Pick<FindingsFormat, 'decimal'>, x: number, digits: number) => (f.decimal ? f.decimal(x, digits) : x.toFixed(digits));

/** What the leverage sentence reads of a comparison's leverage effect (core or plain JSON). */
export interface LeverageInput {
  readonly shown: boolean;
  readonly cause?: 'leverage' | 'directMeetsDemand' | 'fundRationed' | 'banksLendToFewer';
  readonly budget?: Amount;
  readonly guaranteeFirms?: number;
  readonly directFirms?: number;
  readonly guaranteeLending?: Amount;
  readonly directLending?: Amount;
  readonly firmsRatio?: number | null;
  readonly leverageCap?: number;
  readonly sameLoan?: boolean;
  readonly explanation: string;
}

/** The leverage effect of the guarantee over direct lending, or why there is none, in one or two sentences. */
export function leverageSentence(l: LeverageInput, f: Pick<FindingsFormat, 'money' | 'count' | 'decimal'>, t: Translate = englishText): string {
  if (l.cause === undefined || l.guaranteeFirms === undefined || l.directFirms === undefined) return l.explanation;
  const gf = f.count(l.guaranteeFirms);
  const direct = f.count(l.directFirms);
  switch (l.cause) {
    case 'leverage': {
      const values = {
        budget: f.money(value(l.budget)), guaranteeLending: f.money(value(l.guaranteeLending)), guaranteeFirms: gf, directFirms: direct,
        directLending: f.money(value(l.directLending)), ratio: l.firmsRatio ? fixed(f, l.firmsRatio, 1) : '', cap: Number((l.leverageCap ?? 0).toFixed(2)),
      };
      const first = l.firmsRatio
        ? t('With the same {budget}, the guarantee fund backs {guaranteeLending} of bank loans to {guaranteeFirms} firms; lending the money directly reaches {directFirms} firms with {directLending}: {ratio} times as many firms through the guarantee. The fund may guarantee up to {cap}× its capital and pays only the covered part of the losses, while a direct lender puts up the whole loan.', values)
        : t('With the same {budget}, the guarantee fund backs {guaranteeLending} of bank loans to {guaranteeFirms} firms; lending the money directly reaches {directFirms} firms with {directLending}. The fund may guarantee up to {cap}× its capital and pays only the covered part of the losses, while a direct lender puts up the whole loan.', values);
      return l.sameLoan === false ? `${first} ${t('The two lend loans of different sizes, so compare lending as well as firms.')}` : first;
    }
    case 'directMeetsDemand':
      return t('No leverage effect with these parameters: lending the money directly already reaches every target firm that applies ({directFirms}), so a guarantee’s multiple of its capital adds no firms; the guarantee fund reaches {guaranteeFirms}.', { directFirms: direct, guaranteeFirms: gf });
    case 'fundRationed':
      return t('No leverage effect with these parameters: the guarantee fund’s capital runs short (it rationed guarantees) and it reaches {guaranteeFirms} firms against {directFirms} lent to directly.', { directFirms: direct, guaranteeFirms: gf });
    case 'banksLendToFewer':
      return t('No leverage effect with these parameters: the guarantee fund reaches only the firms banks will lend to with the guarantee ({guaranteeFirms}), fewer than the revolving fund lends to directly ({directFirms}).', { directFirms: direct, guaranteeFirms: gf });
  }
}

