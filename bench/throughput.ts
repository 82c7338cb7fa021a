/**
 * Observer throughput: CloudTrail events through the local pipeline (CloudTrail delivery with duplicates and
 * reordering → EventBridge rule → SQS → the real monitor handler, batch size 10 and maximum concurrency 5 as
 * infra/config.ts defaults → dynalite), beside the raw rate of single conditional PutItem calls into the same
 * dynalite in the same run: locally the store is the limit, so the ratio says what the monitor adds per event.
 */
import { randomUUID } from 'node:crypto';
import { CreateScheduleCommand, DeleteScheduleCommand, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { WRITE_CONDITION, WRITE_CONDITION_NAMES, writeConditionValues } from '../functions/adapters/store';
import { mulberry32 } from '../local/cloudtrail-delivery';
import { startLocalDynamo, type LocalDynamo } from '../local/dynamodb';
import { parseSchedulerEvent } from '../functions/core/events';
import { startPipeline } from '../local/pipeline';
import { compareStoreWithTruth, scanStore } from '../local/truth';
import { TARGET } from './seed';
import { meterStore, type StoreCounts } from './store-meter';

export interface ThroughputResult {
  apiCalls: number;
  eventsDelivered: number;
  duplicates: number;
  schedules: number;
  drainMs: number;
  eventsPerSecond: number;
  rawPuts: number;
  rawPutsPerSecond: number;
  ratio: number;
  monitorInvocations: number;
  dlq: number;
  storeRequestsPerEvent: number;
  getSchedulePerEvent: number;
  store: StoreCounts;
  storeEqualsTruth: boolean;
  problems: string[];
}

const DUPLICATE_RATE = 0.1;

export async function measureThroughput(options: { events: number; schedules: number }, progress: (message: string) => void): Promise<ThroughputResult> {
  const dynamo = await startLocalDynamo();
  const p = await startPipeline({ dynamo, tableName: 'bench-observer', delivery: { seed: 5, duplicateRate: DUPLICATE_RATE, reorder: true }, maximumConcurrency: 5, batchSize: 10 });
  // The monitor's own client (IAM in the loop: its role's key, through the gate in front of dynalite).
  const meter = meterStore(p.access!.dynamo.docFor(p.access!.iam.authorizer.principalNamed('monitor')), () => 800);
  try {
    // Writes over a few hundred schedules: creates, updates (state, target, input) and deletes, some recreated.
    const calls = Math.round(options.events / (1 + DUPLICATE_RATE));
    progress(`observer throughput: ${calls.toLocaleString('en-US')} Scheduler writes over ${options.schedules} schedules ...`);
    const random = mulberry32(11);
    const exists = new Set<string>();
    const body = (name: string, n: number) => ({
      Name: name,
      GroupName: 'default',
      ScheduleExpression: 'rate(1 hour)',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      State: n % 3 === 0 ? ('DISABLED' as const) : ('ENABLED' as const),
      Target: { Arn: TARGET, RoleArn: 'arn:aws:iam::123456789012:role/scheduler', Input: JSON.stringify({ n }) },
    });
    for (let n = 0; n < calls; n++) {
      const name = `obs-${String(Math.floor(random() * options.schedules)).padStart(4, '0')}`;
      if (!exists.has(name)) {
        await p.client.send(new CreateScheduleCommand(body(name, n)));
        exists.add(name);
      } else if (random() < 0.8) {
        await p.client.send(new UpdateScheduleCommand(body(name, n)));
      } else {
        await p.client.send(new DeleteScheduleCommand({ Name: name, GroupName: 'default' }));
        exists.delete(name);
      }
    }
    const pending = p.delivery.pendingCount;
    p.scheduler.resetCalls();
    meter.reset();
    meter.enabled = true;
    const started = performance.now();
    const stats = await p.settle();
    const drainMs = performance.now() - started;
    meter.enabled = false;
    const eventsDelivered = p.delivery.delivered;
    const getSchedules = p.scheduler.calls.GetSchedule ?? 0;
    const problems = compareStoreWithTruth(await scanStore(dynamo.doc, p.store.tableName), p.scheduler.snapshot());
    progress(`  ${eventsDelivered.toLocaleString('en-US')} events (${pending} written, ${p.delivery.duplicated} duplicates) in ${(drainMs / 1000).toFixed(1)} s; store equals truth: ${problems.length === 0}`);

    // The raw rate: single conditional PutItem calls, one after another, into the same dynalite.
    const rawPuts = Math.min(3_000, Math.max(500, Math.round(options.events / 4)));
    const rawPutsPerSecond = await rawPutRate(dynamo, 'bench-raw-puts', rawPuts);
    const eventsPerSecond = eventsDelivered / (drainMs / 1000);
    progress(`  observer ${eventsPerSecond.toFixed(0)} events/s; raw conditional PutItem ${rawPutsPerSecond.toFixed(0)}/s`);
    const storeRequests = Object.values(meter.counts.requests).reduce((n, v) => n + v, 0);
    return {
      apiCalls: calls, eventsDelivered, duplicates: p.delivery.duplicated, schedules: options.schedules, drainMs, eventsPerSecond, rawPuts,
      rawPutsPerSecond, ratio: eventsPerSecond / rawPutsPerSecond, monitorInvocations: stats.invocations, dlq: p.dlq.approximateNumberOfMessages,
      storeRequestsPerEvent: storeRequests / eventsDelivered, getSchedulePerEvent: getSchedules / eventsDelivered, store: structuredClone(meter.counts),
      storeEqualsTruth: problems.length === 0, problems: problems.slice(0, 5),
    };
  } finally {
    await p.close();
    await dynamo.close();
  }
}

/** Single conditional PutItem calls, one after another, into `dynamo` (a table of its own): puts per second. */
async function rawPutRate(dynamo: LocalDynamo, tableName: string, puts: number, from = 0): Promise<number> {
  if (from === 0) await dynamo.createStateStoreTable(tableName);
  const item = (i: number) => ({
    groupName: 'raw', scheduleName: `raw-${i}`, status: 'PRESENT', version: Date.now(), readAt: Date.now(), lastEventId: randomUUID(),
    observedVia: 'event', updatedAt: new Date().toISOString(), targetArn: TARGET, scheduleExpression: 'rate(1 hour)',
    target: { arn: TARGET, roleArn: 'arn:aws:iam::123456789012:role/scheduler', input: JSON.stringify({ n: i }) },
  });
  const started = performance.now();
  for (let i = from; i < from + puts; i++) {
    const record = item(i);
    await dynamo.doc.send(new PutCommand({
      TableName: tableName,
      Item: record,
      ConditionExpression: WRITE_CONDITION,
      ExpressionAttributeNames: WRITE_CONDITION_NAMES,
      ExpressionAttributeValues: writeConditionValues(record),
    }));
  }
  return puts / ((performance.now() - started) / 1000);
}

export interface BurstResult {
  schedules: number;
  apiCalls: number;
  eventsDelivered: number;
  duplicates: number;
  batches: number;
  /** Sum over the monitor's batches of the distinct schedules in each: the bound on GetSchedule calls. */
  distinctSchedulesPerBatch: number;
  getSchedule: number;
  drainMs: number;
  eventsPerSecond: number;
  /** The raw conditional-put rate, measured just before and just after the replay (their mean). */
  rawPutsPerSecond: number;
  ratio: number;
  dlq: number;
  storeEqualsTruth: boolean;
}

/**
 * A Terraform-style apply replayed through the observer: `schedules` schedules touched in waves of 10 (Terraform's
 * default parallelism), each created and updated twice, delivered with 10% duplicates and reordered within windows of
 * 100 events, into a monitor
 * configured with batches of 100 and 5 concurrent invocations. The raw conditional-put rate is measured just before
 * and just after on the same dynalite, so that a noisy machine slows both alike.
 */
export async function measureBurst(options: { schedules: number }, progress: (message: string) => void): Promise<BurstResult> {
  const dynamo = await startLocalDynamo();
  let batches = 0;
  let distinctSchedulesPerBatch = 0;
  const p = await startPipeline({
    // Reordered within windows of 100 events: a burst's events arrive out of order, within the same minutes.
    dynamo, tableName: 'bench-burst', delivery: { seed: 9, duplicateRate: DUPLICATE_RATE, reorder: true, reorderWindow: 100 }, maximumConcurrency: 5, batchSize: 100,
    observeBatch: (event) => {
      batches++;
      const names = new Set<string>();
      for (const record of event.Records) {
        try {
          const change = parseSchedulerEvent(JSON.parse(record.body));
          if ('scheduleName' in change) names.add(`${change.groupName}/${change.scheduleName}`);
        } catch {
          // An unparseable record costs no read.
        }
      }
      distinctSchedulesPerBatch += names.size;
    },
  });
  try {
    progress(`observer burst: a Terraform-style apply over ${options.schedules.toLocaleString('en-US')} schedules (create, update, update) ...`);
    const body = (name: string, n: number) => ({
      Name: name, GroupName: 'default', ScheduleExpression: `rate(${n + 1} hours)`, FlexibleTimeWindow: { Mode: 'OFF' as const },
      Target: { Arn: TARGET, RoleArn: 'arn:aws:iam::123456789012:role/scheduler', Input: JSON.stringify({ n }) },
    });
    let apiCalls = 0;
    for (let wave = 0; wave < options.schedules; wave += 10) {
      const names = Array.from({ length: Math.min(10, options.schedules - wave) }, (_, i) => `tf-${String(wave + i).padStart(6, '0')}`);
      await Promise.all(names.map((name) => p.client.send(new CreateScheduleCommand(body(name, 0)))));
      for (const n of [1, 2]) await Promise.all(names.map((name) => p.client.send(new UpdateScheduleCommand(body(name, n)))));
      apiCalls += names.length * 3;
    }
    const rawPuts = Math.min(2_000, Math.max(300, Math.round(options.schedules / 5)));
    const before = await rawPutRate(dynamo, 'bench-burst-raw', rawPuts);
    p.scheduler.resetCalls();
    const started = performance.now();
    await p.settle();
    const drainMs = performance.now() - started;
    const after = await rawPutRate(dynamo, 'bench-burst-raw', rawPuts, rawPuts);
    const problems = compareStoreWithTruth(await scanStore(dynamo.doc, p.store.tableName), p.scheduler.snapshot());
    const eventsDelivered = p.delivery.delivered;
    const eventsPerSecond = eventsDelivered / (drainMs / 1000);
    const rawPutsPerSecond = (before + after) / 2;
    progress(`  ${eventsDelivered.toLocaleString('en-US')} events in ${batches} batches, ${(drainMs / 1000).toFixed(1)} s = ${eventsPerSecond.toFixed(0)} events/s; raw puts ${before.toFixed(0)}/s before, ${after.toFixed(0)}/s after; GetSchedule ${p.scheduler.calls.GetSchedule ?? 0} for ${distinctSchedulesPerBatch} distinct schedules per batch`);
    return {
      schedules: options.schedules, apiCalls, eventsDelivered, duplicates: p.delivery.duplicated, batches, distinctSchedulesPerBatch,
      getSchedule: p.scheduler.calls.GetSchedule ?? 0, drainMs, eventsPerSecond, rawPutsPerSecond, ratio: eventsPerSecond / rawPutsPerSecond,
      dlq: p.dlq.approximateNumberOfMessages, storeEqualsTruth: problems.length === 0,
    };
  } finally {
    await p.close();
    await dynamo.close();
  }
}
