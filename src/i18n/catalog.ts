/**
 * The translation files: one JSON file per language in src/i18n/locales/. A translator adds a
 * language by adding one file (a copy of en.json with the values translated); nothing else.
 *
 *   language     its code, its own name, its English name, the Intl locale for numbers and
 *                dates, and the text direction;
 *   terminology  the domain's terms as the region's guarantee institutions write them, each
 *                with where it is used (a translator's reference, shown at /languages);
 *   messages     English ICU message → translation. en.json is written by npm run i18n:extract
 *                from the messages in the code and the views.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const LOCALES_DIR = fileURLToPath(new URL('./locales/', import.meta.url));

export const languageInfoSchema = z.object({
  code: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: 'must be a BCP 47 language tag such as "es" or "zh-CN"' }),
  name: z.string().min(1),
  englishName: z.string().min(1),
  intl: z.string().min(2),
  dir: z.enum(['ltr', 'rtl']),
});

export const catalogSchema = z.object({
  language: languageInfoSchema,
  terminology: z.array(z.object({ en: z.string().min(1), term: z.string().min(1), usedBy: z.string() })),
  messages: z.record(z.string(), z.string()),
});

export type LanguageInfo = z.infer<typeof languageInfoSchema>;
export type Catalog = z.infer<typeof catalogSchema>;

/** Reads and checks every translation file; a broken file stops the start with its name. */
export function loadCatalogs(dir = LOCALES_DIR): Catalog[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  return files.map((file) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (e) {
      throw new Error(`The translation file ${file} is not valid JSON: ${(e as Error).message}`);
    }
    const result = catalogSchema.safeParse(parsed);
    if (!result.success) {
      const first = result.error.issues[0];
      throw new Error(`The translation file ${file} is not in the expected shape: ${first?.path.join('.') || '(top)'} ${first?.message ?? ''}`);
    }
    if (`${result.data.language.code}.json` !== file) {
      throw new Error(`The translation file ${file} says its language is ${result.data.language.code}; name it ${result.data.language.code}.json.`);
    }
    return result.data;
  });
}
