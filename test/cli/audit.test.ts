/**
 * `audit`, one case per pass / warn / fail of each check. The reconciler timer is read from the local Scheduler
 * model through the real SchedulerClient. CloudTrail, EventBridge (DescribeRule), SQS and Step Functions have
 * no local HTTP engine here: their clients are aws-sdk-client-mock, answering with the response shapes of the
 * API references (DescribeTrails, GetTrailStatus, GetEventSelectors, DescribeRule, GetQueueAttributes,
 * ListExecutions).
 */
import { expect } from 'chai';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import { DescribeRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, CreateScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ListExecutionsCommand, SFNClient, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startSchedulerModel, type SchedulerModel } from '../../local/scheduler';
import type { CheckResult } from '../../cli/commands/audit';
import { runCli } from './support/run-cli';
import { matchSnapshot } from './support/snapshot';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const STATE_MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:scheduler-observer-reconciler-state-machine-7f3e2a1`;
const DLQ = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/scheduler-observer-dlq-4c2d1e0`;
const RULE = 'scheduler-observer-rule-9a8b7c6';
const NOW = new Date('2026-11-24T21:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

const TRAIL: Trail = {
  Name: 'management-events',
  S3BucketName: 'aws-cloudtrail-logs-123456789012-0a1b2c3d',
  IncludeGlobalServiceEvents: true,
  IsMultiRegionTrail: true,
  HomeRegion: REGION,
  TrailARN: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/management-events`,
  LogFileValidationEnabled: true,
  HasCustomEventSelectors: false,
  HasInsightSelectors: false,
  IsOrganizationTrail: false,
};
const BASIC_ALL = { EventSelectors: [{ ReadWriteType: 'All' as const, IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] };

function execution(name: string, status: ExecutionListItem['status'], stoppedMinutesAgo: number): ExecutionListItem {
  return {
    executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${name}`,
    stateMachineArn: STATE_MACHINE,
    name,
    status,
    startDate: minutesAgo(stoppedMinutesAgo + 1),
    ...(status === 'RUNNING' ? {} : { stopDate: minutesAgo(stoppedMinutesAgo) }),
  };
}

describe('scheduler-observer audit', () => {
  const cloudtrail = mockClient(CloudTrailClient);
  const eventbridge = mockClient(EventBridgeClient);
  const sqs = mockClient(SQSClient);
  const sfn = mockClient(SFNClient);
  const clients = {
    cloudtrail: new CloudTrailClient({ region: REGION }),
    eventbridge: new EventBridgeClient({ region: REGION }),
    sqs: new SQSClient({ region: REGION }),
    sfn: new SFNClient({ region: REGION }),
  };
  let model: SchedulerModel;
  let scheduler: SchedulerClient;
  let groups = 0;
  let timerGroup: string;

  before(async () => {
    model = await startSchedulerModel({ region: REGION, accountId: ACCOUNT });
    scheduler = new SchedulerClient(model.clientConfig({ maxAttempts: 1 }));
  });
  after(async () => {
    scheduler.destroy();
    for (const client of Object.values(clients)) client.destroy();
    await model.close();
  });

  /** A timer group of its own per test, holding the reconciler's timer as infra/reconciler.ts deploys it. */
  async function createTimer(options: { state?: 'ENABLED' | 'DISABLED'; target?: string } = {}): Promise<void> {
    timerGroup = `scheduler-observer-reconciler-timer-test${++groups}`;
    await scheduler.send(new CreateScheduleGroupCommand({ Name: timerGroup }));
    await scheduler.send(
      new CreateScheduleCommand({
        Name: `scheduler-observer-reconciler-timer-${groups}f00d`,
        GroupName: timerGroup,
        ScheduleExpression: 'rate(1 hour)',
        ScheduleExpressionTimezone: 'UTC',
        State: options.state ?? 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: options.target ?? STATE_MACHINE, RoleArn: `arn:aws:iam::${ACCOUNT}:role/timer`, Input: '{"mode":"report"}' },
      }),
    );
  }

  // A class mock patches every client of that class in this process; mocha's parallel workers run other files after
  // this one, whose real clients must reach their engines.
  after(() => {
    for (const mock of [cloudtrail, eventbridge, sqs, sfn]) mock.restore();
  });

  beforeEach(async () => {
    for (const mock of [cloudtrail, eventbridge, sqs, sfn]) mock.reset();
    // Everything passes unless a case changes it.
    cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [TRAIL] });
    cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true, LatestDeliveryTime: minutesAgo(3), StartLoggingTime: minutesAgo(90_000) });
    cloudtrail.on(GetEventSelectorsCommand).resolves({ TrailARN: TRAIL.TrailARN, ...BASIC_ALL });
    eventbridge.on(DescribeRuleCommand).resolves({ Name: RULE, Arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/${RULE}`, State: 'ENABLED', EventBusName: 'default' });
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '0' } });
    sfn.on(ListExecutionsCommand).resolves({ executions: [execution('2f9c0d1e-run', 'SUCCEEDED', 12)] });
    await createTimer();
  });

  const audit = (...extra: string[]) =>
    runCli(
      ['audit', '--rule-name', RULE, '--dlq-url', DLQ, '--state-machine-arn', STATE_MACHINE, '--timer-group', timerGroup, ...extra],
      { clients: { ...clients, scheduler }, now: () => NOW },
    );
  const checks = async (...extra: string[]) => {
    const result = await audit(...extra, '--format', 'json');
    return { code: result.code, results: JSON.parse(result.stdout) as CheckResult[], stderr: result.stderr };
  };
  const find = (results: CheckResult[], check: string) => results.find((r) => r.check === check)!;

  it('passes every check and exits 0 when the stack is healthy', async () => {
    const result = await audit();
    expect(result).to.include({ code: 0, stderr: '' });
    matchSnapshot('audit.pass', result.stdout.replace(timerGroup, 'scheduler-observer-reconciler-timer-dev').replace(/timer-\d+f00d/, 'timer-0a1b2c3'));
  });

  interface Case {
    check: string;
    status: 'pass' | 'warn' | 'fail';
    reason: string;
    arrange: () => void | Promise<void>;
    detail: RegExp;
    fix?: RegExp;
    extra?: string[];
  }
  const trail = (overrides: Partial<Trail>) => () => void cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [{ ...TRAIL, ...overrides }] });
  const selectors = (value: object) => () => void cloudtrail.on(GetEventSelectorsCommand).resolves({ TrailARN: TRAIL.TrailARN, ...value });
  const advanced = (...fields: object[]) => selectors({ AdvancedEventSelectors: [{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, ...fields] }] });
  const awsError = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

  const cases: Case[] = [
    // CloudTrail trail
    { check: 'CloudTrail trail', status: 'pass', reason: 'advanced selectors log management writes', arrange: advanced({ Field: 'readOnly', Equals: ['false'] }), detail: /is logging management write events in us-east-1/ },
    { check: 'CloudTrail trail', status: 'pass', reason: 'a multi-region trail is homed in another region', arrange: trail({ HomeRegion: 'eu-west-1' }), detail: /trail management-events \(multi-region\) is logging/ },
    { check: 'CloudTrail trail', status: 'fail', reason: 'there is no trail', arrange: () => void cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [] }), detail: /no CloudTrail trail logs us-east-1/, fix: /createTrail true/ },
    { check: 'CloudTrail trail', status: 'fail', reason: 'the only trail is single-region elsewhere', arrange: trail({ IsMultiRegionTrail: false, HomeRegion: 'eu-west-1' }), detail: /no CloudTrail trail logs us-east-1/ },
    { check: 'CloudTrail trail', status: 'fail', reason: 'the trail has stopped logging', arrange: () => void cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: false }), detail: /logging is stopped/, fix: /aws cloudtrail start-logging --name arn:aws:cloudtrail:us-east-1:123456789012:trail\/management-events/ },
    { check: 'CloudTrail trail', status: 'fail', reason: 'the selectors log read-only events', arrange: selectors({ EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] }), detail: /log no management write events/ },
    { check: 'CloudTrail trail', status: 'fail', reason: 'advanced selectors exclude scheduler.amazonaws.com', arrange: advanced({ Field: 'eventSource', NotEquals: ['scheduler.amazonaws.com'] }), detail: /no advanced event selector includes management write events/ },
    { check: 'CloudTrail trail', status: 'warn', reason: "an organization trail's status cannot be read", arrange: () => { trail({ IsOrganizationTrail: true })(); cloudtrail.on(GetTrailStatusCommand).rejects(awsError('TrailNotFoundException', 'Unknown trail')); }, detail: /organization, multi-region\): logging status unknown \(TrailNotFoundException: Unknown trail\)/ },
    { check: 'CloudTrail trail', status: 'warn', reason: 'advanced selectors also filter on a field not evaluated', arrange: advanced({ Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:sts::123456789012:assumed-role/ci'] }), detail: /may not include Scheduler writes: selector "Management events" also filters on userIdentity.arn/ },
    { check: 'CloudTrail trail', status: 'warn', reason: 'DescribeTrails is denied', arrange: () => void cloudtrail.on(DescribeTrailsCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: cloudtrail:DescribeTrails')), detail: /could not check: access denied \(AccessDeniedException\)/, fix: /allow the read-only action/ },
    // Observer rule
    { check: 'Observer rule', status: 'fail', reason: 'the rule is disabled', arrange: () => void eventbridge.on(DescribeRuleCommand).resolves({ Name: RULE, State: 'DISABLED' }), detail: /is DISABLED/, fix: new RegExp(`aws events enable-rule --name ${RULE}`) },
    { check: 'Observer rule', status: 'fail', reason: 'the rule does not exist', arrange: () => void eventbridge.on(DescribeRuleCommand).rejects(awsError('ResourceNotFoundException', `Rule ${RULE} does not exist.`)), detail: /does not exist/, fix: /pulumi up/ },
    // Dead-letter queue
    { check: 'Dead-letter queue', status: 'fail', reason: 'the DLQ holds messages', arrange: () => void sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '2', ApproximateNumberOfMessagesNotVisible: '1', ApproximateNumberOfMessagesDelayed: '0' } }), detail: /^3 message\(s\)/, fix: /reconcile --mode repair --wait/ },
    { check: 'Dead-letter queue', status: 'fail', reason: 'the DLQ does not exist', arrange: () => void sqs.on(GetQueueAttributesCommand).rejects(awsError('QueueDoesNotExist', 'The specified queue does not exist.')), detail: /does not exist/ },
    { check: 'Dead-letter queue', status: 'warn', reason: 'no DLQ URL is known', arrange: () => undefined, extra: ['--dlq-url', ''], detail: /not checked: no --dlq-url given/, fix: /pass --dlq-url/ },
    // Reconciler timer (local Scheduler model)
    { check: 'Reconciler timer', status: 'warn', reason: 'the timer is disabled', arrange: () => createTimer({ state: 'DISABLED' }), detail: /\(rate\(1 hour\)\) is DISABLED: no timed runs/, fix: /reconcileEnabled true/ },
    { check: 'Reconciler timer', status: 'fail', reason: 'the timer group holds no schedule', arrange: async () => { timerGroup = `scheduler-observer-reconciler-timer-empty${++groups}`; await scheduler.send(new CreateScheduleGroupCommand({ Name: timerGroup })); }, detail: /no schedule in group .* starts the reconciler/ },
    { check: 'Reconciler timer', status: 'fail', reason: "the group's only schedule starts something else", arrange: () => createTimer({ target: 'arn:aws:lambda:us-east-1:123456789012:function:other' }), detail: /starts arn:aws:lambda:us-east-1:123456789012:function:other, not the reconciler/ },
    { check: 'Reconciler timer', status: 'fail', reason: 'the named timer does not exist', arrange: () => undefined, extra: ['--timer-name', 'gone'], detail: /\/gone does not exist/ },
    { check: 'Reconciler timer', status: 'warn', reason: 'Scheduler throttles', arrange: () => model.throttleNext('ListSchedules', 1), detail: /could not check: AWS is throttling requests \(ThrottlingException\)/ },
    // Last reconciliation
    { check: 'Last reconciliation', status: 'fail', reason: 'the last run failed', arrange: () => void sfn.on(ListExecutionsCommand).resolves({ executions: [execution('run-3', 'RUNNING', 0), execution('run-2', 'FAILED', 50), execution('run-1', 'SUCCEEDED', 110)] }), detail: /last run run-2 FAILED 50 minutes ago \(1 running now\)/, fix: /console\.aws\.amazon\.com/ },
    { check: 'Last reconciliation', status: 'warn', reason: 'the last success is older than two timer periods', arrange: () => void sfn.on(ListExecutionsCommand).resolves({ executions: [execution('run-1', 'SUCCEEDED', 185)] }), detail: /succeeded 3 hours ago: overdue/ },
    { check: 'Last reconciliation', status: 'warn', reason: 'there has been no run yet', arrange: () => void sfn.on(ListExecutionsCommand).resolves({ executions: [] }), detail: /no finished reconciler run yet/, fix: /reconcile --wait/ },
  ];
  for (const c of cases) {
    it(`${c.check}: ${c.status} when ${c.reason}`, async () => {
      await c.arrange();
      const { code, results } = await checks(...(c.extra ?? []));
      const result = find(results, c.check);
      expect(result.status, result.detail).to.equal(c.status);
      expect(result.detail).to.match(c.detail);
      if (c.fix) expect(result.fix).to.match(c.fix);
      expect(code).to.equal(results.some((r) => r.status === 'fail') ? 2 : 0);
      const others = results.filter((r) => r.check !== c.check && r.status !== 'pass');
      expect(others, 'the other checks are unaffected').to.deep.equal([]);
    });
  }

  it('prints each problem with its fix and exits 2 when a check fails', async () => {
    eventbridge.on(DescribeRuleCommand).resolves({ Name: RULE, State: 'DISABLED' });
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '4' } });
    const result = await audit();
    expect(result.code).to.equal(2);
    matchSnapshot('audit.fail', result.stdout.replace(timerGroup, 'scheduler-observer-reconciler-timer-dev').replace(/timer-\d+f00d/, 'timer-0a1b2c3'));
  });

  it('ends with one line, exit 1, when there are no credentials (every check would fail alike)', async () => {
    cloudtrail.on(DescribeTrailsCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const result = await audit();
    expect(result).to.deep.include({ code: 1, stdout: '' });
    expect(result.stderr).to.match(/^error: no AWS credentials found/).and.not.include('\n    at');
  });
});
