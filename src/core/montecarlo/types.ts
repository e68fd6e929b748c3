/** Results of a Monte Carlo run: what the CLI prints, the API returns and the web charts draw. */

/** Percentiles reported for every per-period series, in percent. */
export const PERCENTILES = [1, 5, 25, 50, 75, 95, 99] as const;
/** Confidence levels for value at risk and expected shortfall of cumulative net claims. */
export const TAIL_LEVELS = [0.95, 0.99, 0.995, 0.999] as const;

export interface MonteCarloOptions {
  readonly paths: number;
  readonly seed: number;
  /** Run each path's book off after the horizon (the lifetime view). Default true; the benchmark turns it off to compare. */
  readonly lifetime?: boolean;
  /** Paths whose capital series is kept for plotting (the first ones). */
  readonly samplePaths?: number;
}

/** Percentile bands of one quantity per period: bands[i][t] is PERCENTILES[i] at period t. */
export interface Fan {
  readonly bands: readonly (readonly number[])[];
  readonly mean: readonly number[];
}

export interface TailMeasure {
  readonly level: number;
  readonly valueAtRisk: number;
  readonly expectedShortfall: number;
}

export interface PathSummary {
  readonly path: number;
  readonly closingCapital: number;
  readonly minimumCapital: number;
  readonly cumulativeNetClaims: number;
  readonly depletionYear: number | null;
  readonly firmsSupported: number;
  readonly horizonPvFiscalCost: number;
  readonly lifetimePvFiscalCost: number;
  readonly lifetimeEconomicCost: number;
  readonly capitalCalls: number;
}

/** A per-path cost across paths: high is bad, so value at risk sits in the upper tail. */
export interface CostDistribution {
  readonly mean: number;
  readonly percentiles: readonly { readonly percentile: number; readonly value: number }[];
  readonly tail: readonly TailMeasure[];
  readonly histogram: { readonly edges: readonly number[]; readonly counts: readonly number[] };
}

/** The lifetime view of a run: every path's book run off to its last claim after the horizon. */
export interface LifetimeMonteCarlo {
  /** Years from the start to the end of the run-off. */
  readonly years: number;
  /** Share of paths whose capital fell below zero at any time, run-off included. */
  readonly probabilityOfDepletion: number;
  readonly probabilityOfDepletionByYear: readonly number[];
  readonly horizonPvFiscalCost: CostDistribution;
  readonly pvFiscalCost: CostDistribution;
  readonly economicCost: CostDistribution;
  /** Share of paths with at least one capital call, and the total called per path. */
  readonly capitalCalls: { readonly probability: number; readonly amount: CostDistribution };
}

export interface MonteCarloResult {
  readonly paths: number;
  readonly seed: number;
  readonly periodLabels: readonly string[];
  readonly capital: Fan;
  readonly claims: Fan;
  readonly leverage: Fan;
  readonly outstandingGuaranteed: Fan;
  /** Per year: share of paths whose capital fell below zero by the end of that year (cumulative). */
  readonly probabilityOfDepletion: readonly number[];
  /** Per year: share of paths whose capital ratio fell under the minimum capital ratio by then. */
  readonly probabilityBelowMinimumCapital: readonly number[];
  /** Cumulative net claims (claims paid − recoveries) over the horizon. */
  readonly netClaims: {
    readonly mean: number;
    readonly standardDeviation: number;
    readonly tail: readonly TailMeasure[];
    readonly histogram: { readonly edges: readonly number[]; readonly counts: readonly number[] };
  };
  readonly lifetime: LifetimeMonteCarlo;
  /** Capital per period of the first few paths. */
  readonly samplePaths: readonly (readonly number[])[];
  readonly pathSummaries: readonly PathSummary[];
}
