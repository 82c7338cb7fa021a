/**
 * The first deployment is a backfill (issue 12), executed: the real ASL on aws-local-stepfunctions with the real
 * handlers, IAM in the loop. A new stack's store is empty while the account already holds schedules; the first
 * timed run over every group notices that the store was never backfilled, writes every live schedule
 * (conditionally, so an event arriving meanwhile wins), reports itself as a backfill and raises no drift alarm.
 */
import { CreateScheduleCommand, CreateScheduleGroupCommand } from '@aws-sdk/client-scheduler';
import { expect } from 'chai';
import { parseReport, renderMarkdown, type DriftReport, type ExecutionSummary } from '../../functions/core/report';
import { ReconcileStore } from '../../functions/adapters/store';
import { captureMetrics } from '../../local/emf';
import { startPipeline, type LocalPipeline } from '../../local/pipeline';
import { createLocalReconciler, type LocalReconciler } from '../../local/reconciler';
import { compareStoreWithTruth, scanStore } from '../../local/truth';
import { suiteEngines } from '../support/engines';

const TARGET = 'arn:aws:sqs:us-east-1:123456789012:orders';
const ROLE = 'arn:aws:iam::123456789012:role/scheduler';

const schedule = (name: string, group = 'default') => ({
  Name: name,
  GroupName: group,
  ScheduleExpression: 'rate(1 hour)',
  FlexibleTimeWindow: { Mode: 'OFF' as const },
  Target: { Arn: TARGET, RoleArn: ROLE },
});

describe('the first run of a new stack is a backfill', function () {
  this.timeout(120_000);
  const engines = suiteEngines();
  let p: LocalPipeline;
  let reconciler: LocalReconciler;
  let metrics: ReturnType<typeof captureMetrics>;
  // Scheduler's clock runs 10 s behind, so that the schedules predate the run's start by more than a second.
  const schedulerClock = () => new Date(Date.now() - 10_000);

  beforeEach(async () => {
    p = await startPipeline({ dynamo: engines.dynamo, scheduler: { now: schedulerClock } });
    metrics = captureMetrics();
    reconciler = await createLocalReconciler({
      scheduler: p.scheduler, access: p.access, dynamo: engines.dynamo, tableName: p.store.tableName, s3: engines.s3, bucket: `reports-${p.store.tableName}`.toLowerCase(),
      metrics: metrics.metrics, backfilled: false,
    });
    // The account's schedules predate the stack: the observer never saw them.
    await p.client.send(new CreateScheduleGroupCommand({ Name: 'billing' }));
    for (const name of ['a', 'b', 'c']) await p.client.send(new CreateScheduleCommand(schedule(name)));
    for (const name of ['invoice', 'ledger']) await p.client.send(new CreateScheduleCommand(schedule(name, 'billing')));
    p.loseEvents();
  });
  afterEach(async () => {
    reconciler.close();
    await p.close();
  });

  const latestReport = async (): Promise<DriftReport> => parseReport(await reconciler.objects.getJson('reports/latest.json'));

  it('fills the store from a timed report run, reports a backfill, publishes nothing and emits no drift metric', async () => {
    // Act: the timer's input.
    const execution = await reconciler.run({ mode: 'report' });
    // Assess
    const summary = execution.output as ExecutionSummary;
    expect(execution.status).to.equal('SUCCEEDED');
    expect(summary).to.include({ mode: 'backfill', result: 'BACKFILLED', backfill: 'STORE_NEVER_BACKFILLED' });
    expect(summary.repairs).to.deep.equal({ repaired: 5, skipped: 0 });
    expect(reconciler.published).to.have.length(0);
    const items = await scanStore(engines.dynamo.doc, p.store.tableName);
    expect(compareStoreWithTruth(items, p.scheduler.snapshot())).to.deep.equal([]);
    const totals = metrics.totals();
    expect(totals).to.include({ BackfillSchedulesWritten: 5, ReconcileRunsSucceeded: 1 });
    expect(Object.keys(totals).filter((name) => name.startsWith('Drift'))).to.deep.equal([]);
    const report = await latestReport();
    expect(report).to.include({ mode: 'backfill', backfill: 'STORE_NEVER_BACKFILLED' });
    expect(renderMarkdown(report)).to.include('- Backfill: the first run over every group of a store that was never backfilled');
    expect(await new ReconcileStore(engines.dynamo.doc, p.store.tableName).backfillCompleted()).to.equal(true);
  });

  it('runs ordinary report runs once the backfill completed: the next one finds the store in sync', async () => {
    await reconciler.run({ mode: 'report' });
    const execution = await reconciler.run({ mode: 'report' });
    expect(execution.output).to.include({ mode: 'report', result: 'IN_SYNC' });
  });

  it('leaves a run over named groups a report (it covers only part of the store), and backfills later', async () => {
    const scoped = await reconciler.run({ mode: 'report', groups: ['billing'] });
    expect(scoped.output).to.include({ mode: 'report', result: 'DRIFT_FOUND', driftCount: 2 });
    expect(await new ReconcileStore(engines.dynamo.doc, p.store.tableName).backfillCompleted()).to.equal(false);
    const all = await reconciler.run({ mode: 'report' });
    expect(all.output).to.include({ mode: 'backfill' });
  });

  it('backfills again when asked to ({"mode": "backfill"}), after a table restore for example', async () => {
    await reconciler.run({ mode: 'report' });
    const execution = await reconciler.run({ mode: 'backfill' });
    expect(execution.output).to.include({ mode: 'backfill', result: 'BACKFILLED', backfill: 'REQUESTED' });
    expect((execution.output as ExecutionSummary).repairs).to.deep.equal({ repaired: 0, skipped: 0 });
  });

  it('does not mark the store backfilled when the backfill fails, so the next run backfills again', async () => {
    p.scheduler.failNext('ListSchedules', 20);
    const failed = await reconciler.run({ mode: 'report' });
    expect(failed.status).to.equal('FAILED');
    expect(await new ReconcileStore(engines.dynamo.doc, p.store.tableName).backfillCompleted()).to.equal(false);
    const retried = await reconciler.run({ mode: 'report' });
    expect(retried.output).to.include({ mode: 'backfill', result: 'BACKFILLED' });
  });
});
