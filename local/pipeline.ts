/**
 * The observer pipeline, wired on the local engines exactly as infra/ deploys it:
 *
 *   local Scheduler model ──CloudTrail events──► CloudTrailDelivery (delay, reorder, duplicates, loss)
 *     ──► LocalEventBus rule (SCHEDULER_EVENT_PATTERN, the deployed constant)
 *     ──► LocalQueue (visibility timeout 6 × Lambda timeout, DLQ after 3 receives)
 *     ──► LocalEventSourceMapping (batch size, ReportBatchItemFailures, maximum concurrency)
 *     ──► monitor handler (the real createMonitorHandler) ──► state store on dynalite
 *
 * Used by the integration tests, the sandbox (`npm start`) and the benchmark.
 */
import type { InputPolicy } from '../functions/core/target-input';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { ScheduleReader } from '../functions/adapters/scheduler';
import { ScheduleStore } from '../functions/adapters/store';
import { createMonitorHandler } from '../functions/handlers/monitor-handler';
import { SCHEDULER_EVENT_PATTERN } from '../infra/event-pattern';
import { DLQ_RETENTION_SECONDS, MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT } from '../infra/queue-settings';
import type { CloudTrailEventBridgeEvent } from './cloudtrail-record';
import { CloudTrailDelivery, type CloudTrailDeliveryOptions } from './cloudtrail-delivery';
import { captureMetrics } from './emf';
import { startLocalDynamo, type LocalDynamo } from './dynamodb';
import { LocalEventBus, sqsTarget } from './eventbridge';
import { startSchedulerModel, type SchedulerModel, type SchedulerModelOptions } from './scheduler';
import { LocalClock, LocalEventSourceMapping, LocalQueue, type DrainStats, type SqsHandler } from './sqs';

export interface PipelineOptions {
  tableName?: string;
  delivery?: Partial<CloudTrailDeliveryOptions>;
  scheduler?: SchedulerModelOptions;
  /** The SDK's attempts for the monitor's GetSchedule (the Lambda uses 5). */
  schedulerMaxAttempts?: number;
  batchSize?: number;
  maximumConcurrency?: number;
  monitorTimeoutSeconds?: number;
  tombstoneTtlDays?: number;
  /** Powertools logger/metrics for the monitor; silent by default. */
  logger?: Logger;
  metrics?: Metrics;
  /** An already started dynalite to share (the caller closes it). */
  dynamo?: LocalDynamo;
  /** What the monitor keeps of target inputs (config targetInput); `full` by default here. */
  targetInput?: InputPolicy;
}

export interface LocalPipeline {
  scheduler: SchedulerModel;
  /** A real SDK client on the local Scheduler model, for playing stories. */
  client: SchedulerClient;
  dynamo: LocalDynamo;
  store: ScheduleStore;
  delivery: CloudTrailDelivery;
  bus: LocalEventBus;
  queue: LocalQueue;
  dlq: LocalQueue;
  mapping: LocalEventSourceMapping;
  clock: LocalClock;
  /** Delivers what CloudTrail holds and runs the monitor until the queue is empty. */
  settle(): Promise<DrainStats>;
  /** Loses every event not yet processed (CloudTrail delivery is best-effort): the store misses them. */
  loseEvents(): number;
  close(): Promise<void>;
}

export const SILENT_LOGGER = () => new Logger({ serviceName: 'scheduler-observer', logLevel: 'SILENT' });
export const DISCARDED_METRICS = () => captureMetrics().metrics;

export async function startPipeline(options: PipelineOptions = {}): Promise<LocalPipeline> {
  const ownDynamo = options.dynamo === undefined;
  const dynamo = options.dynamo ?? (await startLocalDynamo());
  const tableName = options.tableName ?? `scheduler-observer-${Math.random().toString(36).slice(2, 8)}`;
  await dynamo.createStateStoreTable(tableName);
  const store = new ScheduleStore(dynamo.doc, tableName);

  const clock = new LocalClock(Date.now());
  const timeout = options.monitorTimeoutSeconds ?? 30;
  const dlq = new LocalQueue({ name: 'scheduler-observer-dlq', clock, messageRetentionPeriodSeconds: DLQ_RETENTION_SECONDS });
  const queue = new LocalQueue({
    name: 'scheduler-observer-events',
    clock,
    visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT * timeout,
    redrivePolicy: { deadLetterQueue: dlq, maxReceiveCount: MAX_RECEIVE_COUNT },
  });

  const bus = new LocalEventBus();
  bus.putRule({ name: 'scheduler-observer-events', eventPattern: SCHEDULER_EVENT_PATTERN, targets: [sqsTarget(queue)] });
  const delivery = new CloudTrailDelivery({ ...options.delivery, sink: (event: CloudTrailEventBridgeEvent) => bus.putEvents([event]) });
  const scheduler = await startSchedulerModel({ ...options.scheduler, onEvent: (event) => delivery.push(event) });

  const monitorClient = new SchedulerClient({ ...scheduler.clientConfig(), maxAttempts: options.schedulerMaxAttempts ?? 5 });
  const monitorDeps = {
    store,
    truth: new ScheduleReader(monitorClient, options.targetInput ?? { mode: 'full' }),
    tombstoneTtlDays: options.tombstoneTtlDays ?? 30,
    logger: options.logger ?? SILENT_LOGGER(),
    metrics: options.metrics ?? DISCARDED_METRICS(),
  };
  // Lambda never runs two invocations in one execution environment; with maximumConcurrency > 1 the local
  // poller does, so each invocation gets its own handler (its own BatchProcessor), as its own environment would.
  const handler: SqsHandler = (event) => createMonitorHandler(monitorDeps)(event);
  const mapping = new LocalEventSourceMapping({
    queue,
    handler,
    batchSize: options.batchSize ?? 10,
    functionResponseTypes: ['ReportBatchItemFailures'],
    maximumConcurrency: options.maximumConcurrency,
  });
  const client = new SchedulerClient(scheduler.clientConfig());

  return {
    scheduler,
    client,
    dynamo,
    store,
    delivery,
    bus,
    queue,
    dlq,
    mapping,
    clock,
    async settle() {
      delivery.flush();
      return mapping.drain();
    },
    loseEvents() {
      delivery.flush();
      let lost = 0;
      for (let batch = queue.receiveMessages({ max: 10 }); batch.length > 0; batch = queue.receiveMessages({ max: 10 })) {
        for (const message of batch) queue.deleteMessage(message.receiptHandle);
        lost += batch.length;
      }
      return lost;
    },
    async close() {
      client.destroy();
      monitorClient.destroy();
      await scheduler.close();
      if (ownDynamo) await dynamo.close();
    },
  };
}
