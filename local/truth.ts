/**
 * "Does the store equal the truth?" for the sandbox and the tests: every live schedule has a PRESENT
 * item with exactly its spec, and every PRESENT item is a live schedule.
 */
import { isDeepStrictEqual } from 'node:util';
import { paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { specOfRecord } from '../functions/core/records';
import { protectInput, type InputPolicy } from '../functions/core/target-input';
import { isMetadataItem, type ScheduleRecord, type ScheduleSpec } from '../functions/core/types';

/** Every item of the table but its own records (registry, stack records: no schedules): live items, tombstones, group markers. */
export async function scanStore(doc: DynamoDBDocumentClient, tableName: string): Promise<ScheduleRecord[]> {
  const items: ScheduleRecord[] = [];
  for await (const page of paginateScan({ client: doc }, { TableName: tableName, ConsistentRead: true })) {
    items.push(...((page.Items ?? []) as ScheduleRecord[]).filter((item) => !isMetadataItem(item)));
  }
  return items.sort((a, b) => `${a.groupName}/${a.scheduleName}`.localeCompare(`${b.groupName}/${b.scheduleName}`));
}

export interface Disagreement {
  /** `group/name`. */
  key: string;
  message: string;
}

/**
 * Every schedule on which the store and the truth disagree; empty when the store matches. `policy`: the
 * target-input rule the observer ran with (config targetInput): the truth is compared as the store should hold it.
 */
export function storeTruthDisagreements(items: readonly ScheduleRecord[], truth: readonly ScheduleSpec[], policy: InputPolicy = { mode: 'full' }): Disagreement[] {
  const problems: Disagreement[] = [];
  const live = new Map(items.filter((i) => i.status === 'PRESENT').map((i) => [`${i.groupName}/${i.scheduleName}`, i]));
  for (const original of truth) {
    const spec = protectInput(original, policy);
    const key = `${spec.groupName}/${spec.name}`;
    const item = live.get(key);
    if (!item) problems.push({ key, message: `${key} exists but the store has no live item for it` });
    else if (!isDeepStrictEqual(specOfRecord(item), spec)) {
      problems.push({ key, message: `${key} differs: store ${JSON.stringify(specOfRecord(item))} vs live ${JSON.stringify(spec)}` });
    }
    live.delete(key);
  }
  for (const key of live.keys()) problems.push({ key, message: `${key} is live in the store but does not exist` });
  return problems;
}

/** Human-readable differences; empty when the store matches. */
export function compareStoreWithTruth(items: readonly ScheduleRecord[], truth: readonly ScheduleSpec[], policy?: InputPolicy): string[] {
  return storeTruthDisagreements(items, truth, policy).map((d) => d.message);
}
