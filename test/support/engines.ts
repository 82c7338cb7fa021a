/**
 * A fresh state-store table on a shared dynalite, per test (table names must be ≥ 3 characters).
 */
import { randomUUID } from 'node:crypto';
import { ScheduleStore } from '../../functions/adapters/store';
import type { LocalDynamo } from '../../local/dynamodb';

export async function freshStore(dynamo: LocalDynamo): Promise<ScheduleStore> {
  const tableName = `state-${randomUUID().slice(0, 8)}`;
  await dynamo.createStateStoreTable(tableName);
  return new ScheduleStore(dynamo.doc, tableName);
}
