/**
 * Finds the messages in the code and the views: the English ICU text passed as a string literal
 * to every call of t or msg in TypeScript, and to the t and tHtml helpers in a Handlebars view. Messages must be literals (no `${…}` in them) so this can find them; values
 * go in ICU placeholders.
 */

const JS_CALL = /(?<![\w$])(?:t|msg)\(\s*(?:'((?:\\.|[^'\\\n])*)'|"((?:\\.|[^"\\\n])*)"|`((?:\\.|[^`\\$])*)`)/g;
const HBS_CALL = /[{(]\s*(?:t|tHtml)\s+(?:"((?:\\"|[^"])*)"|'((?:\\'|[^'])*)')/g;

function unescapeJs(s: string): string {
  return s.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\n|.)/g, (_, e: string) => {
    if (e.startsWith('u{')) return String.fromCodePoint(Number.parseInt(e.slice(2, -1), 16));
    if (e.startsWith('u') || e.startsWith('x')) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\n': '' };
    return simple[e] ?? e;
  });
}

export function messagesInTypeScript(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(JS_CALL)) {
    const raw = m[1] ?? m[2] ?? m[3];
    if (raw !== undefined && raw !== '') out.push(unescapeJs(raw));
  }
  return out;
}

export function messagesInView(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(HBS_CALL)) {
    const raw = m[1] !== undefined ? m[1].replace(/\\"/g, '"') : (m[2] ?? '').replace(/\\'/g, "'");
    if (raw !== '') out.push(raw);
  }
  return out;
}

/** The catalogue's messages, sorted, each its own English text. */
export function sourceMessages(found: Iterable<string>): Record<string, string> {
  const keys = [...new Set(found)].sort();
  const out: Record<string, string> = {};
  for (const k of keys) out[k] = k;
  return out;
}
