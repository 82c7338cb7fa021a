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
import { startLocalDynamo } from '../local/dynamodb';
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
    await dynamo.createStateStoreTable('bench-raw-puts');
    const item = (i: number) => ({
      groupName: 'raw', scheduleName: `raw-${i}`, status: 'PRESENT', version: Date.now(), readAt: Date.now(), lastEventId: randomUUID(),
      observedVia: 'event', updatedAt: new Date().toISOString(), targetArn: TARGET, scheduleExpression: 'rate(1 hour)',
      target: { arn: TARGET, roleArn: 'arn:aws:iam::123456789012:role/scheduler', input: JSON.stringify({ n: i }) },
    });
    const rawStarted = performance.now();
    for (let i = 0; i < rawPuts; i++) {
      const record = item(i);
      await dynamo.doc.send(new PutCommand({
        TableName: 'bench-raw-puts',
        Item: record,
        ConditionExpression: WRITE_CONDITION,
        ExpressionAttributeNames: WRITE_CONDITION_NAMES,
        ExpressionAttributeValues: writeConditionValues(record),
      }));
    }
    const rawMs = performance.now() - rawStarted;
    const eventsPerSecond = eventsDelivered / (drainMs / 1000);
    const rawPutsPerSecond = rawPuts / (rawMs / 1000);
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
