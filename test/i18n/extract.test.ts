import { describe, expect, it } from 'vitest';
import { messagesInTypeScript, messagesInView } from '../../src/i18n/extract.ts';

describe('finding messages', () => {
  it('in TypeScript: t and msg calls with single, double or backtick literals, escapes undone', () => {
    const source = [
      "t('The fund\\'s capital')",
      'l.t("Saved {name}", { name })',
      'msg(`Coverage ratio`)',
      "const x = format('not a message'); get('no'); at('no')",
      "t(`${notLiteral}`)",
    ].join('\n');
    expect(messagesInTypeScript(source)).toEqual(["The fund's capital", 'Saved {name}', 'Coverage ratio']);
  });

  it('in views: t and tHtml, as a mustache or a sub-expression', () => {
    const view = `{{t "Home"}} {{{tHtml "Read <a href=\\"/glossary\\">this</a>"}}} {{#if (eq a (t 'It\\'s'))}}{{/if}} {{other "x"}}`;
    expect(messagesInView(view)).toEqual(['Home', 'Read <a href="/glossary">this</a>', "It's"]);
  });
});
