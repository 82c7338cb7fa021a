/**
 * `npm start`: the observer pipeline end to end on this machine, with no AWS account and no Docker.
 * Starts dynalite and the local Scheduler/EventBridge/SQS models, plays the demo-seed story through the
 * real @aws-sdk/client-scheduler, lets CloudTrail deliver its events out of order and with duplicates,
 * runs the real monitor handler behind the local queue, prints the state store, and checks it against
 * the truth. Exits 0 when the store matches Scheduler, 1 otherwise.
 */
import Table from 'cli-table3';
import { runDemoStory } from '../functions/demo/story';
import { specOfRecord } from '../functions/core/records';
import type { ScheduleRecord } from '../functions/core/types';
import { captureMetrics } from './emf';
import { startPipeline } from './pipeline';
import { compareStoreWithTruth, scanStore } from './truth';

const DEMO_GROUP = 'scheduler-observer-demo';
const DEMO_TARGET = 'arn:aws:sqs:us-east-1:123456789012:scheduler-observer-demo-target';
const DEMO_ROLE = 'arn:aws:iam::123456789012:role/scheduler-observer-demo-scheduler';

function step(n: number, total: number, text: string): void {
  process.stdout.write(`\n[${n}/${total}] ${text}\n`);
}

export async function runSandbox(): Promise<number> {
  // This machine runs Node 20; the SDK's notice about its 2027 releases needing Node 22 (the Lambda
  // runtime is nodejs22.x already) would only clutter the story.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = Date.now();
  console.log('scheduler-observer sandbox: the observer pipeline on local engines (no AWS, no Docker)');

  step(1, 4, 'Starting dynalite, the local Scheduler model, and the EventBridge and SQS models');
  const captured = captureMetrics();
  const pipeline = await startPipeline({
    tableName: 'scheduler-observer-state',
    // CloudTrail is best-effort: deliver out of order and with duplicates, as it may.
    delivery: { seed: 7, reorder: true, duplicateRate: 0.3 },
    metrics: captured.metrics,
  });
  try {
    console.log(`  Scheduler model  ${pipeline.scheduler.endpoint}`);
    console.log(`  DynamoDB (dynalite) ${pipeline.dynamo.endpoint}  table ${pipeline.store.tableName}`);

    step(2, 4, `Playing the demo-seed story through @aws-sdk/client-scheduler (group ${DEMO_GROUP})`);
    const story = await runDemoStory(pipeline.client, {
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
    });

    step(3, 4, 'CloudTrail delivers the events (reordered, some twice) → rule → queue → monitor Lambda');
    await pipeline.settle();
    const totals = captured.totals();
    console.log(
      `  In all: ${pipeline.delivery.delivered} events delivered (${pipeline.delivery.duplicated} duplicates), ` +
        `${totals.EventsApplied ?? 0} applied, ` +
        `${totals.EventsRejectedStale ?? 0} stale, ${totals.EventsRejectedDuplicate ?? 0} duplicates, ` +
        `${totals.EventsIgnored ?? 0} ignored; ${totals.TruthReads ?? 0} GetSchedule reads; DLQ depth ${pipeline.dlq.stats.approximateNumberOfMessages}`,
    );

    step(4, 4, `State store (${pipeline.store.tableName})`);
    const items = await scanStore(pipeline.dynamo.doc, pipeline.store.tableName);
    console.log(renderStore(items));

    const mismatches = compareStoreWithTruth(items, pipeline.scheduler.snapshot());
    const live = items.filter((i) => i.status === 'PRESENT').length;
    if (mismatches.length > 0) {
      console.log(`\n✘ The store does not match Scheduler:\n${mismatches.map((m) => `  - ${m}`).join('\n')}`);
      return 1;
    }
    console.log(
      `\n✔ The store matches Scheduler: ${live} live schedules, ${items.length - live} tombstone(s) ` +
        `(created ${story.created.length}, updated ${story.updated}, deleted ${story.deleted}). ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
    return 0;
  } finally {
    await pipeline.close();
  }
}

export function renderStore(items: ScheduleRecord[]): string {
  const table = new Table({
    head: ['group', 'schedule', 'status', 'expression', 'state', 'target', 'event time', 'via', 'deleted because'],
    // Colours only on a terminal: piped output (CI logs, files) stays plain text.
    style: process.stdout.isTTY ? undefined : { head: [], border: [] },
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
