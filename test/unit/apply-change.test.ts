import { expect } from 'chai';
import { applyChange, type GroupState, type TruthPort } from '../../functions/core/apply-change';
import { ScheduleUnreadableError } from '../../functions/core/errors';
import { CLOCK_TOLERANCE_MS } from '../../functions/core/ordering';
import { presentRecord, specOfRecord } from '../../functions/core/records';
import type { ChangeMeta, ScheduleSpec, SchedulerChange } from '../../functions/core/types';
import { MemoryStore } from '../support/memory-store';

const T = Date.parse('2026-11-24T10:00:00Z');
const NOW = new Date(T + 120_000);

function meta(eventId: string, seconds: number, eventName = 'X'): ChangeMeta {
  const version = T + seconds * 1000;
  return { eventId, eventName, eventTime: new Date(version).toISOString(), version, awsRegion: 'us-east-1', accountId: '123456789012' };
}

function spec(name: string, expression = 'rate(5 minutes)', groupName = 'g'): ScheduleSpec {
  return {
    groupName,
    name,
    scheduleExpression: expression,
    state: 'ENABLED',
    flexibleTimeWindow: { mode: 'OFF' },
    target: { arn: 'arn:aws:lambda:us-east-1:123456789012:function:f', roleArn: 'arn:aws:iam::123456789012:role/r' },
  };
}

class MapTruth implements TruthPort {
  reads = 0;
  constructor(
    readonly schedules = new Map<string, ScheduleSpec>(),
    readonly groups: Record<string, GroupState> = {},
  ) {}
  async getSchedule(groupName: string, name: string) {
    this.reads++;
    return this.schedules.get(`${groupName}/${name}`) ?? null;
  }
  async getScheduleGroupState(groupName: string): Promise<GroupState> {
    this.reads++;
    return this.groups[groupName] ?? 'ACTIVE';
  }
}

/** An event time far beyond the monitor's clock (NOW): a skewed clock, a hand-made or replayed event. */
function future(eventId: string, iso = '2099-01-01T00:00:00Z'): ChangeMeta {
  return { ...meta(eventId, 0), eventTime: iso, version: Date.parse(iso) };
}
const NOW_SECOND = Math.floor(NOW.getTime() / 1000) * 1000;
/** The version of a change settled from the truth because its time is not trusted: every later change beats it. */
const UNTRUSTED = NOW_SECOND - CLOCK_TOLERANCE_MS;
const deleteGroup = (m: ChangeMeta): SchedulerChange => ({ kind: 'deleteGroup', groupName: 'g', meta: m });

const create = (name: string, m: ChangeMeta): SchedulerChange => ({ kind: 'createSchedule', groupName: 'g', scheduleName: name, meta: m });
const update = (name: string, m: ChangeMeta): SchedulerChange => ({ kind: 'updateSchedule', groupName: 'g', scheduleName: name, meta: m });
const del = (name: string, m: ChangeMeta): SchedulerChange => ({ kind: 'deleteSchedule', groupName: 'g', scheduleName: name, meta: m });

interface Case {
  reason: string;
  truth: ScheduleSpec[];
  /** Changes applied first, to set the stage. */
  before: SchedulerChange[];
  change: SchedulerChange;
  outcome: string;
  truthReads: number;
  /** Expected store item for g/s1 afterwards (subset), or undefined for none. */
  item: Record<string, unknown> | undefined;
  /** GetScheduleGroup's answers (default ACTIVE). */
  groups?: Record<string, GroupState>;
  /** The event's own time, when the monitor replaced it with its clock's second. */
  clampedFrom?: string;
}

const CASES: Case[] = [
  {
    reason: 'a create is written from the truth read, not from the event payload',
    truth: [spec('s1', 'rate(1 hour)')], before: [], change: create('s1', meta('e1', 0)),
    outcome: 'applied', truthReads: 1,
    // readAt: the clock's second reading (the first checks the event time against the clock).
    item: { status: 'PRESENT', scheduleExpression: 'rate(1 hour)', version: T, lastEventId: 'e1', readAt: NOW.getTime() + 1, targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:f' },
  },
  {
    reason: 'a create whose schedule is already gone becomes a NOT_FOUND tombstone',
    truth: [], before: [], change: create('s1', meta('e1', 0)),
    outcome: 'applied', truthReads: 1, item: { status: 'DELETED', deleteReason: 'NOT_FOUND', version: T },
  },
  {
    reason: 'a late create older than the stored delete is stale (no resurrection)',
    truth: [spec('s1')], before: [del('s1', meta('e2', 5))], change: create('s1', meta('e1', 0)),
    outcome: 'stale', truthReads: 1, item: { status: 'DELETED', deleteReason: 'SCHEDULE_DELETED', lastEventId: 'e2' },
  },
  {
    reason: 'a duplicate create in the same second as the delete finds it gone but keeps the tombstone that knows why',
    truth: [], before: [create('s1', meta('e1', 5)), del('s1', meta('e2', 5))], change: create('s1', meta('e1', 5)),
    outcome: 'stale', truthReads: 1, item: { status: 'DELETED', deleteReason: 'SCHEDULE_DELETED', lastEventId: 'e2' },
  },
  {
    reason: 'a delete is a tombstone from the payload, without a truth read',
    truth: [], before: [create('s1', meta('e1', 0))], change: del('s1', meta('e2', 5)),
    outcome: 'applied', truthReads: 0, item: { status: 'DELETED', deleteReason: 'SCHEDULE_DELETED', deletedAt: new Date(T + 5000).toISOString() },
  },
  {
    reason: 'a duplicate delete is a no-op',
    truth: [], before: [del('s1', meta('e2', 5))], change: del('s1', meta('e2', 5)),
    outcome: 'duplicate', truthReads: 0, item: { status: 'DELETED', lastEventId: 'e2' },
  },
  {
    reason: 'a duplicate create is a no-op even with a fresher read',
    truth: [spec('s1')], before: [create('s1', meta('e1', 0))], change: create('s1', meta('e1', 0)),
    outcome: 'duplicate', truthReads: 1, item: { status: 'PRESENT', lastEventId: 'e1' },
  },
  {
    reason: 'delete and re-create in one second, delete delivered last: the truth says it exists',
    truth: [spec('s1', 'rate(2 hours)')], before: [create('s1', meta('e-create', 5))], change: del('s1', meta('e-delete', 5)),
    outcome: 'applied', truthReads: 1, item: { status: 'PRESENT', scheduleExpression: 'rate(2 hours)', lastEventId: 'e-delete' },
  },
  {
    reason: 'create then delete in one second, delete delivered last: the truth says it is gone',
    truth: [], before: [create('s1', meta('e-create', 5))], change: del('s1', meta('e-delete', 5)),
    outcome: 'applied', truthReads: 1, item: { status: 'DELETED', deleteReason: 'SCHEDULE_DELETED', deletedAt: new Date(T + 5000).toISOString() },
  },
  {
    reason: 'an update older than the stored update is stale',
    truth: [spec('s1')], before: [update('s1', meta('e3', 9))], change: update('s1', meta('e2', 4)),
    outcome: 'stale', truthReads: 1, item: { lastEventId: 'e3', version: T + 9000 },
  },
  {
    reason: 'a create stamped 2099 is written from the truth with the monitor\'s second, not the event\'s',
    truth: [spec('s1', 'rate(1 hour)')], before: [], change: create('s1', future('e1')),
    outcome: 'applied', truthReads: 1, clampedFrom: '2099-01-01T00:00:00Z',
    item: { status: 'PRESENT', scheduleExpression: 'rate(1 hour)', version: UNTRUSTED },
  },
  {
    reason: 'a later real update wins over a create stamped 2099 (no frozen item)',
    truth: [spec('s1', 'rate(3 hours)')], before: [create('s1', future('e1'))], change: update('s1', meta('e2', 121)),
    outcome: 'applied', truthReads: 1, item: { status: 'PRESENT', scheduleExpression: 'rate(3 hours)', version: T + 121_000, lastEventId: 'e2' },
  },
  {
    reason: 'a delete stamped 2099 is checked against the truth, which still has the schedule',
    // The stored version (T) is later than UNTRUSTED: the write is made again at T, where its later read wins the tie.
    truth: [spec('s1')], before: [create('s1', meta('e1', 0))], change: del('s1', future('e2')),
    outcome: 'applied', truthReads: 1, clampedFrom: '2099-01-01T00:00:00Z', item: { status: 'PRESENT', version: T, lastEventId: 'e2' },
  },
  {
    reason: 'a delete stamped 2099 whose schedule is gone is a tombstone dated by the monitor\'s clock',
    truth: [], before: [create('s1', meta('e1', 0))], change: del('s1', future('e2')),
    outcome: 'applied', truthReads: 1, clampedFrom: '2099-01-01T00:00:00Z',
    item: { status: 'DELETED', deleteReason: 'SCHEDULE_DELETED', version: T, deletedAt: new Date(NOW_SECOND).toISOString() },
  },
  {
    reason: 'a create stamped 2099 never raises the version of an older item: every later change still beats it',
    truth: [spec('s1', 'rate(4 hours)')], before: [create('s1', meta('e1', -600))], change: create('s1', future('e2')),
    outcome: 'applied', truthReads: 1, clampedFrom: '2099-01-01T00:00:00Z', item: { status: 'PRESENT', scheduleExpression: 'rate(4 hours)', version: UNTRUSTED },
  },
  {
    reason: 'a replayed event stamped 2099 delivered twice is a duplicate the second time',
    truth: [spec('s1')], before: [create('s1', meta('e1', 0)), create('s1', future('e2'))], change: create('s1', future('e2')),
    outcome: 'duplicate', truthReads: 1, clampedFrom: '2099-01-01T00:00:00Z', item: { status: 'PRESENT', version: T, lastEventId: 'e2' },
  },
  {
    reason: 'an event a little ahead of the monitor\'s clock (within the tolerance) keeps its time',
    truth: [spec('s1')], before: [], change: create('s1', meta('e1', 120 + 299)),
    outcome: 'applied', truthReads: 1, item: { status: 'PRESENT', version: T + 419_000 },
  },
  {
    reason: 'a late create older than a recorded group deletion, read while the group is DELETING, is tombstoned with the group',
    truth: [spec('s1')], groups: { g: 'DELETING' }, before: [deleteGroup(meta('e-group', 30))], change: create('s1', meta('e1', 10)),
    outcome: 'applied', truthReads: 2,
    // Written live first, then tombstoned at that version by the group's deletion (its event id, a later read).
    item: { status: 'DELETED', deleteReason: 'GROUP_DELETED', version: T + 10_000, lastEventId: 'e-group', deletedAt: new Date(T + 30_000).toISOString() },
  },
  {
    reason: 'a create of the same second as a recorded group deletion stands when the group is ACTIVE again',
    truth: [spec('s1')], groups: { g: 'ACTIVE' }, before: [deleteGroup(meta('e-group', 30))], change: create('s1', meta('e1', 30)),
    outcome: 'applied', truthReads: 2, item: { status: 'PRESENT', version: T + 30_000, lastEventId: 'e1' },
  },
  {
    reason: 'a create of the same second as a recorded group deletion is tombstoned while the group is DELETING',
    truth: [spec('s1')], groups: { g: 'DELETING' }, before: [deleteGroup(meta('e-group', 30))], change: create('s1', meta('e1', 30)),
    outcome: 'applied', truthReads: 2, item: { status: 'DELETED', deleteReason: 'GROUP_DELETED', version: T + 30_000, lastEventId: 'e-group' },
  },
  {
    reason: 'a create newer than a recorded group deletion belongs to the group created again',
    truth: [spec('s1')], groups: { g: 'DELETING' }, before: [deleteGroup(meta('e-group', 30))], change: create('s1', meta('e1', 31)),
    outcome: 'applied', truthReads: 1, item: { status: 'PRESENT', version: T + 31_000 },
  },
  {
    reason: 'a group deletion stamped 2099 whose group is ACTIVE records nothing, so a later create stands',
    truth: [spec('s1')], groups: { g: 'ACTIVE' }, before: [deleteGroup(future('e-group'))], change: create('s1', meta('e1', 10)),
    outcome: 'applied', truthReads: 1, item: { status: 'PRESENT', version: T + 10_000 },
  },
  {
    reason: 'a group deletion stamped 2099 whose group is DELETING is recorded, so a create read meanwhile is tombstoned',
    truth: [spec('s1')], groups: { g: 'DELETING' }, before: [deleteGroup(future('e-group'))], change: create('s1', meta('e1', 10)),
    outcome: 'applied', truthReads: 2, item: { status: 'DELETED', deleteReason: 'GROUP_DELETED', version: T + 10_000 },
  },
  {
    reason: 'events of other APIs are ignored',
    truth: [], before: [], change: { kind: 'ignored', reason: 'TagResource is not observed', meta: meta('e1', 0) },
    outcome: 'ignored', truthReads: 0, item: undefined,
  },
  {
    reason: 'a new group holds nothing to record',
    truth: [], before: [], change: { kind: 'createGroup', groupName: 'g', meta: meta('e1', 0) },
    outcome: 'ignored', truthReads: 0, item: undefined,
  },
];

describe('applyChange', () => {
  for (const c of CASES) {
    it(`ends ${c.outcome} when ${c.reason}`, async () => {
      // Prepare
      const truth = new MapTruth(new Map(c.truth.map((s) => [`${s.groupName}/${s.name}`, s])), c.groups);
      const store = new MemoryStore();
      // A clock that moves 1 ms per reading, as real truth reads are ordered in time.
      let tick = 0;
      const ctx = { store, truth, tombstoneTtlDays: 30, now: () => new Date(NOW.getTime() + tick++) };
      for (const b of c.before) await applyChange(b, ctx);
      truth.reads = 0;
      // Act
      const outcome = await applyChange(c.change, ctx);
      // Assess
      expect(outcome.outcome).to.equal(c.outcome);
      expect(truth.reads, 'truth reads').to.equal(c.truthReads);
      expect(outcome.truthReads, 'truth reads counted').to.equal(c.truthReads);
      expect('clampedFrom' in outcome ? outcome.clampedFrom : undefined, 'clampedFrom').to.equal(c.clampedFrom);
      const item = store.get({ groupName: 'g', scheduleName: 's1' });
      if (c.item === undefined) expect(item).to.equal(undefined);
      else expect(item).to.include(c.item);
    });
  }

  describe('a group delete', () => {
    const stamp = (version: number, eventId: string) => ({ version, eventId, readAt: 0, observedVia: 'event' as const, now: NOW });

    it('tombstones every older live schedule of the group and nothing else', async () => {
      // Prepare
      const store = new MemoryStore();
      for (const name of ['a', 'b', 'c']) await store.putPresent(presentRecord(spec(name), stamp(T, `e-${name}`)));
      await store.putPresent(presentRecord(spec('newer'), stamp(T + 60_000, 'e-newer')));
      await store.putPresent(presentRecord(spec('elsewhere', 'rate(1 hour)', 'other'), stamp(T, 'e-x')));
      const truth = new MapTruth();
      // Act
      const outcome = await applyChange({ kind: 'deleteGroup', groupName: 'g', meta: meta('e-group', 30) }, { store, truth, tombstoneTtlDays: 30, now: () => NOW, groupWriteConcurrency: 2 });
      // Assess
      // Three tombstones and the group's deletion marker.
      expect(outcome).to.deep.equal({ outcome: 'applied', writes: 4, truthReads: 0 });
      expect(await store.getGroupDeletion('g')).to.include({ version: T + 30_000, lastEventId: 'e-group', deletedAt: new Date(T + 30_000).toISOString() });
      for (const name of ['a', 'b', 'c']) expect(store.get({ groupName: 'g', scheduleName: name })).to.include({ status: 'DELETED', deleteReason: 'GROUP_DELETED', lastEventId: 'e-group' });
      expect(store.get({ groupName: 'g', scheduleName: 'newer' })).to.include({ status: 'PRESENT' });
      expect(store.get({ groupName: 'other', scheduleName: 'elsewhere' })).to.include({ status: 'PRESENT' });
    });

    it('tombstones a schedule written in the same second as the group delete while the group is DELETING', async () => {
      const store = new MemoryStore();
      await store.putPresent(presentRecord(spec('same-second'), stamp(T + 30_000, 'e-create')));
      // GetSchedule still answers while the group is being deleted; the group's state decides.
      const truth = new MapTruth(new Map([['g/same-second', spec('same-second')]]), { g: 'DELETING' });
      let tick = 0;
      const outcome = await applyChange(deleteGroup(meta('e-group', 30)), { store, truth, tombstoneTtlDays: 30, now: () => new Date(NOW.getTime() + tick++) });
      expect(outcome).to.deep.equal({ outcome: 'applied', writes: 2, truthReads: 2 });
      expect(store.get({ groupName: 'g', scheduleName: 'same-second' })).to.include({ status: 'DELETED', deleteReason: 'GROUP_DELETED' });
    });

    it('keeps a schedule of the same second as the group delete when the group is ACTIVE again and the schedule exists', async () => {
      const store = new MemoryStore();
      await store.putPresent(presentRecord(spec('same-second'), stamp(T + 30_000, 'e-create')));
      const truth = new MapTruth(new Map([['g/same-second', spec('same-second')]]), { g: 'ACTIVE' });
      let tick = 0;
      const outcome = await applyChange(deleteGroup(meta('e-group', 30)), { store, truth, tombstoneTtlDays: 30, now: () => new Date(NOW.getTime() + tick++) });
      expect(outcome).to.deep.equal({ outcome: 'applied', writes: 2, truthReads: 2 });
      expect(store.get({ groupName: 'g', scheduleName: 'same-second' })).to.include({ status: 'PRESENT', lastEventId: 'e-group' });
    });

    it('is a duplicate when it arrives twice', async () => {
      const store = new MemoryStore();
      await store.putPresent(presentRecord(spec('a'), stamp(T, 'e-a')));
      const ctx = { store, truth: new MapTruth(), tombstoneTtlDays: 30, now: () => NOW };
      await applyChange(deleteGroup(meta('e-group', 30)), ctx);
      const again = await applyChange(deleteGroup(meta('e-group', 30)), ctx);
      expect(again).to.deep.equal({ outcome: 'duplicate', writes: 0, truthReads: 0 });
      // The first schedule, its tombstone and the marker.
      expect(store.writes).to.equal(3);
    });

    it('tombstones an item whose version lies beyond the monitor\'s clock, and leaves a newer real one', async () => {
      // Prepare: one item frozen at 2099 by an event from before the monitor checked event times.
      const store = new MemoryStore();
      await store.putPresent(presentRecord(spec('frozen'), stamp(Date.parse('2099-01-01T00:00:00Z'), 'e-2099')));
      await store.putPresent(presentRecord(spec('newer'), stamp(T + 60_000, 'e-newer')));
      // Act
      const outcome = await applyChange(deleteGroup(meta('e-group', 30)), { store, truth: new MapTruth(), tombstoneTtlDays: 30, now: () => NOW });
      // Assess
      expect(outcome.writes).to.equal(2);
      expect(store.get({ groupName: 'g', scheduleName: 'frozen' })).to.include({ status: 'DELETED', version: T + 30_000 });
      expect(store.get({ groupName: 'g', scheduleName: 'newer' })).to.include({ status: 'PRESENT' });
    });

    it('settles every live item by reading the truth when it is stamped 2099, and records no marker while the group is ACTIVE', async () => {
      const store = new MemoryStore();
      for (const name of ['kept', 'gone']) await store.putPresent(presentRecord(spec(name), stamp(T, `e-${name}`)));
      const truth = new MapTruth(new Map([['g/kept', spec('kept')]]));
      let tick = 0;
      const outcome = await applyChange(deleteGroup(future('e-group')), { store, truth, tombstoneTtlDays: 30, now: () => new Date(NOW.getTime() + tick++) });
      // One GetScheduleGroup (ACTIVE: a replayed or forged deletion, so no marker), one GetSchedule per item.
      expect(outcome).to.deep.equal({ outcome: 'applied', writes: 2, truthReads: 3, clampedFrom: '2099-01-01T00:00:00Z' });
      // Both items are at T, later than UNTRUSTED: written again at T, where the later reads win the tie.
      expect(store.get({ groupName: 'g', scheduleName: 'kept' })).to.include({ status: 'PRESENT', version: T, lastEventId: 'e-group' });
      expect(store.get({ groupName: 'g', scheduleName: 'gone' })).to.include({ status: 'DELETED', deleteReason: 'GROUP_DELETED', version: T });
      expect(await store.getGroupDeletion('g')).to.equal(undefined);
    });
  });
});

describe('applyChange racing a group deletion', () => {
  it('tombstones a schedule whose live write lands after the group deletion listed the group (the re-read of the marker)', async () => {
    // Prepare: the create reads GetSchedule (the group is DELETING) and finds no marker; the group's deletion then
    // runs to completion (marker, listing: no item yet) before the create's write lands.
    const store = new MemoryStore();
    const truth = new MapTruth(new Map([['g/s1', spec('s1')]]), { g: 'DELETING' });
    let tick = 0;
    const ctx = { store, truth, tombstoneTtlDays: 30, now: () => new Date(NOW.getTime() + tick++) };
    const putPresent = store.putPresent.bind(store);
    let raced = false;
    store.putPresent = async (record) => {
      if (!raced) {
        raced = true;
        await applyChange(deleteGroup(meta('e-group', 30)), ctx);
      }
      return putPresent(record);
    };
    // Act
    const outcome = await applyChange(create('s1', meta('e1', 10)), ctx);
    // Assess
    expect(raced).to.equal(true);
    expect(outcome).to.include({ outcome: 'applied', writes: 2 });
    expect(store.get({ groupName: 'g', scheduleName: 's1' })).to.include({ status: 'DELETED', deleteReason: 'GROUP_DELETED' });
  });
});

describe('the group deletion marker read', () => {
  const cases = [
    { reason: 'the default group, which cannot be deleted', groupName: 'default', reads: 0 },
    { reason: 'any other group (read once, after the write)', groupName: 'g', reads: 1 },
  ];
  for (const c of cases) {
    it(`is made ${c.reads} time(s) for a live create in ${c.reason}`, async () => {
      const store = new MemoryStore();
      let reads = 0;
      const read = store.getGroupDeletion.bind(store);
      store.getGroupDeletion = async (groupName) => {
        reads++;
        return read(groupName);
      };
      const truth = new MapTruth(new Map([[`${c.groupName}/s1`, spec('s1', 'rate(5 minutes)', c.groupName)]]));
      await applyChange({ kind: 'createSchedule', groupName: c.groupName, scheduleName: 's1', meta: meta('e1', 0) }, { store, truth, tombstoneTtlDays: 30, now: () => NOW });
      expect(reads).to.equal(c.reads);
    });
  }
});

describe('applyChange when GetSchedule is denied', () => {
  class DeniedTruth extends MapTruth {
    override async getSchedule(): Promise<ScheduleSpec | null> {
      this.reads++;
      throw new ScheduleUnreadableError('GetSchedule g/s1 denied: not authorized to perform kms:Decrypt', 'KMS_ACCESS_DENIED');
    }
  }
  const ctx = (store: MemoryStore) => {
    let tick = 0;
    return { store, truth: new DeniedTruth(), tombstoneTtlDays: 30, now: () => new Date(NOW.getTime() + tick++) };
  };

  it('marks a created schedule live and unreadable, and succeeds (nothing to retry)', async () => {
    const store = new MemoryStore();
    const outcome = await applyChange(create('s1', meta('e1', 0)), ctx(store));
    expect(outcome).to.include({ outcome: 'applied', writes: 1, truthReads: 1, unreadable: 'KMS_ACCESS_DENIED' });
    expect(store.get({ groupName: 'g', scheduleName: 's1' })).to.include({ status: 'PRESENT', unreadable: 'KMS_ACCESS_DENIED', version: T, lastEventId: 'e1' });
  });

  it('keeps the last known spec of an item it marks, and drops its tombstone attributes', async () => {
    const store = new MemoryStore();
    await store.putPresent(presentRecord(spec('s1', 'rate(7 minutes)'), { version: T, eventId: 'e0', readAt: 1, observedVia: 'event', now: NOW }));
    await store.putTombstone({ groupName: 'g', scheduleName: 's1' }, { status: 'DELETED', version: T + 1000, readAt: 0, lastEventId: 'e-del', observedVia: 'event', updatedAt: NOW.toISOString(), deletedAt: NOW.toISOString(), deleteReason: 'SCHEDULE_DELETED', expiresAt: 1 });
    await applyChange(create('s1', meta('e1', 2)), ctx(store));
    const item = store.get({ groupName: 'g', scheduleName: 's1' });
    expect(item).to.include({ status: 'PRESENT', unreadable: 'KMS_ACCESS_DENIED', scheduleExpression: 'rate(7 minutes)' });
    expect(item).to.not.have.any.keys('deletedAt', 'deleteReason', 'expiresAt');
  });

  it('takes a delete it cannot confirm (a one-second tie) as the event says: a tombstone', async () => {
    const store = new MemoryStore();
    await store.putPresent(presentRecord(spec('s1'), { version: T + 5000, eventId: 'e-create', readAt: 1, observedVia: 'event', now: NOW }));
    const outcome = await applyChange(del('s1', meta('e-delete', 5)), ctx(store));
    expect(outcome).to.include({ outcome: 'applied', truthReads: 1 });
    expect(store.get({ groupName: 'g', scheduleName: 's1' })).to.include({ status: 'DELETED', deleteReason: 'SCHEDULE_DELETED' }).and.not.have.property('unreadable');
  });
});

describe('specOfRecord', () => {
  it('returns exactly the spec presentRecord was built from', () => {
    const original: ScheduleSpec = { ...spec('s1'), arn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/g/s1', description: 'd', creationDate: '2026-01-01T00:00:00.000Z' };
    const item = presentRecord(original, { version: 1, eventId: 'e', readAt: 2, observedVia: 'event', now: NOW });
    expect(specOfRecord(item)).to.deep.equal(original);
  });
});
