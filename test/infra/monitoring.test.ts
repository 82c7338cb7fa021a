/**
 * The Monitoring component and the operations requirements of issue 7 over the whole program: every alarm's
 * metric, threshold, comparison, window, missing-data policy and actions; the drift alarm per `driftAlarm`; the
 * staleness window per `reconcileSchedule`; tracing and log retention; tags on every taggable resource; outputs.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RUNBOOK, stalenessWindow } from '../../infra/alarms';
import { loadProgram, ofType, oneOfType, outputOf, type CreatedResource, type LoadedProgram } from '../support/pulumi-mocks';

const ALARM = 'aws:cloudwatch/metricAlarm:MetricAlarm';
const ARN = (service: string, resource: string) => `arn:aws:${service}:us-east-1:123456789012:${resource}`;
const TOPIC_ARN = ARN('sns', 'scheduler-observer-reconciler-alerts');
const STATE_MACHINE_ARN = ARN('states', 'stateMachine:scheduler-observer-reconciler-state-machine');
const SERVICE = { service: 'scheduler-observer' };

const alarm = (resources: readonly CreatedResource[], key: string) => oneOfType(resources, ALARM, `scheduler-observer-${key}`).inputs;
const alarmKeys = (resources: readonly CreatedResource[]) => ofType(resources, ALARM).map((a) => a.name.replace('scheduler-observer-', '')).sort();
/** The metric of a metric-math query, as `namespace metricName stat period dimensions`. */
const queryMetrics = (inputs: Record<string, any>) =>
  (inputs.metricQueries as any[]).filter((q) => q.metric).map((q) => ({ id: q.id, returnData: q.returnData, ...q.metric }));
const expression = (inputs: Record<string, any>) => (inputs.metricQueries as any[]).filter((q) => q.expression).map((q) => ({ expression: q.expression, returnData: q.returnData }));

describe('Monitoring', () => {
  let program: LoadedProgram;
  before(async () => {
    program = await loadProgram({ queueAgeAlarmSeconds: '600', metricsNamespace: 'Platform/Observer' });
  });
  const resources = () => program.resources;

  describe('alarms', () => {
    const single: {
      key: string;
      reason: string;
      expected: Record<string, unknown>;
    }[] = [
      {
        key: 'dlq-messages',
        reason: 'one message in the DLQ is an event the store misses',
        expected: {
          namespace: 'AWS/SQS',
          metricName: 'ApproximateNumberOfMessagesVisible',
          dimensions: { QueueName: 'scheduler-observer-dlq' },
          statistic: 'Maximum',
          period: 300,
          comparisonOperator: 'GreaterThanOrEqualToThreshold',
          threshold: 1,
          evaluationPeriods: 1,
          treatMissingData: 'notBreaching',
        },
      },
      {
        key: 'queue-age',
        reason: 'the oldest message older than queueAgeAlarmSeconds (600 here) means the observer is falling behind',
        expected: {
          namespace: 'AWS/SQS',
          metricName: 'ApproximateAgeOfOldestMessage',
          dimensions: { QueueName: 'scheduler-observer-queue' },
          statistic: 'Maximum',
          period: 300,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: 600,
          evaluationPeriods: 1,
          treatMissingData: 'notBreaching',
        },
      },
      {
        key: 'reconcile-stale',
        reason: 'no successful run in 2 × rate(1 hour); no data is no success',
        expected: {
          namespace: 'Platform/Observer',
          metricName: 'ReconcileRunsSucceeded',
          dimensions: SERVICE,
          statistic: 'Sum',
          period: 3600,
          comparisonOperator: 'LessThanThreshold',
          threshold: 1,
          evaluationPeriods: 2,
          datapointsToAlarm: 2,
          treatMissingData: 'breaching',
          actionsEnabled: true,
        },
      },
    ];
    for (const { key, reason, expected } of single) {
      it(`alarms on ${key}: ${reason}`, () => {
        expect(alarm(resources(), key)).to.deep.include(expected);
      });
    }

    it('alarms when a reconciler execution fails or times out: FILL(ExecutionsFailed) + FILL(ExecutionsTimedOut) ≥ 1', () => {
      const inputs = alarm(resources(), 'reconciler-failed');

      expect(queryMetrics(inputs)).to.deep.equal([
        { id: 'failed', returnData: false, namespace: 'AWS/States', metricName: 'ExecutionsFailed', dimensions: { StateMachineArn: STATE_MACHINE_ARN }, stat: 'Sum', period: 300 },
        { id: 'timedOut', returnData: false, namespace: 'AWS/States', metricName: 'ExecutionsTimedOut', dimensions: { StateMachineArn: STATE_MACHINE_ARN }, stat: 'Sum', period: 300 },
      ]);
      expect(expression(inputs)).to.deep.equal([{ expression: 'FILL(failed, 0) + FILL(timedOut, 0)', returnData: true }]);
      expect(inputs).to.deep.include({ comparisonOperator: 'GreaterThanOrEqualToThreshold', threshold: 1, evaluationPeriods: 1, treatMissingData: 'notBreaching' });
      expect(inputs.metricName).to.equal(undefined);
    });

    it('alarms on monitor-errors: one failed or invalid event (the partial-batch handler never raises Lambda Errors for those), or one crashed invocation, in 5 minutes', () => {
      const inputs = alarm(resources(), 'monitor-errors');
      expect(queryMetrics(inputs)).to.deep.equal([
        { id: 'failed', returnData: false, namespace: 'Platform/Observer', metricName: 'EventsFailed', dimensions: SERVICE, stat: 'Sum', period: 300 },
        { id: 'invalid', returnData: false, namespace: 'Platform/Observer', metricName: 'EventsInvalid', dimensions: SERVICE, stat: 'Sum', period: 300 },
        { id: 'crashed', returnData: false, namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'scheduler-observer-monitor-dev' }, stat: 'Sum', period: 300 },
      ]);
      expect(expression(inputs)).to.deep.equal([{ expression: 'FILL(failed, 0) + FILL(invalid, 0) + FILL(crashed, 0)', returnData: true }]);
      expect(inputs).to.include({ comparisonOperator: 'GreaterThanOrEqualToThreshold', threshold: 1, evaluationPeriods: 1, treatMissingData: 'notBreaching' });
    });

    it('alarms on observer-blind: the heartbeat says the store saw no beat for 3 beats, or the heartbeat is silent, two periods running', () => {
      expect(alarm(resources(), 'observer-blind')).to.deep.include({
        namespace: 'Platform/Observer', metricName: 'ObserverBlind', dimensions: SERVICE, statistic: 'Maximum', period: 300,
        comparisonOperator: 'GreaterThanOrEqualToThreshold', threshold: 1, evaluationPeriods: 2, datapointsToAlarm: 2, treatMissingData: 'breaching',
      });
    });

    it('creates the seven alarms by default, each named after the stack', () => {
      expect(alarmKeys(resources())).to.deep.equal(['dlq-messages', 'drift', 'monitor-errors', 'observer-blind', 'queue-age', 'reconcile-stale', 'reconciler-failed']);
      for (const a of ofType(resources(), ALARM)) expect(a.inputs.name).to.equal(a.name.replace('scheduler-observer-', 'scheduler-observer-dev-'));
    });

    it('notifies the alert topic when every alarm fires and when it clears', () => {
      for (const { name, inputs } of ofType(resources(), ALARM)) {
        expect(inputs.alarmActions, name).to.deep.equal([TOPIC_ARN]);
        expect(inputs.okActions, name).to.deep.equal([TOPIC_ARN]);
      }
    });

    it('tells the reader what to do in every alarm description, and points at the runbook', () => {
      for (const { name, inputs } of ofType(resources(), ALARM)) {
        expect(inputs.alarmDescription, name).to.include(`Runbook: ${RUNBOOK}`);
        // PutMetricAlarm AlarmDescription is at most 1024 characters:
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
        expect(inputs.alarmDescription.length, name).to.be.at.most(1024);
      }
    });
  });

  describe('the drift alarm, per driftAlarm', () => {
    const cases: { reason: string; driftAlarm: string; expected: Record<string, unknown> | undefined }[] = [
      { reason: 'any drift item fires it (the default)', driftAlarm: 'any', expected: { comparisonOperator: 'GreaterThanOrEqualToThreshold', threshold: 1 } },
      { reason: 'only more than N items fire it', driftAlarm: 'above:25', expected: { comparisonOperator: 'GreaterThanThreshold', threshold: 25 } },
      { reason: 'off creates no drift alarm', driftAlarm: 'off', expected: undefined },
    ];
    for (const { reason, driftAlarm, expected } of cases) {
      it(`${expected ? `alarms when drift is ${expected.comparisonOperator} ${expected.threshold}` : 'has no drift alarm'} when driftAlarm is ${driftAlarm} (${reason})`, async () => {
        const { resources: rs } = await loadProgram({ driftAlarm });
        const drift = ofType(rs, ALARM).filter((a) => a.name.endsWith('-drift'));

        if (!expected) {
          expect(drift).to.deep.equal([]);
          return;
        }
        expect(drift).to.have.length(1);
        const inputs = drift[0]!.inputs;
        expect(inputs).to.deep.include({ ...expected, evaluationPeriods: 1, treatMissingData: 'notBreaching' });
        expect(queryMetrics(inputs).map((m) => `${m.namespace} ${m.metricName} ${m.stat} ${m.period} ${JSON.stringify(m.dimensions)}`)).to.deep.equal(
          ['DriftMissingInStore', 'DriftModified', 'DriftDeletedLive', 'DriftExpectedDeletions'].map((name) => `SchedulerObserver ${name} Sum 300 ${JSON.stringify(SERVICE)}`),
        );
        expect(expression(inputs)).to.deep.equal([
          { expression: 'FILL(missingInStore, 0) + FILL(modified, 0) + FILL(deletedLive, 0) - FILL(expectedDeletions, 0)', returnData: true },
        ]);
      });
    }
  });

  describe('the staleness window, per reconcileSchedule', () => {
    const cases: { reason: string; reconcileSchedule: string; window: number; period: number; evaluationPeriods: number }[] = [
      { reason: 'two 30-minute timer periods', reconcileSchedule: 'rate(30 minutes)', window: 3600, period: 1800, evaluationPeriods: 2 },
      { reason: 'two hourly timer periods', reconcileSchedule: 'rate(1 hour)', window: 7200, period: 3600, evaluationPeriods: 2 },
      { reason: 'a cron has no single period: 24 h', reconcileSchedule: 'cron(0 2 * * ? *)', window: 86400, period: 43200, evaluationPeriods: 2 },
      { reason: 'two days, as two daily periods', reconcileSchedule: 'rate(1 day)', window: 172800, period: 86400, evaluationPeriods: 2 },
      { reason: 'above a day, whole-day periods', reconcileSchedule: 'rate(3 days)', window: 518400, period: 86400, evaluationPeriods: 6 },
      { reason: 'CloudWatch’s 7-day maximum alarm range', reconcileSchedule: 'rate(5 days)', window: 604800, period: 86400, evaluationPeriods: 7 },
    ];
    for (const { reason, reconcileSchedule, window, period, evaluationPeriods } of cases) {
      it(`waits ${window / 3600} h for a successful run when reconcileSchedule is ${reconcileSchedule} (${reason})`, async () => {
        const { resources: rs } = await loadProgram({ reconcileSchedule });
        const inputs = alarm(rs, 'reconcile-stale');

        expect(stalenessWindow(reconcileSchedule).windowSeconds).to.equal(window);
        expect(inputs).to.deep.include({ period, evaluationPeriods, datapointsToAlarm: evaluationPeriods, treatMissingData: 'breaching' });
        expect(inputs.period * inputs.evaluationPeriods).to.equal(window);
        expect(inputs.alarmDescription).to.include(reconcileSchedule);
      });
    }

    it('keeps the staleness alarm but silences its actions when the timer is disabled', async () => {
      const { resources: rs } = await loadProgram({ reconcileEnabled: 'false' });

      expect(alarm(rs, 'reconcile-stale').actionsEnabled).to.equal(false);
      expect(alarm(rs, 'dlq-messages').actionsEnabled).to.equal(true);
    });
  });

  describe('dashboard', () => {
    it('deploys the dashboard body for this stack’s queue, DLQ, monitor, state machine and namespace', () => {
      const { inputs } = oneOfType(resources(), 'aws:cloudwatch/dashboard:Dashboard');
      const body = JSON.parse(inputs.dashboardBody);
      const lines = body.widgets.flatMap((w: any) => w.properties.metrics ?? []).map((m: string[]) => m.slice(0, 4).join(' '));

      expect(inputs.dashboardName).to.equal('scheduler-observer-dev');
      expect(lines).to.include.members([
        'AWS/SQS ApproximateNumberOfMessagesVisible QueueName scheduler-observer-queue',
        'AWS/SQS ApproximateNumberOfMessagesVisible QueueName scheduler-observer-dlq',
        'AWS/Lambda Errors FunctionName scheduler-observer-monitor-dev',
        `AWS/States ExecutionsFailed StateMachineArn ${STATE_MACHINE_ARN}`,
        'Platform/Observer EventsApplied service scheduler-observer',
      ]);
      expect(body.widgets.filter((w: any) => w.type === 'metric').every((w: any) => w.properties.region === 'us-east-1')).to.equal(true);
    });
  });

  describe('metrics namespace', () => {
    it('gives every function that emits metrics the configured namespace and the service the alarms read', () => {
      const functions = ofType(resources(), 'aws:lambda/function:Function');
      expect(functions).to.have.length(5);

      for (const { name, inputs } of functions) {
        expect(inputs.environment.variables, name).to.include({ POWERTOOLS_METRICS_NAMESPACE: 'Platform/Observer', POWERTOOLS_SERVICE_NAME: 'scheduler-observer' });
      }
    });
  });

  describe('tracing and logs', () => {
    for (const config of [{}, { createTrail: 'true', demoSeed: 'true' }] as Record<string, string>[]) {
      it(`traces every Lambda actively and gives each a log group with retention when ${JSON.stringify(config)}`, async () => {
        const { resources: rs } = await loadProgram({ ...config, logRetentionDays: '14' });
        const logGroups = new Map(ofType(rs, 'aws:cloudwatch/logGroup:LogGroup').map((g) => [g.inputs.name, g.inputs.retentionInDays]));

        for (const { name, inputs } of ofType(rs, 'aws:lambda/function:Function')) {
          expect(inputs.tracingConfig, name).to.deep.equal({ mode: 'Active' });
          expect(logGroups.get(inputs.loggingConfig.logGroup), name).to.equal(14);
        }
      });
    }

    it('traces the state machine with X-Ray', () => {
      expect(oneOfType(resources(), 'aws:sfn/stateMachine:StateMachine').inputs.tracingConfiguration).to.deep.equal({ enabled: true });
    });
  });

  describe('tags', () => {
    /** Whether @pulumi/aws declares a `tags` input for a type token such as aws:sqs/queue:Queue (its XxxArgs). */
    const taggable = new Map<string, boolean>();
    function acceptsTags(type: string): boolean {
      if (!taggable.has(type)) {
        const [, module, file, className] = /^aws:([^/]+)\/([^:]+):(\w+)$/.exec(type) ?? [];
        if (!module) throw new Error(`not an aws resource type: ${type}`);
        const dts = readFileSync(path.join(path.dirname(require.resolve('@pulumi/aws/package.json')), module, `${file}.d.ts`), 'utf8');
        const args = new RegExp(`export interface ${className}Args \\{([\\s\\S]*?)\\n\\}`).exec(dts);
        if (!args) throw new Error(`no ${className}Args in @pulumi/aws ${module}/${file}.d.ts`);
        taggable.set(type, /\n\s+tags\?:/.test(args[1]!));
      }
      return taggable.get(type)!;
    }
    const awsResources = (rs: readonly CreatedResource[]) => rs.filter((r) => r.custom && r.type.startsWith('aws:'));
    const everyOption = { createTrail: 'true', demoSeed: 'true', alertEmail: 'ops@example.com', tags: '{"team":"platform","cost-center":"cc-1234"}' };

    it('tags every resource whose type takes tags with app, stack and the user’s tags when every option is on', async () => {
      const { resources: rs } = await loadProgram(everyOption);
      const tagged = awsResources(rs).filter((r) => acceptsTags(r.type));

      expect(tagged.length).to.be.above(30);
      for (const { type, name, inputs } of tagged) {
        expect(inputs.tags, `${type} ${name}`).to.deep.equal({ app: 'scheduler-observer', stack: 'dev', team: 'platform', 'cost-center': 'cc-1234' });
      }
    });

    it('adds no tags to resources whose type takes none (policies, the schedule, the dashboard...)', async () => {
      const { resources: rs } = await loadProgram(everyOption);
      const untaggable = awsResources(rs).filter((r) => !acceptsTags(r.type));

      expect(new Set(untaggable.map((r) => r.type))).to.include.keys('aws:iam/rolePolicy:RolePolicy', 'aws:cloudwatch/dashboard:Dashboard', 'aws:scheduler/schedule:Schedule');
      for (const { type, name, inputs } of untaggable) expect(inputs.tags, `${type} ${name}`).to.equal(undefined);
    });

    it('tags with app and stack alone when no user tags are set', () => {
      for (const r of awsResources(resources()).filter((x) => acceptsTags(x.type))) {
        expect(r.inputs.tags, r.name).to.deep.equal({ app: 'scheduler-observer', stack: 'dev' });
      }
    });
  });

  describe('outputs', () => {
    it('exports what a user needs after pulumi up: table, queue and DLQ URLs, state machine and its executions, dashboard, report bucket, alert topic', async () => {
      const { outputs } = program;
      const expected: Record<string, string | RegExp> = {
        tableName: 'scheduler-observer-table',
        queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/scheduler-observer-queue',
        dlqUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/scheduler-observer-dlq',
        stateMachineArn: STATE_MACHINE_ARN,
        executionsConsoleUrl: /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/states\/home\?region=us-east-1#\/statemachines\/view\//,
        dashboardUrl: 'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/scheduler-observer-dev',
        reportBucketName: 'scheduler-observer-reconciler-reports',
        alertTopicArn: TOPIC_ARN,
      };
      for (const [key, value] of Object.entries(expected)) {
        const actual = await outputOf(outputs[key] as string);
        if (value instanceof RegExp) expect(actual, key).to.match(value);
        else expect(actual, key).to.equal(value);
      }
    });
  });
});
