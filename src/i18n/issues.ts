/**
 * Validation messages in the reader's language. The schemas write their messages in English
 * (src/core/validation.ts, src/core/schema.ts, the policy schemas): fixed texts wrapped in
 * msg(), and messages with values filled in from an ICU text with fill(). Here a message is
 * found again — as a fixed message of the catalogue, or as one of the filled texts with its
 * values taken back out — and written in the language of the page or of the API request.
 * Numbers among the values are rewritten with the locale's marks ("10,000" → "10.000").
 *
 * Paths and field names are never translated; English comes back exactly as it was written.
 */
import { MESSAGE_TEMPLATES } from '../core/validation.ts';
import { languages, SOURCE_LANGUAGE } from './index.ts';
import { msg, type Localizer, type MessageValues } from './translate.ts';

/** Messages the API and the forms put around an issue or a value. */
export const ISSUE_FRAMES = {
  labelled: msg('{label}: {message}'),
  row: msg('Row {row}: {message}'),
  value: msg('value {n} {message}'),
  scenario: msg('Scenario: {message}'),
} as const;

/**
 * The generic messages with a value, known before any schema fills them: a schema that writes
 * one of them without fill() is still translated.
 */
const GENERIC = [
  msg('must be at least {min}'),
  msg('must be at most {max}'),
  msg('must be more than {min}'),
  msg('must be less than {max}'),
  msg('must be between {min} and {max}'),
  msg('must be one of {options}'),
  msg('must be a whole number from {min} to {max}'),
];
for (const template of GENERIC) MESSAGE_TEMPLATES.add(template);

interface CompiledTemplate {
  readonly template: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** Letters outside the placeholders: the more, the more specific. */
  readonly weight: number;
}

const compiled = new Map<string, CompiledTemplate>();
let sourceKeys: ReadonlySet<string> | undefined;

function compile(template: string): CompiledTemplate {
  const hit = compiled.get(template);
  if (hit) return hit;
  const names: string[] = [];
  const pieces = template.split(/\{(\w+)\}/);
  let source = '^';
  let weight = 0;
  pieces.forEach((piece, i) => {
    if (i % 2 === 1) {
      names.push(piece);
      source += '(.+?)';
    } else {
      source += piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      weight += piece.length;
    }
  });
  const c: CompiledTemplate = { template, pattern: new RegExp(`${source}$`, 's'), names, weight };
  compiled.set(template, c);
  return c;
}

/** The English messages of the catalogue (what msg() and t() mark in the code). */
function isSourceMessage(text: string): boolean {
  sourceKeys ??= new Set(Object.keys(languages().catalogs.find((c) => c.language.code === SOURCE_LANGUAGE)?.messages ?? {}));
  return sourceKeys.has(text);
}

const ENGLISH_NUMBER = /^(-?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\s?%)?$/;

/** A value that is an English-written number, rewritten in the locale; other values as they are. */
export function localValue(value: string, locale: string): string {
  const m = ENGLISH_NUMBER.exec(value.trim());
  if (!m) return value;
  // Grouped when English grouped it: "10,000,000" is, a year or a bound such as "5000" is not.
  const grouped = (m[2] ?? '').includes(',');
  const x = Number(`${m[1]}${(m[2] ?? '').replace(/,/g, '')}${m[3] ?? ''}`);
  if (!Number.isFinite(x)) return value;
  const digits = (m[3] ?? '').length > 0 ? (m[3] ?? '').length - 1 : 0;
  const text = x.toLocaleString(locale, { useGrouping: grouped, minimumFractionDigits: digits, maximumFractionDigits: digits });
  return m[4] ? `${text}${m[4]}` : text;
}

/** A message that was filled from a template: the template and its values, or null. */
export function matchTemplate(message: string): { template: string; values: Record<string, string> } | null {
  let best: { template: string; values: Record<string, string>; weight: number } | null = null;
  for (const template of MESSAGE_TEMPLATES) {
    const c = compile(template);
    const m = c.pattern.exec(message);
    if (!m || (best && best.weight >= c.weight)) continue;
    const values: Record<string, string> = {};
    c.names.forEach((name, i) => {
      values[name] = m[i + 1] ?? '';
    });
    best = { template, values, weight: c.weight };
  }
  return best && { template: best.template, values: best.values };
}

/**
 * A schema or API message in the reader's language: a fixed message through the catalogue, a
 * filled one through its template with its numbers in the locale's format. A message that is
 * neither (user data, an error text from a library) is returned as it is.
 */
export function translateMessage(l: Localizer, message: string): string {
  if (l.lang === SOURCE_LANGUAGE) return message;
  if (isSourceMessage(message)) return l.t(message);
  const found = matchTemplate(message);
  if (!found) return l.t(message);
  const values: MessageValues = {};
  for (const [name, value] of Object.entries(found.values)) values[name] = localValue(value, l.locale);
  return l.t(found.template, values);
}

/** An issue's message, after the field's label where one is shown ("Initial capital: is required"). */
export function issueMessage(l: Localizer, message: string, label?: string): string {
  const text = translateMessage(l, message);
  return label === undefined ? text : l.t(ISSUE_FRAMES.labelled, { label: l.t(label), message: text });
}

/** Issues with their messages in the reader's language; the paths stay as they are. */
export function translateIssues<T extends { readonly path: string; readonly message: string }>(l: Localizer, issues: readonly T[]): T[] {
  if (l.lang === SOURCE_LANGUAGE) return [...issues];
  return issues.map((i) => ({ ...i, message: translateMessage(l, i.message) }));
}
