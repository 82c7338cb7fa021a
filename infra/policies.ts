/**
 * IAM policy documents as pure functions over plain strings (STYLE.md §3): exact actions, exact resource ARNs,
 * unit-tested without Pulumi. Components resolve their Outputs with `pulumi.all(...).apply(...)` and call these.
 */
import type * as aws from '@pulumi/aws';

type OneOrMore = string | string[];

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { Service: string } | { AWS: OneOrMore };
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

/**
 * Use of the state store's customer managed key, for a role that reads (Decrypt) or also writes (Encrypt,
 * GenerateDataKey) the table, and only through DynamoDB in this region (`kms:ViaService`):
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html and
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service.
 * None when the table uses DynamoDB's AWS owned key (no `tableKmsKeyArn`).
 */
export function tableKeyStatements(args: { tableKmsKeyArn?: string; region: string }, access: 'read' | 'readWrite'): Statement[] {
  if (args.tableKmsKeyArn === undefined) return [];
  return [
    {
      Sid: access === 'read' ? 'DecryptStateStore' : 'EncryptDecryptStateStore',
      Effect: 'Allow',
      Action: access === 'read' ? ['kms:Decrypt', 'kms:DescribeKey'] : ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Resource: args.tableKmsKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': `dynamodb.${args.region}.amazonaws.com` } },
    },
  ];
}

/**
 * Decrypting schedule payloads encrypted with the customer managed keys the operator lists (config
 * `scheduleKmsKeyArns`), for a GetSchedule caller: only through Scheduler in this region, and only for this
 * account's schedules (the encryption context Scheduler uses, `aws:scheduler:schedule:arn`):
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/encryption-rest.html. None when no key is listed.
 */
export function scheduleKeyStatements(args: AccountScope & { scheduleKmsKeyArns?: readonly string[] }): Statement[] {
  if (!args.scheduleKmsKeyArns || args.scheduleKmsKeyArns.length === 0) return [];
  return [
    {
      Sid: 'DecryptSchedulePayloads',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: [...args.scheduleKmsKeyArns],
      Condition: {
        StringEquals: { 'kms:ViaService': `scheduler.${args.region}.amazonaws.com` },
        ArnLike: { 'kms:EncryptionContext:aws:scheduler:schedule:arn': schedulerArn(args, 'schedule/*/*') },
      },
    },
  ];
}

/** Reading the target-input hash key (config `targetInput: hash`), this one secret only; none for full or omit. */
export function inputKeyStatements(args: { targetInputKeySecretArn?: string }): Statement[] {
  if (args.targetInputKeySecretArn === undefined) return [];
  return [{ Sid: 'ReadTargetInputKey', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: args.targetInputKeySecretArn }];
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
  /** `arn:aws:scheduler:<region>:<account>:schedule-group/*`: the monitor asks whether a group is being deleted. */
  schedulerGroupArnPattern: string;
  region: string;
  partition: string;
  accountId: string;
  tableKmsKeyArn?: string;
  scheduleKmsKeyArns?: readonly string[];
  targetInputKeySecretArn?: string;
}

export function monitorPolicy(args: MonitorPolicyArgs): PolicyDocument {
  return document(
    {
      Sid: 'ReadWriteStateStore',
      Effect: 'Allow',
      // PutItem also writes each batch's change-log entry (functions/core/change-log.ts).
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      // The base table only: tombstoning a deleted group queries its partition, not the byTarget index.
      Resource: args.tableArn,
    },
    {
      Sid: 'ConsumeChangeQueue',
      Effect: 'Allow',
      // What the SQS event source mapping needs from the execution role, and no more (no ChangeMessageVisibility:
      // the poller never calls it for this function): https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-permissions
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      Resource: args.queueArn,
    },
    {
      Sid: 'ReadScheduleTruth',
      Effect: 'Allow',
      Action: 'scheduler:GetSchedule',
      Resource: args.schedulerScheduleArnPattern,
    },
    {
      // A change of the same second as a recorded group deletion: is the group ACTIVE again, or still DELETING?
      // GetScheduleGroup takes the schedule-group resource type:
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridgescheduler.html
      Sid: 'ReadScheduleGroupState',
      Effect: 'Allow',
      Action: 'scheduler:GetScheduleGroup',
      Resource: args.schedulerGroupArnPattern,
    },
    ...tableKeyStatements(args, 'readWrite'),
    ...scheduleKeyStatements(args),
    ...inputKeyStatements(args),
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

/** Step Functions assumes the role only on behalf of state machines in this account (confused-deputy guard):
 * https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html */
export function stateMachineAssumeRolePolicy(accountId: string): PolicyDocument {
  return assumeRolePolicy('states.amazonaws.com', { StringEquals: { 'aws:SourceAccount': accountId } });
}

/** The reconciler's report bucket keeps run scratch data under `runs/` and reports under `reports/`. */
export const REPORT_PREFIXES = { runs: 'runs/', reports: 'reports/' } as const;

/**
 * The reconciler's only Scheduler actions, all reads. ListScheduleGroups and ListSchedules have no resource type
 * in the Service Authorization Reference (so `*`); GetSchedule takes the `schedule` resource type:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridgescheduler.html
 */
function schedulerReadStatements(scope: AccountScope): Statement[] {
  return [
    {
      Sid: 'ListSchedulesAndGroups',
      Effect: 'Allow',
      Action: ['scheduler:ListScheduleGroups', 'scheduler:ListSchedules'],
      Resource: '*', // No resource-level permissions: see the link above.
    },
    {
      Sid: 'ReadScheduleTruth',
      Effect: 'Allow',
      Action: 'scheduler:GetSchedule',
      Resource: schedulerArn(scope, 'schedule/*/*'),
    },
  ];
}

export interface ReconcilerFunctionPolicyArgs extends AccountScope {
  tableArn: string;
  bucketArn: string;
  logGroupArn: string;
  tableKmsKeyArn?: string;
  scheduleKmsKeyArns?: readonly string[];
  targetInputKeySecretArn?: string;
}

/** Run scratch data: `runs/<runId>/` holds the manifest, page chunks and repair records of one run. */
function runChunkStatements(bucketArn: string, access: { read?: boolean; write?: boolean; list?: boolean }): Statement[] {
  const chunks = `${bucketArn}/${REPORT_PREFIXES.runs}*`;
  return [
    ...(access.read ? [{ Sid: 'ReadRunChunks', Effect: 'Allow' as const, Action: 's3:GetObject', Resource: chunks }] : []),
    ...(access.write ? [{ Sid: 'WriteRunChunks', Effect: 'Allow' as const, Action: 's3:PutObject', Resource: chunks }] : []),
    ...(access.list
      ? [
          {
            Sid: 'ListRunChunks',
            Effect: 'Allow' as const,
            Action: 's3:ListBucket',
            Resource: bucketArn,
            // ListBucket applies to the bucket; s3:prefix narrows it to the run scratch area:
            // https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html#condition-key-bucket-ops-2
            Condition: { StringLike: { 's3:prefix': `${REPORT_PREFIXES.runs}*` } },
          },
        ]
      : []),
  ];
}

/** Lists the real schedules, reads the store, and writes (and reads back) its page chunks under `runs/`. */
export function reconcilerScanPolicy(args: ReconcilerFunctionPolicyArgs): PolicyDocument {
  return document(
    ...schedulerReadStatements(args),
    {
      Sid: 'ReadStateStore',
      Effect: 'Allow',
      // Query: each group's items (the sweep) and the group registry; GetItem: the backfill record.
      Action: ['dynamodb:Query', 'dynamodb:GetItem'],
      Resource: args.tableArn,
    },
    ...tableKeyStatements(args, 'read'),
    ...scheduleKeyStatements(args),
    ...inputKeyStatements(args),
    ...runChunkStatements(args.bucketArn, { read: true, write: true }),
    ...lambdaTelemetryStatements(args.logGroupArn),
  );
}

/** Reads and lists a run's chunks and writes its report; no Scheduler and no store access. */
export function reconcilerReportPolicy(args: Pick<ReconcilerFunctionPolicyArgs, 'tableArn' | 'bucketArn' | 'logGroupArn' | 'region' | 'tableKmsKeyArn'>): PolicyDocument {
  return document(
    ...runChunkStatements(args.bucketArn, { read: true, list: true }),
    { Sid: 'WriteReports', Effect: 'Allow', Action: 's3:PutObject', Resource: `${args.bucketArn}/${REPORT_PREFIXES.reports}*` },
    // Reads the change log of the run's window (Query) and re-reads the drift items it shows written during the run
    // (BatchGetItem), so that drift the observer fixed during the run is not reported (functions/core/change-log.ts).
    { Sid: 'RecheckStateStore', Effect: 'Allow', Action: ['dynamodb:Query', 'dynamodb:BatchGetItem'], Resource: args.tableArn },
    ...tableKeyStatements(args, 'read'),
    ...lambdaTelemetryStatements(args.logGroupArn),
  );
}

/** Reads a run's drift, records repair outcomes beside it, and writes the live truth into the store; no Scheduler write. */
export function reconcilerRepairPolicy(args: Pick<ReconcilerFunctionPolicyArgs, 'tableArn' | 'bucketArn' | 'logGroupArn' | 'region' | 'tableKmsKeyArn'>): PolicyDocument {
  return document(
    ...runChunkStatements(args.bucketArn, { read: true, write: true, list: true }),
    {
      Sid: 'RepairStateStore',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      Resource: args.tableArn,
    },
    ...tableKeyStatements(args, 'readWrite'),
    ...lambdaTelemetryStatements(args.logGroupArn),
  );
}

export interface StateMachinePolicyArgs {
  functionArns: string[];
  topicArn: string;
}

/**
 * What the reconciler's state machine does: invoke its three functions, publish one alert, log and trace. The alert
 * topic's key is not here: its key policy grants this role the use of it (alertKeyPolicy), which KMS needs anyway,
 * and an identity statement beside it would grant nothing more (shown by the least-privilege test).
 */
export function stateMachinePolicy(args: StateMachinePolicyArgs): PolicyDocument {
  return document(
    {
      Sid: 'InvokeReconcilerFunctions',
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      // The unqualified ARNs and their versions/aliases (`:*`), as the lambda:invoke integration may use either:
      // https://docs.aws.amazon.com/step-functions/latest/dg/lambda-iam.html
      Resource: args.functionArns.flatMap((arn) => [arn, `${arn}:*`]),
    },
    { Sid: 'PublishDriftAlert', Effect: 'Allow', Action: 'sns:Publish', Resource: args.topicArn },
    {
      Sid: 'DeliverExecutionLogs',
      Effect: 'Allow',
      Action: [
        'logs:CreateLogDelivery',
        'logs:GetLogDelivery',
        'logs:UpdateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:DescribeResourcePolicies',
        'logs:DescribeLogGroups',
      ],
      // The log delivery APIs support no resource-level permissions; Step Functions documents `*`:
      // https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
      Resource: '*', // See the link above.
    },
    {
      Sid: 'WriteExecutionTraces',
      Effect: 'Allow',
      Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
      // As documented for state machines with tracing on: https://docs.aws.amazon.com/step-functions/latest/dg/xray-iam.html
      Resource: '*', // See the link above.
    },
  );
}

/** The reconciler timer's role: start executions of this one state machine, nothing else. */
export function timerPolicy(stateMachineArn: string): PolicyDocument {
  return document({ Sid: 'StartReconcilerRun', Effect: 'Allow', Action: 'states:StartExecution', Resource: stateMachineArn });
}

/** TLS-only, and nothing more: the reconciler's functions get their access from their own roles. */
export function reportBucketPolicy(bucketArn: string): PolicyDocument {
  return document(tlsOnlyBucketStatement(bucketArn));
}

export interface AlertKeyPolicyArgs {
  partition: string;
  accountId: string;
  stateMachineRoleArn: string;
}

/**
 * The alert topic's customer managed key.
 * - The account root statement is KMS's default key policy: it lets IAM policies in this account govern the key,
 *   grants nothing by itself, and keeps the key manageable:
 *   https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
 * - CloudWatch alarms can publish to an encrypted topic only if the key lets cloudwatch.amazonaws.com use it (the
 *   AWS managed aws/sns key does not): https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns
 */
export function alertKeyPolicy(args: AlertKeyPolicyArgs): PolicyDocument {
  // In a key policy, "*" is the key the policy is attached to, and nothing else:
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html#key-policy-elements
  const thisKey = '*';
  const useKey = ['kms:GenerateDataKey', 'kms:Decrypt'];
  return document(
    {
      Sid: 'EnableIamPolicies',
      Effect: 'Allow',
      Principal: { AWS: `arn:${args.partition}:iam::${args.accountId}:root` },
      Action: 'kms:*', // The documented default; see above.
      Resource: thisKey,
    },
    { Sid: 'AllowCloudWatchAlarms', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: useKey, Resource: thisKey },
    { Sid: 'AllowReconcilerAlerts', Effect: 'Allow', Principal: { AWS: args.stateMachineRoleArn }, Action: useKey, Resource: thisKey },
  );
}

export interface HeartbeatPolicyArgs {
  /** The heartbeat schedule's ARN: the only schedule the function may read and update. */
  scheduleArn: string;
  /** The role the heartbeat schedule runs with (it invokes the function): the only role the function may pass. */
  scheduleRoleArn: string;
  tableArn: string;
  region: string;
  tableKmsKeyArn?: string;
  logGroupArn: string;
}

/**
 * The heartbeat function: read and update its one schedule (UpdateSchedule re-sends the schedule's role, so it
 * must pass that role, to Scheduler only:
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role), and read the
 * store's copy of it.
 */
export function heartbeatPolicy(args: HeartbeatPolicyArgs): PolicyDocument {
  return document(
    { Sid: 'BeatTheHeartbeatSchedule', Effect: 'Allow', Action: ['scheduler:GetSchedule', 'scheduler:UpdateSchedule'], Resource: args.scheduleArn },
    {
      Sid: 'PassTheHeartbeatRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: args.scheduleRoleArn,
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    },
    { Sid: 'ReadStoredHeartbeat', Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: args.tableArn },
    ...tableKeyStatements(args, 'read'),
    ...lambdaTelemetryStatements(args.logGroupArn),
  );
}

/** What the heartbeat schedule may do: invoke the heartbeat function, nothing else. */
export function invokeFunctionPolicy(functionArn: string): PolicyDocument {
  return document({ Sid: 'InvokeHeartbeat', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: functionArn });
}

/**
 * The member's forwarding role: EventBridge assumes it to deliver this account's Scheduler events to the hub's bus
 * (a rule whose target is an event bus in another account or Region needs an execution role in the sender's account:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html), only for rules of this account
 * (aws:SourceAccount, https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html).
 */
export function memberForwardAssumeRolePolicy(accountId: string): PolicyDocument {
  return assumeRolePolicy('events.amazonaws.com', { StringEquals: { 'aws:SourceAccount': accountId } });
}

/** PutEvents on the hub's bus, and nothing else. */
export function memberForwardPolicy(hubEventBusArn: string): PolicyDocument {
  return document({ Sid: 'ForwardToHubBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: hubEventBusArn });
}

export interface MemberReaderTrustArgs {
  /** The hub's monitor and reconciler roles: the only principals that may assume the read role. */
  hubRoleArns: readonly string[];
  /** With an organization: the hub's roles must belong to it (aws:PrincipalOrgID). */
  organizationId?: string;
  /** Without one (or as well): the hub presents this external id (sts:ExternalId). */
  externalId?: string;
}

/**
 * The member read role's trust: the hub's role ARNs, by ARN, and the organization or the external id as a condition
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html).
 */
export function memberReaderTrustPolicy(args: MemberReaderTrustArgs): PolicyDocument {
  if (args.hubRoleArns.length === 0) throw new Error('memberReaderTrustPolicy needs at least one hub role ARN');
  if (args.organizationId === undefined && args.externalId === undefined) throw new Error('memberReaderTrustPolicy needs an organization id or an external id');
  const condition: Record<string, string> = {};
  if (args.organizationId !== undefined) condition['aws:PrincipalOrgID'] = args.organizationId;
  if (args.externalId !== undefined) condition['sts:ExternalId'] = args.externalId;
  return document({
    Sid: 'HubRolesOnly',
    Effect: 'Allow',
    Principal: { AWS: [...args.hubRoleArns] },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: condition },
  });
}

/** What the hub may do in a member account and Region: list the groups and schedules, read a schedule. Nothing else. */
export function memberReaderPolicy(scope: AccountScope): PolicyDocument {
  return document(...schedulerReadStatements(scope));
}

