/**
 * Micro-benchmark for the Monte Carlo inner loop: ns per binomial draw.
 * Run: npx tsx bench/binomial.ts [draws]   (default 10 million per case)
 * Each case is run twice; the first pass warms up the JIT and is not reported.
 */
import { createRng } from '../src/core/random/rng.ts';
import { binomial, standardNormal } from '../src/core/random/samplers.ts';

const draws = Number(process.argv[2] ?? 10_000_000);

const cases: ReadonlyArray<readonly [number, number, string]> = [
  [5, 0.3, 'inversion, tiny n'],
  [100, 0.02, 'inversion, n·p = 2'],
  [1000, 0.005, 'inversion, n·p = 5'],
  [1000, 0.02, 'BTRD, n·p = 20'],
  [10_000, 0.03, 'BTRD, n·p = 300'],
  [1_000_000, 0.03, 'BTRD, n·p = 30 000'],
  [10_000_000, 0.5, 'BTRD, n·p = 5e6'],
];

function timeBinomial(n: number, p: number): { ns: number; mean: number } {
  const rng = createRng(20240601);
  let sum = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < draws; i++) sum += binomial(rng, n, p);
  const t1 = process.hrtime.bigint();
  return { ns: Number(t1 - t0) / draws, mean: sum / draws };
}

function timeVaryingP(n: number): number {
  // Realistic use: p changes every draw (conditional PD given the systematic factor).
  const rng = createRng(7);
  let sum = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < draws; i++) sum += binomial(rng, n, 0.005 + 0.05 * (i % 97) / 97);
  const t1 = process.hrtime.bigint();
  if (sum < 0) console.log(sum);
  return Number(t1 - t0) / draws;
}

function timeNormal(): number {
  const rng = createRng(3);
  let sum = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < draws; i++) sum += standardNormal(rng);
  const t1 = process.hrtime.bigint();
  if (Number.isNaN(sum)) console.log(sum);
  return Number(t1 - t0) / draws;
}

function timeUniform(): number {
  const rng = createRng(5);
  let sum = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < draws; i++) sum += rng.nextFloat();
  const t1 = process.hrtime.bigint();
  if (Number.isNaN(sum)) console.log(sum);
  return Number(t1 - t0) / draws;
}

function timeMathRandom(): number {
  // Machine baseline, to put the other numbers in proportion across machines.
  let sum = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < draws; i++) sum += Math.random();
  const t1 = process.hrtime.bigint();
  if (Number.isNaN(sum)) console.log(sum);
  return Number(t1 - t0) / draws;
}

console.log(`node ${process.version}, ${draws.toLocaleString('en')} draws per case`);
timeMathRandom();
console.log(`Math.random (machine baseline)  ${timeMathRandom().toFixed(1).padStart(7)} ns/draw`);
timeUniform();
console.log(`nextFloat (53-bit)              ${timeUniform().toFixed(1).padStart(7)} ns/draw`);
timeNormal();
console.log(`standardNormal (inversion)      ${timeNormal().toFixed(1).padStart(7)} ns/draw`);
for (const [n, p, label] of cases) {
  timeBinomial(n, p);
  const { ns, mean } = timeBinomial(n, p);
  console.log(
    `binomial(${n}, ${p})`.padEnd(32) +
      `${ns.toFixed(1).padStart(7)} ns/draw   mean ${mean.toFixed(3)} (n·p = ${n * p})   [${label}]`,
  );
}
timeVaryingP(10_000);
console.log(`binomial(10000, p varying)      ${timeVaryingP(10_000).toFixed(1).padStart(7)} ns/draw   [BTRD, p changes per draw]`);
timeVaryingP(500);
console.log(`binomial(500, p varying)        ${timeVaryingP(500).toFixed(1).padStart(7)} ns/draw   [mixed inversion/BTRD]`);
