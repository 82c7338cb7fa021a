/**
 * The observer pipeline end to end on the local engines: real @aws-sdk/client-scheduler calls against the
 * local Scheduler model, CloudTrail-shaped events through the deployed event pattern, the local SQS queue
 * with its DLQ, the real monitor handler, and the state store on dynalite.
 */
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
} from '@aws-sdk/client-scheduler';
import { expect } from 'chai';
import { DEMO_SCHEDULES, runDemoStory } from '../../functions/demo/story';
import { GROUP_MARKER_NAME } from '../../functions/core/types';
import { captureMetrics } from '../../local/emf';
import type { LocalPipeline } from '../../local/pipeline';
import { pipelineHarness, steppingSeconds } from '../support/pipeline-harness';
import { compareStoreWithTruth, scanStore } from '../../local/truth';

const GROUP = 'scheduler-observer-demo';
const TARGET = 'arn:aws:sqs:us-east-1:123456789012:demo-target';
const ROLE = 'arn:aws:iam::123456789012:role/demo-scheduler';

describe('observer pipeline on the local engines', function () {
  this.timeout(60_000);
  const { start, close } = pipelineHarness();

  /** A clock whose every reading is in the same second: operations that CloudTrail cannot order. */
  function frozenSecond(at = '2026-11-24T10:00:00') {
    let ms = 0;
    return () => new Date(`${at}.${String(ms++ % 1000).padStart(3, '0')}Z`);
  }

  async function playDemo(p: LocalPipeline) {
    return runDemoStory(p.client, { groupName: GROUP, targetArn: TARGET, roleArn: ROLE, waitMs: 0, sleep: async () => {} });
  }

  async function expectStoreMatchesTruth(p: LocalPipeline) {
    const items = await scanStore(p.dynamo.doc, p.store.tableName);
    expect(compareStoreWithTruth(items, p.scheduler.snapshot())).to.deep.equal([]);
    return items;
  }

  describe('the demo-seed story', () => {
    it('ends with exactly the right store content when delivery is in order', async () => {
      // Prepare
      const captured = captureMetrics();
      const p = await start({ metrics: captured.metrics, scheduler: { now: steppingSeconds() } });
      // Act
      await playDemo(p);
      const drained = await p.settle();
      // Assess
      const items = await expectStoreMatchesTruth(p);
      const byName = Object.fromEntries(items.map((i) => [i.scheduleName, i]));
      expect(Object.keys(byName).sort()).to.deep.equal([DEMO_SCHEDULES.dailyReport, DEMO_SCHEDULES.everyFiveMinutes, DEMO_SCHEDULES.oneTime].sort());
      expect(byName[DEMO_SCHEDULES.everyFiveMinutes]).to.include({ status: 'PRESENT', state: 'DISABLED', observedVia: 'event', targetArn: TARGET });
      expect(byName[DEMO_SCHEDULES.oneTime]).to.include({ status: 'PRESENT', actionAfterCompletion: 'DELETE' });
      // Its create was processed after the delete, so the truth read found nothing to record: the tombstone
      // knows when and why, not what.
      expect(byName[DEMO_SCHEDULES.dailyReport]).to.include({ status: 'DELETED', deleteReason: 'SCHEDULE_DELETED' });
      expect(byName[DEMO_SCHEDULES.dailyReport]).to.not.have.property('targetArn');
      expect(drained).to.include({ complete: true, failedReceives: 0 });
      expect(p.dlq.stats.approximateNumberOfMessages).to.equal(0);
      // 1 group create + 3 creates + 1 update + 1 delete; the GetSchedule calls the story made itself are not events.
      // Standard queues do not keep order, so how many of the 5 changes arrive stale depends on batching;
      // that every one is accounted for, none failed, does not.
      const totals = captured.totals();
      expect(totals).to.include({ EventsReceived: 6, EventsIgnored: 1 });
      expect((totals.EventsApplied ?? 0) + (totals.EventsRejectedStale ?? 0)).to.equal(5);
      expect(totals).to.not.have.any.keys('EventsFailed', 'EventsInvalid', 'EventsRejectedDuplicate');
    });

    for (const seed of [1, 2, 3, 4, 5]) {
      it(`ends with the store equal to the truth when delivery is reordered and duplicated (seed ${seed})`, async () => {
        const p = await start({ delivery: { seed, reorder: true, duplicateRate: 0.5 }, batchSize: 3 });
        await playDemo(p);
        const drained = await p.settle();
        await expectStoreMatchesTruth(p);
        expect(p.delivery.duplicated, 'the seed duplicates something').to.be.greaterThan(0);
        expect(drained.failedReceives).to.equal(0);
        expect(p.dlq.stats.approximateNumberOfMessages).to.equal(0);
      });
    }
  });

  it('sends a poison message to the DLQ after 3 receives while the rest of its batch commits', async () => {
    // Prepare: one unparseable message and one malformed event between real events, all in one batch.
    const captured = captureMetrics();
    const p = await start({ metrics: captured.metrics, batchSize: 10, scheduler: { now: steppingSeconds() } });
    await playDemo(p);
    p.delivery.flush();
    p.queue.sendMessage('{not json');
    p.queue.sendMessage(JSON.stringify({ source: 'aws.scheduler', 'detail-type': 'AWS API Call via CloudTrail', detail: { eventSource: 'scheduler.amazonaws.com' } }));
    // Act
    await p.mapping.drain();
    // Assess
    await expectStoreMatchesTruth(p);
    const dead = p.dlq.messages();
    expect(dead.map((m) => m.body).sort()).to.deep.equal(['{not json', JSON.stringify({ source: 'aws.scheduler', 'detail-type': 'AWS API Call via CloudTrail', detail: { eventSource: 'scheduler.amazonaws.com' } })].sort());
    for (const message of dead) expect(message.receiveCount).to.equal(3);
    expect(p.queue.stats.approximateNumberOfMessages + p.queue.stats.approximateNumberOfMessagesNotVisible).to.equal(0);
    const totals = captured.totals();
    expect(totals).to.include({ EventsInvalid: 6, EventsIgnored: 1 });
    expect((totals.EventsApplied ?? 0) + (totals.EventsRejectedStale ?? 0)).to.equal(5);
  });

  it('retries a throttled GetSchedule inside the SDK and applies the event', async () => {
    const captured = captureMetrics();
    const p = await start({ metrics: captured.metrics, schedulerMaxAttempts: 3 });
    await p.client.send(new CreateScheduleCommand(schedule('throttled')));
    p.scheduler.throttleNext('GetSchedule', 2);
    p.scheduler.resetCalls();
    await p.settle();
    expect(p.scheduler.calls.GetSchedule).to.equal(3);
    expect(captured.totals()).to.include({ EventsApplied: 1 });
    expect(captured.totals()).to.not.have.property('EventsFailed');
    await expectStoreMatchesTruth(p);
  });

  it('lets SQS redeliver an event whose GetSchedule stays throttled beyond the SDK retries', async () => {
    const captured = captureMetrics();
    const p = await start({ metrics: captured.metrics, schedulerMaxAttempts: 2 });
    await p.client.send(new CreateScheduleCommand(schedule('throttled-long')));
    p.scheduler.throttleNext('GetSchedule', 4);
    const drained = await p.settle();
    expect(drained.failedReceives).to.equal(2);
    expect(captured.totals()).to.include({ EventsFailed: 2, SchedulerThrottles: 2, EventsApplied: 1 });
    expect(p.dlq.stats.approximateNumberOfMessages).to.equal(0);
    await expectStoreMatchesTruth(p);
  });

  describe('operations in the same second', () => {
    // Every permutation of delivery order of create, delete, re-create (another target) of one name.
    const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    for (const order of orders) {
      it(`ends with the re-created schedule when delete-then-recreate is delivered as ${order.join(',')}`, async () => {
        // Prepare
        const p = await start({ scheduler: { now: frozenSecond() } });
        // Act
        await p.client.send(new CreateScheduleCommand(schedule('phoenix', 'arn:aws:sqs:us-east-1:123456789012:first')));
        await p.client.send(new DeleteScheduleCommand({ Name: 'phoenix' }));
        await p.client.send(new CreateScheduleCommand(schedule('phoenix', 'arn:aws:sqs:us-east-1:123456789012:second')));
        p.delivery.flush();
        // Re-send the three events in the chosen order.
        const bodies = p.queue.messages().map((m) => m.body);
        p.loseEvents();
        for (const index of order) p.queue.sendMessage(bodies[index]);
        await p.mapping.drain();
        // Assess
        const items = await expectStoreMatchesTruth(p);
        expect(items).to.have.length(1);
        expect(items[0]).to.include({ status: 'PRESENT', targetArn: 'arn:aws:sqs:us-east-1:123456789012:second' });
      });
    }

    it('tombstones a schedule created and deleted in the same second whatever the order', async () => {
      for (const reverse of [false, true]) {
        const p = await start({ scheduler: { now: frozenSecond() } });
        await p.client.send(new CreateScheduleCommand(schedule('mayfly')));
        await p.client.send(new DeleteScheduleCommand({ Name: 'mayfly' }));
        p.delivery.flush();
        const bodies = p.queue.messages().map((m) => m.body);
        p.loseEvents();
        for (const body of reverse ? [...bodies].reverse() : bodies) p.queue.sendMessage(body);
        await p.mapping.drain();
        const items = await expectStoreMatchesTruth(p);
        expect(items.map((i) => i.status)).to.deep.equal(['DELETED']);
        await close(p);
      }
    });
  });

  it('tombstones every schedule of a deleted group from its one event', async () => {
    const p = await start();
    await p.client.send(new CreateScheduleGroupCommand({ Name: 'doomed' }));
    for (const name of ['a', 'b', 'c']) await p.client.send(new CreateScheduleCommand({ ...schedule(name), GroupName: 'doomed' }));
    await p.client.send(new CreateScheduleCommand(schedule('survivor')));
    await p.settle();
    await p.client.send(new DeleteScheduleGroupCommand({ Name: 'doomed' }));
    await p.settle();
    const items = await expectStoreMatchesTruth(p);
    const doomed = items.filter((i) => i.groupName === 'doomed' && i.scheduleName !== GROUP_MARKER_NAME);
    expect(await p.store.getGroupDeletion('doomed')).to.include({ status: 'GROUP_DELETED', observedVia: 'event' });
    expect(doomed.map((i) => [i.scheduleName, i.status, i.deleteReason])).to.deep.equal([
      ['a', 'DELETED', 'GROUP_DELETED'],
      ['b', 'DELETED', 'GROUP_DELETED'],
      ['c', 'DELETED', 'GROUP_DELETED'],
    ]);
  });

  it('never resurrects a deleted schedule from a late, duplicated create', async () => {
    const p = await start();
    await p.client.send(new CreateScheduleCommand(schedule('late')));
    p.delivery.flush();
    const createBody = p.queue.messages()[0].body;
    await p.mapping.drain();
    await p.client.send(new DeleteScheduleCommand({ Name: 'late' }));
    await p.settle();
    p.queue.sendMessage(createBody);
    await p.mapping.drain();
    const items = await expectStoreMatchesTruth(p);
    expect(items[0]).to.include({ status: 'DELETED', deleteReason: 'SCHEDULE_DELETED' });
  });
});

function schedule(name: string, targetArn = TARGET) {
  return {
    Name: name,
    ScheduleExpression: 'rate(1 hour)',
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    Target: { Arn: targetArn, RoleArn: ROLE, Input: '{"from":"test"}' },
  };
}
