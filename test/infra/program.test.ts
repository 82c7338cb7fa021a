import { expect } from 'chai';
import * as aws from '@pulumi/aws';
import { errorOf } from '../support/error-of';
import { invokes, loadProgram, outputOf, type CreatedResource } from '../support/pulumi-mocks';

/** Resource counts by type: the program's inventory. */
function inventory(resources: readonly CreatedResource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { type } of resources) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

const CORE = {
  'scheduler-observer:index:StateStore': 1,
  'scheduler-observer:index:Observer': 1,
  'scheduler-observer:index:BundledFunction': 1,
  'aws:dynamodb/table:Table': 1,
  'aws:cloudwatch/eventRule:EventRule': 1,
  'aws:cloudwatch/eventTarget:EventTarget': 1,
  'aws:sqs/queue:Queue': 2,
  'aws:sqs/queuePolicy:QueuePolicy': 2,
  'aws:sqs/redriveAllowPolicy:RedriveAllowPolicy': 1,
  'aws:iam/role:Role': 1,
  'aws:iam/rolePolicy:RolePolicy': 1,
  'aws:cloudwatch/logGroup:LogGroup': 1,
  'aws:lambda/function:Function': 1,
  'aws:lambda/eventSourceMapping:EventSourceMapping': 1,
};

const RECONCILER = {
  'scheduler-observer:index:Reconciler': 1,
  'scheduler-observer:index:BundledFunction': 3,
  'aws:s3/bucket:Bucket': 1,
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration': 1,
  'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock': 1,
  'aws:s3/bucketOwnershipControls:BucketOwnershipControls': 1,
  'aws:s3/bucketPolicy:BucketPolicy': 1,
  'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration': 1,
  'aws:kms/key:Key': 1,
  'aws:sns/topic:Topic': 1,
  // Three function roles, the state machine's and the timer's.
  'aws:iam/role:Role': 5,
  'aws:iam/rolePolicy:RolePolicy': 5,
  // Three function log groups and the state machine's.
  'aws:cloudwatch/logGroup:LogGroup': 4,
  'aws:lambda/function:Function': 3,
  'aws:sfn/stateMachine:StateMachine': 1,
  'aws:scheduler/scheduleGroup:ScheduleGroup': 1,
  'aws:scheduler/schedule:Schedule': 1,
};

const MONITORING = {
  'scheduler-observer:index:Monitoring': 1,
  'aws:cloudwatch/dashboard:Dashboard': 1,
  // DLQ messages, queue age, monitor errors, reconciler failed, drift (driftAlarm any by default), reconcile stale.
  'aws:cloudwatch/metricAlarm:MetricAlarm': 6,
};

const NO_DRIFT_ALARM = { 'aws:cloudwatch/metricAlarm:MetricAlarm': -1 };

/** heartbeatMinutes 5 (the default): the canary's group, schedule, function (role, policy, logs), invoke role and alarm. */
const HEARTBEAT = {
  'scheduler-observer:index:Heartbeat': 1,
  'scheduler-observer:index:BundledFunction': 1,
  'aws:scheduler/scheduleGroup:ScheduleGroup': 1,
  'aws:scheduler/schedule:Schedule': 1,
  'aws:iam/role:Role': 2,
  'aws:iam/rolePolicy:RolePolicy': 2,
  'aws:cloudwatch/logGroup:LogGroup': 1,
  'aws:lambda/function:Function': 1,
  'aws:cloudwatch/metricAlarm:MetricAlarm': 1,
};
const NO_HEARTBEAT = Object.fromEntries(Object.entries(HEARTBEAT).map(([type, n]) => [type, -n]));

/** targetInput hash (the default): the key's secret and its one value. */
const INPUT_KEY = { 'aws:secretsmanager/secret:Secret': 1, 'aws:secretsmanager/secretVersion:SecretVersion': 1 };
const NO_INPUT_KEY = { 'aws:secretsmanager/secret:Secret': -1, 'aws:secretsmanager/secretVersion:SecretVersion': -1 };

const ALERT_EMAIL = { 'aws:sns/topicSubscription:TopicSubscription': 1 };

const TRAIL = {
  'aws:cloudtrail:x:Trail': 1,
  'aws:cloudtrail/trail:Trail': 1,
  'aws:s3/bucket:Bucket': 1,
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration': 1,
  'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock': 1,
  'aws:s3/bucketOwnershipControls:BucketOwnershipControls': 1,
  'aws:s3/bucketPolicy:BucketPolicy': 1,
};

const DEMO = {
  'scheduler-observer:index:DemoSeed': 1,
  'scheduler-observer:index:BundledFunction': 1,
  'aws:sqs/queue:Queue': 1,
  'aws:iam/role:Role': 2,
  'aws:iam/rolePolicy:RolePolicy': 2,
  'aws:cloudwatch/logGroup:LogGroup': 1,
  'aws:lambda/function:Function': 1,
  'aws:lambda/invocation:Invocation': 1,
};

function plus(...parts: Record<string, number>[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const part of parts) for (const [type, n] of Object.entries(part)) sum[type] = (sum[type] ?? 0) + n;
  for (const [type, n] of Object.entries(sum)) if (n === 0) delete sum[type];
  return sum;
}

describe('the program (index.ts)', () => {
  const cases: { reason: string; config: Record<string, string>; expected: Record<string, number> }[] = [
    { reason: 'defaults: an existing trail is assumed and no demo data', config: {}, expected: plus(CORE, RECONCILER, MONITORING, INPUT_KEY, HEARTBEAT) },
    { reason: 'createTrail adds the trail and its hardened bucket', config: { createTrail: 'true' }, expected: plus(CORE, RECONCILER, MONITORING, INPUT_KEY, HEARTBEAT, TRAIL) },
    { reason: 'demoSeed adds the seed function, its target queue and its roles', config: { demoSeed: 'true' }, expected: plus(CORE, RECONCILER, MONITORING, INPUT_KEY, HEARTBEAT, DEMO) },
    { reason: 'both together', config: { createTrail: 'true', demoSeed: 'true' }, expected: plus(CORE, RECONCILER, MONITORING, INPUT_KEY, HEARTBEAT, TRAIL, DEMO) },
    { reason: 'alertEmail adds the email subscription', config: { alertEmail: 'ops@example.com' }, expected: plus(CORE, RECONCILER, MONITORING, INPUT_KEY, HEARTBEAT, ALERT_EMAIL) },
    { reason: 'driftAlarm off drops the drift alarm', config: { driftAlarm: 'off' }, expected: plus(CORE, RECONCILER, MONITORING, INPUT_KEY, HEARTBEAT, NO_DRIFT_ALARM) },
    { reason: 'targetInput full needs no key', config: { targetInput: 'full' }, expected: plus(CORE, RECONCILER, MONITORING, INPUT_KEY, HEARTBEAT, NO_INPUT_KEY) },
    { reason: 'heartbeatMinutes 0 turns the heartbeat and its alarm off', config: { heartbeatMinutes: '0' }, expected: plus(CORE, RECONCILER, MONITORING, INPUT_KEY, HEARTBEAT, NO_HEARTBEAT) },
  ];
  for (const { reason, config, expected } of cases) {
    it(`creates exactly the expected resources when ${JSON.stringify(config)} (${reason})`, async () => {
      const { resources } = await loadProgram(config);

      expect(inventory(resources)).to.deep.equal(expected);
    });
  }

  it('exports the store, queue, DLQ, rule and monitor, and no trail or demo group by default', async () => {
    const { outputs } = await loadProgram();

    expect(await outputOf(outputs.tableName as string)).to.equal('scheduler-observer-table');
    expect(await outputOf(outputs.tableArn as string)).to.match(/^arn:aws:dynamodb:us-east-1:123456789012:table\//);
    expect(await outputOf(outputs.queueUrl as string)).to.equal('https://sqs.us-east-1.amazonaws.com/123456789012/scheduler-observer-queue');
    expect(await outputOf(outputs.dlqUrl as string)).to.equal('https://sqs.us-east-1.amazonaws.com/123456789012/scheduler-observer-dlq');
    expect(await outputOf(outputs.ruleArn as string)).to.match(/^arn:aws:events:us-east-1:123456789012:rule\//);
    expect(await outputOf(outputs.monitorFunctionName as string)).to.equal('scheduler-observer-monitor-dev');
    expect(outputs.trailArn).to.equal(undefined);
    expect(outputs.demoGroup).to.equal(undefined);
  });

  it('exports the reconciler’s state machine, console URL, report bucket, latest report URI, topic and key', async () => {
    const { outputs } = await loadProgram();
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:scheduler-observer-reconciler-state-machine';

    expect(await outputOf(outputs.stateMachineArn as string)).to.equal(arn);
    expect(await outputOf(outputs.executionsConsoleUrl as string)).to.equal(
      'https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/statemachines/view/' +
        'arn%3Aaws%3Astates%3Aus-east-1%3A123456789012%3AstateMachine%3Ascheduler-observer-reconciler-state-machine',
    );
    expect(await outputOf(outputs.reportBucketName as string)).to.equal('scheduler-observer-reconciler-reports');
    expect(await outputOf(outputs.latestReportUri as string)).to.equal('s3://scheduler-observer-reconciler-reports/reports/latest.json');
    expect(await outputOf(outputs.alertTopicArn as string)).to.equal('arn:aws:sns:us-east-1:123456789012:scheduler-observer-reconciler-alerts');
    expect(await outputOf(outputs.alertKeyArn as string)).to.match(/^arn:aws:kms:us-east-1:123456789012:key\//);
  });

  it('exports the trail ARN and the demo group when both are on', async () => {
    const { outputs } = await loadProgram({ createTrail: 'true', demoSeed: 'true' });

    expect(await outputOf(outputs.trailArn as string)).to.equal('arn:aws:cloudtrail:us-east-1:123456789012:trail/scheduler-observer-trail-dev');
    expect(outputs.demoGroup).to.equal('scheduler-observer-demo');
  });

  it('fails before creating anything when a config value is invalid', async () => {
    const error = await errorOf(loadProgram({ logRetentionDays: '2' }));

    expect(error).to.have.property('name', 'ConfigError');
    expect(String(error)).to.include('scheduler-observer:logRetentionDays = "2"');
  });

  it('fails on a misspelt config key instead of using the default', async () => {
    const error = await errorOf(loadProgram({ createTrial: 'true' }));

    expect(String(error)).to.include('scheduler-observer:createTrial is not a known key');
  });

  it('calls only the caller-identity, region, partition and random-password invokes, and the mocks refuse any other', async () => {
    await loadProgram({ createTrail: 'true', demoSeed: 'true' });

    expect([...new Set(invokes)]).to.have.members([
      'aws:index/getCallerIdentity:getCallerIdentity',
      'aws:index/getRegion:getRegion',
      'aws:index/getPartition:getPartition',
      'aws:secretsmanager/getRandomPassword:getRandomPassword',
    ]);
    expect(String(await errorOf(aws.getAvailabilityZones()))).to.include('unmocked invoke aws:index/getAvailabilityZones:getAvailabilityZones');
  });
});

describe('forceDestroyBuckets', function () {
  this.timeout(60_000);
  const buckets = (resources: readonly CreatedResource[]) =>
    resources.filter((r) => r.type === 'aws:s3/bucket:Bucket').map((r) => [r.name, r.inputs.forceDestroy] as const);

  it('keeps every bucket from being emptied by pulumi destroy by default (reports and audit logs are not deleted by surprise)', async () => {
    const { resources } = await loadProgram({ createTrail: 'true' });
    expect(buckets(resources)).to.have.length(2);
    for (const [name, forceDestroy] of buckets(resources)) expect(forceDestroy, name).to.equal(false);
  });

  it('lets pulumi destroy empty and delete the report and trail buckets when it is true', async () => {
    const { resources } = await loadProgram({ createTrail: 'true', forceDestroyBuckets: 'true' });
    expect(buckets(resources)).to.have.length(2);
    for (const [name, forceDestroy] of buckets(resources)) expect(forceDestroy, name).to.equal(true);
  });
});
