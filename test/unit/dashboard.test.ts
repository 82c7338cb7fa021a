import { expect } from 'chai';
import { physicalName } from '../../infra/physical-names';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { dashboardBody, dashboardName, dashboardUrl, PER_MINUTE, PER_RUN, type MetricWidget } from '../../infra/dashboard';

const ARGS = {
  region: 'eu-west-1',
  queueName: 'scheduler-observer-queue-1a2b3c',
  dlqName: 'scheduler-observer-dlq-4d5e6f',
  monitorFunctionName: 'scheduler-observer-monitor-dev',
  stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:scheduler-observer-reconciler-state-machine-7a8b',
  namespace: 'SchedulerObserver',
  service: 'scheduler-observer',
};

/**
 * CloudWatch's quota on a dashboard body (the JSON sent to PutDashboard) is 1 MB, per the CloudWatch service
 * quotas page: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html
 */
const DASHBOARD_BODY_LIMIT_BYTES = 1024 * 1024;
/** The dashboard grid is 24 units wide: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html */
const GRID_WIDTH = 24;

const metricWidgets = (body = dashboardBody(ARGS)) => body.widgets.filter((w): w is MetricWidget => w.type === 'metric');
const widget = (title: string): MetricWidget => {
  const found = metricWidgets().filter((w) => w.properties.title.startsWith(title));
  if (found.length !== 1) throw new Error(`expected one widget titled "${title}…", found ${found.length}`);
  return found[0]!;
};
/** `namespace metricName dimension=value` of every line, with its own stat when it overrides the widget's. */
const lines = (w: MetricWidget) =>
  w.properties.metrics.map(([namespace, metricName, dimension, value, options]) =>
    [namespace, metricName, `${dimension}=${value}`, ...(options.stat ? [`stat=${options.stat}`] : [])].join(' '),
  );

const custom = (metric: string) => `SchedulerObserver ${metric} service=scheduler-observer`;
const lambda = (metric: string) => `AWS/Lambda ${metric} FunctionName=${ARGS.monitorFunctionName}`;
const sqs = (queue: string, metric: string) => `AWS/SQS ${metric} QueueName=${queue}`;
const states = (metric: string) => `AWS/States ${metric} StateMachineArn=${ARGS.stateMachineArn}`;

describe('dashboardBody', () => {
  const cases: { reason: string; title: string; stat: string; period: number; expected: string[] }[] = [
    {
      reason: 'the observer keeps up when received ≈ applied, and stale rejections show CloudTrail reordering',
      title: 'Events per minute',
      stat: 'Sum',
      period: PER_MINUTE,
      expected: ['EventsReceived', 'EventsApplied', 'EventsRejectedStale', 'EventsRejectedDuplicate', 'EventsIgnored', 'EventsInvalid'].map(custom),
    },
    { reason: 'monitor health: errors and throttles', title: 'Monitor Lambda: errors and throttles', stat: 'Sum', period: PER_MINUTE, expected: [lambda('Errors'), lambda('Throttles')] },
    { reason: 'monitor latency, tail first', title: 'Monitor Lambda: duration p99', stat: 'p99', period: PER_MINUTE, expected: [lambda('Duration')] },
    {
      reason: 'backlog: depth and the age of the oldest message (the queue-age alarm’s metric)',
      title: 'Queue: depth and age of oldest message',
      stat: 'Maximum',
      period: PER_MINUTE,
      expected: [sqs(ARGS.queueName, 'ApproximateNumberOfMessagesVisible'), sqs(ARGS.queueName, 'ApproximateAgeOfOldestMessage')],
    },
    { reason: 'events lost to the DLQ', title: 'DLQ depth', stat: 'Maximum', period: PER_MINUTE, expected: [sqs(ARGS.dlqName, 'ApproximateNumberOfMessagesVisible')] },
    {
      reason: 'each run emits its counts once, so 5-minute sums show one run each',
      title: 'Drift per kind per run',
      stat: 'Sum',
      period: PER_RUN,
      expected: ['DriftMissingInStore', 'DriftModified', 'DriftDeletedLive', 'DriftNotChecked'].map(custom),
    },
    {
      reason: 'how reconciler executions end, and whether each wrote its report',
      title: 'Reconciler executions: succeeded, failed, timed out',
      stat: 'Sum',
      period: PER_RUN,
      expected: [states('ExecutionsSucceeded'), states('ExecutionsFailed'), states('ExecutionsTimedOut'), custom('ReconcileRunsSucceeded')],
    },
    {
      reason: 'run duration: longest and median',
      title: 'Reconciler execution duration',
      stat: 'Maximum',
      period: PER_RUN,
      expected: [states('ExecutionTime'), `${states('ExecutionTime')} stat=p50`],
    },
    {
      reason: 'no AWS metric counts throttled Scheduler reads: the monitor counts them, next to failed events and Lambda and Step Functions throttles',
      title: 'Throttles seen',
      stat: 'Sum',
      period: PER_MINUTE,
      expected: [custom('SchedulerThrottles'), custom('EventsFailed'), lambda('Throttles'), states('ExecutionThrottled')],
    },
  ];
  for (const { reason, title, stat, period, expected } of cases) {
    it(`draws "${title}" with ${stat} per ${period} s (${reason})`, () => {
      const w = widget(title);

      expect(lines(w)).to.deep.equal(expected);
      expect(w.properties).to.include({ stat, period, region: ARGS.region, view: 'timeSeries' });
    });
  }

  it('has exactly the widgets above, and a header pointing at the runbook', () => {
    const body = dashboardBody(ARGS);

    expect(metricWidgets(body)).to.have.length(cases.length);
    expect(body.widgets[0]).to.include({ type: 'text' });
    expect((body.widgets[0] as { properties: { markdown: string } }).properties.markdown).to.include('Runbook');
  });

  it('labels every line, so that the legend never shows raw metric names', () => {
    for (const w of metricWidgets()) for (const line of w.properties.metrics) expect(line[4].label, w.properties.title).to.be.a('string').and.not.empty;
  });

  it('lays the widgets out on the 24-unit grid without overlap', () => {
    const cells = new Set<string>();
    for (const w of dashboardBody(ARGS).widgets) {
      expect(w.x + w.width, JSON.stringify(w)).to.be.at.most(GRID_WIDTH);
      for (let x = w.x; x < w.x + w.width; x++)
        for (let y = w.y; y < w.y + w.height; y++) {
          expect(cells.has(`${x},${y}`), `overlap at ${x},${y}`).to.equal(false);
          cells.add(`${x},${y}`);
        }
    }
  });

  it('reads the namespace and service it is given (config metricsNamespace)', () => {
    const body = dashboardBody({ ...ARGS, namespace: 'Platform/Observer', service: 'svc' });
    const customLines = metricWidgets(body).flatMap((w) => w.properties.metrics).filter(([ns]) => !ns.startsWith('AWS/'));

    expect(customLines).to.not.be.empty;
    for (const [namespace, , dimension, value] of customLines) expect([namespace, dimension, value]).to.deep.equal(['Platform/Observer', 'service', 'svc']);
  });

  it('uses only custom metric names that the handlers emit', () => {
    const handlers = path.resolve(__dirname, '..', '..', 'functions', 'handlers');
    const source = readdirSync(handlers).map((file) => readFileSync(path.join(handlers, file), 'utf8')).join('\n');
    const names = metricWidgets().flatMap((w) => w.properties.metrics).filter(([ns]) => ns === ARGS.namespace).map(([, name]) => name);

    for (const name of new Set(names)) expect(source, name).to.include(`'${name}'`);
  });

  it('is valid JSON far below the 1 MB dashboard body limit, even with the longest names AWS allows', () => {
    const long = {
      ...ARGS,
      queueName: 'q'.repeat(80),
      dlqName: 'd'.repeat(80),
      monitorFunctionName: 'f'.repeat(64),
      stateMachineArn: `arn:aws:states:eu-west-1:123456789012:stateMachine:${'s'.repeat(80)}`,
      namespace: 'N'.repeat(255),
    };
    const text = JSON.stringify(dashboardBody(long));

    expect(JSON.parse(text)).to.deep.equal(dashboardBody(long));
    expect(Buffer.byteLength(text, 'utf8')).to.be.below(DASHBOARD_BODY_LIMIT_BYTES);
  });
});

describe('dashboardName and dashboardUrl', () => {
  const cases = [
    { reason: 'project and stack', project: 'scheduler-observer', stack: 'dev', expected: 'scheduler-observer-dev' },
    // The hash of the wanted name keeps `prod.eu` and `prod-eu` apart (infra/physical-names.ts).
    { reason: 'dashboard names allow only A-Z a-z 0-9 - _, stack names also dots', project: 'scheduler-observer', stack: 'prod.eu', expected: physicalName('dashboard', 'scheduler-observer', 'prod.eu') },
    { reason: 'a valid name stays as it is', project: 'scheduler-observer', stack: 'prod-eu', expected: 'scheduler-observer-prod-eu' },
  ];
  for (const { reason, project, stack, expected } of cases) {
    it(`names the dashboard ${expected} (${reason})`, () => {
      expect(dashboardName(project, stack)).to.equal(expected);
    });
  }

  it('links the dashboard in the console of its region', () => {
    expect(dashboardUrl('eu-west-1', 'scheduler-observer-dev')).to.equal(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/scheduler-observer-dev',
    );
  });
});
