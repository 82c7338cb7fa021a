/**
 * The observer pipeline of local/pipeline.ts, wired the same way but with in-process stand-ins for the two
 * engines that cost a network round trip, so that a property can play ≥ 1,000 histories:
 *
 *   InProcessScheduler (the model's SchedulerOperations + its CloudTrail event builder)
 *     ──► CloudTrailDelivery (seeded duplicates, reordering, loss; delay = events held until `deliver()`)
 *     ──► LocalEventBus rule (SCHEDULER_EVENT_PATTERN, the deployed constant)
 *     ──► LocalQueue (visibility timeout 6 × Lambda timeout, DLQ after MAX_RECEIVE_COUNT receives, infra/queue-settings)
 *     ──► LocalEventSourceMapping (batch size, ReportBatchItemFailures, maximum concurrency)
 *     ──► the real createMonitorHandler ──► MemoryReconcileStore (stands for the DynamoDB table)
 *
 * The monitor's GetSchedule goes through the real ScheduleReader adapter on the in-process client, wrapped in
 * ThrottlingTruth. Every message the queue accepts is accounted for (`ledger`): the handler's answer says which
 * records of a batch succeeded, its EMF metrics say how (applied / stale / duplicate / ignored).
 * local/pipeline.ts shares one handler between concurrent invocations; Lambda never does (see `environment`).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createMonitorHandler } from '../../../functions/handlers/monitor-handler';
import { SCHEDULER_EVENT_PATTERN } from '../../../infra/event-pattern';
import { DLQ_RETENTION_SECONDS, MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT } from '../../../infra/queue-settings';
import { CloudTrailDelivery } from '../../../local/cloudtrail-delivery';
import type { CloudTrailEventBridgeEvent } from '../../../local/cloudtrail-record';
import { captureMetrics } from '../../../local/emf';
import { LocalEventBus, sqsTarget } from '../../../local/eventbridge';
import { SILENT_LOGGER } from '../../../local/pipeline';
import { LocalClock, LocalEventSourceMapping, LocalQueue } from '../../../local/sqs';
import { MemoryReconcileStore } from '../memory-reconcile-store';
import { InProcessScheduler } from './in-process-scheduler';
import { ThrottlingTruth } from './throttling-truth';
import type { VirtualClock } from './virtual-clock';

export interface InProcessPipelineOptions {
  clock: VirtualClock;
  /** CloudTrailDelivery's fault PRNG seed and rates. */
  deliverySeed: number;
  duplicateRate: number;
  lossRate: number;
  reorder: boolean;
  batchSize: number;
  maximumConcurrency?: number;
  /** Whether the n-th monitor GetSchedule call is throttled (beyond the SDK's retries). */
  throttle?: (call: number) => boolean;
  /** Scheduler's clock (its dates, CloudTrail's eventTime) minus the monitor's, in ms. */
  schedulerSkewMs?: number;
  groupDeletion?: 'immediate' | 'deferred';
  /** Each event is delivered once more, re-stamped by `replay`, when `replay` returns an event (see ClockFaults). */
  replay?: (event: CloudTrailEventBridgeEvent) => CloudTrailEventBridgeEvent | undefined;
}

/** What became of the messages the queue accepted. */
export interface Ledger {
  sent: number;
  applied: number;
  stale: number;
  duplicate: number;
  ignored: number;
  deadLettered: number;
  /** Messages the handler answered as processed (deleted from the queue). */
  succeeded: number;
  failedReceives: number;
  /** Message ids that succeeded more than once, or both succeeded and were dead-lettered (must stay empty). */
  inconsistencies: string[];
}

const OUTCOME_KEYS = {
  EventsApplied: 'applied',
  EventsRejectedStale: 'stale',
  EventsRejectedDuplicate: 'duplicate',
  EventsIgnored: 'ignored',
} as const;

let sharedLogger: Logger | undefined;

interface Environment {
  handler: ReturnType<typeof createMonitorHandler>;
  metrics: ReturnType<typeof captureMetrics>;
}

export class InProcessPipeline {
  readonly store = new MemoryReconcileStore();
  readonly scheduler: InProcessScheduler;
  readonly delivery: CloudTrailDelivery;
  readonly queue: LocalQueue;
  readonly dlq: LocalQueue;
  readonly mapping: LocalEventSourceMapping;
  readonly truth: ThrottlingTruth;
  private readonly succeeded = new Map<string, number>();
  private readonly environments: Environment[] = [];
  private failedReceives = 0;

  constructor(options: InProcessPipelineOptions) {
    const queueClock = new LocalClock(options.clock.nowMs());
    this.dlq = new LocalQueue({ name: 'scheduler-observer-dlq', clock: queueClock, messageRetentionPeriodSeconds: DLQ_RETENTION_SECONDS });
    this.queue = new LocalQueue({
      name: 'scheduler-observer-events',
      clock: queueClock,
      visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT * 30,
      redrivePolicy: { deadLetterQueue: this.dlq, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    const bus = new LocalEventBus();
    bus.putRule({ name: 'scheduler-observer-events', eventPattern: SCHEDULER_EVENT_PATTERN, targets: [sqsTarget(this.queue)] });
    this.delivery = new CloudTrailDelivery({
      seed: options.deliverySeed,
      duplicateRate: options.duplicateRate,
      lossRate: options.lossRate,
      reorder: options.reorder,
      sink: (event) => bus.putEvents([event]),
    });
    const skew = options.schedulerSkewMs ?? 0;
    const schedulerClock = skew === 0 ? options.clock : { now: () => new Date(options.clock.nowMs() + skew) };
    this.scheduler = new InProcessScheduler(
      schedulerClock,
      (event) => {
        this.delivery.push(event);
        const replayed = options.replay?.(event);
        if (replayed) this.delivery.push(replayed);
      },
      { groupDeletion: options.groupDeletion ?? 'immediate' },
    );
    this.truth = new ThrottlingTruth(this.scheduler.lister(), options.throttle ?? (() => false));
    // One handler per execution environment: Lambda runs one invocation at a time in an environment, and the
    // handler's BatchProcessor and Metrics hold per-invocation state, so concurrent invocations get their own.
    sharedLogger ??= SILENT_LOGGER();
    const idle: Environment[] = [];
    const environment = (): Environment => {
      const metrics = captureMetrics();
      const handler = createMonitorHandler({
        store: this.store,
        changeLog: this.store,
        truth: this.truth,
        tombstoneTtlDays: 30,
        now: () => options.clock.tick(),
        logger: sharedLogger!,
        metrics: metrics.metrics,
      });
      const created = { handler, metrics };
      this.environments.push(created);
      return created;
    };
    const accounted = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      const env = idle.pop() ?? environment();
      try {
        const response = await env.handler(event);
        const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        for (const record of event.Records) {
          if (failed.has(record.messageId)) this.failedReceives++;
          else this.succeeded.set(record.messageId, (this.succeeded.get(record.messageId) ?? 0) + 1);
        }
        return response;
      } finally {
        idle.push(env);
      }
    };
    this.mapping = new LocalEventSourceMapping({
      queue: this.queue,
      handler: accounted,
      batchSize: options.batchSize,
      functionResponseTypes: ['ReportBatchItemFailures'],
      ...(options.maximumConcurrency === undefined ? {} : { maximumConcurrency: options.maximumConcurrency }),
    });
  }

  /** CloudTrail delivers what it holds (each event lost, duplicated, reordered by the seed). */
  deliver(): void {
    this.delivery.flush();
  }

  /** Delivers what CloudTrail holds and runs the monitor until the queue holds nothing. */
  async settle(): Promise<void> {
    this.deliver();
    const stats = await this.mapping.drain();
    if (!stats.complete || stats.failedInvocations > 0) {
      throw new Error(`the queue did not drain cleanly: ${JSON.stringify(stats)}`);
    }
  }

  ledger(): Ledger {
    const dead = this.dlq.messages().map((m) => m.messageId);
    const inconsistencies = [...this.succeeded].filter(([, n]) => n > 1).map(([id]) => `${id} succeeded ${this.succeeded.get(id)} times`);
    for (const id of dead) if (this.succeeded.has(id)) inconsistencies.push(`${id} succeeded and is in the DLQ`);
    const outcomes = { applied: 0, stale: 0, duplicate: 0, ignored: 0 };
    for (const { metrics } of this.environments) {
      const totals = metrics.totals();
      for (const [metric, key] of Object.entries(OUTCOME_KEYS)) outcomes[key] += totals[metric] ?? 0;
    }
    return {
      sent: this.queue.stats.sent,
      ...outcomes,
      deadLettered: dead.length,
      succeeded: this.succeeded.size,
      failedReceives: this.failedReceives,
      inconsistencies,
    };
  }
}
