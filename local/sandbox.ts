/**
 * `npm start`: scheduler-observer end to end on this machine, with no AWS account and no Docker.
 *
 * 1. Starts dynalite, the local S3 and the local Scheduler/EventBridge/SQS models, with IAM in the loop: each
 *    function signs with its own role's key, and every engine authorizes each request (local/iam/).
 * 2. Plays the demo-seed story through the real @aws-sdk/client-scheduler, as the demo seed function's role; CloudTrail delivers its events
 *    out of order and with duplicates to the real monitor handler behind the local queue.
 * 3. Prints the state store and checks it against the truth.
 * 4. Drifts the store on purpose (a lost event, a schedule deleted behind the observer's back, a one-time
 *    schedule completing on its own, a target edited while CloudTrail was down), runs the real
 *    statemachines/reconciler.asl.json with the real handlers, prints the drift report, repairs, and shows
 *    that the next run finds zero drift.
 * 5. Runs the heartbeat canary: a beat the observer records, then CloudTrail silent until the store is blind; its
 *    role's attempt to edit another schedule is the one request denied on purpose.
 * Exits 0 when the story ends with the store equal to the truth and no request denied but that one, 1 otherwise.
 */
import { randomBytes } from 'node:crypto';
import { CreateScheduleCommand, CreateScheduleGroupCommand, DeleteScheduleCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { inputPolicy } from '../functions/core/target-input';
import { createHeartbeatSchedule, localHeartbeat, type LocalHeartbeat } from './heartbeat';
import type { LocalAuthorizer } from './iam/authorizer';
import Table from 'cli-table3';
import { runDemoStory, DEMO_SCHEDULES } from '../functions/demo/story';
import { parseReport, type DriftReport, type ExecutionSummary } from '../functions/core/report';
import { specOfRecord } from '../functions/core/records';
import type { ScheduleRecord } from '../functions/core/types';
import { captureMetrics } from './emf';
import { credentialsOf, startPipeline, type LocalPipeline } from './pipeline';
import { createLocalReconciler, type LocalReconciler } from './reconciler';
import { startLocalS3 } from './s3';
import { compareStoreWithTruth, scanStore } from './truth';

const DEMO_GROUP = 'scheduler-observer-demo';
const DEMO_TARGET = 'arn:aws:sqs:us-east-1:123456789012:scheduler-observer-demo-target';
const DEMO_ROLE = 'arn:aws:iam::123456789012:role/scheduler-observer-demo-scheduler';

const STEPS = 11;

function step(n: number, text: string): void {
  process.stdout.write(`\n[${n}/${STEPS}] ${text}\n`);
}

const tableStyle = () => (process.stdout.isTTY ? undefined : { head: [], border: [] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runSandbox(): Promise<number> {
  // This machine runs Node 20; the SDK's notice about its 2027 releases needing Node 22 (the Lambda
  // runtime is nodejs22.x already) would only clutter the story.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = Date.now();
  console.log('scheduler-observer sandbox: the observer pipeline on local engines (no AWS, no Docker)');

  step(1, 'Starting dynalite, the local S3, the local Scheduler model, and the EventBridge and SQS models, with IAM in the loop');
  const captured = captureMetrics();
  const s3 = await startLocalS3();
  const pipeline = await startPipeline({
    tableName: 'scheduler-observer-state',
    // CloudTrail is best-effort: deliver out of order and with duplicates, as it may.
    delivery: { seed: 7, reorder: true, duplicateRate: 0.3 },
    metrics: captured.metrics,
    targetInput: SANDBOX_INPUT_POLICY,
  });
  try {
    console.log(`  Scheduler model  ${pipeline.scheduler.endpoint}`);
    console.log(`  DynamoDB (dynalite) ${pipeline.dynamo.endpoint}  table ${pipeline.store.tableName}`);
    const access = pipeline.access!;
    console.log(`  Each function signs with its own role's key; every engine authorizes each request (@cloud-copilot/iam-simulate)`);

    const reconciler = await createLocalReconciler({
      scheduler: pipeline.scheduler,
      dynamo: pipeline.dynamo,
      tableName: pipeline.store.tableName,
      s3,
      bucket: 'scheduler-observer-reports',
      targetInput: SANDBOX_INPUT_POLICY,
      access,
      // A new stack: its store was never backfilled.
      backfilled: false,
    });
    try {
      step(2, 'The account before the stack: schedules that predate it, which the observer never saw');
      await predateTheStack(pipeline);

      step(3, 'The first timed run after `pulumi up` finds a store never backfilled: it is a backfill (no drift alarm)');
      const backfill = await reconcile(reconciler, pipeline, 'report');
      console.log(`  ${backfill.mode}: ${backfill.repairs?.repaired ?? 0} schedules written, ${backfill.repairs?.skipped ?? 0} skipped (store changed meanwhile); nothing published`);
      if (!(await checkStore(pipeline, false))) return 1;

      step(4, `Playing the demo-seed story through @aws-sdk/client-scheduler (group ${DEMO_GROUP}), as the demo seed function's role`);
      const demoSeed = access.iam.demoSeed({ groupName: DEMO_GROUP, schedulerRoleArn: DEMO_ROLE });
      const demoClient = new SchedulerClient(pipeline.scheduler.clientConfig({ credentials: credentialsOf(demoSeed) }));
      await access.iam.invocationTelemetry(demoSeed);
      const story = await runDemoStory(demoClient, {
        groupName: DEMO_GROUP,
        targetArn: DEMO_TARGET,
        roleArn: DEMO_ROLE,
        waitMs: 1_100,
        // While the story waits, CloudTrail delivers what happened so far and the monitor records it; the
        // rest arrives after the story, reordered and duplicated.
        sleep: async (ms: number) => {
          const drained = await pipeline.settle();
          console.log(`  … CloudTrail delivered the creates meanwhile; ${drained.invocations} monitor invocation(s) recorded them`);
          await new Promise((resolve) => setTimeout(resolve, ms));
        },
        log: (line: string) => console.log(`  ${line}`),
      }).finally(() => demoClient.destroy());

      step(5, 'CloudTrail delivers the events (reordered, some twice) → rule → queue → monitor Lambda');
      await pipeline.settle();
      const totals = captured.totals();
      console.log(
        `  In all: ${pipeline.delivery.delivered} events delivered (${pipeline.delivery.duplicated} duplicates), ` +
          `${totals.EventsApplied ?? 0} applied, ` +
          `${totals.EventsRejectedStale ?? 0} stale, ${totals.EventsRejectedDuplicate ?? 0} duplicates, ` +
          `${totals.EventsIgnored ?? 0} ignored; ${totals.TruthReads ?? 0} GetSchedule reads; DLQ depth ${pipeline.dlq.stats.approximateNumberOfMessages}`,
      );

      step(6, `State store (${pipeline.store.tableName})`);
      if (!(await checkStore(pipeline))) return 1;
      console.log(`  (the story created ${story.created.length}, updated ${story.updated}, deleted ${story.deleted})`);

      step(7, 'Drifting the store on purpose: events CloudTrail never delivers, and a schedule that deletes itself');
      await driftTheStore(pipeline);

      step(8, 'Reconciler, report mode: statemachines/reconciler.asl.json on aws-local-stepfunctions, real handlers');
      const report = await reconcile(reconciler, pipeline, 'report');
      console.log(renderDriftReport(report));

      step(9, 'Reconciler, repair mode: the store gets the live truth (conditional writes; Scheduler is only read)');
      const repair = await reconcile(reconciler, pipeline, 'repair');
      console.log(`  repairs: ${repair.repairs?.repaired ?? 0} written, ${repair.repairs?.skipped ?? 0} skipped (store changed meanwhile)`);

      step(10, 'Reconciler, report mode again');
      const after = await reconcile(reconciler, pipeline, 'report');
      if (after.driftCount !== 0 || !(await checkStore(pipeline, false))) {
        console.log('\n✘ Drift remains after repair.');
        return 1;
      }
      console.log('  ✔ Zero drift after repair, and the store matches Scheduler.');

      step(11, 'Heartbeat: the stack rewrites its own schedule every 5 minutes, and the observer must record it');
      if (!(await showHeartbeat(pipeline))) return 1;
      if (!reportAuthorization(access.iam.authorizer)) return 1;
      console.log(`\n✔ Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      return 0;
    } finally {
      reconciler.close();
    }
  } finally {
    await pipeline.close();
    await s3.close();
  }
}

/**
 * The heartbeat (infra/heartbeat.ts) on the local engines, with beats 5 minutes apart on a simulated clock: the
 * round trip (the store holds the previous beat: 300 s behind, not blind), then CloudTrail delivering nothing,
 * until the store is blind and the observer-blind alarm would fire.
 */
async function showHeartbeat(pipeline: LocalPipeline): Promise<boolean> {
  const group = 'scheduler-observer-heartbeat-sandbox';
  await createHeartbeatSchedule(pipeline.client, group);
  const heartbeat = localHeartbeat(pipeline, group);
  try {
    return (await heartbeatStaysInItsLane(pipeline)) && (await beatUntilBlind(pipeline, heartbeat));
  } finally {
    heartbeat.close();
  }
}

/** The one request the sandbox makes to be denied: the heartbeat's role editing a schedule that is not its own. */
export const ON_PURPOSE = { action: 'scheduler:UpdateSchedule', caller: 'heartbeat' } as const;

async function heartbeatStaysInItsLane(pipeline: LocalPipeline): Promise<boolean> {
  const role = pipeline.access!.iam.authorizer.principalNamed(ON_PURPOSE.caller);
  const asHeartbeat = new SchedulerClient(pipeline.scheduler.clientConfig({ credentials: credentialsOf(role) }));
  try {
    await asHeartbeat.send(
      new UpdateScheduleCommand({
        Name: EXTRA.hourly, GroupName: DEMO_GROUP, ScheduleExpression: 'rate(1 minute)',
        FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: DEMO_TARGET, RoleArn: DEMO_ROLE },
      }),
    );
    console.log(`  ✘ the heartbeat's role could edit ${DEMO_GROUP}/${EXTRA.hourly}, a schedule that is not its own`);
    return false;
  } catch (error) {
    console.log(`  the heartbeat's role tries to edit ${DEMO_GROUP}/${EXTRA.hourly}: ${(error as Error).name}, on purpose (its role updates one schedule)`);
    return (error as Error).name === 'AccessDeniedException';
  } finally {
    asHeartbeat.destroy();
  }
}

async function beatUntilBlind(pipeline: LocalPipeline, heartbeat: LocalHeartbeat): Promise<boolean> {
  let clock = Date.now();
  const once = () => heartbeat.beat({ metrics: captureMetrics().metrics, now: () => new Date(clock) });
  const say = (when: string, result: { lagSeconds?: number; blind: boolean }) =>
    console.log(`  ${when.padEnd(28)} store ${result.lagSeconds === undefined ? 'has no beat yet' : `${result.lagSeconds} s behind`} → ${result.blind ? 'BLIND (observer-blind fires)' : 'not blind'}`);
  say('first beat', await once());
  await pipeline.settle();
  clock += 5 * 60_000;
  const recorded = await once();
  say('+5 min, events delivered', recorded);
  await pipeline.settle();
  let blind = { blind: false } as { lagSeconds?: number; blind: boolean };
  for (let minutes = 10; minutes <= 25; minutes += 5) {
    pipeline.loseEvents();
    clock += 5 * 60_000;
    blind = await once();
    say(`+${minutes} min, CloudTrail silent`, blind);
  }
  pipeline.loseEvents();
  return !recorded.blind && recorded.lagSeconds === 300 && blind.blind;
}

/**
 * The IAM tally of the whole story: every request of the stack's roles was decided against their own policies;
 * the only denial is the one made on purpose. Anything else denied fails the sandbox.
 */
function reportAuthorization(authorizer: LocalAuthorizer): boolean {
  const roles = authorizer.log.filter((record) => record.caller !== 'operator');
  const denied = roles.filter((record) => !record.allowed);
  const unexpected = denied.filter((record) => !(record.caller === ON_PURPOSE.caller && record.action === ON_PURPOSE.action));
  const callers = new Set(roles.map((record) => record.caller));
  console.log(
    `\nIAM: ${roles.length - denied.length} requests of ${callers.size} roles and services authorized against the stack's own policies; ` +
      `${denied.length - unexpected.length} denied on purpose, ${unexpected.length} denied otherwise.`,
  );
  for (const record of unexpected) console.log(`  ✘ ${record.caller} was denied ${record.action} on ${record.resource}`);
  return unexpected.length === 0;
}

/**
 * The deployed default, config targetInput hash, with a key made for this run (a deployed stack keeps its key in
 * Secrets Manager: infra/input-key.ts): the store and the reports hold keyed hashes of the demo's inputs.
 */
const SANDBOX_INPUT_POLICY = inputPolicy('hash', randomBytes(32));

/** Prints the store (optionally) and compares it with the truth. */
async function checkStore(pipeline: LocalPipeline, print = true): Promise<boolean> {
  const items = await scanStore(pipeline.dynamo.doc, pipeline.store.tableName);
  if (print) console.log(renderStore(items));
  const mismatches = compareStoreWithTruth(items, pipeline.scheduler.snapshot(), SANDBOX_INPUT_POLICY);
  const live = items.filter((i) => i.status === 'PRESENT').length;
  if (mismatches.length > 0) {
    console.log(`\n✘ The store does not match Scheduler:\n${mismatches.map((m) => `  - ${m}`).join('\n')}`);
    return false;
  }
  console.log(`  ✔ The store matches Scheduler: ${live} live schedules, ${items.length - live} tombstone(s).`);
  return true;
}

const LEGACY_GROUP = 'legacy-jobs';

/** Schedules created before the stack existed: no trail, no rule, so the observer never hears of them. */
async function predateTheStack(pipeline: LocalPipeline): Promise<void> {
  await pipeline.client.send(new CreateScheduleGroupCommand({ Name: LEGACY_GROUP }));
  const names = ['nightly-export', 'weekly-cleanup', 'invoice-reminders'];
  for (const name of names) {
    await pipeline.client.send(
      new CreateScheduleCommand({ Name: name, GroupName: LEGACY_GROUP, ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: DEMO_TARGET, RoleArn: DEMO_ROLE } }),
    );
  }
  const lost = pipeline.loseEvents();
  console.log(`  group ${LEGACY_GROUP}: ${names.join(', ')}; their CloudTrail events came before the stack existed (${lost} deliveries never made)`);
}

const EXTRA = { hourly: 'demo-hourly-sync', dropped: 'demo-dropped-event', reminder: 'demo-reminder' };

async function driftTheStore(pipeline: LocalPipeline): Promise<void> {
  const base = (name: string, extra: Record<string, unknown> = {}) => ({
    Name: name,
    GroupName: DEMO_GROUP,
    ScheduleExpression: 'rate(1 hour)',
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    Target: { Arn: DEMO_TARGET, RoleArn: DEMO_ROLE },
    ...extra,
  });
  // Recorded as usual first: an hourly schedule, and a one-time reminder that deletes itself after it runs.
  const inTwoSeconds = new Date(Date.now() + 2_000).toISOString().slice(0, 19);
  await pipeline.client.send(new CreateScheduleCommand(base(EXTRA.hourly)));
  await pipeline.client.send(new CreateScheduleCommand(base(EXTRA.reminder, { ScheduleExpression: `at(${inTwoSeconds})`, ActionAfterCompletion: 'DELETE' })));
  await pipeline.settle();
  // Then CloudTrail loses three events.
  await pipeline.client.send(new CreateScheduleCommand(base(EXTRA.dropped)));
  await pipeline.client.send(new UpdateScheduleCommand(base(EXTRA.hourly, { Target: { Arn: `${DEMO_TARGET}-v2`, RoleArn: DEMO_ROLE } })));
  await pipeline.client.send(new DeleteScheduleCommand({ Name: DEMO_SCHEDULES.everyFiveMinutes, GroupName: DEMO_GROUP }));
  const lost = pipeline.loseEvents();
  console.log(`  created ${EXTRA.dropped}, edited the target of ${EXTRA.hourly}, deleted ${DEMO_SCHEDULES.everyFiveMinutes}: ${lost} CloudTrail events lost`);
  // The reminder's time passes; Scheduler runs it and deletes it, with no API call and no event.
  await sleep(2_100);
  pipeline.scheduler.completeOneTimeSchedule(DEMO_GROUP, EXTRA.reminder);
  console.log(`  ${EXTRA.reminder} ran at ${inTwoSeconds}Z and deleted itself (ActionAfterCompletion DELETE): no event`);
}

async function reconcile(reconciler: LocalReconciler, pipeline: LocalPipeline, mode: 'report' | 'repair'): Promise<DriftReport> {
  pipeline.scheduler.resetCalls();
  const execution = await reconciler.run({ mode });
  if (execution.status !== 'SUCCEEDED') throw new Error(`reconciler execution failed: ${execution.error?.name}: ${execution.error?.message}`);
  const summary = execution.output as ExecutionSummary;
  const calls = Object.entries(pipeline.scheduler.calls).map(([op, n]) => `${op} ${n}`).join(', ');
  console.log(
    `  execution ${execution.executionName}: ${summary.result}, ${execution.stateTransitions} state transitions, ` +
      `Scheduler calls: ${calls}\n  report ${summary.reportUri}`,
  );
  return parseReport(await reconciler.objects.getJson(summary.reportUri.replace(/^s3:\/\/[^/]+\//, '')));
}

export function renderDriftReport(report: DriftReport): string {
  const counts = new Table({ head: Object.keys(report.counts), style: tableStyle() });
  counts.push(Object.values(report.counts).map(String));
  const items = new Table({ head: ['kind', 'group', 'schedule', 'details'], style: tableStyle(), colWidths: [18, 26, 22, 70], wordWrap: true });
  for (const item of report.items) {
    const details = item.differences?.map((d) => `${d.path}: ${JSON.stringify(d.actual)} → ${JSON.stringify(d.expected)}`).join('\n') ?? item.reason ?? '';
    items.push([item.kind, item.groupName, item.scheduleName, `${details}${item.expected ? ' (expected)' : ''}${item.repair ? ` [${item.repair}]` : ''}`]);
  }
  return `${counts.toString()}\n${report.items.length > 0 ? items.toString() : '  No drift found.'}`;
}

export function renderStore(items: ScheduleRecord[]): string {
  const table = new Table({
    head: ['group', 'schedule', 'status', 'expression', 'state', 'target', 'event time', 'via', 'deleted because'],
    // Colours only on a terminal: piped output (CI logs, files) stays plain text.
    style: tableStyle(),
  });
  for (const item of items) {
    const spec = specOfRecord(item);
    table.push([
      item.groupName,
      item.scheduleName,
      item.status,
      spec.scheduleExpression ?? '',
      spec.state ?? '',
      spec.target?.arn?.split(':').slice(-1)[0] ?? '',
      new Date(item.version).toISOString().replace('.000Z', 'Z'),
      item.observedVia,
      item.deleteReason ?? '',
    ]);
  }
  return table.toString();
}

if (require.main === module) {
  runSandbox().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`sandbox failed: ${(error as Error).stack ?? String(error)}`);
      process.exit(1);
    },
  );
}
