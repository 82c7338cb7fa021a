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
import { constraintCases, declaredErrors, loadApiModel, outcomeOf } from '../support/api-model';

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

    for (const c of casesFor(operation)) {
      const key = c.key;
      const gap = DELIBERATE_GAPS[key];
      it(gap ? `does not enforce ${key} (deliberate: ${gap})` : `answers ValidationException naming ${c.path.at(-1)} when ${operation}.${c.path.join('.')} breaks ${c.constraint}`, async () => {
        // Prepare
        const input = await prepare(operation, ++n);
        c.breakIt(input);
        // Act
        const outcome = await outcomeOf(send(operation, input));
        // Assess
        if (gap) {
          expect(outcome, `${key} is listed as a deliberate gap but the model enforces it: remove it from DELIBERATE_GAPS`).to.equal(undefined);
          return;
        }
        expect(outcome, `${key} was accepted`).to.not.equal(undefined);
        expect(outcome!.name).to.equal('ValidationException');
        expect(outcome!.$metadata?.httpStatusCode).to.equal(400);
        expect(declaredErrors(API, operation)).to.include(outcome!.name);
        expect(outcome!.message.toLowerCase()).to.include(String(c.path.at(-1)).toLowerCase());
      });
    }
  }

  it('generates a case for every constrained member of every served operation (the generator is not empty)', () => {
    expect(Object.keys(BASELINES).flatMap(casesFor).length).to.be.greaterThan(60);
  });
});
