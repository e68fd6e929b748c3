/**
 * Finds text a page shows without a translation. With the pseudo-locale (?lang=qps) every
 * translated message is wrapped in ⟦…⟧; what is left outside the marks, once data is set aside
 * (numbers, codes, names of institutions, addresses), was written in English in the code.
 * Subtrees marked lang="en" are English on purpose (bibliographic sources) and are skipped.
 */

/** Words that are data, not text: currency and institution codes, formats, product names. */
const DATA_WORDS = /^(?:[A-Z]{2,}s?|[A-Z][a-z]?[A-Z][A-Za-z]*|CGF|KODIT|FOGAPE|CGTMSE|SMEG|SBA|TCG|CGC|EFG|JSON|CSV|PDF|XLSX|API|URL|PD|LGD|EL|VaR|ES|Wilson|ETag|docs\/[\w.-]+|[\w.-]+\.(?:md|csv|json|xlsx|hbs|ts)|e\.g|i\.e)$/;

function stripHidden(html: string): string {
  return html
    .replace(/<script\b[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style\b[\s\S]*?<\/style>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(\w+)\b[^>]*\blang="en"[^>]*>[\s\S]*?<\/\1>/gi, ' ');
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

/** Text nodes and the attributes people read (title, aria-label, placeholder, alt, button values). */
export function readableTexts(html: string): string[] {
  const body = stripHidden(html);
  const texts: string[] = [];
  for (const m of body.matchAll(/>([^<]+)</g)) texts.push(decode(m[1] ?? ''));
  for (const m of body.matchAll(/\b(?:title|aria-label|placeholder|alt)="([^"]*)"/g)) texts.push(decode(m[1] ?? ''));
  for (const m of body.matchAll(/<input\b[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"/g)) texts.push(decode(m[1] ?? ''));
  return texts.map((t) => t.trim()).filter((t) => t !== '');
}

/** The English words left outside ⟦…⟧ in a page rendered in the pseudo-locale. */
export function untranslated(html: string, allowed: readonly (string | RegExp)[] = []): string[] {
  const out: string[] = [];
  for (const text of readableTexts(html)) {
    let rest = text;
    for (const a of allowed) rest = typeof a === 'string' ? rest.split(a).join(' ') : rest.replace(a, ' ');
    // Remove marked messages, innermost first (a message may carry another as a value).
    let prev = '';
    while (prev !== rest) {
      prev = rest;
      rest = rest.replace(/⟦[^⟦⟧]*⟧/g, ' ');
    }
    const words = rest.match(/[A-Za-z][A-Za-z'’.\/-]*[A-Za-z]/g) ?? [];
    const english = words.filter((w) => !DATA_WORDS.test(w));
    if (english.length) out.push(text);
  }
  return [...new Set(out)];
}
