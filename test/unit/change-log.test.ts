/**
 * The change log (functions/core/change-log.ts): the monitor records which keys a batch may write, and until when,
 * before it writes; the report step re-reads only the drift items the log shows written around their read or
 * later. Table-driven rules, the report's selective re-check on in-memory ports, and the monitor's order of work.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { expect } from 'chai';
import type { TruthPort } from '../../functions/core/apply-change';
import {
  bucketOf,
  bucketsBetween,
  CHANGE_LOG_MARGIN_MS,
  changedKeysOf,
  changedSinceRead,
  changeKey,
  CHANGE_LOG_KEYS_PER_ITEM,
  changeLogRecords,
  MAX_WRITER_MS,
  runWindow,
  type ChangedKey,
} from '../../functions/core/change-log';
import { finishRun } from '../../functions/core/finish-run';
import { reconcileBatch, startRun, type BatchCursor } from '../../functions/core/reconcile';
import { presentRecord } from '../../functions/core/records';
import type { DriftReport } from '../../functions/core/report';
import type { ChangeMeta, SchedulerChange, ScheduleSpec } from '../../functions/core/types';
import { createMonitorHandler } from '../../functions/handlers/monitor-handler';
import { captureMetrics } from '../../local/emf';
import { SILENT_LOGGER } from '../../local/pipeline';
import { MemoryObjects } from '../support/memory-objects';
import { MemoryReconcileStore } from '../support/memory-reconcile-store';
import { GROUP, OneGroupScheduler, spec } from '../support/one-group-scheduler';
import { sqsRecord } from '../support/sqs-record';

const T = Date.parse('2026-12-02T10:00:00.000Z');

describe('change log', () => {
  describe('rules', () => {
    it('names a schedule group/name and a whole group group/*', () => {
      expect(changeKey({ groupName: 'default', scheduleName: 'a.b-c_d' })).to.equal('default/a.b-c_d');
      expect(changeKey({ groupName: 'billing' })).to.equal('billing/*');
    });

    it('buckets by minute of recording, in partitions no group can have', () => {
      expect(bucketOf(T)).to.equal('#changed#2026-12-02T10:00');
      expect(bucketOf(T + 59_999)).to.equal('#changed#2026-12-02T10:00');
      expect(bucketOf(T + 60_000)).to.equal('#changed#2026-12-02T10:01');
      expect(bucketOf(T - 1)).to.equal('#changed#2026-12-02T09:59');
      expect(bucketsBetween(T - 1, T + 60_000)).to.deep.equal(['#changed#2026-12-02T09:59', '#changed#2026-12-02T10:00', '#changed#2026-12-02T10:01']);
      expect(bucketsBetween(T + 10, T + 20)).to.deep.equal(['#changed#2026-12-02T10:00']);
    });

    it('records a batch in one entry, and a batch of more keys than an item holds in several', () => {
      const keys = Array.from({ length: CHANGE_LOG_KEYS_PER_ITEM + 1 }, (_, i) => ({ groupName: 'g', scheduleName: `s${i}` }));
      const records = changeLogRecords(keys, T, T + 30_000, 'id');
      expect(records.map((r) => [r.groupName, r.scheduleName, r.keys.length, r.until, r.expiresAt])).to.deep.equal([
        ['#changed#2026-12-02T10:00', `${T + 30_000}#id#0`, CHANGE_LOG_KEYS_PER_ITEM, T + 30_000, (T + 30_000) / 1000 + 86_400],
        ['#changed#2026-12-02T10:00', `${T + 30_000}#id#1`, 1, T + 30_000, (T + 30_000) / 1000 + 86_400],
      ]);
      expect(records[1]!.keys).to.deep.equal([`g/s${CHANGE_LOG_KEYS_PER_ITEM}`]);
      // The largest keys (64-character group and name) still fit DynamoDB's 400 KB item limit.
      const longest = changeLogRecords(keys.map((_, i) => ({ groupName: 'g'.repeat(64), scheduleName: `${i}`.padEnd(64, 'x') })), T, T, 'id')[0]!;
      expect(Buffer.byteLength(JSON.stringify(longest))).to.be.below(400 * 1024);
    });

    const meta: ChangeMeta = { eventId: 'e', eventName: 'X', eventTime: '2026-12-02T10:00:00Z', version: T, awsRegion: 'us-east-1', accountId: '123456789012' };
    const cases: Array<{ reason: string; changes: SchedulerChange[]; keys: ChangedKey[] }> = [
      { reason: 'a create, an update and a delete write their schedule', changes: [
        { kind: 'createSchedule', groupName: 'g', scheduleName: 'a', meta },
        { kind: 'updateSchedule', groupName: 'g', scheduleName: 'b', meta },
        { kind: 'deleteSchedule', groupName: 'h', scheduleName: 'a', meta },
      ], keys: [{ groupName: 'g', scheduleName: 'a' }, { groupName: 'g', scheduleName: 'b' }, { groupName: 'h', scheduleName: 'a' }] },
      { reason: 'a group deletion may tombstone every item of the group', changes: [{ kind: 'deleteGroup', groupName: 'g', meta }], keys: [{ groupName: 'g' }] },
      { reason: 'a new group and an ignored event write nothing', changes: [{ kind: 'createGroup', groupName: 'g', meta }, { kind: 'ignored', reason: 'failed call', meta }], keys: [] },
      { reason: 'two events of one schedule are one key', changes: [
        { kind: 'createSchedule', groupName: 'g', scheduleName: 'a', meta },
        { kind: 'deleteSchedule', groupName: 'g', scheduleName: 'a', meta },
      ], keys: [{ groupName: 'g', scheduleName: 'a' }] },
    ];
    for (const c of cases) {
      it(`records the keys a batch may write: ${c.reason}`, () => {
        expect(changedKeysOf(c.changes)).to.deep.equal(c.keys);
      });
    }

    const readFrom = T;
    const windowCases: Array<{ reason: string; entries: Array<[string, number]>; changed: boolean }> = [
      { reason: 'no writer of the key', entries: [['g/other', T + 1_000]], changed: false },
      { reason: 'a writer done long before the read', entries: [['g/s', readFrom - CHANGE_LOG_MARGIN_MS - 1]], changed: false },
      { reason: 'a writer done just before the read (an eventually consistent read may miss it)', entries: [['g/s', readFrom - CHANGE_LOG_MARGIN_MS]], changed: true },
      { reason: 'a writer at work during the read', entries: [['g/s', readFrom + 5_000]], changed: true },
      { reason: 'a writer of the whole group', entries: [['g/*', readFrom + 5_000]], changed: true },
      { reason: 'a writer of another group', entries: [['h/*', readFrom + 5_000], ['h/s', readFrom + 5_000]], changed: false },
    ];
    for (const c of windowCases) {
      it(`decides whether an item may have changed since it was read: ${c.reason} → ${c.changed}`, () => {
        expect(changedSinceRead(new Map(c.entries), { groupName: 'g', scheduleName: 's' }, readFrom)).to.equal(c.changed);
      });
    }

    it('reads, for a run, every bucket a writer still at work after the start can be in', () => {
      const window = runWindow(T, T + 600_000);
      expect(window.fromMs).to.equal(T - CHANGE_LOG_MARGIN_MS - MAX_WRITER_MS);
      expect(window.toMs).to.equal(T + 600_000 + CHANGE_LOG_MARGIN_MS);
    });
  });

  describe("the report step's re-check", () => {
    /** An emptied store's run over 2,000 schedules (every one MISSING_IN_STORE); `during` plays the observer. */
    async function run(during: (store: MemoryReconcileStore, sweepStartedAtMs: number) => Promise<void>): Promise<{ report: DriftReport; store: MemoryReconcileStore }> {
      const live = new Map<string, ScheduleSpec>();
      for (let i = 0; i < 2_000; i++) live.set(`s${String(i).padStart(4, '0')}`, spec(`s${String(i).padStart(4, '0')}`));
      const store = new MemoryReconcileStore();
      const objects = new MemoryObjects();
      let now = T;
      const deps = { scheduler: new OneGroupScheduler(live), store, objects, now: () => now };
      const started = await startRun({ input: { mode: 'report', groups: [GROUP] }, runId: 'recheck', startedAt: new Date(T).toISOString() }, deps);
      let cursor: BatchCursor | null = null;
      for (;;) {
        now += 1_000;
        const result = await reconcileBatch({ run: started.run, group: started.groups[0]!, cursor }, deps);
        if (result.done) break;
        cursor = result.cursor;
      }
      await during(store, now);
      let report: DriftReport | undefined;
      await finishRun({ run: started.run }, { objects, store, now: () => new Date(now + 5_000), onReport: (r) => (report = r) });
      return { report: report!, store };
    }
    const stamp = (ms: number) => ({ version: ms, eventId: `e-${ms}`, readAt: ms, observedVia: 'event' as const, now: new Date(ms) });

    it('reads again only the drift items the observer wrote during the run, and reports those it fixed as NOT_CHECKED', async () => {
      const { report, store } = await run(async (s, at) => {
        // Three events fixed their schedules after the sweep read them; a fourth was recorded and lost its write.
        const fixed = ['s0007', 's1000', 's1999'];
        await s.recordChanges([...fixed, 's0500'].map((scheduleName) => ({ groupName: GROUP, scheduleName })), at, at + 30_000);
        for (const name of fixed) await s.putPresent(presentRecord(spec(name), stamp(at)));
      });
      expect(store.batchGetKeys, 'the four logged drift items, and no other').to.equal(4);
      expect(report.counts).to.include({ MISSING_IN_STORE: 1_997, NOT_CHECKED: 3 });
      expect(report.items.filter((i) => i.kind === 'NOT_CHECKED').map((i) => [i.scheduleName, 'reason' in i ? i.reason : undefined])).to.deep.equal([
        ['s0007', 'STORE_CHANGED_AFTER_START'],
        ['s1000', 'STORE_CHANGED_AFTER_START'],
        ['s1999', 'STORE_CHANGED_AFTER_START'],
      ]);
    });

    it('reads no item again when the log shows only writes done before the reads', async () => {
      const { report, store } = await run(async (s) => {
        await s.recordChanges([{ groupName: GROUP, scheduleName: 's0001' }, { groupName: GROUP }], T - 600_000, T - 590_000);
      });
      expect(store.batchGetKeys).to.equal(0);
      expect(report.counts.MISSING_IN_STORE).to.equal(2_000);
    });

    it('reads the whole group again after a group deletion was recorded during the run', async () => {
      const { report, store } = await run(async (s, at) => {
        await s.recordChanges([{ groupName: GROUP }], at, at + 30_000);
      });
      expect(store.batchGetKeys).to.equal(2_000);
      expect(report.counts.MISSING_IN_STORE, 'nothing was written: all still drift').to.equal(2_000);
    });
  });

  describe('the monitor', () => {
    const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/cloudtrail', `${name}.json`), 'utf8');
    const record = sqsRecord;
    const truth: TruthPort = {
      getSchedule: async (groupName, scheduleName) => ({ ...spec(scheduleName), groupName }),
      getScheduleGroupState: async () => 'ACTIVE',
    };
    const now = () => new Date('2026-03-07T00:55:00Z');
    const event = { Records: [record('m-create', fixture('create-schedule')), record('m-group', fixture('create-schedule-group'))] } as SQSEvent;

    it('records the keys it may write, until its invocation deadline, before it writes', async () => {
      const store = new MemoryReconcileStore();
      const order: string[] = [];
      const changeLog = {
        recordChanges: async (keys: readonly ChangedKey[], atMs: number, untilMs: number) => {
          order.push(`log ${keys.map(changeKey).join(',')} ${atMs} ${untilMs - atMs}`);
          await store.recordChanges(keys, atMs, untilMs);
        },
      };
      const written = store.putPresent.bind(store);
      store.putPresent = async (item) => (order.push(`write ${item.groupName}/${item.scheduleName}`), written(item));
      const handler = createMonitorHandler({ store, changeLog, truth, tombstoneTtlDays: 30, now, logger: SILENT_LOGGER(), metrics: captureMetrics().metrics });
      const response = await handler(event, { getRemainingTimeInMillis: () => 29_000 } as never);
      expect(response.batchItemFailures).to.deep.equal([]);
      expect(order).to.deep.equal([`log default/nightly-report ${now().getTime()} 29000`, 'write default/nightly-report']);
    });

    it('writes nothing and returns every record to SQS when the log cannot be written', async () => {
      const store = new MemoryReconcileStore();
      const metrics = captureMetrics();
      const changeLog = { recordChanges: async () => Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' })) };
      const handler = createMonitorHandler({ store, changeLog, truth, tombstoneTtlDays: 30, now, logger: SILENT_LOGGER(), metrics: metrics.metrics });
      const response = await handler(event);
      expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: 'm-create' }, { itemIdentifier: 'm-group' }]);
      expect(store.items.size).to.equal(0);
      expect(metrics.totals()).to.include({ EventsReceived: 2, EventsFailed: 2 });
    });
  });
});
