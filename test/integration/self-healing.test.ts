/**
 * Issue 10, the two ways found to leave a store item wrong for good, each reproduced end to end on the local
 * engines: the real SDK against the Scheduler model, the deployed event pattern, the SQS model with its DLQ, the
 * real monitor handler, dynalite, and the real reconciler ASL on aws-local-stepfunctions.
 *
 * 1. A CloudTrail event stamped in the future (a skewed clock, a hand-made or replayed event) froze its item:
 *    every later update and delete was stale, and the reconciler called the item NOT_CHECKED on every run.
 * 2. A late CreateSchedule read while its group was being deleted (Scheduler deletes groups asynchronously, and
 *    GetSchedule still answers meanwhile) made the schedule live again after its group's tombstones.
 */
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { parseReport, type DriftReport, type ExecutionSummary } from '../../functions/core/report';
import type { LocalDynamo } from '../../local/dynamodb';
import type { LocalPipeline } from '../../local/pipeline';
import type { LocalReconciler } from '../../local/reconciler';
import { compareStoreWithTruth, scanStore } from '../../local/truth';
import { useLocalStack } from '../support/local-stack';

const ROLE = 'arn:aws:iam::123456789012:role/scheduler';
const TARGET = 'arn:aws:sqs:us-east-1:123456789012:orders';

function schedule(name: string, group = 'default', expression = 'rate(1 hour)') {
  return { Name: name, GroupName: group, ScheduleExpression: expression, FlexibleTimeWindow: { Mode: 'OFF' as const }, Target: { Arn: TARGET, RoleArn: ROLE } };
}

describe('self-healing store (issue 10)', function () {
  this.timeout(120_000);
  const stack = useLocalStack();
  let dynamo: LocalDynamo;
  let p: LocalPipeline;
  let reconciler: LocalReconciler;

  async function start(groupDeletion: 'immediate' | 'deferred' = 'immediate') {
    ({ dynamo, pipeline: p, reconciler } = await stack.start({ scheduler: { groupDeletion } }));
  }

  /** Takes the events CloudTrail delivered off the queue, unprocessed: they arrive later, when sent again. */
  const holdDelivered = () => p.holdDelivered();

  async function deliverLate(bodies: string[]) {
    for (const body of bodies) p.queue.sendMessage(body);
    await p.mapping.drain();
  }

  async function run(mode: 'report' | 'repair'): Promise<{ summary: ExecutionSummary; report: DriftReport }> {
    const execution = await reconciler.run({ mode });
    expect(execution.status, JSON.stringify(execution.error)).to.equal('SUCCEEDED');
    return { summary: execution.output as ExecutionSummary, report: parseReport(await reconciler.objects.getJson('reports/latest.json')) };
  }

  async function storeDisagreements() {
    return compareStoreWithTruth(await scanStore(dynamo.doc, p.store.tableName), p.scheduler.snapshot());
  }

  describe('an event stamped 2099', () => {
    it('cannot freeze the item: a later real update and delete still land, and report, repair, report find nothing', async () => {
      // Prepare: the create's event is replayed with a 2099 eventTime (a skewed clock, a hand-made event).
      await start();
      await p.client.send(new CreateScheduleCommand(schedule('frozen')));
      const [create] = holdDelivered();
      const replayed = JSON.parse(create!);
      replayed.detail.eventTime = '2099-01-01T00:00:00Z';
      replayed.detail.eventID = 'replayed-with-a-future-time';
      await deliverLate([JSON.stringify(replayed)]);
      // Act: the real changes that follow.
      await p.client.send(new UpdateScheduleCommand(schedule('frozen', 'default', 'rate(2 hours)')));
      await p.settle();
      const afterUpdate = await p.store.get({ groupName: 'default', scheduleName: 'frozen' });
      await p.client.send(new DeleteScheduleCommand({ Name: 'frozen' }));
      await p.settle();
      // Assess: the observer alone keeps the store right...
      expect(afterUpdate).to.include({ status: 'PRESENT', scheduleExpression: 'rate(2 hours)' });
      expect(await p.store.get({ groupName: 'default', scheduleName: 'frozen' })).to.include({ status: 'DELETED', deleteReason: 'SCHEDULE_DELETED' });
      expect(await storeDisagreements()).to.deep.equal([]);
      expect(p.dlq.messages()).to.have.length(0);
      // ...and the reconciler agrees, with nothing left NOT_CHECKED.
      for (const mode of ['report', 'repair', 'report'] as const) {
        const { report } = await run(mode);
        expect(report.counts, mode).to.include({ MISSING_IN_STORE: 0, MODIFIED: 0, DELETED_LIVE: 0, NOT_CHECKED: 0 });
      }
    });

    it('left in the store by an older release, is drift (FUTURE_VERSION) that one repair run corrects', async () => {
      // Prepare: the item carries a 2099 version, as the monitor wrote it before it checked event times.
      await start();
      await p.client.send(new CreateScheduleCommand(schedule('frozen')));
      await p.settle();
      const stored = await p.store.get({ groupName: 'default', scheduleName: 'frozen' });
      await dynamo.doc.send(new PutCommand({ TableName: p.store.tableName, Item: { ...stored, version: Date.parse('2099-01-01T00:00:00Z') } }));
      // Act
      const before = await run('report');
      const repair = await run('repair');
      const after = await run('report');
      // Assess
      expect(before.report.items).to.have.length(1);
      expect(before.report.items[0]).to.deep.include({ kind: 'MODIFIED', scheduleName: 'frozen', reason: 'FUTURE_VERSION' });
      expect(before.report.items[0]!.differences![0]).to.include({ path: 'version', actual: Date.parse('2099-01-01T00:00:00Z') });
      expect(repair.summary.repairs).to.deep.equal({ repaired: 1, skipped: 0 });
      expect(after.summary).to.include({ result: 'IN_SYNC', driftCount: 0 });
      expect(after.report.counts.NOT_CHECKED).to.equal(0);
      // The next real change lands through the observer again.
      await p.client.send(new UpdateScheduleCommand(schedule('frozen', 'default', 'rate(3 hours)')));
      await p.settle();
      expect(await p.store.get({ groupName: 'default', scheduleName: 'frozen' })).to.include({ scheduleExpression: 'rate(3 hours)' });
    });
  });

  describe('a group being deleted (deferred deletion)', () => {
    it('keeps a late CreateSchedule from making its schedule live again', async () => {
      // Prepare: the group's deletion is observed before the create of one of its schedules.
      await start('deferred');
      await p.client.send(new CreateScheduleGroupCommand({ Name: 'doomed' }));
      await p.client.send(new CreateScheduleCommand(schedule('early', 'doomed')));
      await p.settle();
      await p.client.send(new CreateScheduleCommand(schedule('late', 'doomed')));
      const late = holdDelivered().filter((body) => body.includes('"CreateSchedule"'));
      await p.client.send(new DeleteScheduleGroupCommand({ Name: 'doomed' }));
      await p.settle();
      // Act: the create arrives while the group is still DELETING, so GetSchedule still answers.
      await deliverLate(late);
      // Assess
      expect(await p.store.get({ groupName: 'doomed', scheduleName: 'late' })).to.include({ status: 'DELETED', deleteReason: 'GROUP_DELETED' });
      expect(await p.store.get({ groupName: 'doomed', scheduleName: 'early' })).to.include({ status: 'DELETED', deleteReason: 'GROUP_DELETED' });
      p.scheduler.completeGroupDeletions();
      expect(await storeDisagreements()).to.deep.equal([]);
    });

    it('is not written live by a repair run either: its schedules are deleted with it', async () => {
      // Prepare: the group deletion's event is lost; the store still holds its schedule live.
      await start('deferred');
      await p.client.send(new CreateScheduleGroupCommand({ Name: 'doomed' }));
      await p.client.send(new CreateScheduleCommand(schedule('kept-live', 'doomed')));
      await p.settle();
      await p.client.send(new DeleteScheduleGroupCommand({ Name: 'doomed' }));
      p.loseEvents();
      // Act: reconcile while the group is DELETING, then once it is gone.
      const during = await run('repair');
      p.scheduler.completeGroupDeletions();
      const after = await run('report');
      // Assess
      expect(during.report.items.map((i) => [i.kind, i.scheduleName, i.reason])).to.deep.equal([['DELETED_LIVE', 'kept-live', 'GROUP_DELETED']]);
      expect(await p.store.get({ groupName: 'doomed', scheduleName: 'kept-live' })).to.include({ status: 'DELETED', deleteReason: 'GROUP_DELETED' });
      expect(after.summary).to.include({ result: 'IN_SYNC', driftCount: 0 });
      expect(await storeDisagreements()).to.deep.equal([]);
    });
  });
});
