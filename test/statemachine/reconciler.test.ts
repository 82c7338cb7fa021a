/**
 * The reconciler executed: the real statemachines/reconciler.asl.json on aws-local-stepfunctions, its Tasks
 * bound to the real handlers, which use the real SDK clients against the local Scheduler model, dynalite
 * (the state store, filled by the real observer pipeline) and the local S3.
 */
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { expect } from 'chai';
import type { DriftItem } from '../../functions/core/drift-types';
import { parseReport, type DriftReport, type ExecutionSummary } from '../../functions/core/report';
import { captureMetrics } from '../../local/emf';
import { startPipeline, type LocalPipeline } from '../../local/pipeline';
import { createLocalReconciler, type LocalReconciler } from '../../local/reconciler';
import { compareStoreWithTruth, scanStore } from '../../local/truth';
import { suiteEngines } from '../support/engines';

const TARGET = 'arn:aws:sqs:us-east-1:123456789012:orders';
const OTHER_TARGET = 'arn:aws:sqs:us-east-1:123456789012:invoices';
const ROLE = 'arn:aws:iam::123456789012:role/scheduler';

function schedule(name: string, group = 'default', extra: Record<string, unknown> = {}) {
  return {
    Name: name,
    GroupName: group,
    ScheduleExpression: 'rate(1 hour)',
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    Target: { Arn: TARGET, RoleArn: ROLE },
    ...extra,
  };
}

describe('reconciler state machine, executed', function () {
  this.timeout(120_000);
  const engines = suiteEngines();
  let p: LocalPipeline;
  let reconciler: LocalReconciler;
  /**
   * Scheduler's clock runs 10 s behind: CloudTrail versions have one-second resolution, so a run that starts
   * within a second of a change rightly leaves it NOT_CHECKED. Tests that change schedules during a run set
   * the lag to 0 first.
   */
  let lagMs = 10_000;
  const schedulerClock = () => new Date(Date.now() - lagMs);

  beforeEach(async () => {
    lagMs = 10_000;
    p = await startPipeline({ dynamo: engines.dynamo, scheduler: { now: schedulerClock } });
    reconciler = await createLocalReconciler({ scheduler: p.scheduler, access: p.access, dynamo: engines.dynamo, tableName: p.store.tableName, s3: engines.s3, bucket: `reports-${p.store.tableName}`.toLowerCase() });
  });
  afterEach(async () => {
    reconciler.close();
    await p.close();
  });

  async function create(names: string[], group = 'default') {
    for (const name of names) await p.client.send(new CreateScheduleCommand(schedule(name, group)));
  }

  async function run(input: unknown, options?: Parameters<LocalReconciler['run']>[1]) {
    const execution = await reconciler.run(input, options);
    return { execution, summary: execution.output as ExecutionSummary };
  }

  async function latestReport(): Promise<DriftReport> {
    return parseReport(await reconciler.objects.getJson('reports/latest.json'));
  }

  function item(report: DriftReport, name: string): Omit<DriftItem, 'live'> | undefined {
    return report.items.find((i) => i.scheduleName === name);
  }

  it('reports zero drift on a store the observer kept right, and publishes nothing', async () => {
    // Prepare
    await create(['a', 'b', 'c']);
    await p.settle();
    p.scheduler.resetCalls();
    // Act
    const { execution, summary } = await run({ mode: 'report' });
    // Assess
    expect(execution.status).to.equal('SUCCEEDED');
    expect(summary).to.include({ result: 'IN_SYNC', driftCount: 0 });
    expect(summary.counts).to.deep.equal({ IN_SYNC: 3, MISSING_IN_STORE: 0, MODIFIED: 0, DELETED_LIVE: 0, NOT_CHECKED: 0 });
    expect(reconciler.published).to.have.length(0);
    // Cost: one ListScheduleGroups page and one ListSchedules page, no GetSchedule for in-sync schedules.
    expect(p.scheduler.calls).to.deep.equal({ ListScheduleGroups: 1, ListSchedules: 1 });
  });

  describe('with every kind of drift', () => {
    let report: DriftReport;
    let summary: ExecutionSummary;

    beforeEach(async () => {
      // Prepare: a store the observer kept right...
      await p.client.send(new CreateScheduleGroupCommand({ Name: 'billing' }));
      await p.client.send(new CreateScheduleGroupCommand({ Name: 'doomed' }));
      await create(['steady', 'edited', 'vanished']);
      await create(['invoice'], 'billing');
      await create(['gone-with-group'], 'doomed');
      await p.client.send(new CreateScheduleCommand(schedule('one-shot', 'default', { ScheduleExpression: 'at(2020-01-01T00:00:00)', ActionAfterCompletion: 'DELETE' })));
      await p.settle();
      // ...then changes whose CloudTrail events are lost, and a one-time schedule completing on its own.
      await create(['dropped-event']);
      await p.client.send(new UpdateScheduleCommand({ ...schedule('edited'), Target: { Arn: OTHER_TARGET, RoleArn: ROLE } }));
      await p.client.send(new DeleteScheduleCommand({ Name: 'vanished' }));
      await p.client.send(new DeleteScheduleGroupCommand({ Name: 'doomed' }));
      p.scheduler.completeOneTimeSchedule('default', 'one-shot');
      expect(p.loseEvents()).to.equal(4);
      p.scheduler.resetCalls();
      // Act
      const result = await run({ mode: 'report' });
      expect(result.execution.status, JSON.stringify(result.execution.error)).to.equal('SUCCEEDED');
      summary = result.summary;
      report = await latestReport();
    });

    it('finds a schedule the store missed: MISSING_IN_STORE', () => {
      expect(item(report, 'dropped-event')).to.deep.include({ kind: 'MISSING_IN_STORE', groupName: 'default' });
    });

    it('finds an edited target: MODIFIED with the property, live value and store value', () => {
      const edited = item(report, 'edited')!;
      expect(edited.kind).to.equal('MODIFIED');
      expect(edited.differences).to.deep.include({ path: 'target.arn', expected: OTHER_TARGET, actual: TARGET });
    });

    it('finds a schedule deleted behind the observer’s back: DELETED_LIVE, reason unknown', () => {
      expect(item(report, 'vanished')).to.deep.include({ kind: 'DELETED_LIVE', reason: 'UNKNOWN' });
    });

    it('explains a completed one-time schedule as an expected deletion', () => {
      expect(item(report, 'one-shot')).to.deep.include({ kind: 'DELETED_LIVE', reason: 'COMPLETED', expected: true });
      expect(report.expectedDeletions).to.equal(1);
    });

    it('finds the schedules of a group deleted behind its back: DELETED_LIVE, group deleted', () => {
      expect(item(report, 'gone-with-group')).to.deep.include({ kind: 'DELETED_LIVE', groupName: 'doomed', reason: 'GROUP_DELETED' });
    });

    it('counts the rest as in sync and lists nothing else', () => {
      expect(report.counts).to.deep.equal({ IN_SYNC: 2, MISSING_IN_STORE: 1, MODIFIED: 1, DELETED_LIVE: 3, NOT_CHECKED: 0 });
      expect(report.items.map((i) => i.scheduleName).sort()).to.deep.equal(['dropped-event', 'edited', 'gone-with-group', 'one-shot', 'vanished']);
    });

    it('calls GetSchedule only for candidates, never for in-sync schedules', () => {
      // Candidates: dropped-event, edited (listing) and vanished, one-shot, gone-with-group (sweep).
      expect(p.scheduler.calls).to.deep.equal({ ListScheduleGroups: 1, ListSchedules: 2, GetSchedule: 5 });
    });

    it('outputs a short summary with the counts, the report URI and the first drift items', () => {
      expect(summary).to.include({ result: 'DRIFT_FOUND', driftCount: 5, expectedDeletions: 1 });
      expect(summary.reportUri).to.match(/^s3:\/\/.+\/reports\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f-]+\.json$/);
      expect(summary.topDrift).to.have.length(5);
      expect(summary.topDrift.join('\n')).to.contain('default/edited');
    });

    it('writes the report as JSON, Markdown and HTML beside latest.json, and publishes one message', async () => {
      const key = summary.reportUri.replace(/^s3:\/\/[^/]+\//, '');
      expect(parseReport(await reconciler.objects.getJson(key))).to.deep.equal(report);
      const markdown = await reconciler.objects.getText(key.replace(/\.json$/, '.md'));
      expect(markdown).to.contain('MISSING_IN_STORE').and.to.contain('dropped-event');
      const html = await reconciler.objects.getText(key.replace(/\.json$/, '.html'));
      expect(html).to.match(/^<!DOCTYPE html>/i).and.to.contain('dropped-event');
      expect(reconciler.published).to.have.length(1);
      expect(reconciler.published[0].Subject).to.contain('5 found');
      expect(reconciler.published[0].Message).to.contain(summary.reportUri);
    });

    it('repairs the store to the truth, and the next run reports zero drift', async () => {
      // Act
      const repair = await run({ mode: 'repair' });
      const next = await run({ mode: 'report' });
      // Assess
      expect(repair.summary.repairs).to.deep.equal({ repaired: 5, skipped: 0 });
      expect(compareStoreWithTruth(await scanStore(engines.dynamo.doc, p.store.tableName), p.scheduler.snapshot())).to.deep.equal([]);
      expect(next.summary).to.include({ result: 'IN_SYNC', driftCount: 0 });
      expect(next.summary.counts.IN_SYNC).to.equal(4);
      const tombstone = await p.store.get({ groupName: 'default', scheduleName: 'one-shot' });
      expect(tombstone).to.include({ status: 'DELETED', deleteReason: 'COMPLETED', observedVia: 'reconcile' });
    });
  });

  it('emits one EMF document per run with a metric per drift kind, in the SchedulerObserver namespace', async () => {
    // Prepare
    const captured = captureMetrics();
    reconciler.close();
    reconciler = await createLocalReconciler({ scheduler: p.scheduler, access: p.access, dynamo: engines.dynamo, tableName: p.store.tableName, s3: engines.s3, bucket: 'metrics-reports', metrics: captured.metrics });
    await create(['kept', 'lost']);
    await p.settle();
    await p.client.send(new DeleteScheduleCommand({ Name: 'lost' }));
    p.loseEvents();
    // Act
    await run({ mode: 'report' });
    // Assess
    expect(captured.documents).to.have.length(1);
    const emf = captured.documents[0] as { _aws: { CloudWatchMetrics: Array<{ Namespace: string; Metrics: Array<{ Name: string; Unit: string }> }> } };
    expect(emf._aws.CloudWatchMetrics[0].Namespace).to.equal('SchedulerObserver');
    expect(captured.totals()).to.deep.equal({
      DriftInSync: 1, DriftMissingInStore: 0, DriftModified: 0, DriftDeletedLive: 1, DriftNotChecked: 0, DriftExpectedDeletions: 0, ReconcileRunsSucceeded: 1,
    });
  });

  it('never calls a Scheduler write API, in report or repair mode', async () => {
    await create(['a']);
    await create(['b']);
    p.loseEvents();
    p.scheduler.resetCalls();
    await run({ mode: 'repair' });
    expect(Object.keys(p.scheduler.calls).sort()).to.deep.equal(['GetSchedule', 'ListScheduleGroups', 'ListSchedules']);
  });

  it('reports a schedule modified during the run as NOT_CHECKED, not drift', async () => {
    // Prepare: the store is right; the schedule changes after the run starts, before its group is listed.
    await create(['racing', 'calm']);
    await p.settle();
    const scan = reconciler.functions.scan;
    reconciler.functions.scan = async (payload: { action: string }) => {
      if (payload.action === 'reconcileBatch') {
        lagMs = 0;
        await p.client.send(new UpdateScheduleCommand({ ...schedule('racing'), State: 'DISABLED' }));
      }
      return scan(payload);
    };
    // Act
    const { summary } = await run({ mode: 'report' });
    // Assess
    expect(summary.counts).to.include({ NOT_CHECKED: 1, MODIFIED: 0, IN_SYNC: 1 });
    expect(item(await latestReport(), 'racing')).to.deep.include({ kind: 'NOT_CHECKED', reason: 'LIVE_CHANGED_AFTER_START' });
  });

  describe('a schedule deleted during the run, before its group is listed', () => {
    async function deleteDuringRun(deliverBeforeReport: boolean) {
      await create(['doomed-midrun', 'calm']);
      await p.settle();
      const scan = reconciler.functions.scan;
      reconciler.functions.scan = async (payload: { action: string }) => {
        if (payload.action === 'reconcileBatch') {
          lagMs = 0;
          await p.client.send(new DeleteScheduleCommand({ Name: 'doomed-midrun' }));
        }
        return scan(payload);
      };
      const report = reconciler.functions.report;
      reconciler.functions.report = async (payload: { action: string }) => {
        if (deliverBeforeReport) await p.settle();
        else p.loseEvents();
        return report(payload);
      };
      const { summary } = await run({ mode: 'report' });
      return { summary, report: await latestReport() };
    }

    it('is NOT_CHECKED when its CloudTrail event reaches the store before the report is written', async () => {
      const { summary, report } = await deleteDuringRun(true);
      expect(summary.counts).to.include({ DELETED_LIVE: 0, NOT_CHECKED: 1, IN_SYNC: 1 });
      expect(item(report, 'doomed-midrun')).to.deep.include({ kind: 'NOT_CHECKED', reason: 'STORE_CHANGED_AFTER_START' });
    });

    it('is DELETED_LIVE (UNKNOWN) when its event never arrives: the documented limit, a deletion carries no date', async () => {
      const { report } = await deleteDuringRun(false);
      expect(item(report, 'doomed-midrun')).to.deep.include({ kind: 'DELETED_LIVE', reason: 'UNKNOWN' });
    });
  });

  it('lets a concurrent observer write win over a repair', async () => {
    // Prepare: drift on "contested", then the observer catches up between the scan and the repair.
    await create(['contested']);
    p.loseEvents();
    const repair = reconciler.functions.repair;
    reconciler.functions.repair = async (payload) => {
      await p.client.send(new UpdateScheduleCommand({ ...schedule('contested'), State: 'DISABLED' }));
      await p.settle();
      return repair(payload);
    };
    // Act
    const { summary } = await run({ mode: 'repair' });
    // Assess
    expect(summary.repairs).to.deep.equal({ repaired: 0, skipped: 1 });
    expect(await p.store.get({ groupName: 'default', scheduleName: 'contested' })).to.include({ state: 'DISABLED', observedVia: 'event' });
  });

  it('retries a throttled ListSchedules (Step Functions Retry on ThrottlingException) and completes', async () => {
    reconciler.close();
    reconciler = await createLocalReconciler({ scheduler: p.scheduler, access: p.access, dynamo: engines.dynamo, tableName: p.store.tableName, s3: engines.s3, bucket: 'throttled-reports', schedulerMaxAttempts: 1 });
    await create(['a', 'b']);
    await p.settle();
    p.scheduler.throttleNext('ListSchedules', 2);
    const { execution, summary } = await run({ mode: 'report' });
    expect(execution.status).to.equal('SUCCEEDED');
    expect(summary.counts.IN_SYNC).to.equal(2);
    // "Reconcile a batch" ran three times: twice throttled, once through.
    expect(execution.invocations.scan).to.equal(1 + 3);
  });

  it('paginates many groups with more than 10 pages each, in several batches', async () => {
    // Prepare: 3 groups × 1,050 schedules = 11 pages each; 4 pages per batch forces the continuation loop.
    reconciler.close();
    reconciler = await createLocalReconciler({
      scheduler: p.scheduler, access: p.access, dynamo: engines.dynamo, tableName: p.store.tableName, s3: engines.s3, bucket: 'paged-reports', limits: { pagesPerBatch: 4, sweepItemsPerBatch: 1_000 },
    });
    const groups = ['g-one', 'g-two', 'g-three'];
    for (const group of groups) {
      await p.client.send(new CreateScheduleGroupCommand({ Name: group }));
      await Promise.all(Array.from({ length: 1_050 }, (_, i) => p.client.send(new CreateScheduleCommand(schedule(`s-${String(i).padStart(4, '0')}`, group)))));
    }
    await p.settle();
    // Drift in the last page of one group, to be found past the first batches.
    await p.client.send(new UpdateScheduleCommand({ ...schedule('s-1049', 'g-two'), State: 'DISABLED' }));
    p.loseEvents();
    p.scheduler.resetCalls();
    // Act
    const { execution, summary } = await run({ mode: 'report' });
    // Assess
    expect(execution.status, JSON.stringify(execution.error)).to.equal('SUCCEEDED');
    expect(summary.counts).to.include({ IN_SYNC: 3 * 1_050 - 1, MODIFIED: 1 });
    // 11 pages per group, and one (empty) page for the default group, which always exists.
    expect(p.scheduler.calls).to.deep.equal({ ListScheduleGroups: 1, ListSchedules: 3 * 11 + 1, GetSchedule: 1 });
    // Per group: batches of 4, 4 and 3 pages, the last one sweeping its first 1,000 store items, then one more
    // sweep batch for the other 50; the default group takes one batch. Plus "Start run".
    expect(execution.invocations.scan).to.equal(1 + 3 * 4 + 1);
    expect(execution.peakPayloadBytes).to.be.below(16 * 1024);
  });

  it('fails fast with InvalidInputError naming the field, before touching anything', async () => {
    const cases = [
      { input: { mode: 'fix' }, message: 'mode must be "report", "repair" or "backfill"' },
      { input: { mode: 'report', groups: [] as string[] }, message: 'groups: at least one group' },
      { input: { mode: 'report', groups: ['bad name!'] }, message: 'groups.0: a schedule group name' },
      { input: { Comment: 'Insert your JSON here' }, message: 'unknown field(s) "Comment"' },
    ];
    for (const c of cases) {
      p.scheduler.resetCalls();
      const { execution } = await run(c.input);
      expect(execution.status).to.equal('FAILED');
      expect(execution.error).to.deep.include({ name: 'InvalidInputError' });
      expect(execution.error!.message).to.contain(c.message);
      expect(p.scheduler.calls).to.deep.equal({});
    }
  });

  it('checks only the groups asked for', async () => {
    await p.client.send(new CreateScheduleGroupCommand({ Name: 'billing' }));
    await create(['in-default']);
    await create(['in-billing'], 'billing');
    p.loseEvents();
    const { summary } = await run({ mode: 'report', groups: ['billing'] });
    expect(summary.counts.MISSING_IN_STORE).to.equal(1);
    expect((await latestReport()).scope).to.deep.equal({ groups: ['billing'] });
  });

  it('records a failed run as a FAILED report with what it found, and fails with the step’s cause', async () => {
    await create(['a']);
    p.loseEvents();
    const report = reconciler.functions.report;
    reconciler.functions.report = async (payload: { action: string }) => {
      if (payload.action === 'writeReport') throw Object.assign(new Error('S3 is on fire'), { name: 'AccessDenied' });
      return report(payload);
    };
    const { execution } = await run({ mode: 'report' });
    expect(execution.status).to.equal('FAILED');
    expect(execution.error).to.deep.equal({ name: 'ReconcileFailed', message: 'S3 is on fire' });
    const failed = await latestReport();
    expect(failed).to.include({ status: 'FAILED' });
    expect(failed.failure).to.deep.equal({ error: 'AccessDenied', cause: 'S3 is on fire' });
    expect(failed.counts.MISSING_IN_STORE).to.equal(1);
  });
});
