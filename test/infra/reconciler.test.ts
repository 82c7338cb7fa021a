import { expect } from 'chai';
import {
  alertKeyPolicy,
  reconcilerRepairPolicy,
  reconcilerReportPolicy,
  reconcilerScanPolicy,
  schedulerAssumeRolePolicy,
  stateMachineAssumeRolePolicy,
  stateMachinePolicy,
  timerPolicy,
  tlsOnlyBucketStatement,
  type PolicyDocument,
} from '../../infra/policies';
import { RUN_CHUNK_RETENTION_DAYS, TIMER_RETRY_POLICY } from '../../infra/reconciler';
import { loadProgram, mockKeyId, ofType, oneOfType, type CreatedResource } from '../support/pulumi-mocks';

const PREFIX = 'scheduler-observer-reconciler';
const ACCOUNT = '123456789012';
const ARN = (service: string, resource: string) => `arn:aws:${service}:us-east-1:${ACCOUNT}:${resource}`;
const SCOPE = { partition: 'aws', region: 'us-east-1', accountId: ACCOUNT };
const TABLE_ARN = ARN('dynamodb', 'table/scheduler-observer-table');
const BUCKET = `${PREFIX}-reports`;
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const STATE_MACHINE_ARN = ARN('states', `stateMachine:${PREFIX}-state-machine`);
const STATE_MACHINE_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${PREFIX}-role`;
const TOPIC_ARN = ARN('sns', `${PREFIX}-alerts`);
const KEY_ARN = ARN('kms', `key/${mockKeyId(`${PREFIX}-alerts-key`)}`);
const FUNCTIONS = ['scan', 'report', 'repair'] as const;
const functionName = (fn: string) => `${PREFIX}-${fn}-dev`;
const FUNCTION_ARNS = FUNCTIONS.map((fn) => ARN('lambda', `function:${functionName(fn)}`));
const SCHEDULER_READS = ['scheduler:ListScheduleGroups', 'scheduler:ListSchedules', 'scheduler:GetSchedule'];

const tuned = { reportRetentionDays: '30', logRetentionDays: '14', logLevel: 'DEBUG', tombstoneTtlDays: '45', reconcileSchedule: 'rate(2 hours)' };

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const reconcilerResources = (resources: CreatedResource[]) => resources.filter((r) => r.name.startsWith(PREFIX));
const rolePolicy = (resources: CreatedResource[], suffix: string): PolicyDocument =>
  JSON.parse(oneOfType(resources, 'aws:iam/rolePolicy:RolePolicy', suffix).inputs.policy);
const role = (resources: CreatedResource[], suffix: string) => oneOfType(resources, 'aws:iam/role:Role', suffix).inputs;

/** Every state of an ASL definition, nested ones (Map, Parallel) included. */
function statesOf(machine: { States?: Record<string, any> }): any[] {
  return Object.values(machine.States ?? {}).flatMap((state) => [
    state,
    ...[state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])].filter(Boolean).flatMap(statesOf),
  ]);
}

describe('Reconciler', () => {
  let resources: CreatedResource[];
  before(async () => {
    ({ resources } = await loadProgram(tuned));
  });

  describe('IAM', () => {
    it('gives every reconciler role only Scheduler reads: ListScheduleGroups, ListSchedules, GetSchedule', () => {
      const policies = ofType(reconcilerResources(resources), 'aws:iam/rolePolicy:RolePolicy');
      expect(policies).to.have.length(5);
      const schedulerActions = policies.flatMap((p) =>
        (JSON.parse(p.inputs.policy) as PolicyDocument).Statement.flatMap((s) => list(s.Action)).filter((a) => a.startsWith('scheduler:')),
      );

      expect([...new Set(schedulerActions)]).to.have.members(SCHEDULER_READS);
    });

    it('allows no wildcard action in any reconciler role', () => {
      for (const p of ofType(reconcilerResources(resources), 'aws:iam/rolePolicy:RolePolicy')) {
        const actions = (JSON.parse(p.inputs.policy) as PolicyDocument).Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action));
        for (const action of actions) expect(action, p.name).not.to.include('*');
      }
    });

    const functionPolicies = [
      { fn: 'scan', build: reconcilerScanPolicy },
      { fn: 'report', build: reconcilerReportPolicy },
      { fn: 'repair', build: reconcilerRepairPolicy },
    ];
    for (const { fn, build } of functionPolicies) {
      it(`gives the ${fn} function exactly its policy builder's document over the real ARNs`, () => {
        const logGroupArn = ARN('logs', `log-group:/aws/lambda/${functionName(fn)}`);

        expect(rolePolicy(resources, `-reconciler-${fn}-policy`)).to.deep.equal(
          build({ ...SCOPE, tableArn: TABLE_ARN, bucketArn: BUCKET_ARN, logGroupArn, targetInputKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:scheduler-observer-input-key-AbCdEf' }),
        );
      });
    }

    it('lets the state machine invoke its three functions, publish to its topic, log and trace, as Step Functions only', () => {
      expect(rolePolicy(resources, '-reconciler-policy')).to.deep.equal(
        stateMachinePolicy({ functionArns: FUNCTION_ARNS, topicArn: TOPIC_ARN }),
      );
      expect(JSON.parse(role(resources, '-reconciler-role').assumeRolePolicy)).to.deep.equal(stateMachineAssumeRolePolicy(ACCOUNT));
    });
  });

  describe('functions', () => {
    const fn = (name: string) => oneOfType(resources, 'aws:lambda/function:Function', `-reconciler-${name}-function`).inputs;
    const expected = [
      { name: 'scan', timeout: 900, memory: 1024 },
      { name: 'report', timeout: 300, memory: 1024 },
      { name: 'repair', timeout: 900, memory: 256 },
    ];
    for (const { name, timeout, memory } of expected) {
      it(`bundles the ${name} handler with a ${timeout} s timeout and ${memory} MB`, () => {
        expect(fn(name)).to.deep.include({ name: functionName(name), timeout, memorySize: memory, runtime: 'nodejs22.x' });
      });
    }

    it('gives every function the table, bucket, tombstone TTL, Powertools names and log level', () => {
      for (const name of FUNCTIONS) {
        expect(fn(name).environment.variables).to.deep.equal({
          NODE_OPTIONS: '--enable-source-maps',
          TABLE_NAME: 'scheduler-observer-table',
          REPORT_BUCKET: BUCKET,
          TOMBSTONE_TTL_DAYS: '45',
          POWERTOOLS_SERVICE_NAME: 'scheduler-observer',
          POWERTOOLS_METRICS_NAMESPACE: 'SchedulerObserver',
          LOG_LEVEL: 'DEBUG',
          TARGET_INPUT: 'hash',
          TARGET_INPUT_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:scheduler-observer-input-key-AbCdEf',
        });
      }
    });
  });

  describe('report bucket', () => {
    it('blocks all public access, disables ACLs and encrypts by default', () => {
      const access = oneOfType(resources, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', '-reconciler-reports-public-access').inputs;
      const ownership = oneOfType(resources, 'aws:s3/bucketOwnershipControls:BucketOwnershipControls', '-reconciler-reports-ownership').inputs;
      const sse = oneOfType(resources, 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', '-reconciler-reports-sse').inputs;

      expect(access).to.deep.include({ bucket: BUCKET, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      expect(ownership.rule).to.deep.equal({ objectOwnership: 'BucketOwnerEnforced' });
      expect(sse.rules).to.deep.equal([{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }]);
    });

    it('denies every request without TLS and grants nothing', () => {
      const policy = JSON.parse(oneOfType(resources, 'aws:s3/bucketPolicy:BucketPolicy', '-reconciler-reports-policy').inputs.policy);

      expect(policy.Statement).to.deep.equal([tlsOnlyBucketStatement(BUCKET_ARN)]);
    });

    it('expires reports/ after reportRetentionDays and runs/ scratch chunks after 7 days', () => {
      const { inputs } = oneOfType(resources, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', '-reconciler-reports-lifecycle');
      const byPrefix = Object.fromEntries(inputs.rules.map((r: any) => [r.filter.prefix, r]));

      expect(inputs.bucket).to.equal(BUCKET);
      expect(Object.keys(byPrefix)).to.have.members(['reports/', 'runs/']);
      expect(byPrefix['reports/']).to.deep.include({ status: 'Enabled', expiration: { days: 30 } });
      expect(byPrefix['runs/']).to.deep.include({ status: 'Enabled', expiration: { days: RUN_CHUNK_RETENTION_DAYS } });
      expect(RUN_CHUNK_RETENTION_DAYS).to.equal(7);
    });
  });

  describe('alert topic', () => {
    it('encrypts the topic with its own customer managed key, with rotation on', () => {
      const key = oneOfType(resources, 'aws:kms/key:Key', '-reconciler-alerts-key');
      const topic = oneOfType(resources, 'aws:sns/topic:Topic', '-reconciler-alerts').inputs;

      expect(key.inputs.enableKeyRotation).to.equal(true);
      expect(topic.kmsMasterKeyId).to.equal(KEY_ARN);
    });

    it('lets the account govern the key and CloudWatch alarms and the state machine role use it', () => {
      const key = oneOfType(resources, 'aws:kms/key:Key', '-reconciler-alerts-key');

      expect(JSON.parse(key.inputs.policy)).to.deep.equal(alertKeyPolicy({ ...SCOPE, stateMachineRoleArn: STATE_MACHINE_ROLE_ARN }));
    });

    it('subscribes no email by default', () => {
      expect(ofType(resources, 'aws:sns/topicSubscription:TopicSubscription')).to.deep.equal([]);
    });

    it('subscribes alertEmail by email when it is set', async () => {
      const { resources: withEmail } = await loadProgram({ alertEmail: 'ops@example.com' });

      expect(oneOfType(withEmail, 'aws:sns/topicSubscription:TopicSubscription').inputs).to.deep.include({
        topic: TOPIC_ARN,
        protocol: 'email',
        endpoint: 'ops@example.com',
      });
    });
  });

  describe('state machine', () => {
    const machine = () => oneOfType(resources, 'aws:sfn/stateMachine:StateMachine').inputs;

    it('is a STANDARD workflow with X-Ray tracing, run by its own role', () => {
      expect(machine()).to.deep.include({ type: 'STANDARD', roleArn: STATE_MACHINE_ROLE_ARN });
      expect(machine().tracingConfiguration).to.deep.equal({ enabled: true });
    });

    it('logs errors without execution data to its own log group, kept logRetentionDays', () => {
      const logGroup = oneOfType(resources, 'aws:cloudwatch/logGroup:LogGroup', '-reconciler-logs').inputs;

      expect(logGroup).to.deep.include({ name: '/aws/vendedlogs/states/scheduler-observer-reconciler-dev', retentionInDays: 14 });
      expect(machine().loggingConfiguration).to.deep.equal({
        level: 'ERROR',
        includeExecutionData: false,
        logDestination: `${ARN('logs', `log-group:${logGroup.name}`)}:*`,
      });
    });

    it('registers the definition with every placeholder filled', () => {
      const definition: string = machine().definition;

      expect(definition).not.to.include('${');
      for (const arn of [...FUNCTION_ARNS, TOPIC_ARN]) expect(definition).to.include(arn);
    });

    it('invokes only its three functions and publishes only to its topic', () => {
      const tasks = statesOf(JSON.parse(machine().definition)).filter((s) => s.Type === 'Task');
      const lambdaTasks = tasks.filter((t) => t.Resource === 'arn:aws:states:::lambda:invoke');
      const snsTasks = tasks.filter((t) => t.Resource === 'arn:aws:states:::sns:publish');

      expect(lambdaTasks.length + snsTasks.length).to.equal(tasks.length);
      expect([...new Set(lambdaTasks.map((t) => t.Parameters?.FunctionName))]).to.have.members(FUNCTION_ARNS);
      expect([...new Set(snsTasks.map((t) => t.Parameters?.TopicArn))]).to.deep.equal([TOPIC_ARN]);
    });
  });

  describe('timer', () => {
    const schedule = () => oneOfType(resources, 'aws:scheduler/schedule:Schedule', '-reconciler-timer').inputs;

    it('runs in its own schedule group, on reconcileSchedule, without a flexible window, enabled by default', () => {
      const group = oneOfType(resources, 'aws:scheduler/scheduleGroup:ScheduleGroup', '-reconciler-timer-group').inputs;

      expect(schedule()).to.deep.include({
        groupName: group.name,
        scheduleExpression: 'rate(2 hours)',
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
      });
      expect(group.name).to.equal('scheduler-observer-reconciler-timer-dev');
    });

    it('starts this state machine with {"mode":"report"} by default, retrying briefly', () => {
      const { target } = schedule();

      expect(target.arn).to.equal(STATE_MACHINE_ARN);
      expect(JSON.parse(target.input)).to.deep.equal({ mode: 'report' });
      expect(target.retryPolicy).to.deep.equal(TIMER_RETRY_POLICY);
      expect(target.roleArn).to.equal(`arn:aws:iam::${ACCOUNT}:role/${PREFIX}-timer-role`);
    });

    it('has a role that only Scheduler of this account assumes and that may only start this state machine', () => {
      expect(JSON.parse(role(resources, '-reconciler-timer-role').assumeRolePolicy)).to.deep.equal(schedulerAssumeRolePolicy(ACCOUNT));
      expect(rolePolicy(resources, '-reconciler-timer-policy')).to.deep.equal(timerPolicy(STATE_MACHINE_ARN));
      expect(timerPolicy(STATE_MACHINE_ARN).Statement).to.deep.equal([
        { Sid: 'StartReconcilerRun', Effect: 'Allow', Action: 'states:StartExecution', Resource: STATE_MACHINE_ARN },
      ]);
    });

    it('takes the mode, the expression and the state from config', async () => {
      const { resources: custom } = await loadProgram({ reconcileMode: 'repair', reconcileSchedule: 'cron(0 3 * * ? *)', reconcileEnabled: 'false' });
      const inputs = oneOfType(custom, 'aws:scheduler/schedule:Schedule', '-reconciler-timer').inputs;

      expect(inputs).to.deep.include({ scheduleExpression: 'cron(0 3 * * ? *)', state: 'DISABLED' });
      expect(JSON.parse(inputs.target.input)).to.deep.equal({ mode: 'repair' });
    });

    it('fails the program, naming the key, on a one-time expression', async () => {
      const error = await loadProgram({ reconcileSchedule: 'at(2030-01-01T00:00:00)' }).then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).to.have.property('name', 'ConfigError');
      expect(String(error)).to.include('scheduler-observer:reconcileSchedule = "at(2030-01-01T00:00:00)"');
    });
  });
});
