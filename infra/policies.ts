/**
 * IAM policy documents as pure functions over plain strings (STYLE.md §3): exact actions, exact resource ARNs,
 * unit-tested without Pulumi. Components resolve their Outputs with `pulumi.all(...).apply(...)` and call these.
 */
import type * as aws from '@pulumi/aws';

type OneOrMore = string | string[];

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { Service: string } | { AWS: string };
  Action: OneOrMore;
  Resource?: OneOrMore;
  Condition?: Record<string, Record<string, OneOrMore>>;
}

/** A plain (already resolved) aws.iam.PolicyDocument, so that tests can read it without Outputs. */
export interface PolicyDocument extends aws.iam.PolicyDocument {
  Version: '2012-10-17';
  Statement: Statement[];
}

export interface AccountScope {
  partition: string;
  region: string;
  accountId: string;
}

function document(...statements: Statement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** `arn:<partition>:scheduler:<region>:<account>:<resource>`, e.g. resource `schedule/*\/*` or `schedule-group/x`. */
export function schedulerArn(scope: AccountScope, resource: string): string {
  return `arn:${scope.partition}:scheduler:${scope.region}:${scope.accountId}:${resource}`;
}

function assumeRolePolicy(service: string, condition?: Statement['Condition']): PolicyDocument {
  return document({
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sts:AssumeRole',
    ...(condition ? { Condition: condition } : {}),
  });
}

export function lambdaAssumeRolePolicy(): PolicyDocument {
  return assumeRolePolicy('lambda.amazonaws.com');
}

/** Scheduler assumes the role only on behalf of schedules in this account (confused-deputy guard):
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html */
export function schedulerAssumeRolePolicy(accountId: string): PolicyDocument {
  return assumeRolePolicy('scheduler.amazonaws.com', { StringEquals: { 'aws:SourceAccount': accountId } });
}

/** What every function needs to write its own logs and traces. */
export function lambdaTelemetryStatements(logGroupArn: string): Statement[] {
  return [
    {
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      // The log group's streams; the provider's `arn` attribute has no trailing `:*`.
      Resource: `${logGroupArn}:*`,
    },
    {
      Sid: 'WriteTraces',
      Effect: 'Allow',
      Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      // X-Ray's write actions support no resource-level permissions (no resource type listed):
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
      Resource: '*',
    },
  ];
}

export interface MonitorPolicyArgs {
  tableArn: string;
  queueArn: string;
  logGroupArn: string;
  /** `arn:aws:scheduler:<region>:<account>:schedule/*\/*`: the monitor reads the truth of any schedule. */
  schedulerScheduleArnPattern: string;
}

export function monitorPolicy(args: MonitorPolicyArgs): PolicyDocument {
  return document(
    {
      Sid: 'ReadWriteStateStore',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      // The base table only: tombstoning a deleted group queries its partition, not the byTarget index.
      Resource: args.tableArn,
    },
    {
      Sid: 'ConsumeChangeQueue',
      Effect: 'Allow',
      // What the SQS event source mapping needs from the execution role:
      // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-permissions
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
      Resource: args.queueArn,
    },
    {
      Sid: 'ReadScheduleTruth',
      Effect: 'Allow',
      Action: 'scheduler:GetSchedule',
      Resource: args.schedulerScheduleArnPattern,
    },
    ...lambdaTelemetryStatements(args.logGroupArn),
  );
}

/** EventBridge may send to the queue only for this rule (confused-deputy guard):
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions */
export function queuePolicy(args: { queueArn: string; ruleArn: string }): PolicyDocument {
  return document({
    Sid: 'AllowObserverRuleOnly',
    Effect: 'Allow',
    Principal: { Service: 'events.amazonaws.com' },
    Action: 'sqs:SendMessage',
    Resource: args.queueArn,
    Condition: { ArnEquals: { 'aws:SourceArn': args.ruleArn } },
  });
}

/**
 * Refuses every request over plain HTTP:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
 * The one wildcard action in this project, and only in a Deny: a Deny has to cover every S3 action,
 * including ones added later, or they would stay reachable without TLS. It grants nothing.
 */
export function tlsOnlyBucketStatement(bucketArn: string): Statement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/**
 * CloudTrail's delivery permissions, scoped to this one trail with aws:SourceArn:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 */
export function trailBucketPolicy(args: { bucketArn: string; trailArn: string; accountId: string }): PolicyDocument {
  const fromThisTrail = { 'aws:SourceArn': args.trailArn };
  return document(
    {
      Sid: 'AWSCloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: args.bucketArn,
      Condition: { StringEquals: fromThisTrail },
    },
    {
      Sid: 'AWSCloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${args.bucketArn}/AWSLogs/${args.accountId}/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...fromThisTrail } },
    },
    tlsOnlyBucketStatement(args.bucketArn),
  );
}

/** What a schedule's execution role needs to deliver to an SQS target. */
export function queueSendPolicy(queueArn: string): PolicyDocument {
  return document({ Sid: 'SendToTargetQueue', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queueArn });
}

export interface DemoSeedPolicyArgs extends AccountScope {
  groupName: string;
  schedulerRoleArn: string;
  logGroupArn: string;
}

/** The demo seed writes schedules in its own group only, and passes only the demo role, only to Scheduler. */
export function demoSeedPolicy(args: DemoSeedPolicyArgs): PolicyDocument {
  return document(
    {
      Sid: 'CreateDemoGroup',
      Effect: 'Allow',
      Action: 'scheduler:CreateScheduleGroup',
      Resource: schedulerArn(args, `schedule-group/${args.groupName}`),
    },
    {
      Sid: 'ManageDemoSchedules',
      Effect: 'Allow',
      Action: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'],
      Resource: schedulerArn(args, `schedule/${args.groupName}/*`),
    },
    {
      Sid: 'PassDemoRoleToScheduler',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: args.schedulerRoleArn,
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    },
    ...lambdaTelemetryStatements(args.logGroupArn),
  );
}
