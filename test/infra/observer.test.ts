import { expect } from 'chai';
import { SCHEDULER_EVENT_PATTERN } from '../../infra/event-pattern';
import { monitorPolicy, queuePolicy, tlsOnlyBucketStatement } from '../../infra/policies';
import { loadProgram, oneOfType, ofType, outputOf, type CreatedResource } from '../support/pulumi-mocks';

const QUEUE = 'aws:sqs/queue:Queue';
const ARN = (service: string, resource: string) => `arn:aws:${service}:us-east-1:123456789012:${resource}`;
const QUEUE_ARN = ARN('sqs', 'scheduler-observer-queue');
const DLQ_ARN = ARN('sqs', 'scheduler-observer-dlq');
const RULE_ARN = ARN('events', 'rule/scheduler-observer-rule');

const tuned = {
  monitorBatchSize: '100',
  monitorBatchWindowSeconds: '20',
  monitorMaxConcurrency: '7',
  monitorGetScheduleRate: '70',
  monitorTimeoutSeconds: '45',
  logRetentionDays: '90',
  tombstoneTtlDays: '60',
  logLevel: 'DEBUG',
};

describe('Observer', () => {
  let resources: CreatedResource[];
  before(async () => {
    ({ resources } = await loadProgram(tuned));
  });
  const queue = () => oneOfType(resources, QUEUE, '-observer-queue').inputs;
  const dlq = () => oneOfType(resources, QUEUE, '-observer-dlq').inputs;

  describe('queues', () => {
    it('encrypts both queues with SQS-managed SSE', () => {
      expect(queue().sqsManagedSseEnabled).to.equal(true);
      expect(dlq().sqsManagedSseEnabled).to.equal(true);
    });

    it('moves a message to the DLQ after 3 receives', () => {
      expect(JSON.parse(queue().redrivePolicy)).to.deep.equal({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 3 });
    });

    it('keeps DLQ messages for 14 days, the SQS maximum', () => {
      expect(dlq().messageRetentionSeconds).to.equal(14 * 24 * 60 * 60);
    });

    it('sets the visibility timeout to 6 × the monitor timeout when monitorTimeoutSeconds is 45', () => {
      expect(queue().visibilityTimeoutSeconds).to.equal(6 * 45);
    });

    it('lets only the observer queue redrive into the DLQ', () => {
      const { inputs } = oneOfType(resources, 'aws:sqs/redriveAllowPolicy:RedriveAllowPolicy');

      expect(inputs.queueUrl).to.equal('https://sqs.us-east-1.amazonaws.com/123456789012/scheduler-observer-dlq');
      expect(JSON.parse(inputs.redriveAllowPolicy)).to.deep.equal({ redrivePermission: 'byQueue', sourceQueueArns: [QUEUE_ARN] });
    });

    it('admits only EventBridge for the observer rule (aws:SourceArn) on the queue and on the DLQ', () => {
      const policies = ofType(resources, 'aws:sqs/queuePolicy:QueuePolicy');
      const byQueue = Object.fromEntries(policies.map((p) => [p.inputs.queueUrl, JSON.parse(p.inputs.policy)]));

      for (const arn of [QUEUE_ARN, DLQ_ARN]) {
        const url = `https://sqs.us-east-1.amazonaws.com/123456789012/${arn.split(':').pop()}`;
        // queuePolicy's content (events.amazonaws.com, aws:SourceArn) is asserted in policies.test.ts.
        expect(byQueue[url]).to.deep.equal(queuePolicy({ queueArn: arn, ruleArn: RULE_ARN }));
      }
    });
  });

  describe('rule and target', () => {
    it('matches exactly SCHEDULER_EVENT_PATTERN on the default bus', () => {
      const { inputs } = oneOfType(resources, 'aws:cloudwatch/eventRule:EventRule');

      expect(JSON.parse(inputs.eventPattern)).to.deep.equal(SCHEDULER_EVENT_PATTERN);
      expect(inputs.eventBusName).to.equal(undefined);
    });

    it('delivers to the queue, with its own retry policy and the DLQ for undeliverable events', () => {
      const { inputs } = oneOfType(resources, 'aws:cloudwatch/eventTarget:EventTarget');

      expect(inputs.arn).to.equal(QUEUE_ARN);
      expect(inputs.retryPolicy).to.deep.equal({ maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 });
      expect(inputs.deadLetterConfig).to.deep.equal({ arn: DLQ_ARN });
    });
  });

  describe('monitor', () => {
    const fn = () => oneOfType(resources, 'aws:lambda/function:Function', '-observer-monitor-function').inputs;

    it('runs nodejs22.x on arm64 with active tracing and JSON logs in its own log group', () => {
      const inputs = fn();

      expect(inputs.runtime).to.equal('nodejs22.x');
      expect(inputs.architectures).to.deep.equal(['arm64']);
      expect(inputs.handler).to.equal('index.handler');
      expect(inputs.tracingConfig).to.deep.equal({ mode: 'Active' });
      expect(inputs.loggingConfig).to.deep.equal({ logFormat: 'JSON', logGroup: '/aws/lambda/scheduler-observer-monitor-dev' });
      expect(inputs.name).to.equal('scheduler-observer-monitor-dev');
    });

    it('takes its timeout from monitorTimeoutSeconds', () => {
      expect(fn().timeout).to.equal(45);
    });

    it('names its log group after the function, with the configured retention', () => {
      const { inputs } = oneOfType(resources, 'aws:cloudwatch/logGroup:LogGroup', '-observer-monitor-logs');

      expect(inputs).to.deep.include({ name: '/aws/lambda/scheduler-observer-monitor-dev', retentionInDays: 90 });
    });

    it('gets the table, tombstone TTL, GetSchedule rate and concurrency, Powertools names and log level from the environment', () => {
      expect(fn().environment.variables).to.deep.equal({
        NODE_OPTIONS: '--enable-source-maps',
        TABLE_NAME: 'scheduler-observer-table',
        TOMBSTONE_TTL_DAYS: '60',
        // Each environment's share: 70 / 7 = 10 GetSchedule calls per second (functions/adapters/rate-limit.ts).
        GET_SCHEDULE_RATE: '70',
        MAX_CONCURRENCY: '7',
        POWERTOOLS_SERVICE_NAME: 'scheduler-observer',
        POWERTOOLS_METRICS_NAMESPACE: 'SchedulerObserver',
        LOG_LEVEL: 'DEBUG',
        // targetInput hash (the default): the key's secret (infra/input-key.ts).
        TARGET_INPUT: 'hash',
        TARGET_INPUT_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:scheduler-observer-input-key-AbCdEf',
      });
    });

    it('has exactly monitorPolicy as its role policy, over the real ARNs', () => {
      const { inputs } = oneOfType(resources, 'aws:iam/rolePolicy:RolePolicy', '-observer-monitor-policy');

      expect(JSON.parse(inputs.policy)).to.deep.equal(
        monitorPolicy({
          tableArn: ARN('dynamodb', 'table/scheduler-observer-table'),
          queueArn: QUEUE_ARN,
          logGroupArn: ARN('logs', 'log-group:/aws/lambda/scheduler-observer-monitor-dev'),
          schedulerScheduleArnPattern: ARN('scheduler', 'schedule/*/*'),
          schedulerGroupArnPattern: ARN('scheduler', 'schedule-group/*'),
          region: 'us-east-1',
          partition: 'aws',
          accountId: '123456789012',
          scheduleKmsKeyArns: [],
          targetInputKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:scheduler-observer-input-key-AbCdEf',
        }),
      );
    });

    it('reads the queue with partial batch responses and the configured batch, window and concurrency', () => {
      const { inputs } = oneOfType(resources, 'aws:lambda/eventSourceMapping:EventSourceMapping');

      expect(inputs).to.deep.include({
        eventSourceArn: QUEUE_ARN,
        functionName: ARN('lambda', 'function:scheduler-observer-monitor-dev'),
        batchSize: 100,
        maximumBatchingWindowInSeconds: 20,
        functionResponseTypes: ['ReportBatchItemFailures'],
        scalingConfig: { maximumConcurrency: 7 },
      });
    });
  });
});

describe('Observer trail (createTrail)', () => {
  const TRAIL_ARN = ARN('cloudtrail', 'trail/scheduler-observer-trail-dev');
  let resources: CreatedResource[];
  before(async () => {
    ({ resources } = await loadProgram({ createTrail: 'true', trailMultiRegion: 'true' }));
  });
  const bucketName = () => oneOfType(resources, 'aws:s3/bucket:Bucket', '-trail-bucket').name;

  it('blocks all public access to the trail bucket', () => {
    const { inputs } = oneOfType(resources, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', '-trail-bucket-public-access');

    expect(inputs).to.deep.include({ bucket: bucketName(), blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
  });

  it('disables ACLs (BucketOwnerEnforced) and encrypts with SSE-S3 by a separate resource', () => {
    const ownership = oneOfType(resources, 'aws:s3/bucketOwnershipControls:BucketOwnershipControls', '-trail-bucket-ownership').inputs;
    const sse = oneOfType(resources, 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', '-trail-bucket-sse').inputs;

    expect(ownership.rule).to.deep.equal({ objectOwnership: 'BucketOwnerEnforced' });
    expect(sse.rules).to.deep.equal([{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }]);
    expect(oneOfType(resources, 'aws:s3/bucket:Bucket', '-trail-bucket').inputs.serverSideEncryptionConfiguration).to.equal(undefined);
  });

  it('denies non-TLS requests and admits CloudTrail only for this trail (aws:SourceArn)', () => {
    const policy = JSON.parse(oneOfType(resources, 'aws:s3/bucketPolicy:BucketPolicy', '-trail-bucket-policy').inputs.policy);
    const bucketArn = `arn:aws:s3:::${bucketName()}`;

    expect(policy.Statement).to.deep.include(tlsOnlyBucketStatement(bucketArn));
    const cloudTrailStatements = policy.Statement.filter((s: { Effect: string }) => s.Effect === 'Allow');
    expect(cloudTrailStatements).to.have.length(2);
    for (const statement of cloudTrailStatements) expect(statement.Condition.StringEquals['aws:SourceArn']).to.equal(TRAIL_ARN);
  });

  it('creates a write-only management-event trail into that bucket, multi-region when trailMultiRegion is true', () => {
    const { inputs } = oneOfType(resources, 'aws:cloudtrail/trail:Trail');

    expect(inputs).to.deep.include({
      name: 'scheduler-observer-trail-dev',
      s3BucketName: bucketName(),
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
    });
    expect(inputs.eventSelectors).to.deep.equal([{ readWriteType: 'WriteOnly', includeManagementEvents: true }]);
    expect(inputs.cloudWatchLogsGroupArn).to.equal(undefined);
  });

  it('names in the bucket policy the very ARN the trail gets', async () => {
    const { outputs } = await loadProgram({ createTrail: 'true' });

    expect(await outputOf(outputs.trailArn as string)).to.equal(TRAIL_ARN);
  });

  it('is single-region by default', async () => {
    const { resources: defaults } = await loadProgram({ createTrail: 'true' });

    expect(oneOfType(defaults, 'aws:cloudtrail/trail:Trail').inputs.isMultiRegionTrail).to.equal(false);
  });
});
