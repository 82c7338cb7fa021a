/**
 * The event path of DESIGN.md: (optional trail) → default bus rule → SQS queue (+ DLQ) → monitor Lambda → store.
 */
import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';
import * as pulumi from '@pulumi/pulumi';
import { physicalName } from './physical-names';
import { accountScope } from './account-scope';
import type { ObserverConfig } from './config';
import { SCHEDULER_EVENT_PATTERN } from './event-pattern';
import { hardenedBucket } from './hardened-bucket';
import { BundledFunction } from './lambda-function';
import { DLQ_RETENTION_SECONDS, MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT } from './queue-settings';
import { monitorPolicy, queuePolicy, schedulerArn, trailBucketPolicy, type AccountScope } from './policies';
import type { StateTableRef } from './state-store';

export type ObserverSettings = Pick<
  ObserverConfig,
  | 'createTrail'
  | 'trailMultiRegion'
  | 'forceDestroyBuckets'
  | 'scheduleKmsKeyArns'
  | 'tombstoneTtlDays'
  | 'logRetentionDays'
  | 'logLevel'
  | 'monitorBatchSize'
  | 'monitorBatchWindowSeconds'
  | 'monitorMaxConcurrency'
  | 'monitorGetScheduleRate'
  | 'monitorTimeoutSeconds'
  | 'metricsNamespace'
>;

export interface ObserverArgs extends ObserverSettings, StateTableRef {}

export class Observer extends pulumi.ComponentResource {
  readonly queueUrl: pulumi.Output<string>;
  readonly queueName: pulumi.Output<string>;
  readonly queueArn: pulumi.Output<string>;
  readonly dlqUrl: pulumi.Output<string>;
  readonly dlqName: pulumi.Output<string>;
  readonly dlqArn: pulumi.Output<string>;
  readonly ruleArn: pulumi.Output<string>;
  readonly monitorFunctionName: pulumi.Output<string>;
  readonly trailArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: ObserverArgs, opts?: pulumi.ComponentResourceOptions) {
    super('scheduler-observer:index:Observer', name, {}, opts);
    const parent = { parent: this };
    const scope = accountScope(this);

    this.trailArn = args.createTrail ? auditTrail(`${name}-trail`, args.trailMultiRegion, args.forceDestroyBuckets, scope, this) : undefined;

    // Scheduler API calls reach this region's default bus only (a multi-region trail does not forward them here).
    const rule = new aws.cloudwatch.EventRule(
      `${name}-rule`,
      {
        description: 'EventBridge Scheduler changes, as CloudTrail records them, for scheduler-observer',
        eventPattern: JSON.stringify(SCHEDULER_EVENT_PATTERN),
      },
      parent,
    );

    const dlq = new aws.sqs.Queue(
      `${name}-dlq`,
      { sqsManagedSseEnabled: true, messageRetentionSeconds: DLQ_RETENTION_SECONDS },
      parent,
    );
    const queue = new aws.sqs.Queue(
      `${name}-queue`,
      {
        sqsManagedSseEnabled: true,
        visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT * args.monitorTimeoutSeconds,
        redrivePolicy: dlq.arn.apply((deadLetterTargetArn) =>
          JSON.stringify({ deadLetterTargetArn, maxReceiveCount: MAX_RECEIVE_COUNT }),
        ),
      },
      parent,
    );
    // A separate resource: inline on the DLQ it would need the queue's ARN, which needs the DLQ's.
    new aws.sqs.RedriveAllowPolicy(
      `${name}-dlq-redrive-allow`,
      {
        queueUrl: dlq.url,
        redriveAllowPolicy: queue.arn.apply((arn) =>
          JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [arn] }),
        ),
      },
      parent,
    );

    // The DLQ also receives what the rule itself fails to deliver (its deadLetterConfig), so it admits the rule too.
    const queuePolicies = [
      { suffix: 'queue-policy', target: queue },
      { suffix: 'dlq-policy', target: dlq },
    ].map(
      ({ suffix, target }) =>
        new aws.sqs.QueuePolicy(
          `${name}-${suffix}`,
          {
            queueUrl: target.url,
            policy: pulumi
              .all([target.arn, rule.arn])
              .apply(([queueArn, ruleArn]) => JSON.stringify(queuePolicy({ queueArn, ruleArn }))),
          },
          parent,
        ),
    );

    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      {
        rule: rule.name,
        arn: queue.arn,
        // EventBridge's own maximum retry window. An event lost anyway delays the truth until the reconciler runs:
        // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html
        retryPolicy: { maximumEventAgeInSeconds: 24 * 60 * 60, maximumRetryAttempts: 185 },
        deadLetterConfig: { arn: dlq.arn },
      },
      { parent: this, dependsOn: queuePolicies },
    );

    const monitor = new BundledFunction(
      `${name}-monitor`,
      {
        entry: 'functions/handlers/monitor.ts',
        timeoutSeconds: args.monitorTimeoutSeconds,
        logRetentionDays: args.logRetentionDays,
        environment: {
          TABLE_NAME: args.tableName,
          TOMBSTONE_TTL_DAYS: String(args.tombstoneTtlDays),
          // Each environment takes GET_SCHEDULE_RATE / MAX_CONCURRENCY GetSchedule calls per second (rate-limit.ts).
          GET_SCHEDULE_RATE: String(args.monitorGetScheduleRate),
          MAX_CONCURRENCY: String(args.monitorMaxConcurrency),
          POWERTOOLS_SERVICE_NAME: 'scheduler-observer',
          POWERTOOLS_METRICS_NAMESPACE: args.metricsNamespace,
          LOG_LEVEL: args.logLevel,
          TARGET_INPUT: args.targetInput,
          ...(args.targetInputKeySecretArn === undefined ? {} : { TARGET_INPUT_KEY_SECRET_ARN: args.targetInputKeySecretArn }),
        },
        policy: (logGroupArn) =>
          pulumi.all([args.tableArn, queue.arn, logGroupArn, scope, args.targetInputKeySecretArn]).apply(([tableArn, queueArn, logGroup, s, keySecretArn]) =>
            monitorPolicy({
              tableArn,
              queueArn,
              logGroupArn: logGroup,
              schedulerScheduleArnPattern: schedulerArn(s, 'schedule/*/*'),
              schedulerGroupArnPattern: schedulerArn(s, 'schedule-group/*'),
              region: s.region,
              partition: s.partition,
              accountId: s.accountId,
              scheduleKmsKeyArns: args.scheduleKmsKeyArns,
              ...(keySecretArn === undefined ? {} : { targetInputKeySecretArn: keySecretArn }),
              ...(args.tableKmsKeyArn === undefined ? {} : { tableKmsKeyArn: args.tableKmsKeyArn }),
            }),
          ),
      },
      parent,
    );

    new aws.lambda.EventSourceMapping(
      `${name}-monitor-source`,
      {
        eventSourceArn: queue.arn,
        functionName: monitor.functionArn,
        batchSize: args.monitorBatchSize,
        maximumBatchingWindowInSeconds: args.monitorBatchWindowSeconds,
        // A poison message fails alone and reaches the DLQ; the rest of its batch still commits.
        functionResponseTypes: ['ReportBatchItemFailures'],
        scalingConfig: { maximumConcurrency: args.monitorMaxConcurrency },
      },
      parent,
    );

    this.queueUrl = queue.url;
    this.queueName = queue.name;
    this.queueArn = queue.arn;
    this.dlqUrl = dlq.url;
    this.dlqName = dlq.name;
    this.dlqArn = dlq.arn;
    this.ruleArn = rule.arn;
    this.monitorFunctionName = monitor.functionName;
    this.registerOutputs({
      queueUrl: this.queueUrl,
      dlqUrl: this.dlqUrl,
      ruleArn: this.ruleArn,
      monitorFunctionName: this.monitorFunctionName,
      trailArn: this.trailArn,
    });
  }
}

/**
 * A write-only management-event trail into its own hardened bucket. Returns the trail's ARN.
 *
 * awsx.classic.cloudtrail.Trail is used because it takes an existing bucket (`s3BucketName`) and then adds
 * nothing we do not want (no bucket, no log group unless asked). Its own bucket, when it makes one, has neither
 * encryption settings, a public access block, TLS-only nor aws:SourceArn, so we never let it make one. The newer
 * awsx.cloudtrail.Trail is a remote (multi-language) component: its children are invisible to unit tests, and
 * it needs the awsx provider plugin at deploy time.
 */
function auditTrail(
  name: string,
  multiRegion: boolean,
  forceDestroy: boolean,
  scope: pulumi.Output<AccountScope>,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const opts = { parent };
  // The bucket policy names the trail's ARN before the trail exists (CloudTrail checks the policy on create),
  // so the trail gets a fixed name. Trail names: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
  const trailName = physicalName('trail', name, pulumi.getStack());
  const trailArn = scope.apply((s) => `arn:${s.partition}:cloudtrail:${s.region}:${s.accountId}:trail/${trailName}`);

  const { policy: bucketPolicy } = hardenedBucket(
    `${name}-bucket`,
    {
      policy: (bucketArn) =>
        pulumi.all([trailArn, scope]).apply(([arn, s]) => trailBucketPolicy({ bucketArn, trailArn: arn, accountId: s.accountId })),
      forceDestroy,
    },
    parent,
  );

  const trail = new awsx.classic.cloudtrail.Trail(
    name,
    {
      name: trailName,
      // The policy's own `bucket` output, so that the trail waits for the policy, not only for the bucket.
      s3BucketName: bucketPolicy.bucket,
      isMultiRegionTrail: multiRegion,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      // Scheduler changes are management write events; reads would only add cost.
      eventSelectors: [{ readWriteType: 'WriteOnly', includeManagementEvents: true }],
    },
    opts,
  );
  return trail.trail.arn;
}
