/**
 * The group registry on dynalite (issue 12): every writer registers a group before it writes a live item there,
 * and an all-groups run finds the groups that exist only in the store with a Query of the registry partition,
 * never a Scan of the table.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { ReconcileStore, ScheduleStore } from '../../functions/adapters/store';
import { presentRecord, tombstoneFields } from '../../functions/core/records';
import { startRun, findStoreOnlyGroups, type SchedulerReadPort } from '../../functions/core/reconcile';
import { GROUP_REGISTRY_PARTITION, type ScheduleSpec } from '../../functions/core/types';
import { BY_TARGET_INDEX } from '../../infra/table-schema';
import { LOCAL_CREDENTIALS, startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';
import { scanStore, storeTruthDisagreements } from '../../local/truth';
import { MemoryObjects } from '../support/memory-objects';

const NOW = new Date('2026-11-24T10:00:00Z');
const stamp = { version: NOW.getTime() - 60_000, eventId: 'e1', readAt: NOW.getTime() - 59_000, observedVia: 'event' as const, now: NOW };

const spec = (groupName: string, name: string): ScheduleSpec => ({
  groupName,
  name,
  scheduleExpression: 'rate(5 minutes)',
  state: 'ENABLED',
  flexibleTimeWindow: { mode: 'OFF' },
  target: { arn: 'arn:aws:sqs:us-east-1:123456789012:q', roleArn: 'arn:aws:iam::123456789012:role/r' },
});

/** A Document client that records the name of every command it sends. */
function countingDoc(dynamo: LocalDynamo): { doc: DynamoDBDocumentClient; commands: string[] } {
  const commands: string[] = [];
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  return { doc, commands };
}

describe('the group registry on dynalite', () => {
  let dynamo: LocalDynamo;
  let table = 0;
  before(async () => {
    dynamo = await startLocalDynamo();
  });
  after(async () => dynamo.close());

  async function freshTable(): Promise<string> {
    const name = `registry-${++table}`;
    await dynamo.createStateStoreTable(name);
    return name;
  }

  it('registers a group once per writer, before its first live item, and not for a tombstone', async () => {
    const tableName = await freshTable();
    const { doc, commands } = countingDoc(dynamo);
    const store = new ScheduleStore(doc, tableName);
    await store.putTombstone({ groupName: 'only-deleted', scheduleName: 'x' }, tombstoneFields('SCHEDULE_DELETED', stamp, 30));
    await store.putPresent(presentRecord(spec('billing', 'a'), stamp));
    await store.putPresent(presentRecord(spec('billing', 'b'), stamp));
    await store.putPresent(presentRecord(spec('reports', 'c'), stamp));
    const reader = new ReconcileStore(doc, tableName);
    expect((await reader.registeredGroupsPage(undefined, 100)).groups).to.deep.equal(['billing', 'reports']);
    // Tombstone update, then registry + item, item, registry + item, then the registry Query.
    expect(commands).to.deep.equal(['UpdateItemCommand', 'PutItemCommand', 'PutItemCommand', 'PutItemCommand', 'PutItemCommand', 'PutItemCommand', 'QueryCommand']);
  });

  it('registers the group of a repair that writes a live item, and pages the registry in name order', async () => {
    const tableName = await freshTable();
    const reader = new ReconcileStore(dynamo.doc, tableName);
    for (const group of ['zeta', 'alpha', 'mid']) await reader.putIfUnchanged(presentRecord(spec(group, 's'), stamp), undefined);
    const seen: string[] = [];
    let lastKey: Record<string, unknown> | undefined;
    do {
      const page = await reader.registeredGroupsPage(lastKey, 1);
      seen.push(...page.groups);
      lastKey = page.lastKey;
    } while (lastKey !== undefined);
    expect(seen).to.deep.equal(['alpha', 'mid', 'zeta']);
  });

  it('keeps registry items out of the live view: not live, not in the byTarget index', async () => {
    const tableName = await freshTable();
    const store = new ScheduleStore(dynamo.doc, tableName);
    await store.putPresent(presentRecord(spec('billing', 'a'), stamp));
    const { Items: all = [] } = await dynamo.doc.send(new ScanCommand({ TableName: tableName }));
    expect(all.map((i) => `${i.groupName}/${i.scheduleName}/${i.status}`)).to.have.members([`${GROUP_REGISTRY_PARTITION}/billing/GROUP_REGISTERED`, 'billing/a/PRESENT']);
    const items = await scanStore(dynamo.doc, tableName);
    expect(items.map((i) => `${i.groupName}/${i.scheduleName}`)).to.deep.equal(['billing/a']);
    expect(storeTruthDisagreements(items, [spec('billing', 'a')])).to.deep.equal([]);
    const { Items = [] } = await dynamo.doc.send(
      new QueryCommand({ TableName: tableName, IndexName: BY_TARGET_INDEX.name, KeyConditionExpression: '#t = :t', ExpressionAttributeNames: { '#t': BY_TARGET_INDEX.partition }, ExpressionAttributeValues: { ':t': spec('billing', 'a').target.arn } }),
    );
    expect(Items.map((i) => `${i.groupName}/${i.scheduleName}`)).to.deep.equal(['billing/a']);
  });

  it('finds a group that exists only in the store with one registry Query and no Scan', async () => {
    const tableName = await freshTable();
    const store = new ScheduleStore(dynamo.doc, tableName);
    await store.putPresent(presentRecord(spec('live-group', 'a'), stamp));
    await store.putPresent(presentRecord(spec('gone-group', 'b'), stamp));
    const { doc, commands } = countingDoc(dynamo);
    const scheduler: SchedulerReadPort = {
      listGroups: async () => [{ name: 'live-group', state: 'ACTIVE' }],
      listSchedulesPage: async () => ({ summaries: [] }),
      getSchedule: async () => null,
    };
    const deps = { scheduler, store: new ReconcileStore(doc, tableName), objects: new MemoryObjects() };
    let state = await startRun({ input: {}, runId: 'registry-run', startedAt: NOW.toISOString() }, deps);
    while (state.storeScan.more) state = await findStoreOnlyGroups(state, deps);
    expect(state.groups).to.deep.equal([{ name: 'live-group', live: true }, { name: 'gone-group', live: false }]);
    // The backfill record (one GetItem), then the registry (one Query): no Scan.
    expect(commands).to.deep.equal(['GetItemCommand', 'QueryCommand']);
  });
});
