/**
 * The observer's cost per event and its share of the account's Scheduler API (issue 12), on the local pipeline:
 * a batch's events of one schedule become one GetSchedule and one write (coalescing), and the monitor's GetSchedule
 * rate stays under the configured bound, so that a Scheduler quota shared with the account's other tools is not
 * exhausted by the observer.
 */
import { CreateScheduleCommand, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { expect } from 'chai';
import { captureMetrics } from '../../local/emf';
import type { LocalPipeline } from '../../local/pipeline';
import { compareStoreWithTruth, scanStore } from '../../local/truth';
import { pipelineHarness, steppingSeconds } from '../support/pipeline-harness';

const TARGET = 'arn:aws:sqs:us-east-1:123456789012:rate-target';
const ROLE = 'arn:aws:iam::123456789012:role/rate-scheduler';

const schedule = (name: string, expression = 'rate(1 hour)') => ({
  Name: name,
  ScheduleExpression: expression,
  FlexibleTimeWindow: { Mode: 'OFF' as const },
  Target: { Arn: TARGET, RoleArn: ROLE },
});

describe('the observer coalesces a batch and keeps to its GetSchedule rate', function () {
  this.timeout(60_000);
  const { start } = pipelineHarness();

  async function expectStoreMatchesTruth(p: LocalPipeline): Promise<void> {
    const items = await scanStore(p.dynamo.doc, p.store.tableName);
    expect(compareStoreWithTruth(items, p.scheduler.snapshot())).to.deep.equal([]);
  }

  it('reads and writes a schedule once for a create and four updates arriving in one batch, in any order', async () => {
    // Prepare
    const captured = captureMetrics();
    const p = await start({ metrics: captured.metrics, batchSize: 10, scheduler: { now: steppingSeconds() }, delivery: { seed: 7, reorder: true } });
    await p.client.send(new CreateScheduleCommand(schedule('burst')));
    for (let i = 1; i <= 4; i++) await p.client.send(new UpdateScheduleCommand(schedule('burst', `rate(${i + 1} hours)`)));
    p.scheduler.resetCalls();
    // Act
    await p.settle();
    // Assess
    expect(p.scheduler.calls.GetSchedule).to.equal(1);
    expect(captured.totals()).to.include({ EventsReceived: 5, EventsCoalesced: 4, EventsRejectedStale: 4, EventsApplied: 1 });
    await expectStoreMatchesTruth(p);
  });

  // Scheduler answers GetSchedule at 20 per second here (a burst of one second's worth), and the SDK does not retry (1 attempt), so every
  // throttled read fails its event. 30 new schedules make 30 reads.
  const throttledScheduler = { throttle: { GetSchedule: { ratePerSecond: 20, burst: 20 } } };

  it('is never throttled when its GetSchedule rate (10/s) is under what Scheduler grants (20/s)', async () => {
    const captured = captureMetrics();
    const p = await start({ metrics: captured.metrics, scheduler: throttledScheduler, schedulerMaxAttempts: 1, getScheduleRate: { ratePerSecond: 10, maxConcurrency: 1 } });
    for (let i = 0; i < 30; i++) await p.client.send(new CreateScheduleCommand(schedule(`s${i}`)));
    await p.settle();
    expect(p.scheduler.throttled.GetSchedule ?? 0).to.equal(0);
    expect(captured.totals()).to.include({ EventsApplied: 30 });
    expect(captured.totals()).to.not.have.property('EventsFailed');
    await expectStoreMatchesTruth(p);
  });

  it('is throttled without the bound, its failed events left to SQS redelivery (the scenario can fail)', async () => {
    const captured = captureMetrics();
    const p = await start({ metrics: captured.metrics, scheduler: throttledScheduler, schedulerMaxAttempts: 1 });
    for (let i = 0; i < 30; i++) await p.client.send(new CreateScheduleCommand(schedule(`s${i}`)));
    await p.settle();
    expect(p.scheduler.throttled.GetSchedule ?? 0).to.be.greaterThan(0);
    expect(captured.totals().SchedulerThrottles ?? 0).to.be.greaterThan(0);
  });
});
