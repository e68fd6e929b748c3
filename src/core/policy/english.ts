/**
 * English sentences of the policy analyses without the i18n runtime. The core writes its stored
 * and API texts (an option's notes, the leverage sentence, a search's reason) with the same ICU
 * messages the pages translate; this formats them in English: `{name}` placeholders, `plural`
 * (`=n`, `one`, `other`, with `#`) and `select`. Pages pass their own `Translate` instead.
 */
import type { MessageValues, Translate } from '../../i18n/translate.ts';

/** The end of the `{…}` block that opens at `open` (nested blocks skipped). */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return text.length;
}

/** `one {…} other {…}` → { one: '…', other: '…' }. */
function cases(body: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < body.length) {
    const open = body.indexOf('{', i);
    if (open < 0) break;
    const key = body.slice(i, open).trim();
    const end = closing(body, open);
    out.set(key, body.slice(open + 1, end));
    i = end + 1;
  }
  return out;
}

const plainNumber = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 3 });

function format(text: string, values: MessageValues, hash: number | null): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '#' && hash !== null) {
      out += plainNumber(hash);
      i++;
      continue;
    }
    if (ch !== '{') {
      out += ch;
      i++;
      continue;
    }
    const end = closing(text, i);
    const inner = text.slice(i + 1, end);
    const [name = '', kind, ...rest] = inner.split(',');
    const value = values[name.trim()];
    if (kind === undefined) {
      out += typeof value === 'number' ? plainNumber(value) : String(value ?? '');
    } else {
      const body = [kind, ...rest].join(',').replace(/^\s*(plural|select)\s*,/, '');
      const options = cases(body);
      if (kind.trim() === 'plural') {
        const n = Number(value);
        const chosen = options.get(`=${n}`) ?? (n === 1 ? options.get('one') : undefined) ?? options.get('other') ?? '';
        out += format(chosen, values, n);
      } else {
        out += format(options.get(String(value)) ?? options.get('other') ?? '', values, hash);
      }
    }
    i = end + 1;
  }
  return out;
}

/** English ICU messages, formatted as i18next's English would (numbers in `#` as en-US). */
export const englishText: Translate = (key, values = {}) => format(key, values, null);
