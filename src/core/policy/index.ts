/**
 * Policy analyses over the calculation core (issue 5, parts 1 and 2): the same public budget
 * spent as a guarantee fund, a microfinance institution, a revolving loan fund or an interest
 * subsidy; and sensitivity, sweeps and search over a guarantee fund scenario. Pure functions,
 * no I/O: the CLI, the API and worker threads are shells over them.
 */
export * from './budget.ts';
export type { Assumption, DocumentedDefault } from './fields.ts';
export * from './guarantee.ts';
export * from './loanbook.ts';
export * from './microfinance.ts';
export * from './parameters.ts';
export * from './report.ts';
export * from './revolving.ts';
export * from './sensitivity.ts';
export * from './subsidy.ts';
export * from './target.ts';
