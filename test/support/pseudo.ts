/**
 * Finds text a page shows without a translation. With the pseudo-locale (?lang=qps) every
 * translated message is wrapped in ⟦…⟧; what is left outside the marks, once data is set aside
 * (numbers, codes, names of institutions, addresses), was written in English in the code.
 * Subtrees marked lang="en" are English on purpose (bibliographic sources) and are skipped.
 */

/** Words that are data, not text: currency and institution codes, formats, product names. */
const DATA_WORDS = /^(?:[A-Z]{2,}s?|[A-Z][a-z]?[A-Z][A-Za-z]*|CGF|KODIT|FOGAPE|CGTMSE|SMEG|SBA|TCG|CGC|EFG|JSON|CSV|PDF|XLSX|API|URL|PD|LGD|EL|VaR|ES|Wilson|ETag|docs\/[\w.-]+|[\w.-]+\.(?:md|csv|json|xlsx|hbs|ts)|e\.g|i\.e)$/;

function stripHidden(html: string): string {
  const body = /<body\b[\s\S]*<\/body>/i.exec(html)?.[0] ?? html;
  let out = body
    .replace(/<script\b[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style\b[\s\S]*?<\/style>/gi, ' ')
    // What a form holds is the user's data, as typed.
    .replace(/<textarea\b[\s\S]*?<\/textarea>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ');
  // An element in another language on purpose (a source cited in English, a language's own
  // name in the switcher) is skipped with everything inside it. Innermost first.
  let prev = '';
  while (prev !== out) {
    prev = out;
    out = out.replace(/<(\w+)\b[^>]*\blang="[^"]*"[^>]*>(?:(?!<\1\b)[\s\S])*?<\/\1>/gi, ' ');
  }
  return out;
}

function decode(s: string): string {
  return s
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)));
}

/** The attributes people read: title, aria-label, placeholder, alt, and button values. */
function readableAttributes(body: string): string[] {
  const texts: string[] = [];
  for (const m of body.matchAll(/\b(?:title|aria-label|placeholder|alt)="([^"]*)"/g)) texts.push(decode(m[1] ?? ''));
  for (const m of body.matchAll(/<input\b[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"/g)) texts.push(decode(m[1] ?? ''));
  return texts;
}

/** Removes every marked message; a message may carry markup or another message inside it. */
function withoutMarked(text: string): string {
  let rest = text;
  let prev = '';
  while (prev !== rest) {
    prev = rest;
    rest = rest.replace(/⟦[^⟦⟧]*⟧/g, ' ');
  }
  return rest;
}

/**
 * The English left outside ⟦…⟧ in a page rendered in the pseudo-locale: each English word with
 * a little of its context. The page's text is read as one string (tags removed), so a message
 * with a link inside it counts as one message.
 */
export function untranslated(html: string, allowed: readonly (string | RegExp)[] = []): string[] {
  const body = stripHidden(html);
  const texts = [decode(body.replace(/<[^>]+>/g, ' ')), ...readableAttributes(body)];
  const out = new Set<string>();
  for (const text of texts) {
    let rest = withoutMarked(text);
    for (const a of allowed) rest = typeof a === 'string' ? rest.split(a).join(' ') : rest.replace(a, ' ');
    rest = rest.replace(/\s+/g, ' ');
    for (const m of rest.matchAll(/[A-Za-z][A-Za-z'’./-]*[A-Za-z]/g)) {
      if (DATA_WORDS.test(m[0])) continue;
      const at = m.index ?? 0;
      out.add(rest.slice(Math.max(0, at - 25), at + m[0].length + 25).trim());
    }
  }
  return [...out];
}
