/**
 * Engines for test suites: a fresh state-store table on a shared dynalite, per test (table names must be ≥ 3
 * characters), and one dynalite and local S3 per suite.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleStore } from '../../functions/adapters/store';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';
import { startLocalS3, type LocalS3 } from '../../local/s3';

export async function freshStore(dynamo: LocalDynamo): Promise<ScheduleStore> {
  const tableName = `state-${randomUUID().slice(0, 8)}`;
  await dynamo.createStateStoreTable(tableName);
  return new ScheduleStore(dynamo.doc, tableName);
}

/** Mocha hooks: one dynalite and one local S3 for the suite (call inside a `describe`; read them in hooks and tests). */
export function suiteEngines(): { readonly dynamo: LocalDynamo; readonly s3: LocalS3 } {
  const engines = {} as { dynamo: LocalDynamo; s3: LocalS3 };
  before(async () => {
    engines.dynamo = await startLocalDynamo();
    engines.s3 = await startLocalS3();
  });
  after(async () => {
    await engines.s3.close();
    await engines.dynamo.close();
  });
  return engines;
}
