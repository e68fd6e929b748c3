/**
 * Import benchmark: a 1,000,000-row loan tape (the synthetic generator, about 125 MB of CSV)
 * written to a temporary folder, then read, checked and loaded as the CLI and the web app do
 * (streaming CSV parse, every row checked), then calibrated. Prints and writes
 * bench/results/import.json: time of each step and peak memory (resident set, sampled every 50 ms).
 * Speed is measured here, never in tests. `npm run bench:import [-- ROWS]`.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { calibrate } from '../src/core/calibration/estimate.ts';
import { guessMapping } from '../src/core/calibration/fields.ts';
import { generateTape, loanCsvLine, SAMPLE_HEADERS, SAMPLE_PARAMETERS } from '../src/core/calibration/synthetic.ts';
import { importTape, previewTape } from '../src/storage/loan-tape-reader.ts';

const rows = Number(process.argv[2] ?? 1_000_000);
const years = 12;
const dir = mkdtempSync(join(tmpdir(), 'cgf-import-'));
const file = join(dir, 'tape.csv');
let peak = 0;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
try {
  // Written in yearly slices so the generator's loans never all sit in memory at once.
  const out = createWriteStream(file);
  out.write(`${SAMPLE_HEADERS.join(',')}\n`);
  let line = 1;
  for (let y = 0; y < years; y++) {
    const tape = generateTape({ ...SAMPLE_PARAMETERS, seed: 100 + y, firstYear: SAMPLE_PARAMETERS.firstYear, years, loansPerYear: Math.ceil(rows / years / years) });
    for (const l of tape.loans) {
      if (line > rows) break;
      if (!out.write(`${loanCsvLine({ ...l, id: `L${y}-${l.id}` })}\n`)) await once(out, 'drain');
      line++;
    }
  }
  out.end();
  await once(out, 'finish');
  const bytes = statSync(file).size;
  peak = 0;
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const preview = await previewTape(file, 'csv');
  const result = await importTape(file, 'csv', guessMapping(preview.headers), null);
  const t1 = performance.now();
  if (!result.table) throw new Error(`bad rows: ${result.errors.slice(0, 3).map((e) => `${e.line}: ${e.message}`).join('; ')}`);
  const importPeak = Math.max(peak, process.memoryUsage().rss);
  const cal = calibrate(result.table);
  const t2 = performance.now();
  clearInterval(timer);
  const report = {
    rows: result.rows, fileMegabytes: Math.round(bytes / 1e5) / 10,
    importSeconds: Math.round((t1 - t0) / 10) / 100, rowsPerSecond: Math.round(result.rows / ((t1 - t0) / 1000)),
    calibrateSeconds: Math.round((t2 - t1) / 10) / 100,
    rssBeforeMegabytes: Math.round(rssBefore / 1e6), peakRssImportMegabytes: Math.round(importPeak / 1e6), peakRssMegabytes: Math.round(Math.max(peak, importPeak) / 1e6),
    loansCalibrated: cal.loans, node: process.version, date: new Date().toISOString().slice(0, 10),
  };
  console.table(report);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/import.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
} finally {
  clearInterval(timer);
  rmSync(dir, { recursive: true, force: true });
}
