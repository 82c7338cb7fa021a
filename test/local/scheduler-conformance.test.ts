/**
 * The local Scheduler model against the official API model (../shared/aws-models/scheduler.service-2.json, the
 * service definition AWS publishes for its SDKs), generated, not re-typed: for every operation the model serves,
 * every input member's constraint (required, length, pattern, enum, range, list size) is broken once, from a
 * request that succeeds, through the real SDK client; the model must answer ValidationException (400), an error
 * the operation declares, naming the member. Where the model deliberately does less, DELIBERATE_GAPS says so.
 */
import * as scheduler from '@aws-sdk/client-scheduler';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { expect } from 'chai';
import { startSchedulerModel, type SchedulerModel } from '../../local/scheduler';
import { READ_OPERATIONS, WRITE_OPERATIONS, type OperationName } from '../../local/scheduler/operations';
import { constraintCases, declaredErrors, deliberateGaps, expectRefusalNaming, itRejectsEachBrokenConstraint, loadApiModel, outcomeOf } from '../support/api-model';

const API = loadApiModel('scheduler');

const ACCOUNT = '123456789012';
const TARGET = { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:q`, RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`, RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 }, DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq` }, Input: '{}' };
const SCHEDULE = { ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 5 }, Target: TARGET, Description: 'd', State: 'ENABLED', ActionAfterCompletion: 'NONE', ScheduleExpressionTimezone: 'UTC' };

/** A request of each served operation that succeeds on a model holding the schedule `existing` in group `g`. */
const BASELINES: Record<string, (n: number) => Record<string, unknown>> = {
  CreateSchedule: (n) => ({ Name: `new-${n}`, GroupName: 'g', ClientToken: `token-${n}`, ...SCHEDULE }),
  UpdateSchedule: () => ({ Name: 'existing', GroupName: 'g', ClientToken: 'update-token', ...SCHEDULE }),
  GetSchedule: () => ({ Name: 'existing', GroupName: 'g' }),
  DeleteSchedule: (n) => ({ Name: `doomed-${n}`, GroupName: 'g', ClientToken: `delete-${n}` }),
  ListSchedules: () => ({ GroupName: 'g', NamePrefix: 'e', State: 'ENABLED', MaxResults: 10 }),
  CreateScheduleGroup: (n) => ({ Name: `group-${n}`, ClientToken: `group-token-${n}`, Tags: [{ Key: 'team', Value: 'platform' }] }),
  GetScheduleGroup: () => ({ Name: 'g' }),
  DeleteScheduleGroup: (n) => ({ Name: `doomed-group-${n}`, ClientToken: `delete-group-${n}` }),
  ListScheduleGroups: () => ({ NamePrefix: 'g', MaxResults: 10 }),
};

/**
 * Constraints the model does not enforce, each on purpose, by `Operation.path constraint`. Checked both ways: a
 * listed gap that the model does enforce fails this test too.
 */
const DELIBERATE_GAPS: Record<string, string> = {};

/**
 * Errors every Scheduler operation may answer without declaring them
 * (https://docs.aws.amazon.com/scheduler/latest/APIReference/CommonErrors.html): AccessDeniedException, and
 * UnrecognizedClientException for an access key the account does not know (the JSON/REST services' name for the
 * page's InvalidClientTokenId).
 */
const COMMON_ERRORS = ['AccessDeniedException', 'UnrecognizedClientException'];

/**
 * Each error the model answers, by the situation that causes it: the name must be one the operation declares (or a
 * common error). Situations use the names `existing` (a schedule) and `g` (a group) that the suite creates.
 */
const ERROR_SITUATIONS: Array<{ operation: string; situation: string; input: Record<string, unknown>; error: string }> = [
  { operation: 'GetSchedule', situation: 'the schedule does not exist', input: { Name: 'absent', GroupName: 'g' }, error: 'ResourceNotFoundException' },
  { operation: 'GetSchedule', situation: 'the group does not exist', input: { Name: 'existing', GroupName: 'absent-group' }, error: 'ResourceNotFoundException' },
  { operation: 'CreateSchedule', situation: 'the name is taken', input: { Name: 'existing', GroupName: 'g', ...SCHEDULE }, error: 'ConflictException' },
  { operation: 'CreateSchedule', situation: 'the group does not exist', input: { Name: 'x', GroupName: 'absent-group', ...SCHEDULE }, error: 'ResourceNotFoundException' },
  { operation: 'UpdateSchedule', situation: 'the schedule does not exist', input: { Name: 'absent', GroupName: 'g', ...SCHEDULE }, error: 'ResourceNotFoundException' },
  { operation: 'DeleteSchedule', situation: 'the schedule does not exist', input: { Name: 'absent', GroupName: 'g' }, error: 'ResourceNotFoundException' },
  { operation: 'ListSchedules', situation: 'the group does not exist', input: { GroupName: 'absent-group' }, error: 'ResourceNotFoundException' },
  { operation: 'ListSchedules', situation: 'the NextToken was not issued by the model', input: { NextToken: 'forged' }, error: 'ValidationException' },
  { operation: 'ListScheduleGroups', situation: 'the NextToken was not issued by the model', input: { NextToken: 'forged' }, error: 'ValidationException' },
  { operation: 'CreateScheduleGroup', situation: 'the name is taken', input: { Name: 'g' }, error: 'ConflictException' },
  { operation: 'GetScheduleGroup', situation: 'the group does not exist', input: { Name: 'absent-group' }, error: 'ResourceNotFoundException' },
  { operation: 'DeleteScheduleGroup', situation: 'the group does not exist', input: { Name: 'absent-group' }, error: 'ResourceNotFoundException' },
  { operation: 'DeleteScheduleGroup', situation: 'the group is `default`', input: { Name: 'default' }, error: 'ValidationException' },
];

const casesFor = (operation: string) => constraintCases(API, operation, BASELINES[operation]!(0));

describe('local Scheduler model conforms to the official API model', function () {
  this.timeout(60_000);
  let model: SchedulerModel;
  let client: SchedulerClient;
  let n = 0;

  before(async () => {
    model = await startSchedulerModel();
    client = new SchedulerClient(model.clientConfig({ maxAttempts: 1 }));
    await client.send(new scheduler.CreateScheduleGroupCommand({ Name: 'g' }));
    await client.send(new scheduler.CreateScheduleCommand({ Name: 'existing', GroupName: 'g', ...(SCHEDULE as object) } as scheduler.CreateScheduleCommandInput));
  });
  after(async () => {
    client.destroy();
    await model.close();
  });

  /** Sends `operation` with `input` through the real SDK command of that name. */
  async function send(operation: string, input: Record<string, unknown>): Promise<unknown> {
    const Command = (scheduler as unknown as Record<string, new (input: unknown) => scheduler.GetScheduleCommand>)[`${operation}Command`]!;
    return client.send(new Command(input));
  }

  async function prepare(operation: string, i: number): Promise<Record<string, unknown>> {
    const input = structuredClone(BASELINES[operation]!(i));
    if (operation === 'DeleteSchedule') await client.send(new scheduler.CreateScheduleCommand({ Name: input.Name as string, GroupName: 'g', ...(SCHEDULE as object) } as scheduler.CreateScheduleCommandInput));
    if (operation === 'DeleteScheduleGroup') await client.send(new scheduler.CreateScheduleGroupCommand({ Name: input.Name as string }));
    return input;
  }

  for (const operation of Object.keys(BASELINES)) {
    it(`accepts the baseline ${operation} request the cases below break`, async () => {
      await send(operation, await prepare(operation, ++n));
    });

    itRejectsEachBrokenConstraint({
      cases: casesFor(operation),
      gaps: deliberateGaps(DELIBERATE_GAPS, 'the model'),
      prepare: () => prepare(operation, ++n),
      send: (input) => send(operation, input),
      expectRejection: (outcome, c) => expectRefusalNaming(outcome, c, { name: 'ValidationException', allowed: declaredErrors(API, operation) }),
    });
  }

  for (const { operation, situation, input, error } of ERROR_SITUATIONS) {
    it(`answers ${error}, which ${operation} declares, when ${situation}`, async () => {
      const outcome = await outcomeOf(send(operation, structuredClone(input)));
      expect(outcome?.name).to.equal(error);
      expect([...declaredErrors(API, operation), ...COMMON_ERRORS]).to.include(error);
    });
  }

  for (const operation of Object.keys(BASELINES)) {
    it(`answers the faults a caller must handle on ${operation} with names it declares (throttling, internal error)`, async () => {
      model.throttleNext(operation as OperationName, 1);
      model.failNext(operation as OperationName, 1);
      const throttled = await outcomeOf(send(operation, await prepare(operation, ++n)));
      const failed = await outcomeOf(send(operation, await prepare(operation, ++n)));
      expect([throttled?.name, failed?.name]).to.deep.equal(['ThrottlingException', 'InternalServerException']);
      expect(declaredErrors(API, operation)).to.include.members(['ThrottlingException', 'InternalServerException']);
    });
  }

  it('answers ServiceQuotaExceededException, which CreateSchedule and CreateScheduleGroup declare, at the quotas', async () => {
    const full = await startSchedulerModel({ quotas: { schedules: 1, groups: 1 } });
    const fullClient = new SchedulerClient(full.clientConfig({ maxAttempts: 1 }));
    try {
      await fullClient.send(new scheduler.CreateScheduleCommand({ Name: 'one', ...(SCHEDULE as object) } as scheduler.CreateScheduleCommandInput));
      const schedule = await outcomeOf(fullClient.send(new scheduler.CreateScheduleCommand({ Name: 'two', ...(SCHEDULE as object) } as scheduler.CreateScheduleCommandInput)));
      const group = await outcomeOf(fullClient.send(new scheduler.CreateScheduleGroupCommand({ Name: 'second' })));
      expect([schedule?.name, group?.name]).to.deep.equal(['ServiceQuotaExceededException', 'ServiceQuotaExceededException']);
      expect(declaredErrors(API, 'CreateSchedule')).to.include('ServiceQuotaExceededException');
      expect(declaredErrors(API, 'CreateScheduleGroup')).to.include('ServiceQuotaExceededException');
    } finally {
      fullClient.destroy();
      await full.close();
    }
  });

  it('has a baseline, and so conformance cases, for every operation the model serves', () => {
    expect(Object.keys(BASELINES)).to.have.members([...WRITE_OPERATIONS, ...READ_OPERATIONS]);
    for (const operation of Object.keys(BASELINES)) expect(API.operations, operation).to.have.property(operation);
  });

  it('generates a case for every constrained member of every served operation (the generator is not empty)', () => {
    expect(Object.keys(BASELINES).flatMap(casesFor).length).to.be.greaterThan(60);
  });
});
