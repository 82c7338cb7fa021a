/**
 * "Does the store equal the truth?", per schedule key, for the properties. The comparison is local/truth.ts's
 * `storeTruthDisagreements` (the one the sandbox and the integration tests use); this keeps which keys disagree.
 */
import type { ScheduleRecord, ScheduleSpec } from '../../../functions/core/types';
import { storeTruthDisagreements } from '../../../local/truth';

/** Keys (`group/name`) where the store and the truth disagree (a live schedule without its exact PRESENT item, or the reverse). */
export function disagreeingKeys(items: readonly ScheduleRecord[], truth: readonly ScheduleSpec[]): Set<string> {
  return new Set(storeTruthDisagreements(items, truth).map((d) => d.key));
}

/** The property's fixed seed and run count: `PROPERTY_RUNS` (default 1,000) runs, 10,000 in `npm run test:soak`. */
export function propertyParameters(seed: number): { seed: number; numRuns: number } {
  return { seed, numRuns: Number(process.env.PROPERTY_RUNS ?? 1000) };
}
