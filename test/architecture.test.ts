/**
 * The module graph's rules: no import cycles anywhere in src; the calculation core imports
 * nothing outside itself but the pure translation types; training content and the translation
 * layer know nothing of the web server.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return files(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Each module's local imports (type-only imports included: they are part of the design). */
const graph = new Map<string, string[]>();
for (const file of files(SRC)) {
  const source = readFileSync(file, 'utf8');
  const deps = [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => relative(SRC, resolve(dirname(file), m[1] as string)));
  graph.set(relative(SRC, file), deps);
}

function cycles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'visiting') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('the module graph', () => {
  it('has no import cycles', () => {
    expect(cycles().map((c) => c.join(' → '))).toEqual([]);
  });

  it('keeps the core pure: it imports only itself and the translation types', () => {
    const outside = [...graph].filter(([f]) => f.startsWith('core/')).flatMap(([f, deps]) => deps.filter((d) => !d.startsWith('core/') && d !== 'i18n/translate.ts').map((d) => `${f} → ${d}`));
    expect(outside).toEqual([]);
  });

  it('keeps training content and the translation layer out of the web server', () => {
    const bad = [...graph].filter(([f]) => f.startsWith('training/') || f.startsWith('i18n/')).flatMap(([f, deps]) => deps.filter((d) => d.startsWith('server/')).map((d) => `${f} → ${d}`));
    expect(bad).toEqual([]);
  });
});
