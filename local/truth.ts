/**
 * "Does the store equal the truth?" for the sandbox and the tests: every live schedule has a PRESENT
 * item with exactly its spec, and every PRESENT item is a live schedule.
 */
import { isDeepStrictEqual } from 'node:util';
import { paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { specOfRecord } from '../functions/core/records';
import type { ScheduleRecord, ScheduleSpec } from '../functions/core/types';

export async function scanStore(doc: DynamoDBDocumentClient, tableName: string): Promise<ScheduleRecord[]> {
  const items: ScheduleRecord[] = [];
  for await (const page of paginateScan({ client: doc }, { TableName: tableName, ConsistentRead: true })) {
    items.push(...((page.Items ?? []) as ScheduleRecord[]));
  }
  return items.sort((a, b) => `${a.groupName}/${a.scheduleName}`.localeCompare(`${b.groupName}/${b.scheduleName}`));
}

/** Human-readable differences; empty when the store matches. */
export function compareStoreWithTruth(items: ScheduleRecord[], truth: ScheduleSpec[]): string[] {
  const problems: string[] = [];
  const live = new Map(items.filter((i) => i.status === 'PRESENT').map((i) => [`${i.groupName}/${i.scheduleName}`, i]));
  for (const spec of truth) {
    const key = `${spec.groupName}/${spec.name}`;
    const item = live.get(key);
    if (!item) problems.push(`${key} exists but the store has no live item for it`);
    else if (!isDeepStrictEqual(specOfRecord(item), spec)) {
      problems.push(`${key} differs: store ${JSON.stringify(specOfRecord(item))} vs live ${JSON.stringify(spec)}`);
    }
    live.delete(key);
  }
  for (const key of live.keys()) problems.push(`${key} is live in the store but does not exist`);
  return problems;
}
