/**
 * The in-process stand-ins the properties run on answer as the engines they stand for:
 * - MemoryReconcileStore's observer writes (decideWrite) apply and reject exactly as ScheduleStore's
 *   WRITE_CONDITION does on dynalite, over generated write sequences (so a change to either side fails here);
 * - InProcessScheduler's client, through the real adapters, answers GetSchedule / ListSchedules /
 *   ListScheduleGroups as the HTTP model does through the SDK, for the same calls at the same clock;
 * - MemoryReconcileStore's conditional repairs (the "unchanged since read" rule) decide as ReconcileStore
 *   does on dynalite.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import fc from 'fast-check';
import { SchedulerLister } from '../../functions/adapters/scheduler';
import { ReconcileStore, ScheduleStore } from '../../functions/adapters/store';
import { presentRecord, tombstoneFields } from '../../functions/core/records';
import type { ScheduleRecord } from '../../functions/core/types';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';
import { startSchedulerModel } from '../../local/scheduler';
import { MemoryReconcileStore } from '../support/memory-reconcile-store';
import { HistoryPlayer } from '../support/property/history-player';
import type { TimedOperation } from '../support/property/histories';
import { InProcessScheduler } from '../support/property/in-process-scheduler';
import { VirtualClock } from '../support/property/virtual-clock';
import { propertyParameters } from '../support/property/store-vs-truth';
import { markerOf, presentOf, storeWritesArbitrary, tombstoneOf, unreadableOf, type StoreWrite } from '../support/property/write-sequences';

describe('in-process stand-ins', function () {
  this.timeout(60_000);

  it('answers Scheduler reads as the HTTP model does through the SDK', async () => {
    // Prepare: the same history on both, each with its own clock at the same readings.
    const inProcessClock = new VirtualClock();
    const httpClock = new VirtualClock();
    const inProcess = new InProcessScheduler(inProcessClock, () => {});
    const http = await startSchedulerModel({ now: () => httpClock.now() });
    const client = new SchedulerClient(http.clientConfig());
    try {
      const history: TimedOperation[] = [
        { gapMs: 0, op: { kind: 'write', group: 'g1', name: 's0', variant: 5 } },
        { gapMs: 250, op: { kind: 'write', group: 'g1', name: 's0', variant: 1 } },
        { gapMs: 0, op: { kind: 'createOneTime', group: 'default', name: 's1' } },
        { gapMs: 1_333, op: { kind: 'write', group: 'g2', name: 's2', variant: 2 } },
        { gapMs: 1, op: { kind: 'deleteAndRecreate', group: 'default', name: 's3', variant: 3 } },
      ];
      // The write path is the same SchedulerOperations class on both; the HTTP model gets the resulting state.
      const player = new HistoryPlayer(inProcess, inProcessClock);
      for (const step of history) player.play(step);
      http.seed([...inProcess.operations.store.allSchedules()].map(({ schedule }) => schedule));
      const inProcessLister = inProcess.lister();
      const httpLister = new SchedulerLister(client);
      // Act / Assess
      expect(await inProcessLister.listGroupNames()).to.deep.equal(await httpLister.listGroupNames());
      for (const group of ['default', 'g1', 'g2', 'missing']) {
        expect(await inProcessLister.listSchedulesPage(group), group).to.deep.equal(await httpLister.listSchedulesPage(group));
        for (const name of ['s0', 's1', 's2', 's3', 'none']) {
          expect(await inProcessLister.getSchedule(group, name), `${group}/${name}`).to.deep.equal(await httpLister.getSchedule(group, name));
        }
      }
      expect(inProcess.snapshot()).to.deep.equal(http.snapshot());
    } finally {
      client.destroy();
      await http.close();
    }
  });

  describe('observer writes', function () {
    // 1,000 runs on dynalite take about 20 s; test:soak's 10,000 about 4 minutes.
    this.timeout(600_000);
    let dynamo: LocalDynamo;
    let tableName: string;
    before(async () => {
      dynamo = await startLocalDynamo();
      tableName = 'stand-in-writes';
      await dynamo.createStateStoreTable(tableName);
    });
    after(async () => dynamo.close());

    /** One write on one store; the answer is whether it applied. */
    async function play(store: ScheduleStore | MemoryReconcileStore, group: string, write: StoreWrite): Promise<boolean | 'raw'> {
      switch (write.op) {
        case 'present':
          return (await store.putPresent(presentOf(group, write))).applied;
        case 'tombstone':
          return (await store.putTombstone({ groupName: group, scheduleName: write.name }, tombstoneOf(write), { onlyOverLive: write.onlyOverLive })).applied;
        case 'groupDeletion':
          return (await store.putGroupDeletion(markerOf(group, write))).applied;
        case 'unreadable':
          return (await store.markUnreadable({ groupName: group, scheduleName: write.name }, unreadableOf(write))).applied;
        case 'raw': {
          const item = { ...write.item, groupName: group, scheduleName: write.name };
          if (store instanceof ScheduleStore) await dynamo.doc.send(new PutCommand({ TableName: tableName, Item: item }));
          else store.items.set(`${group}/${write.name}`, JSON.parse(JSON.stringify(item)));
          return 'raw';
        }
      }
    }

    it('applies and rejects the same writes as WRITE_CONDITION on dynalite, and ends with the same items', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(storeWritesArbitrary, async (writes) => {
          // Prepare: a group of its own per run, so one table serves every run.
          const group = `run-${run++}`;
          const real = new ScheduleStore(dynamo.doc, tableName);
          const memory = new MemoryReconcileStore();
          // Act / Assess: write by write.
          for (const [index, write] of writes.entries()) {
            const expected = await play(real, group, write);
            expect(await play(memory, group, write), `write ${index}: ${JSON.stringify(write)}`).to.equal(expected);
          }
          const items: unknown[] = [];
          for await (const summary of real.listGroup(group)) items.push(await real.get({ groupName: group, scheduleName: summary.scheduleName }));
          expect(memory.scan(), JSON.stringify(writes)).to.deep.equal(items);
        }),
        propertyParameters(0x5eed05),
      );
    });
  });

  describe('conditional repairs', () => {
    let dynamo: LocalDynamo;
    before(async () => {
      dynamo = await startLocalDynamo();
    });
    after(async () => dynamo.close());

    const spec = { groupName: 'g', name: 's', scheduleExpression: 'rate(1 minute)', state: 'ENABLED' as const, flexibleTimeWindow: { mode: 'OFF' as const }, target: { arn: 'arn:aws:sqs:us-east-1:123456789012:q', roleArn: 'arn:aws:iam::123456789012:role/r' } };
    const stamp = (version: number, eventId: string) => ({ version, eventId, readAt: 5, observedVia: 'event' as const, now: new Date(0) });
    const stored = presentRecord(spec, stamp(1_000, 'e1'));
    /** The stored item with ordering data no write of the project produces (a hand edit, an older release). */
    const corrupt = (changes: Record<string, unknown>) => ({ ...stored, ...changes }) as unknown as ScheduleRecord;
    const cases: Array<{ reason: string; existing?: ScheduleRecord; read?: { version?: number; lastEventId?: string }; tombstone?: boolean }> = [
      { reason: 'the item has a string version and was read without one', existing: corrupt({ version: '1000' }), read: { lastEventId: 'e1' } },
      { reason: 'the item has a string version but a numeric one was read', existing: corrupt({ version: '1000' }), read: { version: 1_000, lastEventId: 'e1' } },
      { reason: 'the item has no version and was read without one', existing: corrupt({ version: undefined }), read: { lastEventId: 'e1' } },
      { reason: 'the item has a numeric lastEventId and was read without one', existing: corrupt({ lastEventId: 7 }), read: { version: 1_000 } },
      { reason: 'a tombstone over an item with no version, read without one', existing: corrupt({ version: undefined }), read: { lastEventId: 'e1' }, tombstone: true },
      { reason: 'an item with no version was read, but there is none now', read: { lastEventId: 'e1' } },
      { reason: 'no item and none was read', read: undefined },
      { reason: 'an item appeared after a read of none', existing: stored, read: undefined },
      { reason: 'the item is as read', existing: stored, read: { version: 1_000, lastEventId: 'e1' } },
      { reason: 'another event of the same version', existing: stored, read: { version: 1_000, lastEventId: 'e2' } },
      { reason: 'another version', existing: stored, read: { version: 2_000, lastEventId: 'e1' } },
      { reason: 'read without an event id', existing: stored, read: { version: 1_000 } },
      { reason: 'tombstone over the item as read', existing: stored, read: { version: 1_000, lastEventId: 'e1' }, tombstone: true },
      { reason: 'tombstone over a changed item', existing: stored, read: { version: 999, lastEventId: 'e1' }, tombstone: true },
      { reason: 'tombstone where there is no item', read: { version: 1_000, lastEventId: 'e1' }, tombstone: true },
    ];
    for (const c of cases) {
      it(`decides as ReconcileStore on dynalite when ${c.reason}`, async () => {
        const tableName = `stand-in-${Math.random().toString(36).slice(2, 8)}`;
        await dynamo.createStateStoreTable(tableName);
        const real = new ReconcileStore(dynamo.doc, tableName);
        const memory = new MemoryReconcileStore();
        if (c.existing) {
          const item = JSON.parse(JSON.stringify(c.existing)) as ScheduleRecord;
          await dynamo.doc.send(new PutCommand({ TableName: tableName, Item: item }));
          memory.items.set('g/s', item);
        }
        const repair = presentRecord({ ...spec, state: 'DISABLED' }, stamp(3_000, 'reconcile:r'));
        const key = { groupName: 'g', scheduleName: 's' };
        const fields = tombstoneFields('NOT_FOUND', stamp(3_000, 'reconcile:r'), 30);
        const write = (store: ReconcileStore | MemoryReconcileStore) =>
          c.tombstone ? store.tombstoneIfUnchanged(key, fields, c.read!) : store.putIfUnchanged(repair, c.read);
        expect(await write(memory), c.reason).to.equal(await write(real));
        const { Item } = await dynamo.doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
        expect(memory.get(key), c.reason).to.deep.equal(Item);
      });
    }
  });

  describe('the change log', () => {
    let dynamo: LocalDynamo;
    before(async () => {
      dynamo = await startLocalDynamo();
    });
    after(async () => dynamo.close());

    it('answers changesBetween as ScheduleStore.recordChanges and ReconcileStore.changesBetween do on dynalite', async () => {
      const tableName = `change-log-${Math.random().toString(36).slice(2, 8)}`;
      await dynamo.createStateStoreTable(tableName);
      const writer = new ScheduleStore(dynamo.doc, tableName);
      const reader = new ReconcileStore(dynamo.doc, tableName);
      const memory = new MemoryReconcileStore();
      const t0 = Date.parse('2026-12-02T10:00:30.000Z');
      // 60 keys in one call, a whole group, repeats with a later and an earlier deadline, and
      // entries on both sides of minute boundaries.
      const many = Array.from({ length: 60 }, (_, i) => ({ groupName: `g${i % 3}`, scheduleName: `s-${i}` }));
      const recorded: Array<[keys: Array<{ groupName: string; scheduleName?: string }>, atMs: number, untilMs: number]> = [
        [many, t0, t0 + 30_000],
        [[{ groupName: 'g0' }], t0 + 29_999, t0 + 900_000],
        [[{ groupName: 'g0', scheduleName: 's-0' }], t0 + 31_000, t0 + 90_000],
        [[{ groupName: 'g0', scheduleName: 's-0' }], t0 + 32_000, t0 + 40_000],
        [[{ groupName: 'g1', scheduleName: 's-1' }], t0 + 200_000, t0 + 260_000],
      ];
      for (const [keys, atMs, untilMs] of recorded) {
        await writer.recordChanges(keys, atMs, untilMs);
        await memory.recordChanges(keys, atMs, untilMs);
      }
      for (const [fromMs, toMs] of [[t0 - 120_000, t0 + 400_000], [t0 + 30_000, t0 + 40_000], [t0 + 100_000, t0 + 150_000], [t0 + 150_000, t0 + 200_000]] as const) {
        const expected = await memory.changesBetween(fromMs, toMs);
        expect(await reader.changesBetween(fromMs, toMs), `${fromMs - t0}..${toMs - t0}`).to.deep.equal(expected);
      }
      const all = await reader.changesBetween(t0 - 120_000, t0 + 400_000);
      expect(all.get('g0/s-0'), 'the latest deadline wins, whatever the order').to.equal(t0 + 90_000);
      expect(all.get('g0/*')).to.equal(t0 + 900_000);
      expect(all.size).to.equal(61);
      // One entry per call, expiring by the table's TTL a day after its deadline.
      const { Items } = await dynamo.doc.send(new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'groupName = :bucket',
        ExpressionAttributeValues: { ':bucket': '#changed#2026-12-02T10:03' },
      }));
      expect(Items).to.have.length(1);
      expect(Items![0]).to.deep.include({ groupName: '#changed#2026-12-02T10:03', keys: ['g1/s-1'], until: t0 + 260_000, expiresAt: Math.ceil((t0 + 260_000) / 1000) + 86_400 });
      expect(Items![0]!.scheduleName).to.match(new RegExp(`^${t0 + 260_000}#[0-9a-f-]{36}#0$`));
    });
  });
});
