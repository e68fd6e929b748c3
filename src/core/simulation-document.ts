/**
 * The deterministic projection of a scenario as one JSON document: the scenario, the summary,
 * the costing, the conventions in force, the ledger of every period and of the run-off, the
 * lending, and (when asked for) the break-even annual fee on the scenario's basis and on every
 * basis. Amounts are numbers of the scenario's currency, rounded to the cent.
 */
import { conventionsInForce } from './conventions.ts';
import { plain } from './money.ts';
import type { Projection } from './projection.ts';
import type { Scenario } from './schema.ts';
import type { BreakEvenBasis, BreakEvenFee } from './solvers.ts';

export function simulationDocument(s: Scenario, projection: Projection, breakEvenFees?: Record<BreakEvenBasis, BreakEvenFee>): Record<string, unknown> {
  return {
    scenario: s,
    summary: plain(projection.summary),
    costing: plain(projection.costing),
    conventions: conventionsInForce(s),
    periods: plain(projection.periods),
    runoff: plain(projection.runoff),
    lending: projection.lending,
    ...(breakEvenFees ? { breakEvenFee: breakEvenFees[s.costing.breakEvenBasis], breakEvenFees } : {}),
  };
}
