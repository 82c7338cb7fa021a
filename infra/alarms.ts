/**
 * The stack's alarms as data (issue 7): pure, so every metric, threshold, comparison, window and missing-data
 * policy is unit-tested without Pulumi; infra/monitoring.ts turns each spec into an aws.cloudwatch.MetricAlarm
 * that notifies the alert topic on ALARM and on OK.
 * Generic in the type of names (plain strings in tests, pulumi.Input<string> in the component).
 */
import type { DriftAlarm } from './config';
import { blindAfterSeconds } from '../functions/core/heartbeat';
import { DRIFT_ALARM_METRICS, MONITOR_METRICS, RECONCILER_METRICS } from './metrics';

export const RUNBOOK = 'README#runbook';

export interface AlarmTargets<T> {
  queueName: T;
  dlqName: T;
  monitorFunctionName: T;
  stateMachineArn: T;
  namespace: string;
  service: string;
  queueAgeAlarmSeconds: number;
  driftAlarm: DriftAlarm;
  reconcileSchedule: string;
  /** 0: no heartbeat, so no observer-blind alarm. */
  heartbeatMinutes: number;
}

type Comparison = 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold';
type MissingData = 'notBreaching' | 'breaching';

interface MetricStat<T> {
  namespace: string;
  metricName: string;
  dimensions: Record<string, T | string>;
  stat: string;
  period: number;
}

export interface MetricQuery<T> {
  id: string;
  label: string;
  returnData: boolean;
  expression?: string;
  metric?: MetricStat<T>;
}

interface AlarmCommon {
  /** Suffix of the alarm's logical and physical name. */
  key: string;
  alarmDescription: string;
  comparisonOperator: Comparison;
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  treatMissingData: MissingData;
}

/** One metric (namespace, name, dimensions, statistic, period) or a metric math expression over several. */
export type AlarmSpec<T> = AlarmCommon &
  (
    | { namespace: string; metricName: string; dimensions: Record<string, T | string>; statistic: string; period: number; metricQueries?: never }
    | { metricQueries: MetricQuery<T>[]; namespace?: never }
  );

/** Alarms on counts look at 5 minutes: SQS, Lambda and Step Functions publish these metrics every minute. */
export const ALARM_PERIOD_SECONDS = 300;

/**
 * An alarm's periods × evaluation periods may not exceed 7 days, or 1 day when the period is under an hour:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
export const MAX_ALARM_RANGE_SECONDS = 7 * 24 * 3600;
const DAY = 24 * 3600;

/** When no successful run within `windowSeconds` means the reconciler is stale. */
export interface StalenessWindow {
  windowSeconds: number;
  periodSeconds: number;
  evaluationPeriods: number;
  /** How the window was derived, for the alarm description. */
  basis: string;
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_SECONDS: Record<string, number> = { minute: 60, minutes: 60, hour: 3600, hours: 3600, day: DAY, days: DAY };

/**
 * Two timer periods for `rate(...)`. A `cron(...)` has no single period (it may run at 02:00 on weekdays only),
 * so it gets 24 hours: right for a daily or more frequent cron, too tight for a rarer one (use rate() then).
 * The window is checked as two periods of half its length, both of which must hold no success; above a day the
 * periods are whole days (at most 7, CloudWatch's limit on an alarm's range).
 */
export function stalenessWindow(reconcileSchedule: string): StalenessWindow {
  const rate = RATE.exec(reconcileSchedule);
  const timerSeconds = rate ? Number(rate[1]) * UNIT_SECONDS[rate[2]!]! : undefined;
  const wanted = timerSeconds === undefined ? DAY : 2 * timerSeconds;
  const windowSeconds = Math.min(wanted, MAX_ALARM_RANGE_SECONDS);
  const basis =
    timerSeconds === undefined
      ? `24 h: the reconcileSchedule ${reconcileSchedule} is a cron expression, which has no single period`
      : wanted > windowSeconds
        ? `7 days, CloudWatch's longest alarm range (2 × ${reconcileSchedule} is longer)`
        : `2 × ${reconcileSchedule}`;
  if (windowSeconds / 2 <= DAY) return { windowSeconds, periodSeconds: windowSeconds / 2, evaluationPeriods: 2, basis };
  const evaluationPeriods = Math.ceil(windowSeconds / DAY);
  return { windowSeconds: evaluationPeriods * DAY, periodSeconds: DAY, evaluationPeriods, basis };
}

/** `3600` → `1 h`, `5400` → `90 min`. */
export function describeSeconds(seconds: number): string {
  if (seconds % DAY === 0) return `${seconds / DAY} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

const describe = (what: string, todo: string) => `${what} ${todo} Runbook: ${RUNBOOK}.`;

export function alarmSpecs<T>(t: AlarmTargets<T>): AlarmSpec<T>[] {
  // Powertools adds the service name as the `service` dimension of every metric.
  const custom = { service: t.service };
  const oneMetric = { evaluationPeriods: 1, datapointsToAlarm: 1 } as const;
  const stale = stalenessWindow(t.reconcileSchedule);

  const specs: AlarmSpec<T>[] = [
    {
      key: 'dlq-messages',
      alarmDescription: describe(
        'Events the observer could not process (or EventBridge could not deliver) are in the dead-letter queue; the store misses them until they are redriven or the reconciler repairs it.',
        'Read one message and the monitor Lambda logs for the cause, fix it, then redrive the DLQ to the queue (SQS console "Start DLQ redrive", or aws sqs start-message-move-task) and start a repair run.',
      ),
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: t.dlqName },
      statistic: 'Maximum',
      period: ALARM_PERIOD_SECONDS,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      ...oneMetric,
      // An empty queue that nothing touches stops publishing metrics: no data means no messages.
      treatMissingData: 'notBreaching',
    },
    {
      key: 'queue-age',
      alarmDescription: describe(
        `The oldest event in the observer queue is older than ${describeSeconds(t.queueAgeAlarmSeconds)}: the observer is falling behind, so the store lags the truth.`,
        'Check the monitor Lambda errors, throttles and duration on the dashboard and its logs; check Scheduler throttling (EventsFailed); raise monitorMaxConcurrency if the monitor is healthy but slow.',
      ),
      namespace: 'AWS/SQS',
      metricName: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: t.queueName },
      statistic: 'Maximum',
      period: ALARM_PERIOD_SECONDS,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: t.queueAgeAlarmSeconds,
      ...oneMetric,
      treatMissingData: 'notBreaching',
    },
    {
      // A partial-batch handler reports a bad record in batchItemFailures and returns normally, so Lambda's own
      // Errors metric stays at 0 for it (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html):
      // the monitor's EventsFailed and EventsInvalid count those records; Errors still counts a crashed invocation.
      key: 'monitor-errors',
      alarmDescription: describe(
        'The monitor failed to apply, or could not parse, at least one event in 5 minutes (or an invocation crashed); failed events are redelivered and, after 3 receives, go to the DLQ.',
        'Open the monitor Lambda logs (each failure is logged with its event id and error) and X-Ray traces, fix the cause, then watch the DLQ alarm.',
      ),
      metricQueries: [
        { id: 'failed', label: MONITOR_METRICS.failed, returnData: false, metric: { namespace: t.namespace, metricName: MONITOR_METRICS.failed, dimensions: custom, stat: 'Sum', period: ALARM_PERIOD_SECONDS } },
        { id: 'invalid', label: MONITOR_METRICS.invalid, returnData: false, metric: { namespace: t.namespace, metricName: MONITOR_METRICS.invalid, dimensions: custom, stat: 'Sum', period: ALARM_PERIOD_SECONDS } },
        {
          id: 'crashed',
          label: 'Lambda Errors',
          returnData: false,
          metric: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: t.monitorFunctionName }, stat: 'Sum', period: ALARM_PERIOD_SECONDS },
        },
        { id: 'monitorErrors', expression: 'FILL(failed, 0) + FILL(invalid, 0) + FILL(crashed, 0)', label: 'events failed or invalid, and crashed invocations', returnData: true },
      ],
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      ...oneMetric,
      treatMissingData: 'notBreaching',
    },
    {
      key: 'reconciler-failed',
      alarmDescription: describe(
        'A reconciler execution failed or timed out: this run proved nothing about the store.',
        'Open the failed execution from executionsConsoleUrl: its error and the failed step are in the event history, and the FAILED report in the report bucket holds what was found. Fix the cause, then start a run by hand ({"mode": "report"}).',
      ),
      metricQueries: [
        stateMachineQuery(t, 'failed', 'ExecutionsFailed'),
        stateMachineQuery(t, 'timedOut', 'ExecutionsTimedOut'),
        // FILL: one of the two may have no data in a period where the other has some.
        { id: 'failedOrTimedOut', expression: 'FILL(failed, 0) + FILL(timedOut, 0)', label: 'executions failed or timed out', returnData: true },
      ],
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      ...oneMetric,
      treatMissingData: 'notBreaching',
    },
    {
      key: 'reconcile-stale',
      alarmDescription: describe(
        `No reconciler run succeeded for ${describeSeconds(stale.windowSeconds)} (${stale.basis}), so nothing proves the store right.`,
        'Check that the timer schedule is ENABLED (reconcileEnabled), that its runs start (Scheduler InvocationAttemptCount, TargetErrorCount) and how they end (executionsConsoleUrl); start a run by hand to confirm.',
      ),
      namespace: t.namespace,
      metricName: RECONCILER_METRICS.runsSucceeded,
      dimensions: custom,
      statistic: 'Sum',
      period: stale.periodSeconds,
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      evaluationPeriods: stale.evaluationPeriods,
      datapointsToAlarm: stale.evaluationPeriods,
      // No data is exactly the failure this alarm is for: no run reported success.
      treatMissingData: 'breaching',
    },
  ];

  const drift = t.driftAlarm;
  if (drift.mode !== 'off') {
    const ids = ['missingInStore', 'modified', 'deletedLive'];
    specs.push({
      key: 'drift',
      alarmDescription: describe(
        drift.mode === 'any'
          ? 'The last reconciler run found drift: the store differs from Scheduler (missing in store, modified or deleted live; expected deletions of completed one-time schedules do not count).'
          : `The last reconciler run found more than ${drift.count} drift items (missing in store, modified or deleted live; expected deletions do not count).`,
        'Read the drift report (latestReportUri, or the SNS message of the run); if events were lost, check the CloudTrail trail and the DLQ, then start a repair run ({"mode": "repair"}).',
      ),
      metricQueries: [
        ...DRIFT_ALARM_METRICS.map(
          (metricName, i): MetricQuery<T> => ({
            id: ids[i]!,
            label: metricName,
            returnData: false,
            metric: { namespace: t.namespace, metricName, dimensions: custom, stat: 'Sum', period: ALARM_PERIOD_SECONDS },
          }),
        ),
        {
          id: 'expectedDeletions',
          label: RECONCILER_METRICS.expectedDeletions,
          returnData: false,
          metric: { namespace: t.namespace, metricName: RECONCILER_METRICS.expectedDeletions, dimensions: custom, stat: 'Sum', period: ALARM_PERIOD_SECONDS },
        },
        // Completed one-time schedules deleting themselves are in DriftDeletedLive, and are no alarm.
        { id: 'drift', expression: `${ids.map((id) => `FILL(${id}, 0)`).join(' + ')} - FILL(expectedDeletions, 0)`, label: 'actionable drift items', returnData: true },
      ],
      comparisonOperator: drift.mode === 'any' ? 'GreaterThanOrEqualToThreshold' : 'GreaterThanThreshold',
      threshold: drift.mode === 'any' ? 1 : drift.count,
      ...oneMetric,
      treatMissingData: 'notBreaching',
    });
  }
  if (t.heartbeatMinutes > 0) {
    specs.push({
      key: 'observer-blind',
      alarmDescription: describe(
        `The store has recorded no heartbeat for ${describeSeconds(blindAfterSeconds(t.heartbeatMinutes))} (or the heartbeat function stopped reporting): the observer records no changes, and nothing else says so until the reconciler runs.`,
        'Check, in order: a trail logs management write events here (scheduler-observer audit), the EventBridge rule is enabled, the queue and DLQ, the monitor logs and its permissions; see the runbook.',
      ),
      namespace: t.namespace,
      metricName: 'ObserverBlind',
      dimensions: custom,
      statistic: 'Maximum',
      period: t.heartbeatMinutes * 60,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      // The heartbeat reports every period: no data is a heartbeat that stopped, which is blind too.
      treatMissingData: 'breaching',
    });
  }
  return specs;
}

function stateMachineQuery<T>(t: AlarmTargets<T>, id: string, metricName: string): MetricQuery<T> {
  return {
    id,
    label: metricName,
    returnData: false,
    metric: { namespace: 'AWS/States', metricName, dimensions: { StateMachineArn: t.stateMachineArn }, stat: 'Sum', period: ALARM_PERIOD_SECONDS },
  };
}
