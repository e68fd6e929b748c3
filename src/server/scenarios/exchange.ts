/**
 * Saved scenarios as one JSON document, to move them between servers or keep them aside:
 * `{ format, formatVersion, exportedAt, scenarios: [{ name, createdAt, updatedAt, scenario }] }`.
 * An import is checked whole first, every scenario by the same schema as the API, and then
 * saved in one transaction: a file with any bad scenario imports nothing.
 */
import { parseScenario, type FieldIssue, type Scenario } from '../../core/schema.ts';
import type { ScenarioStore } from '../../storage/index.ts';
import { nameProblem } from './consistency.ts';
import { fill } from '../../core/validation.ts';
import { msg } from '../../i18n/translate.ts';

export const EXPORT_FORMAT = 'sme-guarantee-fund-simulator/scenarios';
export const EXPORT_FORMAT_VERSION = 1;
/** Most scenarios one import takes. */
export const IMPORT_MAX = 10_000;

export interface ExportedScenario {
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly scenario: unknown;
}

export interface ScenarioExport {
  readonly format: string;
  readonly formatVersion: number;
  readonly exportedAt: string;
  readonly scenarios: readonly ExportedScenario[];
  /** Saved scenarios left out because they cannot be read back, with the reason. */
  readonly skipped: readonly { id: string; name: string; problem: string }[];
}

/** Every readable saved scenario, in the order they were written (an import lists them so). */
export function exportScenarios(store: ScenarioStore, now = new Date()): ScenarioExport {
  const scenarios: ExportedScenario[] = [];
  const skipped: { id: string; name: string; problem: string }[] = [];
  for (let after = 0; ;) {
    const batch = store.exportBatch(after, 500);
    if (!batch.rows.length) break;
    after = batch.next;
    for (const r of batch.rows) {
      if ('problem' in r) skipped.push(r);
      else scenarios.push({ name: r.name, createdAt: r.createdAt, updatedAt: r.updatedAt, scenario: JSON.parse(r.json) as unknown });
    }
  }
  return { format: EXPORT_FORMAT, formatVersion: EXPORT_FORMAT_VERSION, exportedAt: now.toISOString(), scenarios, skipped };
}

/**
 * The same document as exportScenarios, written to the response in batches with the event
 * loop free between them (and the socket drained), so a large export holds no one up.
 */
export async function streamExport(store: ScenarioStore, out: NodeJS.WritableStream & { once(e: 'drain', f: () => void): unknown }, now = new Date()): Promise<void> {
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  await write(`{"format":${JSON.stringify(EXPORT_FORMAT)},"formatVersion":${EXPORT_FORMAT_VERSION},"exportedAt":${JSON.stringify(now.toISOString())},"scenarios":[`);
  const skipped: { id: string; name: string; problem: string }[] = [];
  let after = 0;
  let first = true;
  for (;;) {
    const batch = store.exportBatch(after, 200);
    if (!batch.rows.length) break;
    after = batch.next;
    let chunk = '';
    for (const r of batch.rows) {
      if ('problem' in r) {
        skipped.push(r);
        continue;
      }
      chunk += `${first ? '' : ','}{"name":${JSON.stringify(r.name)},"createdAt":${JSON.stringify(r.createdAt)},"updatedAt":${JSON.stringify(r.updatedAt)},"scenario":${r.json}}`;
      first = false;
    }
    await write(chunk);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await write(`],"skipped":${JSON.stringify(skipped)}}`);
}

export type ImportResult = { ok: true; scenarios: Scenario[] } | { ok: false; issues: FieldIssue[] };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Checks an exported document (or a bare array of scenarios); every problem is listed with its
 * place (`scenarios.3.guarantee.coverageRatio`).
 */
export function parseImport(body: unknown): ImportResult {
  const list = Array.isArray(body) ? body : isObject(body) ? body.scenarios : undefined;
  const issues: FieldIssue[] = [];
  if (isObject(body) && body.format !== undefined && body.format !== EXPORT_FORMAT) {
    issues.push({ path: 'format', message: fill(msg('must be “{format}” (a file exported by this simulator)'), { format: EXPORT_FORMAT }) });
  }
  if (isObject(body) && body.formatVersion !== undefined && body.formatVersion !== EXPORT_FORMAT_VERSION) {
    issues.push({ path: 'formatVersion', message: fill(msg('must be {version}'), { version: EXPORT_FORMAT_VERSION }) });
  }
  if (!Array.isArray(list)) {
    issues.push({ path: 'scenarios', message: msg('must be a list of scenarios (the file written by the export)') });
    return { ok: false, issues };
  }
  if (list.length === 0) issues.push({ path: 'scenarios', message: msg('is empty: there is nothing to import') });
  if (list.length > IMPORT_MAX) issues.push({ path: 'scenarios', message: fill(msg('has {count} scenarios; at most {max} are imported at once'), { count: list.length, max: IMPORT_MAX.toLocaleString('en') }) });
  if (issues.length) return { ok: false, issues };
  const scenarios: Scenario[] = [];
  list.forEach((item, i) => {
    // An exported entry wraps its scenario; a bare scenario is taken as it is.
    const raw = isObject(item) && isObject(item.scenario) ? item.scenario : item;
    const where = isObject(item) && isObject(item.scenario) ? `scenarios.${i}.scenario` : `scenarios.${i}`;
    const parsed = parseScenario(raw);
    const bad = parsed.ok ? nameProblem(parsed.value.name) : null;
    if (parsed.ok && bad) issues.push({ path: `${where}.name`, message: bad });
    else if (parsed.ok) scenarios.push(parsed.value);
    else issues.push(...parsed.issues.map((x) => ({ path: `${where}.${x.path}`, message: x.message })));
  });
  return issues.length ? { ok: false, issues: issues.slice(0, 1000) } : { ok: true, scenarios };
}
