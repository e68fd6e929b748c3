/** The route table (src/server/routes.ts) lists exactly the routes the app answers. */
import { afterAll, describe, expect, it } from 'vitest';
import { ROUTE_TABLE } from '../../src/server/routes.ts';
import { makeApp } from './helpers.ts';

interface Layer {
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
  readonly handle?: { readonly stack?: readonly Layer[] };
}

/** Each router's routes, as "METHOD path" under its own mount point; the app's own first. */
function routerRoutes(stack: readonly Layer[]): string[][] {
  const groups: string[][] = [];
  const own: string[] = [];
  for (const layer of stack) {
    if (layer.route) for (const m of Object.keys(layer.route.methods)) own.push(`${m.toUpperCase()} ${layer.route.path}`);
    else if (layer.handle?.stack) groups.push(...routerRoutes(layer.handle.stack));
  }
  return own.length ? [own, ...groups] : groups;
}

describe('the route table', () => {
  const t = makeApp();
  afterAll(() => t.close());
  const app = t.web.app as unknown as { router: { stack: readonly Layer[] } };
  const answered = routerRoutes(app.router.stack);

  it('lists every router the app mounts, with exactly its routes', () => {
    const listed = ROUTE_TABLE.map((m) => ({ name: m.name, routes: m.routes.map((r) => `${r.method} ${r.path}`) }));
    const unlisted = answered.filter((routes) => !listed.some((m) => JSON.stringify([...m.routes].sort()) === JSON.stringify([...routes].sort())));
    expect(unlisted).toEqual([]);
    const unmounted = listed.filter((m) => !answered.some((routes) => JSON.stringify([...m.routes].sort()) === JSON.stringify([...routes].sort()))).map((m) => m.name);
    expect(unmounted).toEqual([]);
  });

  it('gives every route a purpose and lists none twice', () => {
    const all = ROUTE_TABLE.flatMap((m) => m.routes.map((r) => `${r.method} ${m.at}${r.path}`));
    expect(all.length).toBe(new Set(all).size);
    expect(ROUTE_TABLE.flatMap((m) => m.routes).filter((r) => r.purpose.trim() === '')).toEqual([]);
  });

  it('mounts each router where the table says: every GET it lists is found there', async () => {
    const missing: string[] = [];
    for (const m of ROUTE_TABLE) {
      for (const r of m.routes.filter((x) => x.method === 'GET' && !x.path.endsWith('/events'))) {
        const path = `${m.at}${r.path === '/' && m.at ? '' : r.path}`.replace(/:([A-Za-z]+)/g, 'x') || '/';
        const res = await t.agent.get(path);
        const text = res.text ?? '';
        if (text.includes('There is no page at') || text.includes('There is no such API route')) missing.push(`${m.name}: GET ${path}`);
      }
    }
    expect(missing).toEqual([]);
  }, 120_000);
});
