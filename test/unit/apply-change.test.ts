import { expect } from 'chai';
import { applyChange, type TruthPort } from '../../functions/core/apply-change';
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
  constructor(readonly schedules = new Map<string, ScheduleSpec>()) {}
  async getSchedule(groupName: string, name: string) {
    this.reads++;
    return this.schedules.get(`${groupName}/${name}`) ?? null;
  }
}

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
}

const CASES: Case[] = [
  {
    reason: 'a create is written from the truth read, not from the event payload',
    truth: [spec('s1', 'rate(1 hour)')], before: [], change: create('s1', meta('e1', 0)),
    outcome: 'applied', truthReads: 1,
    item: { status: 'PRESENT', scheduleExpression: 'rate(1 hour)', version: T, lastEventId: 'e1', readAt: NOW.getTime(), targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:f' },
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
      const truth = new MapTruth(new Map(c.truth.map((s) => [`${s.groupName}/${s.name}`, s])));
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
      expect(outcome).to.deep.equal({ outcome: 'applied', writes: 3, truthReads: 0 });
      for (const name of ['a', 'b', 'c']) expect(store.get({ groupName: 'g', scheduleName: name })).to.include({ status: 'DELETED', deleteReason: 'GROUP_DELETED', lastEventId: 'e-group' });
      expect(store.get({ groupName: 'g', scheduleName: 'newer' })).to.include({ status: 'PRESENT' });
      expect(store.get({ groupName: 'other', scheduleName: 'elsewhere' })).to.include({ status: 'PRESENT' });
    });

    it('settles a schedule written in the same second as the group delete by reading the truth', async () => {
      const store = new MemoryStore();
      await store.putPresent(presentRecord(spec('same-second'), stamp(T + 30_000, 'e-create')));
      const truth = new MapTruth();
      const outcome = await applyChange({ kind: 'deleteGroup', groupName: 'g', meta: meta('e-group', 30) }, { store, truth, tombstoneTtlDays: 30, now: () => NOW });
      expect(outcome).to.deep.equal({ outcome: 'applied', writes: 1, truthReads: 1 });
      expect(store.get({ groupName: 'g', scheduleName: 'same-second' })).to.include({ status: 'DELETED', deleteReason: 'GROUP_DELETED' });
    });

    it('is stale when it arrives twice', async () => {
      const store = new MemoryStore();
      await store.putPresent(presentRecord(spec('a'), stamp(T, 'e-a')));
      const ctx = { store, truth: new MapTruth(), tombstoneTtlDays: 30, now: () => NOW };
      await applyChange({ kind: 'deleteGroup', groupName: 'g', meta: meta('e-group', 30) }, ctx);
      const again = await applyChange({ kind: 'deleteGroup', groupName: 'g', meta: meta('e-group', 30) }, ctx);
      expect(again.writes).to.equal(0);
      expect(store.writes).to.equal(2);
    });
  });
});

describe('specOfRecord', () => {
  it('returns exactly the spec presentRecord was built from', () => {
    const original: ScheduleSpec = { ...spec('s1'), arn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/g/s1', description: 'd', creationDate: '2026-01-01T00:00:00.000Z' };
    const item = presentRecord(original, { version: 1, eventId: 'e', readAt: 2, observedVia: 'event', now: NOW });
    expect(specOfRecord(item)).to.deep.equal(original);
  });
});
