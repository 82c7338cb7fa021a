/**
 * The monitor's batch logic, built from its dependencies so that tests, the sandbox and the Lambda entry
 * (monitor.ts) run the very same code.
 *
 * One SQS batch = up to `monitorBatchSize` CloudTrail events. The batch is parsed once, ordered by event
 * time (fewer stale writes and ties; correctness does not depend on it: every write is conditional), coalesced
 * (core/coalesce.ts: the older events and repeats of a schedule cost nothing, its newest event one truth read and
 * one write), then applied record by record with Powertools' BatchProcessor. A record that cannot be parsed or applied
 * is reported in `batchItemFailures` (ReportBatchItemFailures,
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html): SQS redelivers only it,
 * and after 3 receives moves it to the DLQ, while the rest of the batch commits.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { applyChange, type ApplyContext, type ChangeOutcome } from '../core/apply-change';
import { changedKeysOf, MAX_WRITER_MS, type ChangeLogWriter } from '../core/change-log';
import { coalesce, type BatchEntry } from '../core/coalesce';
import { InvalidEventError } from '../core/errors';
import { parseSchedulerEvent } from '../core/events';
import { byEventTime, CLOCK_TOLERANCE_MS } from '../core/ordering';
import type { SchedulerChange } from '../core/types';

export interface MonitorDependencies extends ApplyContext {
  /** Told, before any write, which keys the batch may write and until when (functions/core/change-log.ts). */
  changeLog: ChangeLogWriter;
  logger: Logger;
  metrics: Metrics;
}

type Parsed = { change: SchedulerChange } | { error: Error };

/** Parses an SQS message body (the EventBridge event, as EventBridge's SQS target delivers it). */
export function parseRecord(record: SQSRecord): SchedulerChange {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new InvalidEventError(`message ${record.messageId}: body is not JSON`);
  }
  return parseSchedulerEvent(body);
}

export const OUTCOME_METRICS: Record<ChangeOutcome['outcome'], string> = {
  applied: 'EventsApplied',
  stale: 'EventsRejectedStale',
  duplicate: 'EventsRejectedDuplicate',
  ignored: 'EventsIgnored',
};

export function createMonitorHandler(deps: MonitorDependencies) {
  const processor = new BatchProcessor(EventType.SQS);

  return async function monitorHandler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
    const parsed = new Map<string, Parsed>();
    for (const record of event.Records) {
      try {
        parsed.set(record.messageId, { change: parseRecord(record) });
      } catch (error) {
        parsed.set(record.messageId, { error: error as Error });
      }
    }
    // Unparseable records sort first (version -Infinity) and fail fast; the rest go oldest first.
    const versionOf = (record: SQSRecord) => {
      const entry = parsed.get(record.messageId);
      return entry && 'change' in entry ? entry.change.meta.version : Number.NEGATIVE_INFINITY;
    };
    const ordered = byEventTime(event.Records, versionOf);
    const entries: BatchEntry[] = [];
    for (const [id, entry] of parsed) if ('change' in entry) entries.push({ id, change: entry.change });
    const nowMs = (deps.now ? deps.now() : new Date()).getTime();
    const superseded = coalesce(entries, nowMs);

    // The change log first: the report step of a run under way learns from it, without re-reading the store, which
    // drift this batch may fix. A batch whose keys cannot be recorded writes nothing; every record returns to SQS.
    const keys = changedKeysOf(entries.filter((entry) => !superseded.has(entry.id)).map((entry) => entry.change));
    if (keys.length > 0) {
      const remaining = context?.getRemainingTimeInMillis?.();
      try {
        await deps.changeLog.recordChanges(keys, nowMs, nowMs + (typeof remaining === 'number' && remaining > 0 ? remaining : MAX_WRITER_MS));
      } catch (error) {
        deps.metrics.addMetric('EventsReceived', MetricUnit.Count, event.Records.length);
        deps.metrics.addMetric('EventsFailed', MetricUnit.Count, event.Records.length);
        deps.logger.error('the change log could not be written: the batch is left to SQS redrive', { records: event.Records.length, error: error as Error });
        deps.metrics.publishStoredMetrics();
        return { batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) };
      }
    }

    const recordHandler = async (record: SQSRecord): Promise<ChangeOutcome> => {
      const entry = parsed.get(record.messageId)!;
      if ('error' in entry) {
        deps.metrics.addMetric('EventsInvalid', MetricUnit.Count, 1);
        deps.logger.error('invalid event, leaving it to SQS redrive and the DLQ', {
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
          error: entry.error,
        });
        throw entry.error;
      }
      const { change } = entry;
      const coalesced = superseded.get(record.messageId);
      if (coalesced) {
        // Succeeds with no read and no write: the batch holds a later event of the schedule (or this event again).
        // Counted as rejected like any stale or duplicate event (every message has one outcome), and as coalesced;
        // a same-second create or update is stale: another event of that second writes what it would.
        const outcome: ChangeOutcome = { outcome: coalesced.reason === 'duplicate' ? 'duplicate' : 'stale', writes: 0, truthReads: 0 };
        deps.metrics.addMetric(OUTCOME_METRICS[outcome.outcome], MetricUnit.Count, 1);
        deps.metrics.addMetric('EventsCoalesced', MetricUnit.Count, 1);
        deps.logger.debug('event coalesced', { eventId: change.meta.eventId, by: coalesced.by, reason: coalesced.reason, ...describe(change) });
        return outcome;
      }
      deps.logger.appendKeys({ eventId: change.meta.eventId });
      try {
        const outcome = await applyChange(change, deps);
        deps.metrics.addMetric(OUTCOME_METRICS[outcome.outcome], MetricUnit.Count, 1);
        if (outcome.truthReads > 0) deps.metrics.addMetric('TruthReads', MetricUnit.Count, outcome.truthReads);
        if ('unreadable' in outcome && outcome.unreadable !== undefined) {
          // Retrying cannot fix a denial: the item is marked, the event succeeds, the reconciler reports NOT_CHECKED.
          deps.metrics.addMetric('SchedulesUnreadable', MetricUnit.Count, 1);
          deps.logger.warn('GetSchedule was denied: the schedule is recorded as live and unreadable', { reason: outcome.unreadable, ...describe(change) });
        }
        if ('clampedFrom' in outcome && outcome.clampedFrom !== undefined) {
          // A clock error, or a hand-made or replayed event: applied from the truth, at a version later changes beat.
          deps.metrics.addMetric('EventsFromTheFuture', MetricUnit.Count, 1);
          deps.logger.warn('event time is ahead of the monitor\'s clock beyond the tolerance: settled by reading the truth', {
            eventTime: outcome.clampedFrom, toleranceMs: CLOCK_TOLERANCE_MS, ...describe(change),
          });
        }
        deps.logger.info('event processed', { kind: change.kind, eventTime: change.meta.eventTime, ...describe(change), ...outcome });
        return outcome;
      } catch (error) {
        deps.metrics.addMetric('EventsFailed', MetricUnit.Count, 1);
        // No AWS metric counts throttled Scheduler calls; this one feeds the dashboard's throttles widget.
        if ((error as Error).name === 'ThrottlingException') deps.metrics.addMetric('SchedulerThrottles', MetricUnit.Count, 1);
        deps.logger.error('event failed, SQS will redeliver it', { kind: change.kind, ...describe(change), error: error as Error });
        throw error;
      } finally {
        deps.logger.removeKeys(['eventId']);
      }
    };

    deps.metrics.addMetric('EventsReceived', MetricUnit.Count, event.Records.length);
    try {
      return await processPartialResponse({ Records: ordered }, recordHandler, processor, {
        context,
        // An all-failed batch is reported item by item, like a partly failed one: same redrive, clearer logs.
        throwOnFullBatchFailure: false,
      });
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}

function describe(change: SchedulerChange): Record<string, string> {
  if (change.kind === 'ignored') return { reason: change.reason };
  return 'scheduleName' in change
    ? { groupName: change.groupName, scheduleName: change.scheduleName }
    : { groupName: change.groupName };
}
