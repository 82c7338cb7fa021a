/**
 * The reconciler of DESIGN.md: a Step Functions workflow (statemachines/reconciler.asl.json) started by its own
 * Scheduler schedule, which lists the real schedules, reports drift against the state store into an S3 bucket,
 * alerts through an encrypted SNS topic, and in `repair` mode writes the live truth into the store.
 * Read-only on Scheduler: no role here holds a Scheduler write action.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { physicalName } from './physical-names';
import { accountScope } from './account-scope';
import { readDefinitionTemplate, substituteDefinition } from './asl';
import type { ObserverConfig } from './config';
import { hardenedBucket } from './hardened-bucket';
import { BundledFunction } from './lambda-function';
import {
  alertKeyPolicy,
  REPORT_PREFIXES,
  reconcilerRepairPolicy,
  reconcilerReportPolicy,
  reconcilerScanPolicy,
  type ReconcilerFunctionPolicyArgs,
  reportBucketPolicy,
  schedulerAssumeRolePolicy,
  stateMachineAssumeRolePolicy,
  stateMachinePolicy,
  timerPolicy,
  type AccountScope,
  type PolicyDocument,
} from './policies';
import type { StateTableRef } from './state-store';

export type ReconcilerSettings = Pick<
  ObserverConfig,
  | 'reconcileSchedule'
  | 'reconcileMode'
  | 'reconcileEnabled'
  | 'reportRetentionDays'
  | 'forceDestroyBuckets'
  | 'scheduleKmsKeyArns'
  | 'alertEmail'
  | 'tombstoneTtlDays'
  | 'logRetentionDays'
  | 'logLevel'
  | 'metricsNamespace'
>;

export interface ReconcilerArgs extends ReconcilerSettings, StateTableRef {}

/** Run scratch data (page chunks, drift lists) is only needed while a run lasts; a week leaves time to debug. */
export const RUN_CHUNK_RETENTION_DAYS = 7;

/** The timer retries a failed StartExecution briefly; a run missed anyway is made good by the next one. */
export const TIMER_RETRY_POLICY = { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 10 * 60 } as const;

/** `https://<region>.console.aws.amazon.com/states/home?region=<region>#/statemachines/view/<arn>`: its executions. */
export function executionsConsoleUrl(region: string, stateMachineArn: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/statemachines/view/${encodeURIComponent(stateMachineArn)}`;
}

export class Reconciler extends pulumi.ComponentResource {
  readonly stateMachineArn: pulumi.Output<string>;
  readonly executionsConsoleUrl: pulumi.Output<string>;
  readonly reportBucketName: pulumi.Output<string>;
  readonly latestReportUri: pulumi.Output<string>;
  readonly alertTopicArn: pulumi.Output<string>;
  readonly alertKeyArn: pulumi.Output<string>;
  /** The schedule group of the timer that starts runs (the CLI's `audit` reads the timer there). */
  readonly timerGroupName: pulumi.Output<string>;

  constructor(name: string, args: ReconcilerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('scheduler-observer:index:Reconciler', name, {}, opts);
    const parent = { parent: this };
    const scope = accountScope(this);

    const bucket = reportBucket(`${name}-reports`, args.reportRetentionDays, args.forceDestroyBuckets, this);

    // The role exists before its policy: the alert key's policy names it, and its policy names the key.
    const stateMachineRole = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: scope.apply((s) => JSON.stringify(stateMachineAssumeRolePolicy(s.accountId))) },
      parent,
    );
    const alertKey = new aws.kms.Key(
      `${name}-alerts-key`,
      {
        description: 'scheduler-observer reconciler drift alerts (SNS topic encryption)',
        enableKeyRotation: true,
        policy: pulumi
          .all([scope, stateMachineRole.arn])
          .apply(([s, roleArn]) => JSON.stringify(alertKeyPolicy({ ...s, stateMachineRoleArn: roleArn }))),
      },
      parent,
    );
    const topic = new aws.sns.Topic(`${name}-alerts`, { kmsMasterKeyId: alertKey.arn }, parent);
    if (args.alertEmail) {
      // Stays "pending confirmation" until the address follows the link SNS sends it.
      new aws.sns.TopicSubscription(`${name}-alerts-email`, { topic: topic.arn, protocol: 'email', endpoint: args.alertEmail }, parent);
    }

    const environment = {
      TABLE_NAME: args.tableName,
      REPORT_BUCKET: bucket.bucket,
      TOMBSTONE_TTL_DAYS: String(args.tombstoneTtlDays),
      POWERTOOLS_SERVICE_NAME: 'scheduler-observer',
      POWERTOOLS_METRICS_NAMESPACE: args.metricsNamespace,
      LOG_LEVEL: args.logLevel,
      // Read by the scan (the only one that reads schedules): infra/input-key.ts, functions/handlers/input-policy.ts.
      TARGET_INPUT: args.targetInput,
      ...(args.targetInputKeySecretArn === undefined ? {} : { TARGET_INPUT_KEY_SECRET_ARN: args.targetInputKeySecretArn }),
    };
    const resolved = (logGroupArn: pulumi.Output<string>) =>
      pulumi.all([scope, args.tableArn, bucket.arn, logGroupArn, args.targetInputKeySecretArn]).apply(([s, tableArn, bucketArn, logGroup, keySecretArn]) => ({
        ...s,
        tableArn,
        bucketArn,
        logGroupArn: logGroup,
        ...(args.tableKmsKeyArn === undefined ? {} : { tableKmsKeyArn: args.tableKmsKeyArn }),
        scheduleKmsKeyArns: args.scheduleKmsKeyArns,
        ...(keySecretArn === undefined ? {} : { targetInputKeySecretArn: keySecretArn }),
      }));
    const fn = (suffix: string, timeoutSeconds: number, memoryMb: number | undefined, policy: BundledPolicy) =>
      new BundledFunction(
        `${name}-${suffix}`,
        {
          entry: `functions/handlers/reconciler-${suffix}.ts`,
          timeoutSeconds,
          memoryMb,
          logRetentionDays: args.logRetentionDays,
          environment,
          policy: (logGroupArn) => resolved(logGroupArn).apply(policy),
        },
        parent,
      );
    // Scan and repair page through many schedules per call, up to Lambda's 15-minute maximum
    // (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); the report renders one run's
    // drift. Lambda allocates CPU in proportion to memory, which the JSON work of scan and report uses.
    const scan = fn('scan', 900, 1024, reconcilerScanPolicy);
    const report = fn('report', 300, 1024, reconcilerReportPolicy);
    const repair = fn('repair', 900, undefined, reconcilerRepairPolicy);

    // Named with the /aws/vendedlogs/states/ prefix the Step Functions console uses for the log groups it creates.
    // Log delivery adds the log group's resource policy itself, with the role's logs:PutResourcePolicy:
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/vendedlogs/states/${physicalName('logGroup', name, pulumi.getStack())}`, retentionInDays: args.logRetentionDays },
      parent,
    );
    const stateMachinePolicyResource = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: stateMachineRole.id,
        policy: pulumi
          .all([scan.functionArn, report.functionArn, repair.functionArn, topic.arn])
          .apply(([scanArn, reportArn, repairArn, topicArn]) => JSON.stringify(stateMachinePolicy({ functionArns: [scanArn, reportArn, repairArn], topicArn })),
          ),
      },
      parent,
    );

    const stateMachine = new aws.sfn.StateMachine(
      `${name}-state-machine`,
      {
        // Standard: a run may last up to a year, and its full history stays visible in the console.
        type: 'STANDARD',
        roleArn: stateMachineRole.arn,
        definition: pulumi
          .all([scan.functionArn, report.functionArn, repair.functionArn, topic.arn])
          .apply(([ScanFunctionArn, ReportFunctionArn, RepairFunctionArn, AlertTopicArn]) =>
            substituteDefinition(readDefinitionTemplate('reconciler.asl.json'), {
              ScanFunctionArn,
              ReportFunctionArn,
              RepairFunctionArn,
              AlertTopicArn,
            }),
          ),
        // Errors only, without payloads: the execution history already holds every state's data, and reports
        // may name schedules and targets.
        loggingConfiguration: { level: 'ERROR', includeExecutionData: false, logDestination: pulumi.interpolate`${logGroup.arn}:*` },
        tracingConfiguration: { enabled: true },
      },
      // Step Functions checks the role's logging permissions when the state machine is created.
      { parent: this, dependsOn: [stateMachinePolicyResource] },
    );

    this.timerGroupName = reconcileTimer(`${name}-timer`, { ...args, stateMachineArn: stateMachine.arn, scope }, this);

    this.stateMachineArn = stateMachine.arn;
    this.executionsConsoleUrl = pulumi.all([scope, stateMachine.arn]).apply(([s, arn]) => executionsConsoleUrl(s.region, arn));
    this.reportBucketName = bucket.bucket;
    this.latestReportUri = pulumi.interpolate`s3://${bucket.bucket}/${REPORT_PREFIXES.reports}latest.json`;
    this.alertTopicArn = topic.arn;
    this.alertKeyArn = alertKey.arn;
    this.registerOutputs({
      stateMachineArn: this.stateMachineArn,
      executionsConsoleUrl: this.executionsConsoleUrl,
      reportBucketName: this.reportBucketName,
      latestReportUri: this.latestReportUri,
      alertTopicArn: this.alertTopicArn,
      alertKeyArn: this.alertKeyArn,
      timerGroupName: this.timerGroupName,
    });
  }
}

type BundledPolicy = (args: ReconcilerFunctionPolicyArgs) => PolicyDocument;

/** The report bucket: private, encrypted, TLS-only, and self-cleaning (reports and run scratch data expire). */
function reportBucket(name: string, reportRetentionDays: number, forceDestroy: boolean, parent: pulumi.Resource): aws.s3.Bucket {
  const opts = { parent };
  const { bucket } = hardenedBucket(name, { policy: reportBucketPolicy, forceDestroy }, parent);
  // Lifecycle expiry is asynchronous (objects may outlive their day count by a little):
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html
  const expire = (id: string, prefix: string, days: number) => ({
    id,
    status: 'Enabled',
    filter: { prefix },
    expiration: { days },
    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
  });
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-lifecycle`,
    {
      bucket: bucket.id,
      rules: [
        expire('expire-reports', REPORT_PREFIXES.reports, reportRetentionDays),
        expire('expire-run-chunks', REPORT_PREFIXES.runs, RUN_CHUNK_RETENTION_DAYS),
      ],
    },
    opts,
  );
  return bucket;
}

interface TimerArgs extends Pick<ReconcilerSettings, 'reconcileSchedule' | 'reconcileMode' | 'reconcileEnabled'> {
  stateMachineArn: pulumi.Output<string>;
  scope: pulumi.Output<AccountScope>;
}

/** A schedule in its own group that starts the state machine; its role may start only that state machine. */
function reconcileTimer(name: string, args: TimerArgs, parent: pulumi.Resource): pulumi.Output<string> {
  const opts = { parent };
  // Its own group, so that `aws scheduler list-schedules --group-name` shows it apart from the schedules it checks.
  const group = new aws.scheduler.ScheduleGroup(`${name}-group`, { name: physicalName('scheduleGroup', name, pulumi.getStack()) }, opts);
  const role = new aws.iam.Role(
    `${name}-role`,
    { assumeRolePolicy: args.scope.apply((s) => JSON.stringify(schedulerAssumeRolePolicy(s.accountId))) },
    opts,
  );
  const rolePolicy = new aws.iam.RolePolicy(
    `${name}-policy`,
    { role: role.id, policy: args.stateMachineArn.apply((arn) => JSON.stringify(timerPolicy(arn))) },
    opts,
  );
  new aws.scheduler.Schedule(
    name,
    {
      groupName: group.name,
      description: 'Starts a scheduler-observer reconciler run',
      scheduleExpression: args.reconcileSchedule,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: args.reconcileEnabled ? 'ENABLED' : 'DISABLED',
      target: {
        // The universal target's shortcut for Step Functions: the state machine ARN, input as the execution input:
        // https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html
        arn: args.stateMachineArn,
        roleArn: role.arn,
        input: JSON.stringify({ mode: args.reconcileMode }),
        retryPolicy: { ...TIMER_RETRY_POLICY },
      },
    },
    // The role policy first, or a run due right after the deployment could fail on IAM.
    { parent, dependsOn: [rolePolicy] },
  );
  return group.name;
}
