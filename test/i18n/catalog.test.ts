/**
 * The translation files: English up to date with the code, every language complete, every
 * translation a valid ICU message with the same placeholders as its English source, and every
 * term of the terminology table given.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { loadCatalogs } from '../../src/i18n/catalog.ts';
import { extractAll } from '../../src/cli/i18n-extract.ts';

const catalogs = loadCatalogs();
const en = catalogs.find((c) => c.language.code === 'en');
if (!en) throw new Error('no en.json');
const others = catalogs.filter((c) => c !== en);

/** The argument names an ICU message uses, from its parsed form. */
function argumentsOf(message: string, locale: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: unknown): void => {
    if (!Array.isArray(nodes)) return;
    for (const n of nodes as { type: number; value?: string; options?: Record<string, { value: unknown }> }[]) {
      // Types 1..6 carry an argument name (argument, number, date, time, select, plural).
      if (n.type >= 1 && n.type <= 6 && typeof n.value === 'string') names.add(n.value);
      if (n.options) for (const o of Object.values(n.options)) walk(o.value);
    }
  };
  walk(new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }).getAst());
  return [...names].sort();
}

describe('the English catalogue', () => {
  it('has exactly the messages in the code and the views (run npm run i18n:extract)', () => {
    expect(Object.keys(en.messages).sort()).toEqual(Object.keys(extractAll()).sort());
  });

  it('has only valid ICU messages', () => {
    for (const key of Object.keys(en.messages)) expect(() => argumentsOf(key, 'en'), key).not.toThrow();
  });
});

describe.each(others.map((c) => [c.language.code, c] as const))('%s', (code, catalog) => {
  it('translates every English message and nothing else', () => {
    const missing = Object.keys(en.messages).filter((k) => !(k in catalog.messages));
    const stale = Object.keys(catalog.messages).filter((k) => !(k in en.messages));
    expect({ missing: missing.slice(0, 20), count: missing.length }).toEqual({ missing: [], count: 0 });
    expect(stale).toEqual([]);
  });

  it('keeps every placeholder of the English message and writes valid ICU', () => {
    const wrong: string[] = [];
    for (const [key, value] of Object.entries(catalog.messages)) {
      if (!(key in en.messages)) continue;
      let ok = false;
      try {
        ok = JSON.stringify(argumentsOf(value, catalog.language.intl)) === JSON.stringify(argumentsOf(key, 'en'));
      } catch {
        ok = false;
      }
      if (!ok) wrong.push(`${key} → ${value}`);
    }
    expect(wrong).toEqual([]);
  });

  it('gives a term for every entry of the terminology table', () => {
    const terms = new Map(catalog.terminology.map((t) => [t.en, t]));
    for (const t of en.terminology) {
      const own = terms.get(t.en);
      expect(own?.term, `${code}: ${t.en}`).toBeTruthy();
      expect(own?.usedBy, `${code}: ${t.en}`).toBeTruthy();
    }
  });

  it('names an Intl locale that formats numbers', () => {
    expect(() => new Intl.NumberFormat(catalog.language.intl).format(1234.5)).not.toThrow();
    expect(Intl.NumberFormat.supportedLocalesOf([catalog.language.intl])).toHaveLength(1);
  });
});
