/**
 * One benchmark size: fresh local engines, the seeded dataset, then the reconciler (the real ASL on
 * aws-local-stepfunctions, the real handlers and SDK clients) in report mode, in repair mode, and the naive
 * reconciler on the same data, each measured: Scheduler calls per operation (the model's own counters), store
 * requests (a meter on the shared DynamoDB client), transitions, history events, invocations, payload, time.
 */
import type { ExecutionSummary } from '../functions/core/report';
import { startLocalDynamo } from '../local/dynamodb';
import { startDynamoGate } from '../local/dynamodb-gate';
import { LocalIam } from '../local/iam/stack';
import { createLocalReconciler } from '../local/reconciler';
import { startLocalS3 } from '../local/s3';
import { startSchedulerModel, type SchedulerModel } from '../local/scheduler';
import { naiveBatchesOf, naiveTransitionsOf, runNaiveReconciler } from './naive';
import { changed, scheduleName, seedDataset, wireSpec, type Dataset } from './seed';
import { meterStore, type StoreCounts } from './store-meter';

export interface RunRow {
  size: number;
  groups: number;
  mode: 'report' | 'repair' | 'naive';
  schedulerCalls: Record<string, number>;
  schedulerTotal: number;
  store: StoreCounts;
  stateTransitions: number;
  /** true when the figure is the naive reconciler's assumed Step Functions shape, not a measurement. */
  assumedShape: boolean;
  lambdaInvocations: number;
  /** reconcileBatch calls (the scan function's per-batch invocations). */
  batches: number;
  /** findStoreOnlyGroups calls (the store Scan continued past startRun's first chunk). */
  storeScanCalls: number;
  /** Handler time per function, ms (Lambda duration stand-in). */
  handlerMs: Record<string, number>;
  peakPayloadBytes: number | null;
  historyEvents: number;
  wallMs: number;
  /** The benchmark process's peak resident memory during the run (all local engines included), when sampled. */
  peakRssMb?: number;
  status: string;
  counts?: ExecutionSummary['counts'];
  driftCount?: number;
  groupsChecked?: number;
}

export interface SizeResult {
  dataset: Omit<Dataset, 'notChecked'>;
  rows: RunRow[];
  /** What each run was expected to find (from the injection), for the correctness line. */
  expected: Record<'report' | 'repair', { MISSING_IN_STORE: number; MODIFIED: number; DELETED_LIVE: number; NOT_CHECKED: number; driftCount: number }>;
  seedMs: number;
}

const total = (calls: Record<string, number>) => Object.values(calls).reduce((n, v) => n + v, 0);

async function waitUntilAfter(ms: number): Promise<void> {
  const wait = ms - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

export async function runSize(size: { schedules: number; groups: number }, progress: (message: string) => void, options: { naive?: boolean } = {}): Promise<SizeResult> {
  const dynamo = await startLocalDynamo();
  const s3 = await startLocalS3();
  // Real-time clock: schedules changed during a run are dated after its start.
  // IAM in the loop, as in the tests: each function signs with its role's key and every engine authorizes it.
  const iam = new LocalIam();
  const scheduler: SchedulerModel = await startSchedulerModel({ quotas: { schedules: 2_000_000 }, authorizer: iam.authorizer });
  const gate = await startDynamoGate({ target: dynamo.endpoint, authorizer: iam.authorizer });
  const tableName = `bench-${size.schedules}`;
  await dynamo.createStateStoreTable(tableName);
  let itemBytes = 700;
  try {
    const seedStarted = Date.now();
    const dataset = await seedDataset({ ...size, scheduler, doc: dynamo.doc, tableName }, progress);
    itemBytes = dataset.itemBytes;
    const seedMs = Date.now() - seedStarted;
    const reconciler = await createLocalReconciler({ scheduler, dynamo, tableName, s3, bucket: `bench-reports-${size.schedules}`, access: { iam, dynamo: gate } });
    // What the reconciler's three functions ask the store, each through its own role's client, and what the naive
    // reconciler (a comparison, not a function of the stack: it runs with the operator's client) asks it.
    const roleDocs = (['reconciler-scan', 'reconciler-report', 'reconciler-repair'] as const).map((role) => gate.docFor(iam.authorizer.principalNamed(role)));
    const meter = meterStore([...roleDocs, dynamo.doc], () => itemBytes);
    const scan = reconciler.functions.scan;
    const rows: RunRow[] = [];
    let lastChangeAt = 0;

    for (const mode of ['report', 'repair'] as const) {
      const toChange = mode === 'report' ? dataset.notChecked.report : dataset.notChecked.repair;
      const handlerMs: Record<string, number> = {};
      const timed = (name: 'scan' | 'report' | 'repair', fn: (payload: any) => Promise<unknown>) => async (payload: any) => {
        const started = performance.now();
        try {
          return await fn(payload);
        } finally {
          handlerMs[name] = (handlerMs[name] ?? 0) + performance.now() - started;
        }
      };
      const original = { report: reconciler.functions.report, repair: reconciler.functions.repair };
      const timedScan = timed('scan', scan);
      let batches = 0;
      let storeScanCalls = 0;
      // NOT_CHECKED: 1% of a group's schedules change just before its first batch (outside the timed handler).
      const touched = new Set<string>();
      reconciler.functions.scan = async (payload: any) => {
        if (payload?.action === 'findStoreOnlyGroups') storeScanCalls++;
        if (payload?.action === 'reconcileBatch') {
          batches++;
          const group: string = payload.group?.name;
          if (payload.cursor === null && !touched.has(group)) {
            touched.add(group);
            const at = Math.ceil((Date.now() + 1) / 1000) * 1000;
            lastChangeAt = Math.max(lastChangeAt, at);
            scheduler.seed((toChange.get(group) ?? []).map((schedule, i) => changed(schedule, at, i)));
          }
        }
        return timedScan(payload);
      };
      reconciler.functions.report = timed('report', original.report);
      reconciler.functions.repair = timed('repair', original.repair);

      // The previous run's mid-run changes must be dated before this run's start.
      await waitUntilAfter(lastChangeAt + 1);
      progress(`  ${size.schedules.toLocaleString('en-US')} schedules: reconciler, ${mode} mode ...`);
      scheduler.resetCalls();
      meter.reset();
      meter.enabled = true;
      const started = Date.now();
      const rss = sampleRss();
      const execution = await reconciler.run({ mode }).finally(rss.stop);
      const wallMs = Date.now() - started;
      meter.enabled = false;
      Object.assign(reconciler.functions, { scan, ...original });
      const summary = execution.output as ExecutionSummary | undefined;
      const report = (await reconciler.objects.getJson<{ groupsChecked?: number }>('reports/latest.json')) ?? {};
      if (execution.status !== 'SUCCEEDED') progress(`  run FAILED: ${JSON.stringify(execution.error)}`);
      rows.push({
        size: size.schedules,
        groups: size.groups,
        mode,
        schedulerCalls: { ...scheduler.calls },
        schedulerTotal: total(scheduler.calls),
        store: structuredClone(meter.counts),
        stateTransitions: execution.stateTransitions,
        assumedShape: false,
        lambdaInvocations: (execution.invocations.scan ?? 0) + (execution.invocations.report ?? 0) + (execution.invocations.repair ?? 0),
        batches,
        storeScanCalls,
        handlerMs,
        peakPayloadBytes: execution.peakPayloadBytes,
        peakRssMb: rss.peakMb(),
        historyEvents: execution.historyEvents,
        wallMs,
        status: execution.status,
        counts: summary?.counts,
        driftCount: summary?.driftCount,
        groupsChecked: report.groupsChecked,
      });
      progress(`    ${execution.status} in ${(wallMs / 1000).toFixed(1)} s, counts ${JSON.stringify(summary?.counts)}`);
    }
    reconciler.close();

    if (options.naive === false) {
      const { notChecked: _skipped, ...figures } = dataset;
      return { dataset: figures, rows, expected: expectedOf(dataset), seedMs };
    }
    progress(`  ${size.schedules.toLocaleString('en-US')} schedules: naive reconciler ...`);
    await waitUntilAfter(lastChangeAt + 1);
    scheduler.resetCalls();
    meter.reset();
    meter.enabled = true;
    const naive = await runNaiveReconciler({ scheduler, doc: dynamo.doc, tableName });
    meter.enabled = false;
    const reportRow = rows[0];
    const eventsPerTransition = reportRow.historyEvents / Math.max(1, reportRow.stateTransitions);
    // The naive reconciler on the same batched state machine: one "Reconcile a batch" per 50 listed pages of each
    // group (GetSchedule and an unconditional rewrite for each schedule in it), no sweep, no repair step.
    const naiveBatches = naiveBatchesOf(size.schedules, size.groups) + ((reportRow.groupsChecked ?? size.groups) - size.groups);
    const naiveTransitions = naiveTransitionsOf(reportRow, naiveBatches);
    rows.push({
      size: size.schedules,
      groups: size.groups,
      mode: 'naive',
      groupsChecked: reportRow.groupsChecked,
      schedulerCalls: { ...scheduler.calls },
      schedulerTotal: total(scheduler.calls),
      store: structuredClone(meter.counts),
      stateTransitions: naiveTransitions,
      assumedShape: true,
      // Start run, each batch, the report.
      lambdaInvocations: 1 + naiveBatches + 1,
      batches: naiveBatches,
      storeScanCalls: 0,
      handlerMs: { naive: naive.wallMs },
      peakPayloadBytes: null,
      historyEvents: Math.round(naiveTransitions * eventsPerTransition),
      wallMs: naive.wallMs,
      status: 'SUCCEEDED',
    });
    progress(`    naive done in ${(naive.wallMs / 1000).toFixed(1)} s`);

    const { notChecked: _notChecked, ...datasetFigures } = dataset;
    return { dataset: datasetFigures, rows, expected: expectedOf(dataset), seedMs };
  } finally {
    await gate.close();
    await scheduler.close();
    await s3.close();
    await dynamo.close();
  }
}

export interface EmptiedResult {
  schedules: number;
  status: string;
  counts?: ExecutionSummary['counts'];
  getSchedule: number;
  stateTransitions: number;
  historyEvents: number;
  wallMs: number;
  /** The benchmark process's peak resident memory during the run, sampled every 100 ms (all local engines included). */
  peakRssMb: number;
  itemFiles: number;
}

/**
 * An emptied store (a lost, restored or new table) under `schedules` schedules in one group: a report run over that
 * group finds every schedule MISSING_IN_STORE, confirms each with GetSchedule and writes a summarized report.
 */
export async function runEmptied(schedules: number, progress: (message: string) => void): Promise<EmptiedResult> {
  const dynamo = await startLocalDynamo();
  const s3 = await startLocalS3();
  const iam = new LocalIam();
  const scheduler = await startSchedulerModel({ quotas: { schedules: 2_000_000 }, authorizer: iam.authorizer });
  const gate = await startDynamoGate({ target: dynamo.endpoint, authorizer: iam.authorizer });
  const tableName = `bench-emptied-${schedules}`;
  await dynamo.createStateStoreTable(tableName);
  try {
    const seededAt = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    progress(`\n== emptied store: ${schedules.toLocaleString('en-US')} schedules in 1 group, no store item ==`);
    scheduler.seed(Array.from({ length: schedules }, (_, i) => ({ name: scheduleName(i), spec: wireSpec('emptied', i, false), creationDate: seededAt, lastModificationDate: seededAt })));
    const reconciler = await createLocalReconciler({ scheduler, dynamo, tableName, s3, bucket: `bench-emptied-${schedules}`, access: { iam, dynamo: gate } });
    const rss = sampleRss();
    scheduler.resetCalls();
    const started = Date.now();
    const execution = await reconciler.run({ mode: 'report', groups: ['emptied'] }).finally(rss.stop);
    const wallMs = Date.now() - started;
    const summary = execution.output as ExecutionSummary | undefined;
    const report = await reconciler.objects.getJson<{ itemsSummarized?: { files: string[] } }>('reports/latest.json');
    reconciler.close();
    progress(`  report run ${execution.status} in ${(wallMs / 1000).toFixed(1)} s, ${execution.stateTransitions} transitions, peak RSS ${rss.peakMb()} MB, counts ${JSON.stringify(summary?.counts)}`);
    return {
      schedules, status: execution.status, counts: summary?.counts, getSchedule: scheduler.calls.GetSchedule ?? 0, stateTransitions: execution.stateTransitions,
      historyEvents: execution.historyEvents, wallMs, peakRssMb: rss.peakMb(), itemFiles: report?.itemsSummarized?.files.length ?? 0,
    };
  } finally {
    await gate.close();
    await scheduler.close();
    await s3.close();
    await dynamo.close();
  }
}

/** What each run should find, from the injection. */
function expectedOf(dataset: Dataset): SizeResult['expected'] {
  const inj = dataset.injected;
  const n = inj.NOT_CHECKED_PER_RUN;
  const expected = {
    report: { MISSING_IN_STORE: inj.MISSING_IN_STORE, MODIFIED: inj.MODIFIED, DELETED_LIVE: inj.DELETED_LIVE, NOT_CHECKED: n, driftCount: 0 },
    // The report run's NOT_CHECKED changes are dated before the repair run: MODIFIED now.
    repair: { MISSING_IN_STORE: inj.MISSING_IN_STORE, MODIFIED: inj.MODIFIED + n, DELETED_LIVE: inj.DELETED_LIVE, NOT_CHECKED: n, driftCount: 0 },
  };
  for (const e of Object.values(expected)) e.driftCount = e.MISSING_IN_STORE + e.MODIFIED + e.DELETED_LIVE;
  return expected;
}

/** Samples the process's resident memory every 100 ms until stopped. */
function sampleRss(): { stop: () => void; peakMb: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return { stop: () => clearInterval(timer), peakMb: () => Math.round(peak / 1e6) };
}
