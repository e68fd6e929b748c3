/**
 * The scenario reference: every field with its meaning, unit, bounds and default, read from
 * the zod schema itself so the README, the editor's help texts and the schema cannot drift.
 */
import { z } from 'zod';
import { ScenarioSchema } from './schema.ts';

export interface FieldReference {
  /** Dotted path; `[]` marks an array element, `*` a stage. */
  readonly path: string;
  readonly description: string;
  readonly unit: string;
  readonly bounds: string;
  readonly default: string;
}

type JsonSchema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

// Checked in order: exact names before suffixes.
const UNITS: [RegExp, string][] = [
  [/volumes\.\w+$/, 'currency per period'],
  [/projectReturn\.(mean|dispersion)$/, 'fraction per year'],
  [/(riskDispersion|collateralDispersion)$/, 'standard deviation of the log'],
  [/(minPerLoan|maxPerLoan|above\.amount)$/, 'currency'],
  [/(upToPd)$/, 'probability per year'],
  [/upfrontFee\.\[\]\.rate$/, 'fraction of the guaranteed amount, once'],
  [/annualFee\.\[\]\.rate$/, 'fraction of the outstanding guaranteed amount per year'],
  [/(initialCapital|amount|fixedPerYear|perNewGuarantee|loanSize|maxGuaranteedPerLoan|upTo)$/, 'currency'],
  [/Months$/, 'months'],
  [/(horizonYears|tenorYears|loanYears|\.years)$/, 'years'],
  [/(year|fromYear|toYear)$/, 'year number'],
  [/(recoveryRate|coverageRatio|minCapitalRatio|collateralHaircut|capitalRatio|portfolioLossCap|deadweightTakeUp|lgdBeforeCollateral|assetCorrelation|share|Share|capShareOfLending)$/, 'fraction'],
  [/(triggerRatio|targetRatio)$/, 'fraction of outstanding guarantees'],
  [/stateLossSharing\.threshold$/, 'fraction'],
  [/(discountRate|capitalCostRate|\.rate)$/, 'fraction per year'],
  [/riskCapitalConfidence$/, 'probability'],
  [/transitions\.\w+$/, 'probability per year'],
  [/coverageByStage\.\w+$/, 'fraction'],
  [/(pd|meanPd)$/, 'probability per year'],
  [/(fundingCost|operatingCost|hurdleReturn|costOfEquity|maxLendingRate|investmentYield|shareOfOutstanding|premiumRate|applicantGrowthRate)$/, 'fraction per year'],
  [/leverageCap$/, 'multiple of capital'],
  [/(ratio|requiredCollateralRatio)$/, 'fraction of the loan'],
  [/(riskWeight|guaranteedRiskWeight)$/, 'fraction (1 = 100 %)'],
  [/applicantsPerYear$/, 'firms per year'],
  [/paths$/, 'paths'],
  [/shift$/, 'standard deviations of Z'],
  [/(cyclePersistence|pdUpliftAtFullCoverage|downturnLgdSensitivity|dispersion)$/, 'coefficient'],
  [/instalmentsPerYear$/, 'per year'],
];

const unitOf = (path: string) => UNITS.find(([re]) => re.test(path))?.[1] ?? '';

function boundsOf(s: JsonSchema): string {
  if (s.type === 'boolean') return 'true | false';
  if (s.enum) return s.enum.map(String).join(' | ');
  if (s.const !== undefined) return String(s.const);
  if (s.pattern) return `pattern ${s.pattern}`;
  if (s.type === 'array' && s.items) {
    const each = boundsOf(s.items);
    const count = range(s.minItems, s.maxItems);
    return [count && `${count} items`, each && `each ${each}`].filter(Boolean).join('; ');
  }
  const chars = s.minLength !== undefined || s.maxLength !== undefined;
  const r = chars ? range(s.minLength, s.maxLength) : range(s.minimum ?? s.exclusiveMinimum, s.maximum);
  return r && chars ? `${r} characters` : r;
}

function range(lo: number | undefined, hi: number | undefined): string {
  if (lo !== undefined && hi !== undefined) return `${fmt(lo)} – ${fmt(hi)}`;
  if (lo !== undefined) return `≥ ${fmt(lo)}`;
  if (hi !== undefined) return `≤ ${fmt(hi)}`;
  return '';
}

const fmt = (x: number) => (x >= 1e6 && Number.isInteger(Math.log10(x)) ? `1e${Math.log10(x)}` : x.toLocaleString('en'));

function defaultOf(s: JsonSchema): string {
  if (s.default === undefined) return '';
  if (typeof s.default === 'object' && s.default !== null && Object.keys(s.default).length === 0 && !Array.isArray(s.default)) return '';
  return JSON.stringify(s.default);
}

function walk(s: JsonSchema, path: string, out: FieldReference[], inherited = ''): void {
  const variants = s.anyOf ?? s.oneOf;
  if (variants) {
    const nonNull = variants.filter((v) => v.type !== 'null');
    if (nonNull.every((v) => v.const !== undefined)) {
      walk({ enum: nonNull.map((v) => v.const), description: s.description, default: s.default }, path, out, inherited);
      return;
    }
    const nullable = nonNull.length < variants.length;
    if (nonNull.length === 1) {
      walk({ ...nonNull[0]!, description: s.description ?? nonNull[0]!.description, default: s.default ?? nonNull[0]!.default }, path, out, inherited);
      if (nullable && out.length > 0 && out[out.length - 1]!.path === path) {
        const last = out[out.length - 1]!;
        out[out.length - 1] = { ...last, bounds: `${last.bounds}${last.bounds ? ', ' : ''}or null` };
      }
      return;
    }
    nonNull.forEach((v) => walk({ ...v, description: v.description ?? s.description }, path, out, s.description ?? inherited));
    return;
  }
  if (s.properties) {
    const sharedStage = ['founding', 'growth', 'maturity', 'transformation'].every((k) => k in s.properties!) && path.endsWith('stages');
    for (const [key, child] of Object.entries(s.properties)) {
      if (sharedStage && key !== 'founding') continue;
      walk(child, path ? `${path}.${sharedStage ? '*' : key}` : key, out, s.description ?? inherited);
    }
    return;
  }
  if (s.items && s.type === 'array' && (s.items.properties || s.items.anyOf)) {
    walk(s.items, `${path}.[]`, out, s.description ?? inherited);
    return;
  }
  out.push({ path, description: s.description ?? inherited, unit: unitOf(path), bounds: boundsOf(s), default: defaultOf(s) });
}

export function scenarioReference(): FieldReference[] {
  const json = z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const out: FieldReference[] = [];
  walk(json, '', out);
  // Paths can repeat where a union has two object forms (risk grades listed or as a distribution).
  return out.filter((f, i) => out.findIndex((g) => g.path === f.path) === i);
}

/** The reference as a Markdown table, for the README. */
export function scenarioReferenceMarkdown(): string {
  const esc = (s: string) => s.replaceAll('|', '\\|');
  const rows = scenarioReference().map((f) => `| \`${f.path}\` | ${esc(f.description)} | ${f.unit} | ${esc(f.bounds)} | ${esc(f.default)} |`);
  return ['| Field | Meaning | Unit | Bounds | Default |', '|---|---|---|---|---|', ...rows].join('\n');
}
