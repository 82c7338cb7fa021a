/**
 * The stack's IAM on the local engines: each function's role with the identity policy the Pulumi program attaches
 * (the same builders, infra/policies.ts, given the local ARNs), one access key per role as Lambda gives each
 * function its execution role's credentials, and the resource policies the program attaches (queue policy, report
 * bucket policy, alert key policy). `without` removes one statement of one role, for the least-privilege test.
 */
import { createHash } from 'node:crypto';
import {
  alertKeyPolicy,
  demoSeedPolicy,
  heartbeatPolicy,
  monitorPolicy,
  queuePolicy,
  reconcilerRepairPolicy,
  reconcilerReportPolicy,
  reconcilerScanPolicy,
  reportBucketPolicy,
  stateMachinePolicy,
  type AccountScope,
  type PolicyDocument,
} from '../../infra/policies';
import { HEARTBEAT_SCHEDULE } from '../../functions/core/heartbeat';
import { LOCAL_CREDENTIALS } from '../dynamodb';
import { LocalAuthorizer, type LocalPrincipal } from './authorizer';

export const LOCAL_SCOPE: AccountScope = { partition: 'aws', region: 'us-east-1', accountId: '123456789012' };

/** The roles of the stack that make requests, and the operator (the person or script playing a story). */
export type LocalRoleName = 'monitor' | 'reconciler-scan' | 'reconciler-report' | 'reconciler-repair' | 'state-machine' | 'heartbeat' | 'demo-seed';

export const LOCAL_ROLE_NAMES: readonly LocalRoleName[] = ['monitor', 'reconciler-scan', 'reconciler-report', 'reconciler-repair', 'state-machine', 'heartbeat', 'demo-seed'];

export interface LocalIamConfig {
  /** Config tableKmsKeyArn: the state store's customer managed key. */
  tableKmsKeyArn?: string;
  /** Config scheduleKmsKeyArns. */
  scheduleKmsKeyArns?: readonly string[];
  /** The target-input hash key's secret (config targetInput: hash). */
  targetInputKeySecretArn?: string;
  /** Removes the statement `sid` (or index `#<n>` when it has none) from `role`'s policy. */
  without?: { role: LocalRoleName; sid: string };
}

const arn = {
  table: (name: string) => `arn:aws:dynamodb:${LOCAL_SCOPE.region}:${LOCAL_SCOPE.accountId}:table/${name}`,
  logGroup: (functionName: string) => `arn:aws:logs:${LOCAL_SCOPE.region}:${LOCAL_SCOPE.accountId}:log-group:/aws/lambda/${functionName}`,
  role: (name: string) => `arn:aws:iam::${LOCAL_SCOPE.accountId}:role/${name}`,
  bucket: (name: string) => `arn:aws:s3:::${name}`,
  rule: (name: string) => `arn:aws:events:${LOCAL_SCOPE.region}:${LOCAL_SCOPE.accountId}:rule/${name}`,
  function: (name: string) => `arn:aws:lambda:${LOCAL_SCOPE.region}:${LOCAL_SCOPE.accountId}:function:${name}`,
  key: (id: string) => `arn:aws:kms:${LOCAL_SCOPE.region}:${LOCAL_SCOPE.accountId}:key/${id}`,
};
export const LOCAL_IAM_ARNS = arn;

/** The function each role belongs to (its log group is `/aws/lambda/<function>`). */
export const LOCAL_FUNCTIONS: Record<Exclude<LocalRoleName, 'state-machine'>, string> = {
  monitor: 'scheduler-observer-monitor',
  'reconciler-scan': 'scheduler-observer-reconciler-scan',
  'reconciler-report': 'scheduler-observer-reconciler-report',
  'reconciler-repair': 'scheduler-observer-reconciler-repair',
  heartbeat: 'scheduler-observer-heartbeat',
  'demo-seed': 'scheduler-observer-demo-seed',
};

export const LOCAL_TOPIC_ARN = `arn:aws:sns:${LOCAL_SCOPE.region}:${LOCAL_SCOPE.accountId}:scheduler-observer-alerts`;
export const LOCAL_TOPIC_KEY_ARN = arn.key('00000000-0000-4000-8000-0000a1e27000');
/** The rule that routes CloudTrail's Scheduler events to the queue (local/pipeline.ts). */
export const LOCAL_RULE_NAME = 'scheduler-observer-events';
/** The role the heartbeat schedule runs with (local/heartbeat.ts). */
export const LOCAL_HEARTBEAT_INVOKE_ROLE = arn.role('heartbeat-invoke');

/** The operator's access key is LOCAL_CREDENTIALS: the person at the keyboard, with administrator access. */
const OPERATOR_POLICY = { Version: '2012-10-17' as const, Statement: [{ Sid: 'AdministratorAccess', Effect: 'Allow' as const, Action: '*', Resource: '*' }] };

function defaultKeyPolicy() {
  return {
    Version: '2012-10-17' as const,
    Statement: [{ Sid: 'EnableIamPolicies', Effect: 'Allow' as const, Principal: { AWS: `arn:aws:iam::${LOCAL_SCOPE.accountId}:root` }, Action: 'kms:*', Resource: '*' }],
  };
}

function accessKeyFor(roleName: string): string {
  return `ASIA${createHash('sha256').update(roleName).digest('hex').slice(0, 16).toUpperCase()}`;
}

/** The authorizer of one local stack, and the principals of its roles, registered as the engines come up. */
export class LocalIam {
  readonly authorizer: LocalAuthorizer;
  readonly operator: LocalPrincipal;
  private readonly registered = new Map<LocalRoleName, PolicyDocument>();

  constructor(readonly config: LocalIamConfig = {}) {
    this.operator = {
      name: 'operator',
      roleArn: `arn:aws:iam::${LOCAL_SCOPE.accountId}:user/operator`,
      sessionArn: `arn:aws:iam::${LOCAL_SCOPE.accountId}:user/operator`,
      ...LOCAL_CREDENTIALS,
      policies: [{ name: 'AdministratorAccess', policy: OPERATOR_POLICY }],
    };
    this.authorizer = new LocalAuthorizer({ accountId: LOCAL_SCOPE.accountId, principals: [this.operator] });
    // The operator's own keys keep KMS's default key policy, which lets IAM policies of the account govern the key:
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
    for (const key of [config.tableKmsKeyArn, ...(config.scheduleKmsKeyArns ?? [])]) {
      if (key) this.authorizer.attachResourcePolicy(key, defaultKeyPolicy());
    }
  }

  /** The identity policy of every role registered so far, as the program builds it (nothing removed). */
  policies(): ReadonlyMap<LocalRoleName, PolicyDocument> {
    return this.registered;
  }

  private role(name: LocalRoleName, policy: PolicyDocument): LocalPrincipal {
    this.registered.set(name, policy);
    const roleName = `scheduler-observer-${name}`;
    const without = this.config.without;
    const statements = policy.Statement.filter((statement, index) => !(without?.role === name && (statement.Sid ?? `#${index}`) === without.sid));
    return this.authorizer.register({
      name,
      roleArn: arn.role(roleName),
      sessionArn: `arn:aws:sts::${LOCAL_SCOPE.accountId}:assumed-role/${roleName}/${name === 'state-machine' ? 'states' : LOCAL_FUNCTIONS[name]}`,
      accessKeyId: accessKeyFor(roleName),
      secretAccessKey: `local-secret-${roleName}`,
      policies: [{ name: `${roleName}-policy`, policy: { ...policy, Statement: statements } }],
    });
  }

  private keys() {
    return {
      ...(this.config.tableKmsKeyArn ? { tableKmsKeyArn: this.config.tableKmsKeyArn } : {}),
      ...(this.config.scheduleKmsKeyArns ? { scheduleKmsKeyArns: this.config.scheduleKmsKeyArns } : {}),
      ...(this.config.targetInputKeySecretArn ? { targetInputKeySecretArn: this.config.targetInputKeySecretArn } : {}),
    };
  }

  /** The monitor's role, and the queue policy that lets the rule send to its queue (infra/observer.ts). */
  monitor(args: { tableName: string; queueArn: string }): LocalPrincipal {
    this.authorizer.attachResourcePolicy(args.queueArn, queuePolicy({ queueArn: args.queueArn, ruleArn: arn.rule(LOCAL_RULE_NAME) }));
    return this.role(
      'monitor',
      monitorPolicy({
        ...LOCAL_SCOPE,
        tableArn: arn.table(args.tableName),
        queueArn: args.queueArn,
        logGroupArn: arn.logGroup(LOCAL_FUNCTIONS.monitor),
        schedulerScheduleArnPattern: `arn:aws:scheduler:${LOCAL_SCOPE.region}:${LOCAL_SCOPE.accountId}:schedule/*/*`,
        schedulerGroupArnPattern: `arn:aws:scheduler:${LOCAL_SCOPE.region}:${LOCAL_SCOPE.accountId}:schedule-group/*`,
        ...this.keys(),
      }),
    );
  }

  /** The reconciler's three function roles and its state machine's role, and the report bucket's policy (infra/reconciler.ts). */
  reconciler(args: { tableName: string; bucket: string }): Record<'scan' | 'report' | 'repair' | 'stateMachine', LocalPrincipal> {
    const bucketArn = arn.bucket(args.bucket);
    this.authorizer.attachResourcePolicy(bucketArn, reportBucketPolicy(bucketArn));
    const common = { ...LOCAL_SCOPE, tableArn: arn.table(args.tableName), bucketArn, ...this.keys() };
    const stateMachine = this.role(
      'state-machine',
      stateMachinePolicy({
        functionArns: (['reconciler-scan', 'reconciler-report', 'reconciler-repair'] as const).map((name) => arn.function(LOCAL_FUNCTIONS[name])),
        topicArn: LOCAL_TOPIC_ARN,
      }),
    );
    this.authorizer.attachResourcePolicy(LOCAL_TOPIC_KEY_ARN, alertKeyPolicy({ ...LOCAL_SCOPE, stateMachineRoleArn: stateMachine.roleArn }));
    return {
      scan: this.role('reconciler-scan', reconcilerScanPolicy({ ...common, logGroupArn: arn.logGroup(LOCAL_FUNCTIONS['reconciler-scan']) })),
      report: this.role('reconciler-report', reconcilerReportPolicy({ ...common, logGroupArn: arn.logGroup(LOCAL_FUNCTIONS['reconciler-report']) })),
      repair: this.role('reconciler-repair', reconcilerRepairPolicy({ ...common, logGroupArn: arn.logGroup(LOCAL_FUNCTIONS['reconciler-repair']) })),
      stateMachine,
    };
  }

  /** The heartbeat function's role (infra/heartbeat.ts): its one schedule in `groupName`. */
  heartbeat(args: { tableName: string; groupName: string }): LocalPrincipal {
    return this.role(
      'heartbeat',
      heartbeatPolicy({
        region: LOCAL_SCOPE.region,
        scheduleArn: `arn:aws:scheduler:${LOCAL_SCOPE.region}:${LOCAL_SCOPE.accountId}:schedule/${args.groupName}/${HEARTBEAT_SCHEDULE}`,
        scheduleRoleArn: LOCAL_HEARTBEAT_INVOKE_ROLE,
        tableArn: arn.table(args.tableName),
        logGroupArn: arn.logGroup(LOCAL_FUNCTIONS.heartbeat),
        ...(this.config.tableKmsKeyArn ? { tableKmsKeyArn: this.config.tableKmsKeyArn } : {}),
      }),
    );
  }

  /** The demo seed function's role (infra/demo-seed.ts): its own group, and the demo role passed to Scheduler. */
  demoSeed(args: { groupName: string; schedulerRoleArn: string }): LocalPrincipal {
    return this.role('demo-seed', demoSeedPolicy({ ...LOCAL_SCOPE, ...args, logGroupArn: arn.logGroup(LOCAL_FUNCTIONS['demo-seed']) }));
  }

  /**
   * What the Lambda service does with the execution role on each invocation of a function, before and around
   * the handler: write the function's logs (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html)
   * and, with active tracing, its trace segments (https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html).
   * Neither fails the invocation when denied; the denial is in the authorizer's log.
   */
  /**
   * What Step Functions does with the state machine's role: at creation, with logging on, it sets up the log
   * delivery (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html), and a denial fails
   * CreateStateMachine; with tracing on, each execution sends its trace
   * (https://docs.aws.amazon.com/step-functions/latest/dg/xray-iam.html), which no denial fails.
   */
  async stateMachineCreated(role: LocalPrincipal): Promise<void> {
    const delivery = ['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'];
    for (const action of delivery) {
      if (!(await this.authorizer.authorize({ caller: role, action, resource: '*' })).allowed) {
        throw Object.assign(new Error(`The state machine IAM Role is not authorized to access the Log Destination (${action})`), { name: 'AccessDeniedException' });
      }
    }
  }

  async executionTraced(role: LocalPrincipal): Promise<void> {
    for (const action of ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets']) {
      await this.authorizer.authorize({ caller: role, action, resource: '*' });
    }
  }

  /**
   * A function's cold start with config targetInput hash reads the key's secret (functions/handlers/input-policy.ts);
   * false when its role may not, and every invocation of that environment then fails.
   */
  async inputKeyReadable(role: LocalPrincipal): Promise<boolean> {
    if (!this.config.targetInputKeySecretArn) return true;
    return (await this.authorizer.authorize({ caller: role, action: 'secretsmanager:GetSecretValue', resource: this.config.targetInputKeySecretArn })).allowed;
  }

  async invocationTelemetry(role: LocalPrincipal): Promise<void> {
    const fn = LOCAL_FUNCTIONS[role.name as Exclude<LocalRoleName, 'state-machine'>];
    if (!fn) return;
    const stream = `${arn.logGroup(fn)}:log-stream:2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef`;
    for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) await this.authorizer.authorize({ caller: role, action, resource: stream });
    for (const action of ['xray:PutTraceSegments', 'xray:PutTelemetryRecords']) await this.authorizer.authorize({ caller: role, action, resource: '*' });
  }
}
