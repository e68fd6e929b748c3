/**
 * The run-off against the figures the WebAssembly run-off gave (runoff-reference.json, recorded
 * with runoff-fingerprint.ts before the TypeScript run-off replaced it): every preset, annual
 * and quarterly, run off to the last claim, the deterministic projection and Monte Carlo paths
 * with their binomial draws, within 1e-9 relative. A change to the run-off's economics changes
 * these figures on purpose: record them again from the new run-off
 * (`RECORD_RUNOFF_REFERENCE=1 npx vitest run test/core/runoff-reference.test.ts`) and say why
 * in the commit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINGERPRINT_CASES, fingerprint, type Fingerprint } from './runoff-fingerprint.ts';

const file = new URL('./runoff-reference.json', import.meta.url);
if (process.env.RECORD_RUNOFF_REFERENCE) {
  const fingerprints = FINGERPRINT_CASES.map(([preset, period]) => fingerprint(preset, period));
  writeFileSync(file, `[\n${fingerprints.map((f) => JSON.stringify(f)).join(',\n')}\n]\n`);
}
const reference = JSON.parse(readFileSync(file, 'utf8')) as Fingerprint[];

/** The keys and indices whose numbers are further apart than 1e-9 relative. */
function differences(actual: Record<string, number[]>, expected: Record<string, number[]>): string[] {
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  const found: string[] = [];
  for (const key of keys) {
    const a = actual[key] ?? [];
    const b = expected[key] ?? [];
    if (a.length !== b.length) found.push(`${key}: ${a.length} values vs ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (!(x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)))) found.push(`${key}[${i}]: ${x} vs ${y}`);
    }
  }
  return found;
}

describe('the run-off reproduces the WebAssembly run-off\'s figures', () => {
  it('has a reference for every preset and period', () => {
    expect(reference.map((r) => [r.preset, r.period])).toEqual(FINGERPRINT_CASES.map(([p, q]) => [p, q]));
  });

  it.each(FINGERPRINT_CASES)('%s, %s', (preset, period) => {
    const expected = reference.find((r) => r.preset === preset && r.period === period)!;
    const actual = fingerprint(preset, period);
    expect(differences(actual.projection, expected.projection)).toEqual([]);
    expect(differences(actual.paths, expected.paths)).toEqual([]);
  });
});
