/**
 * npm run i18n:extract — rewrites the messages of src/i18n/locales/en.json from the code and the
 * views, and lists, per language, how many messages are still to translate and which are stale.
 * `--check` changes nothing and fails if en.json is out of date.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LOCALES_DIR, loadCatalogs } from '../i18n/catalog.ts';
import { messagesInTypeScript, messagesInView, sourceMessages } from '../i18n/extract.ts';
import { listPresets } from '../presets/index.ts';
import { teachingLine } from '../server/scenarios/presets.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function walk(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return walk(path, ext);
    return e.name.endsWith(ext) ? [path] : [];
  });
}

export function extractAll(root = ROOT): Record<string, string> {
  const found: string[] = [];
  for (const file of walk(join(root, 'src'), '.ts')) found.push(...messagesInTypeScript(readFileSync(file, 'utf8')));
  for (const file of walk(join(root, 'views'), '.hbs')) found.push(...messagesInView(readFileSync(file, 'utf8')));
  // The presets' names and descriptions are shown translated (the home page's cards show the
  // description's teaching sentence on its own); their sources and assumptions stay in English.
  for (const p of listPresets()) {
    found.push(p.name, p.description);
    const teaches = teachingLine(p.description);
    if (teaches) found.push(teaches);
  }
  return sourceMessages(found.filter((m) => m !== ''));
}

function main(): void {
  const check = process.argv.includes('--check');
  const messages = extractAll();
  const enPath = join(LOCALES_DIR, 'en.json');
  const en = JSON.parse(readFileSync(enPath, 'utf8')) as { messages: Record<string, string> };
  const next = `${JSON.stringify({ ...en, messages }, null, 2)}\n`;
  const current = readFileSync(enPath, 'utf8');
  if (check) {
    if (current !== next) {
      console.error(`${relative(ROOT, enPath)} is out of date: run npm run i18n:extract.`);
      process.exitCode = 1;
    }
  } else if (current !== next) {
    writeFileSync(enPath, next);
  }
  const keys = Object.keys(messages);
  console.log(`${keys.length} messages in English.`);
  for (const c of loadCatalogs()) {
    if (c.language.code === 'en') continue;
    const missing = keys.filter((k) => !(k in c.messages)).length;
    const stale = Object.keys(c.messages).filter((k) => !(k in messages)).length;
    console.log(`${c.language.code}: ${missing} to translate, ${stale} stale.`);
  }
}

// Run as a command; imported (by the catalogue's test) it only lends extractAll.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
