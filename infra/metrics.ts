/**
 * The custom metrics the handlers emit (Powertools EMF, functions/handlers/observability.ts), as the dashboard
 * and the alarms read them: one namespace (config `metricsNamespace`) and one `service` dimension.
 */

/** POWERTOOLS_SERVICE_NAME of the monitor and the reconciler's functions: Powertools adds it as the `service`
 * dimension of every metric. */
export const METRICS_SERVICE = 'scheduler-observer';

/** Per SQS batch, by the monitor (functions/handlers/monitor-handler.ts). */
export const MONITOR_METRICS = {
  received: 'EventsReceived',
  applied: 'EventsApplied',
  rejectedStale: 'EventsRejectedStale',
  rejectedDuplicate: 'EventsRejectedDuplicate',
  ignored: 'EventsIgnored',
  invalid: 'EventsInvalid',
  failed: 'EventsFailed',
  truthReads: 'TruthReads',
  /** GetSchedule calls still throttled after the SDK's retries (the event is redelivered by SQS). */
  schedulerThrottles: 'SchedulerThrottles',
} as const;

/** Once per run, by the reconciler's report step (functions/handlers/reconciler-handlers.ts). */
export const RECONCILER_METRICS = {
  inSync: 'DriftInSync',
  missingInStore: 'DriftMissingInStore',
  modified: 'DriftModified',
  deletedLive: 'DriftDeletedLive',
  notChecked: 'DriftNotChecked',
  /** DELETED_LIVE items that are completed one-time schedules: counted in DriftDeletedLive, expected. */
  expectedDeletions: 'DriftExpectedDeletions',
  runsSucceeded: 'ReconcileRunsSucceeded',
  /** A backfill run's writes (README, "The first deployment is a backfill"); never part of the drift alarm. */
  backfillWritten: 'BackfillSchedulesWritten',
  runsFailed: 'ReconcileRunsFailed',
} as const;

/** The drift kinds that count as drift (README "Drift kinds"): the drift alarm sums these. */
export const DRIFT_ALARM_METRICS = [
  RECONCILER_METRICS.missingInStore,
  RECONCILER_METRICS.modified,
  RECONCILER_METRICS.deletedLive,
] as const;
