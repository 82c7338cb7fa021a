/**
 * Starts and stops the local engines for one mocha suite: dynalite with the state-store table, and
 * (optionally) the local Scheduler model with a real SchedulerClient pointed at it.
 */
import { randomUUID } from 'node:crypto';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';
import { ScheduleStore } from '../../functions/adapters/store';

export interface StoreFixture {
  dynamo: LocalDynamo;
  store: ScheduleStore;
}

/** A fresh table per call (dynalite is shared by the suite; table names must be ≥ 3 characters). */
export async function freshStore(dynamo: LocalDynamo): Promise<ScheduleStore> {
  const tableName = `state-${randomUUID().slice(0, 8)}`;
  await dynamo.createStateStoreTable(tableName);
  return new ScheduleStore(dynamo.doc, tableName);
}

export async function withDynamo(): Promise<LocalDynamo> {
  return startLocalDynamo();
}
