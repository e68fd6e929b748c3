/**
 * Durability: writes through the API while the server is killed with SIGKILL at random
 * moments. The server is a child process on 127.0.0.1 with a port of its own choosing; four
 * writers create scenarios and update them (with If-Match); after a random number of
 * acknowledged writes the server is killed with requests in flight. After each restart every
 * acknowledged write must be there, whole: the scenario as the server answered it, at the
 * version it answered (or at the next one, when a write in flight at the kill got in before
 * its answer could be sent). The kill points come from a seeded generator (DURABILITY_SEED),
 * never from the clock; KILLS sets how many (at least 20).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/core/schema.ts';
import { loadPreset } from '../../src/presets/index.ts';
import { tempDir } from '../web/helpers.ts';

const ROOT = new URL('../../', import.meta.url);
const KILLS = Math.max(20, Number(process.env.KILLS ?? 20));
const SEED = Number(process.env.DURABILITY_SEED ?? 20240601);
const WRITERS = 4;

/** A small seeded generator (mulberry32): the same kill points on every run of a seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
}

function start(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, MC_WORKERS: '1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}`, exited });
    });
    void exited.then((code) => reject(new Error(`the server exited (${code}) before listening: ${out}${err}`)));
  });
}

interface Known {
  version: number;
  scenario: Scenario;
  /** A write sent and not answered: it may or may not have been committed. */
  pending: { version: number; scenario: Scenario } | null;
  busy: boolean;
}

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  // A failed check leaves its server running: end the servers this test started.
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('durability under SIGKILL', () => {
  it(`keeps every acknowledged write through ${KILLS} kills`, async () => {
    const dataDir = tempDir('cgf-durability-');
    dirs.push(dataDir);
    const random = rng(SEED);
    const base = loadPreset('default');
    const known = new Map<string, Known>();
    let acknowledged = 0;
    let checked = 0;
    let sequence = 0;

    for (let cycle = 0; cycle <= KILLS; cycle++) {
      const server = await start(dataDir);

      // After each restart: every acknowledged write present and intact.
      for (const [id, k] of known) {
        const res = await fetch(`${server.url}/api/v1/scenarios/${id}`);
        expect(res.status, `scenario ${id} after restart ${cycle}`).toBe(200);
        const body = (await res.json()) as { version: number; scenario: Scenario };
        expect(res.headers.get('etag')).toBe(`"v${body.version}"`);
        if (k.pending && body.version === k.pending.version) {
          expect(body.scenario, `scenario ${id}: the write in flight at the kill, whole`).toEqual(k.pending.scenario);
          k.version = k.pending.version;
          k.scenario = k.pending.scenario;
        } else {
          expect({ id, version: body.version, scenario: body.scenario }).toEqual({ id, version: k.version, scenario: k.scenario });
        }
        k.pending = null;
        checked++;
      }
      if (cycle === KILLS) {
        server.child.kill('SIGTERM');
        await server.exited;
        break;
      }

      // Write until a random number of acknowledgements, then kill with writes in flight.
      const killAfter = 3 + Math.floor(random() * 25);
      let acksThisCycle = 0;
      let killed = false;
      const kill = () => {
        if (killed) return;
        killed = true;
        server.child.kill('SIGKILL');
      };
      const writer = async () => {
        while (!killed) {
          const ids = [...known.entries()].filter(([, k]) => !k.busy).map(([id]) => id);
          const update = ids.length > 0 && random() < 0.5;
          const n = sequence++;
          const scenario: Scenario = { ...base, name: `Durable ${n}`, horizonYears: 1 + (n % 30), description: `write ${n} in cycle ${cycle}: ${'d'.repeat(n % 500)}` };
          if (update) {
            const id = ids[Math.floor(random() * ids.length)]!;
            const k = known.get(id)!;
            k.busy = true;
            k.pending = { version: k.version + 1, scenario };
            try {
              const res = await fetch(`${server.url}/api/v1/scenarios/${id}`, {
                method: 'PUT', headers: { 'content-type': 'application/json', 'if-match': `"v${k.version}"` }, body: JSON.stringify(scenario),
              });
              const body = (await res.json()) as { version: number; scenario: Scenario };
              expect(res.status, `PUT ${id}`).toBe(200);
              k.version = body.version;
              k.scenario = body.scenario;
              k.pending = null;
              acknowledged++;
              acksThisCycle++;
            } catch (e) {
              if (!killed) throw e;
              // Not answered: k.pending stays, to be resolved after the restart.
            } finally {
              k.busy = false;
            }
          } else {
            try {
              const res = await fetch(`${server.url}/api/v1/scenarios`, {
                method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(scenario),
              });
              const body = (await res.json()) as { id: string; version: number; scenario: Scenario };
              expect(res.status, 'POST').toBe(201);
              known.set(body.id, { version: body.version, scenario: body.scenario, pending: null, busy: false });
              acknowledged++;
              acksThisCycle++;
            } catch (e) {
              if (!killed) throw e;
            }
          }
          if (acksThisCycle >= killAfter) kill();
        }
      };
      await Promise.all(Array.from({ length: WRITERS }, writer));
      expect(await server.exited).toBeNull();
    }

    console.log(`durability: ${KILLS} kills (seed ${SEED}), ${acknowledged} acknowledged writes, ${known.size} scenarios, ${checked} checks after restarts`);
    expect(acknowledged).toBeGreaterThan(KILLS * 3);
  }, 240_000);
});
