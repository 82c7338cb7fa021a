/**
 * "Does the store equal the truth?", per schedule key, for the properties. The comparison is local/truth.ts's
 * `compareStoreWithTruth` (the one the sandbox and the integration tests use); this adds which keys disagree.
 */
import { isDeepStrictEqual } from 'node:util';
import { specOfRecord } from '../../../functions/core/records';
import type { ScheduleRecord, ScheduleSpec } from '../../../functions/core/types';
import { keyOf } from './history-player';

/** Keys where the store and the truth disagree (a live schedule without its exact PRESENT item, or the reverse). */
export function disagreeingKeys(items: readonly ScheduleRecord[], truth: readonly ScheduleSpec[]): Set<string> {
  const live = new Map(items.filter((i) => i.status === 'PRESENT').map((i) => [keyOf(i.groupName, i.scheduleName), i]));
  const keys = new Set<string>();
  for (const spec of truth) {
    const key = keyOf(spec.groupName, spec.name);
    const item = live.get(key);
    if (!item || !isDeepStrictEqual(specOfRecord(item), spec)) keys.add(key);
    live.delete(key);
  }
  for (const key of live.keys()) keys.add(key);
  return keys;
}

/** The property's fixed seed and run count: `PROPERTY_RUNS` (default 1,000) runs, 10,000 in `npm run test:soak`. */
export function propertyParameters(seed: number): { seed: number; numRuns: number } {
  return { seed, numRuns: Number(process.env.PROPERTY_RUNS ?? 1000) };
}
