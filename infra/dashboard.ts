/**
 * The CloudWatch dashboard body (issue 7), as a pure function of names: what the Monitoring component deploys
 * and what test/unit/dashboard.test.ts reads. Syntax: "Dashboard Body Structure and Syntax",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 * A metric line is `[namespace, metricName, dimensionName, dimensionValue, { rendering options }]`.
 */
import { MONITOR_METRICS, RECONCILER_METRICS } from './metrics';
import { physicalName } from './physical-names';

export interface DashboardArgs {
  region: string;
  queueName: string;
  dlqName: string;
  monitorFunctionName: string;
  stateMachineArn: string;
  /** The handlers' metrics namespace (config `metricsNamespace`). */
  namespace: string;
  /** The handlers' `service` dimension. */
  service: string;
}

type MetricLine = [string, string, string, string, Record<string, unknown>];

export interface MetricWidget {
  type: 'metric';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: {
    title: string;
    region: string;
    view: 'timeSeries';
    stacked: boolean;
    stat: string;
    period: number;
    metrics: MetricLine[];
    yAxis?: Record<string, { label: string; showUnits: boolean; min?: number }>;
  };
}

export interface TextWidget {
  type: 'text';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: { markdown: string };
}

export interface DashboardBody {
  widgets: (TextWidget | MetricWidget)[];
}

/** One-minute graphs for what changes by the minute; the reconciler's once-per-run metrics in 5-minute bins. */
export const PER_MINUTE = 60;
export const PER_RUN = 300;

const WIDTH = 12;
const HEIGHT = 6;
/** The dashboard grid is 24 units wide. */
const GRID_WIDTH = 24;

type WidgetSpec = Omit<MetricWidget['properties'], 'region' | 'view' | 'stacked'> & { stacked?: boolean };

/** The widgets, in reading order: is the observer keeping up, is the monitor healthy, is the store right. */
export function dashboardWidgets(args: DashboardArgs): WidgetSpec[] {
  const custom = (metricName: string, label: string, extra: Record<string, unknown> = {}): MetricLine => [
    args.namespace,
    metricName,
    'service',
    args.service,
    { label, ...extra },
  ];
  const lambda = (metricName: string, label: string, extra: Record<string, unknown> = {}): MetricLine => [
    'AWS/Lambda',
    metricName,
    'FunctionName',
    args.monitorFunctionName,
    { label, ...extra },
  ];
  const sqs = (queueName: string, metricName: string, label: string, extra: Record<string, unknown> = {}): MetricLine => [
    'AWS/SQS',
    metricName,
    'QueueName',
    queueName,
    { label, ...extra },
  ];
  const states = (metricName: string, label: string, extra: Record<string, unknown> = {}): MetricLine => [
    'AWS/States',
    metricName,
    'StateMachineArn',
    args.stateMachineArn,
    { label, ...extra },
  ];

  return [
    {
      title: 'Events per minute: received, applied, rejected as stale',
      stat: 'Sum',
      period: PER_MINUTE,
      metrics: [
        custom(MONITOR_METRICS.received, 'received'),
        custom(MONITOR_METRICS.applied, 'applied'),
        custom(MONITOR_METRICS.rejectedStale, 'rejected: stale'),
        custom(MONITOR_METRICS.rejectedDuplicate, 'rejected: duplicate'),
        custom(MONITOR_METRICS.ignored, 'ignored'),
        custom(MONITOR_METRICS.invalid, 'invalid (to the DLQ after 3 receives)'),
      ],
    },
    {
      title: 'Monitor Lambda: errors and throttles',
      stat: 'Sum',
      period: PER_MINUTE,
      metrics: [lambda('Errors', 'errors'), lambda('Throttles', 'throttles')],
    },
    {
      title: 'Monitor Lambda: duration p99',
      stat: 'p99',
      period: PER_MINUTE,
      metrics: [lambda('Duration', 'duration p99 (ms)')],
    },
    {
      title: 'Queue: depth and age of oldest message',
      stat: 'Maximum',
      period: PER_MINUTE,
      metrics: [
        sqs(args.queueName, 'ApproximateNumberOfMessagesVisible', 'messages visible'),
        sqs(args.queueName, 'ApproximateAgeOfOldestMessage', 'oldest message (s)', { yAxis: 'right' }),
      ],
      yAxis: { left: { label: 'messages', showUnits: false, min: 0 }, right: { label: 'seconds', showUnits: false, min: 0 } },
    },
    {
      title: 'DLQ depth',
      stat: 'Maximum',
      period: PER_MINUTE,
      metrics: [sqs(args.dlqName, 'ApproximateNumberOfMessagesVisible', 'messages in the DLQ')],
    },
    {
      title: 'Drift per kind per run',
      stat: 'Sum',
      period: PER_RUN,
      stacked: true,
      metrics: [
        custom(RECONCILER_METRICS.missingInStore, 'missing in store'),
        custom(RECONCILER_METRICS.modified, 'modified'),
        custom(RECONCILER_METRICS.deletedLive, 'deleted live'),
        custom(RECONCILER_METRICS.notChecked, 'not checked (changed during the run)'),
      ],
    },
    {
      title: 'Reconciler executions: succeeded, failed, timed out',
      stat: 'Sum',
      period: PER_RUN,
      metrics: [
        states('ExecutionsSucceeded', 'succeeded'),
        states('ExecutionsFailed', 'failed'),
        states('ExecutionsTimedOut', 'timed out'),
        custom(RECONCILER_METRICS.runsSucceeded, 'reports written'),
      ],
    },
    {
      title: 'Reconciler execution duration',
      stat: 'Maximum',
      period: PER_RUN,
      metrics: [states('ExecutionTime', 'duration (ms), longest run'), states('ExecutionTime', 'duration (ms), p50', { stat: 'p50' })],
    },
    {
      // No AWS metric counts throttled Scheduler API calls: the monitor counts the GetSchedule calls still
      // throttled after the SDK's retries (SQS then redelivers their events).
      title: 'Throttles seen: Scheduler reads, Lambda, Step Functions',
      stat: 'Sum',
      period: PER_MINUTE,
      metrics: [
        custom(MONITOR_METRICS.schedulerThrottles, 'GetSchedule throttled after SDK retries'),
        custom(MONITOR_METRICS.failed, 'events failed (any cause)'),
        lambda('Throttles', 'monitor Lambda throttles'),
        states('ExecutionThrottled', 'state machine throttled'),
      ],
    },
  ];
}

/** The whole body: a header pointing at the runbook, then the metric widgets two per row. */
export function dashboardBody(args: DashboardArgs): DashboardBody {
  const header: TextWidget = {
    type: 'text',
    x: 0,
    y: 0,
    width: GRID_WIDTH,
    height: 2,
    properties: {
      markdown:
        `## scheduler-observer (service \`${args.service}\`, namespace \`${args.namespace}\`)\n` +
        'Managed by Pulumi (infra/dashboard.ts): changes made in the console are lost at the next `pulumi up`. ' +
        'What each alarm means and what to do: README, section Runbook.',
    },
  };
  const perRow = GRID_WIDTH / WIDTH;
  const widgets = dashboardWidgets(args).map(
    ({ stacked, ...spec }, i): MetricWidget => ({
      type: 'metric',
      x: (i % perRow) * WIDTH,
      y: header.height + Math.floor(i / perRow) * HEIGHT,
      width: WIDTH,
      height: HEIGHT,
      properties: { ...spec, region: args.region, view: 'timeSeries', stacked: stacked ?? false },
    }),
  );
  return { widgets: [header, ...widgets] };
}

/** Dashboard names allow A-Z a-z 0-9 - _ only (PutDashboard DashboardName); stack names may also hold dots. */
export function dashboardName(project: string, stack: string): string {
  return physicalName('dashboard', project, stack);
}

export function dashboardUrl(region: string, name: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${name}`;
}
