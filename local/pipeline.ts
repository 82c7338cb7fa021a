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
import type { SQSEvent } from 'aws-lambda';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { ScheduleReader } from '../functions/adapters/scheduler';
import { ScheduleStore } from '../functions/adapters/store';
import { createMonitorHandler } from '../functions/handlers/monitor-handler';
import { monitorBucket, rateLimitedTruth } from '../functions/adapters/rate-limit';
import { SCHEDULER_EVENT_PATTERN } from '../infra/event-pattern';
import { DLQ_RETENTION_SECONDS, MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT } from '../infra/queue-settings';
import type { CloudTrailEventBridgeEvent } from './cloudtrail-record';
import { CloudTrailDelivery, type CloudTrailDeliveryOptions } from './cloudtrail-delivery';
import { captureMetrics } from './emf';
import { startLocalDynamo, type LocalDynamo } from './dynamodb';
import { authorizedSqsTarget, LocalEventBus, sqsTarget } from './eventbridge';
import { startDynamoGate, type DynamoGate } from './dynamodb-gate';
import { LOCAL_IAM_ARNS, LOCAL_RULE_NAME, LocalIam, type LocalIamConfig } from './iam/stack';
import { startSchedulerModel, type SchedulerModel, type SchedulerModelOptions } from './scheduler';
import { LocalClock, LocalEventSourceMapping, LocalQueue, type DrainStats, type SqsHandler } from './sqs';

export interface PipelineOptions {
  tableName?: string;
  delivery?: Partial<CloudTrailDeliveryOptions>;
  scheduler?: SchedulerModelOptions;
  /** The SDK's attempts for the monitor's GetSchedule (the Lambda uses 5). */
  schedulerMaxAttempts?: number;
  /**
   * The monitor's GetSchedule rate, as the stack's `monitorGetScheduleRate` and `monitorMaxConcurrency` set it
   * (functions/adapters/rate-limit.ts). Off by default here: the local poller runs its invocations in one process,
   * so one bucket stands for one execution environment.
   */
  getScheduleRate?: { ratePerSecond: number; maxConcurrency: number };
  /** Told of every batch the poller hands the monitor (the benchmark counts the distinct schedules in each). */
  observeBatch?: (event: SQSEvent) => void;
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
  /**
   * IAM in the loop (local/iam/stack.ts), on by default: the monitor runs with its role's credentials and policy,
   * the Scheduler model and a gate in front of dynalite authorize every request, the queue's policy decides the
   * rule's deliveries. `false` turns it off (engine tests that are not about IAM).
   */
  iam?: LocalIamConfig | false;
}

/** The access key id and secret of a principal, as an SDK client's `credentials`. */
export const credentialsOf = (principal: { accessKeyId: string; secretAccessKey: string }) => ({
  accessKeyId: principal.accessKeyId,
  secretAccessKey: principal.secretAccessKey,
});

/** A local stack's IAM: its roles and authorizer, and the gate in front of dynalite that enforces it. */
export interface LocalStackAccess {
  iam: LocalIam;
  dynamo: DynamoGate;
}

/** Every invocation of a function whose cold start could not read the target-input key. */
export const inputKeyDenied = async (): Promise<never> => {
  throw Object.assign(new Error(`The function's role is not authorized to perform: secretsmanager:GetSecretValue on resource: ${LOCAL_INPUT_KEY_SECRET_ARN}`), {
    name: 'AccessDeniedException',
  });
};

/** The input key's secret in the local account (infra/input-key.ts makes it in a deployed stack). */
export const LOCAL_INPUT_KEY_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:scheduler-observer-target-input-key-AbCdEf';

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
  /** IAM in the loop, unless turned off (option iam: false). */
  access?: LocalStackAccess;
  /** Delivers what CloudTrail holds and runs the monitor until the queue is empty. */
  settle(): Promise<DrainStats>;
  /** Loses every event not yet processed (CloudTrail delivery is best-effort): the store misses them. */
  loseEvents(): number;
  /** Takes the delivered events off the queue unprocessed and returns their bodies, to send again later (a late delivery). */
  holdDelivered(): string[];
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

  const targetInput = options.targetInput ?? { mode: 'full' };
  const iam =
    options.iam === false
      ? undefined
      : new LocalIam({ ...(targetInput.mode === 'hash' ? { targetInputKeySecretArn: LOCAL_INPUT_KEY_SECRET_ARN } : {}), ...options.iam });
  const access = iam
    ? {
        iam,
        dynamo: await startDynamoGate({
          target: dynamo.endpoint,
          authorizer: iam.authorizer,
          ...(iam.config.tableKmsKeyArn ? { tableKeys: new Map([[tableName, iam.config.tableKmsKeyArn]]) } : {}),
        }),
      }
    : undefined;
  const monitorRole = iam?.monitor({ tableName, queueArn: queue.arn });

  const bus = new LocalEventBus();
  const target = iam
    ? await authorizedSqsTarget(queue, LOCAL_IAM_ARNS.rule(LOCAL_RULE_NAME), async (request) =>
        (await iam.authorizer.authorize({ caller: { service: 'events.amazonaws.com' }, ...request })).allowed)
    : sqsTarget(queue);
  bus.putRule({ name: LOCAL_RULE_NAME, eventPattern: SCHEDULER_EVENT_PATTERN, targets: [target] });
  const delivery = new CloudTrailDelivery({ ...options.delivery, sink: (event: CloudTrailEventBridgeEvent) => bus.putEvents([event]) });
  const scheduler = await startSchedulerModel({ ...options.scheduler, ...(iam ? { authorizer: iam.authorizer } : {}), onEvent: (event) => delivery.push(event) });

  const monitorClient = new SchedulerClient({
    ...scheduler.clientConfig(monitorRole ? { credentials: credentialsOf(monitorRole) } : {}),
    maxAttempts: options.schedulerMaxAttempts ?? 5,
  });
  const monitorStore = access && monitorRole ? new ScheduleStore(access.dynamo.docFor(monitorRole), tableName) : store;
  const monitorDeps = {
    store: monitorStore,
    changeLog: monitorStore,
    truth: options.getScheduleRate
      ? rateLimitedTruth(new ScheduleReader(monitorClient, targetInput), monitorBucket(options.getScheduleRate.ratePerSecond, options.getScheduleRate.maxConcurrency))
      : new ScheduleReader(monitorClient, targetInput),
    tombstoneTtlDays: options.tombstoneTtlDays ?? 30,
    logger: options.logger ?? SILENT_LOGGER(),
    metrics: options.metrics ?? DISCARDED_METRICS(),
  };
  // Lambda never runs two invocations in one execution environment; with maximumConcurrency > 1 the local
  // poller does, so each invocation gets its own handler (its own BatchProcessor), as its own environment would.
  // With targetInput hash, each execution environment reads the key at cold start (functions/handlers/input-policy.ts):
  // a role that may not read the secret fails every invocation, and the events end in the DLQ.
  const keyReadable = !iam || !monitorRole || (await iam.inputKeyReadable(monitorRole));
  const handler: SqsHandler = keyReadable
    ? (event) => {
        options.observeBatch?.(event);
        return createMonitorHandler(monitorDeps)(event);
      }
    : inputKeyDenied;
  const mapping = new LocalEventSourceMapping({
    queue,
    handler,
    batchSize: options.batchSize ?? 10,
    functionResponseTypes: ['ReportBatchItemFailures'],
    maximumConcurrency: options.maximumConcurrency,
    ...(iam && monitorRole
      ? {
          authorize: async (action: string) =>
            (await iam.authorizer.authorize({ caller: monitorRole, action, resource: queue.arn, context: { 'aws:SecureTransport': 'true' } })).allowed,
          beforeInvoke: () => iam.invocationTelemetry(monitorRole),
        }
      : {}),
  });
  const client = new SchedulerClient(scheduler.clientConfig());
  const holdDelivered = (): string[] => {
    delivery.flush();
    const bodies: string[] = [];
    for (let batch = queue.receiveMessages({ max: 10 }); batch.length > 0; batch = queue.receiveMessages({ max: 10 })) {
      for (const message of batch) {
        bodies.push(message.body);
        queue.deleteMessage(message.receiptHandle);
      }
    }
    return bodies;
  };

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
    ...(access ? { access } : {}),
    async settle() {
      delivery.flush();
      return mapping.drain();
    },
    loseEvents: () => holdDelivered().length,
    holdDelivered,
    async close() {
      client.destroy();
      monitorClient.destroy();
      await access?.dynamo.close();
      await scheduler.close();
      if (ownDynamo) await dynamo.close();
    },
  };
}
