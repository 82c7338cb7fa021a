import { expect } from 'chai';
import { ScheduleStore } from '../../functions/adapters/store';
import { presentRecord, tombstoneFields } from '../../functions/core/records';
import type { ScheduleRecord, ScheduleSpec } from '../../functions/core/types';
import { ORDERING_CASES } from '../cases/ordering-cases';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';
import { freshStore } from '../support/engines';

const spec = (groupName: string, name: string, targetArn = 'arn:aws:sqs:us-east-1:123456789012:q'): ScheduleSpec => ({
  groupName,
  name,
  scheduleExpression: 'rate(5 minutes)',
  state: 'ENABLED',
  flexibleTimeWindow: { mode: 'OFF' },
  target: { arn: targetArn, roleArn: 'arn:aws:iam::123456789012:role/r', retryPolicy: { maximumRetryAttempts: 3 } },
});

const now = new Date('2026-11-24T10:05:00Z');

function record(order: { version: number; lastEventId?: string; eventId?: string; readAt: number }): ScheduleRecord {
  return presentRecord(spec('g1', 's1'), {
    version: order.version,
    eventId: order.lastEventId ?? order.eventId ?? '',
    readAt: order.readAt,
    observedVia: 'event',
    now,
  });
}

describe('ScheduleStore on dynalite', () => {
  let dynamo: LocalDynamo;
  let store: ScheduleStore;
  before(async () => {
    dynamo = await startLocalDynamo();
  });
  after(async () => dynamo.close());
  beforeEach(async () => {
    store = await freshStore(dynamo);
  });

  describe('WRITE_CONDITION agrees with decideWrite', () => {
    for (const c of ORDERING_CASES) {
      const expectApplied = c.decision === 'apply';
      it(`${expectApplied ? 'applies' : 'rejects'} a present write for ${c.reason}`, async () => {
        // Prepare
        if (c.stored) expect((await store.putPresent(record(c.stored))).applied).to.equal(true);
        // Act
        const result = await store.putPresent(record(c.incoming));
        // Assess
        expect(result.applied).to.equal(expectApplied);
        if (!result.applied) expect(result.stored).to.deep.equal(c.stored);
      });

      it(`${expectApplied ? 'applies' : 'rejects'} a tombstone for ${c.reason}`, async () => {
        if (c.stored) await store.putPresent(record(c.stored));
        const stamp = { ...c.incoming, observedVia: 'event' as const, now };
        const result = await store.putTombstone({ groupName: 'g1', scheduleName: 's1' }, tombstoneFields('SCHEDULE_DELETED', stamp, 30));
        expect(result.applied).to.equal(expectApplied);
      });
    }
  });

  it('keeps the last known spec on a tombstone and drops it from the byTarget index', async () => {
    // Prepare
    await store.putPresent(record({ version: 1000, lastEventId: 'e1', readAt: 2000 }));
    // Act
    await store.putTombstone(
      { groupName: 'g1', scheduleName: 's1' },
      tombstoneFields('SCHEDULE_DELETED', { version: 3000, eventId: 'e2', readAt: 0, observedVia: 'event', now }, 30, '1970-01-01T00:00:03.000Z'),
    );
    // Assess
    const item = await store.get({ groupName: 'g1', scheduleName: 's1' });
    expect(item).to.include({ status: 'DELETED', deleteReason: 'SCHEDULE_DELETED', scheduleExpression: 'rate(5 minutes)', version: 3000 });
    expect(item).to.not.have.property('targetArn');
    expect(item!.expiresAt).to.equal(Math.floor(now.getTime() / 1000) + 30 * 86_400);
  });

  it('leaves an existing tombstone alone when asked to tombstone only over a live item', async () => {
    // Prepare
    const key = { groupName: 'g1', scheduleName: 's1' };
    await store.putTombstone(key, tombstoneFields('SCHEDULE_DELETED', { version: 1000, eventId: 'e1', readAt: 0, observedVia: 'event', now }, 30));
    // Act
    const result = await store.putTombstone(key, tombstoneFields('NOT_FOUND', { version: 2000, eventId: 'e2', readAt: 5, observedVia: 'event', now }, 30), { onlyOverLive: true });
    // Assess
    expect(result).to.deep.equal({ applied: false, stored: { version: 1000, readAt: 0, lastEventId: 'e1' } });
    expect(await store.get(key)).to.include({ deleteReason: 'SCHEDULE_DELETED' });
  });

  it('tombstones a live item, or a never-seen one, when asked to tombstone only over a live item', async () => {
    await store.putPresent(record({ version: 1000, lastEventId: 'e1', readAt: 2 }));
    const fields = tombstoneFields('NOT_FOUND', { version: 2000, eventId: 'e2', readAt: 5, observedVia: 'event', now }, 30);
    expect(await store.putTombstone({ groupName: 'g1', scheduleName: 's1' }, fields, { onlyOverLive: true })).to.deep.equal({ applied: true });
    expect(await store.putTombstone({ groupName: 'g1', scheduleName: 'never-seen' }, fields, { onlyOverLive: true })).to.deep.equal({ applied: true });
  });

  it('creates a bare tombstone for a schedule it never saw', async () => {
    const result = await store.putTombstone(
      { groupName: 'g1', scheduleName: 'ghost' },
      tombstoneFields('SCHEDULE_DELETED', { version: 5000, eventId: 'e9', readAt: 0, observedVia: 'event', now }, 7),
    );
    expect(result.applied).to.equal(true);
    expect(await store.get({ groupName: 'g1', scheduleName: 'ghost' })).to.include({ status: 'DELETED', version: 5000 });
  });

  it('lists every item of a group across pages with what ordering needs', async () => {
    // Prepare: 120 items in g1 and one elsewhere; a small page size forces pagination.
    for (let i = 0; i < 120; i++) {
      await store.putPresent(presentRecord(spec('g1', `s${String(i).padStart(3, '0')}`), { version: i, eventId: `e${i}`, readAt: 0, observedVia: 'event', now }));
    }
    await store.putPresent(presentRecord(spec('g2', 'other'), { version: 1, eventId: 'x', readAt: 0, observedVia: 'event', now }));
    // Act
    const listed = [];
    for await (const item of store.listGroup('g1', 25)) listed.push(item);
    // Assess
    expect(listed).to.have.length(120);
    expect(listed[7]).to.deep.equal({ scheduleName: 's007', status: 'PRESENT', version: 7, readAt: 0, lastEventId: 'e7' });
  });
});
