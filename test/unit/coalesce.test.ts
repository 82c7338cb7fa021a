import { expect } from 'chai';
import { coalesce, type BatchEntry } from '../../functions/core/coalesce';
import type { SchedulerChange } from '../../functions/core/types';

const NOW = Date.parse('2026-11-24T10:00:00Z');

function change(kind: SchedulerChange['kind'], eventId: string, secondsBeforeNow: number, name = 's', group = 'g'): SchedulerChange {
  const version = NOW - secondsBeforeNow * 1000;
  const meta = { eventId, eventName: kind, eventTime: new Date(version).toISOString(), version, awsRegion: 'us-east-1', accountId: '123456789012' };
  if (kind === 'ignored') return { kind, reason: 'read-only', meta };
  if (kind === 'createGroup' || kind === 'deleteGroup') return { kind, groupName: group, meta };
  return { kind, groupName: group, scheduleName: name, meta } as SchedulerChange;
}

const entry = (id: string, c: SchedulerChange): BatchEntry => ({ id, change: c });

describe('coalesce: the events of a batch that need no work', () => {
  const cases: Array<{ reason: string; batch: BatchEntry[]; superseded: Record<string, string> }> = [
    {
      reason: 'a lone event is applied',
      batch: [entry('m1', change('createSchedule', 'e1', 5))],
      superseded: {},
    },
    {
      reason: 'older create and update of a schedule give way to its newest event, whatever the delivery order',
      batch: [entry('m1', change('updateSchedule', 'e2', 20)), entry('m2', change('deleteSchedule', 'e3', 10)), entry('m3', change('createSchedule', 'e1', 30))],
      superseded: { m1: 'older by m2', m3: 'older by m2' },
    },
    {
      reason: 'a delete older than a recreate gives way to it',
      batch: [entry('m1', change('deleteSchedule', 'e1', 20)), entry('m2', change('createSchedule', 'e2', 10))],
      superseded: { m1: 'older by m2' },
    },
    {
      reason: 'the same CloudTrail event delivered twice is worked once',
      batch: [entry('m1', change('updateSchedule', 'e1', 10)), entry('m2', change('updateSchedule', 'e1', 10))],
      superseded: { m2: 'duplicate by m1' },
    },
    {
      reason: 'a delete and a create of the same second are both applied (the read settles which came last)',
      batch: [entry('m1', change('deleteSchedule', 'e1', 10)), entry('m2', change('createSchedule', 'e2', 10))],
      superseded: {},
    },
    {
      reason: 'of several creates and updates in the newest second, one reads the truth for all',
      batch: [entry('m1', change('createSchedule', 'e1', 10)), entry('m2', change('updateSchedule', 'e2', 10)), entry('m3', change('updateSchedule', 'e3', 10)), entry('m4', change('deleteSchedule', 'e4', 10))],
      superseded: { m2: 'same-second by m1', m3: 'same-second by m1' },
    },
    {
      reason: 'schedules are coalesced apart: same name in another group, another name in the group',
      batch: [
        entry('m1', change('updateSchedule', 'e1', 20, 's', 'g')),
        entry('m2', change('updateSchedule', 'e2', 10, 's', 'other')),
        entry('m3', change('updateSchedule', 'e3', 10, 't', 'g')),
      ],
      superseded: {},
    },
    {
      reason: 'group events and ignored events are never coalesced, even repeated',
      batch: [entry('m1', change('deleteGroup', 'e1', 20)), entry('m2', change('deleteGroup', 'e2', 10)), entry('m3', change('ignored', 'e3', 5)), entry('m4', change('createGroup', 'e4', 5))],
      superseded: {},
    },
    {
      reason: 'an event stamped beyond the clock plus the tolerance is applied on its own, and supersedes nothing',
      batch: [entry('m1', change('updateSchedule', 'e1', 20)), entry('m2', change('updateSchedule', 'e2', -3600))],
      superseded: {},
    },
  ];

  for (const c of cases) {
    it(c.reason, () => {
      const result = coalesce(c.batch, NOW);
      expect(Object.fromEntries([...result].map(([id, s]) => [id, `${s.reason} by ${s.by}`]))).to.deep.equal(c.superseded);
    });
  }

  it('leaves exactly one entry to work per schedule when its events have distinct seconds (a Terraform-style burst)', () => {
    const batch: BatchEntry[] = [];
    for (let i = 0; i < 100; i++) batch.push(entry(`m${i}`, change(i % 3 === 0 ? 'createSchedule' : 'updateSchedule', `e${i}`, 100 - i, `s${i % 10}`)));
    const superseded = coalesce(batch, NOW);
    const worked = batch.filter((e) => !superseded.has(e.id));
    expect(worked).to.have.length(10);
    for (const e of worked) {
      const name = (e.change as { scheduleName: string }).scheduleName;
      const newest = Math.max(...batch.filter((b) => (b.change as { scheduleName: string }).scheduleName === name).map((b) => b.change.meta.version));
      expect(e.change.meta.version, name).to.equal(newest);
    }
  });
});
