/**
 * Handlebars, called directly: templates in views/, partials in views/partials/, one layout.
 * `{{…}}` escapes everything; the only raw output is `jsonScript`, which escapes `<`, `>` and
 * `&` so data can travel inside `<script type="application/json">` under a strict CSP.
 */
import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Response } from 'express';
import { type Localizer, languages, type MessageValues, SOURCE_LANGUAGE } from '../../i18n/index.ts';
import { termLabel } from '../training/glossary-links.ts';

export const VIEWS_DIR = fileURLToPath(new URL('../../../views/', import.meta.url));

/** JSON safe to place inside a script element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value ?? null)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export interface Views {
  render(name: string, data: Record<string, unknown>): string;
}

/** The views of a folder, compiled once per process: they do not change while it runs. */
const loaded = new Map<string, Views>();

export function loadViews(dir = VIEWS_DIR): Views {
  let views = loaded.get(dir);
  if (!views) {
    views = compileViews(dir);
    loaded.set(dir, views);
  }
  return views;
}

function compileViews(dir: string): Views {
  const hbs = Handlebars.create();
  hbs.registerHelper('jsonScript', (value: unknown) => new hbs.SafeString(jsonForScript(value)));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  hbs.registerHelper('plural', (n: unknown, one: string, many: string) => (Number(n) === 1 ? one : many));
  hbs.registerHelper('termLabel', (id: unknown, options: Handlebars.HelperOptions) =>
    termLabel(typeof id === 'string' ? id : null, (options.data?.root as { localizer?: Localizer } | undefined)?.localizer));
  // {{t "English ICU message {name}" name=value}}: the message in the page's language (the
  // root context's `lang`, set per request); Handlebars escapes the result like any value.
  const translate = (key: unknown, options: Handlebars.HelperOptions): string => {
    const root = options.data?.root as { lang?: unknown } | undefined;
    const lang = typeof root?.lang === 'string' ? root.lang : SOURCE_LANGUAGE;
    return languages().translator(lang)(String(key), options.hash as MessageValues);
  };
  hbs.registerHelper('t', translate);
  // {{{tHtml "Read <a href=\"/glossary\">the glossary</a> on {term}" term=x}}}: a message that
  // carries markup. The message comes from the translation files (trusted, reviewed like code);
  // every value put into it is escaped first.
  hbs.registerHelper('tHtml', (key: unknown, options: Handlebars.HelperOptions) => {
    const hash: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(options.hash as Record<string, unknown>)) hash[k] = typeof v === 'string' ? hbs.escapeExpression(v) : v;
    return new hbs.SafeString(translate(key, { ...options, hash }));
  });
  hbs.registerHelper('join', (xs: unknown, sep: unknown) => (Array.isArray(xs) ? xs.join(typeof sep === 'string' ? sep : ', ') : ''));

  // Handlebars compiles a template when it is first rendered: compiled here, each template and
  // partial is ready before the first request (the first page of a kind took tens of
  // milliseconds of the event loop otherwise).
  const compile = (source: string) => {
    const template = hbs.compile(source, { strict: false });
    try {
      template({});
    } catch {
      // Rendered without data only to compile it: a helper may refuse the missing values.
    }
    return template;
  };
  const partialsDir = join(dir, 'partials');
  for (const file of readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
    hbs.registerPartial(basename(file, '.hbs'), compile(readFileSync(join(partialsDir, file), 'utf8')));
  }
  // A view is named by its path under views/ without .hbs: "layout", "scenarios/editor".
  const templates = new Map<string, HandlebarsTemplateDelegate>();
  const addViews = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'partials') addViews(join(folder, entry.name), `${prefix}${entry.name}/`);
      else if (entry.name.endsWith('.hbs')) templates.set(`${prefix}${basename(entry.name, '.hbs')}`, compile(readFileSync(join(folder, entry.name), 'utf8')));
    }
  };
  addViews(dir, '');
  const layout = templates.get('layout');
  if (!layout) throw new Error(`no layout.hbs in ${dir}`);

  return {
    render(name, data) {
      const template = templates.get(name);
      if (!template) throw new Error(`no view ${name}`);
      const body = template(data);
      return layout({ ...data, body: new hbs.SafeString(body) });
    },
  };
}

/** Sends a rendered page. */
export function sendPage(res: Response, views: Views, name: string, data: Record<string, unknown>, status = 200): void {
  const page = views.render(name, { ...res.locals, ...data });
  res.status(status).type('html').send(page);
}
