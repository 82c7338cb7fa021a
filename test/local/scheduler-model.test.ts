import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  paginateListSchedules,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { expect } from 'chai';
import type { CloudTrailEventBridgeEvent } from '../../local/cloudtrail-record';
import { startSchedulerModel, type SchedulerModel, type SchedulerModelOptions } from '../../local/scheduler';
import { errorOf } from '../support/error-of';

const ACCOUNT = '123456789012';
const LAMBDA_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:report`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/scheduler-invoke`;

/** The smallest valid CreateSchedule input; cases override what they test. */
function scheduleInput(overrides: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput {
  return {
    Name: 'nightly-report',
    ScheduleExpression: 'cron(0 2 * * ? *)',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: LAMBDA_ARN, RoleArn: ROLE_ARN },
    ...overrides,
  };
}


interface Harness {
  model: SchedulerModel;
  client: SchedulerClient;
  events: CloudTrailEventBridgeEvent[];
}

/** Starts a model with a recording onEvent and a real SDK client on it; stops both after the suite. */
function useModel(options: SchedulerModelOptions = {}, clientMaxAttempts = 1): Harness {
  const harness = { events: [] as CloudTrailEventBridgeEvent[] } as Harness;
  beforeEach(async () => {
    harness.events.length = 0;
    harness.model = await startSchedulerModel({ ...options, onEvent: (event) => harness.events.push(event) });
    harness.client = new SchedulerClient(harness.model.clientConfig({ maxAttempts: clientMaxAttempts }));
  });
  afterEach(async () => {
    harness.client.destroy();
    await harness.model.close();
  });
  return harness;
}

describe('local Scheduler model', () => {
  describe('schedule CRUD', () => {
    const h = useModel({ now: () => new Date('2026-03-07T00:51:07.250Z') });

    it('returns every GetSchedule field when a schedule was created with all of them', async () => {
      // Prepare
      await h.client.send(new CreateScheduleGroupCommand({ Name: 'billing' }));
      const full = scheduleInput({
        GroupName: 'billing',
        Description: 'Sends the nightly report',
        ScheduleExpression: 'rate(5 minutes)',
        ScheduleExpressionTimezone: 'Europe/Paris',
        StartDate: new Date('2030-01-01T00:00:00Z'),
        EndDate: new Date('2031-01-01T00:00:00Z'),
        State: 'DISABLED',
        KmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        ActionAfterCompletion: 'NONE',
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
        Target: {
          Arn: LAMBDA_ARN,
          RoleArn: ROLE_ARN,
          Input: '{"kind":"nightly"}',
          RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 3 },
          DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq` },
        },
      });

      // Act
      const created = await h.client.send(new CreateScheduleCommand(full));
      const got = await h.client.send(new GetScheduleCommand({ Name: 'nightly-report', GroupName: 'billing' }));

      // Assess
      const arn = `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/billing/nightly-report`;
      expect(created.ScheduleArn).to.equal(arn);
      const { $metadata, ...output } = got;
      expect(output).to.deep.equal({
        Arn: arn,
        Name: 'nightly-report',
        GroupName: 'billing',
        Description: full.Description,
        ScheduleExpression: full.ScheduleExpression,
        ScheduleExpressionTimezone: 'Europe/Paris',
        StartDate: full.StartDate,
        EndDate: full.EndDate,
        State: 'DISABLED',
        KmsKeyArn: full.KmsKeyArn,
        ActionAfterCompletion: 'NONE',
        FlexibleTimeWindow: full.FlexibleTimeWindow,
        Target: full.Target,
        // Epoch seconds with a millisecond fraction on the wire: the SDK reads them back to the millisecond.
        CreationDate: new Date('2026-03-07T00:51:07.250Z'),
        LastModificationDate: new Date('2026-03-07T00:51:07.250Z'),
      });
    });

    it('keeps CreationDate and moves LastModificationDate when a schedule is updated', async () => {
      // Prepare
      let now = new Date('2026-03-07T00:00:00.000Z');
      const model = await startSchedulerModel({ now: () => now });
      const client = new SchedulerClient(model.clientConfig());
      await client.send(new CreateScheduleCommand(scheduleInput()));
      now = new Date('2026-03-07T01:00:00.500Z');

      // Act
      await client.send(new UpdateScheduleCommand(scheduleInput({ ScheduleExpression: 'rate(1 hour)' })));
      const got = await client.send(new GetScheduleCommand({ Name: 'nightly-report' }));

      // Assess
      expect(got.ScheduleExpression).to.equal('rate(1 hour)');
      expect(got.CreationDate).to.deep.equal(new Date('2026-03-07T00:00:00.000Z'));
      expect(got.LastModificationDate).to.deep.equal(new Date('2026-03-07T01:00:00.500Z'));
      client.destroy();
      await model.close();
    });

    it('resets omitted optional fields to their defaults when UpdateSchedule leaves them out', async () => {
      // UpdateSchedule is a full replacement: https://docs.aws.amazon.com/scheduler/latest/APIReference/API_UpdateSchedule.html
      // Prepare
      await h.client.send(new CreateScheduleCommand(scheduleInput({
        Description: 'will be reset',
        State: 'DISABLED',
        ScheduleExpressionTimezone: 'Europe/Paris',
        ActionAfterCompletion: 'DELETE',
        Target: { Arn: LAMBDA_ARN, RoleArn: ROLE_ARN, Input: '{}', RetryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 0 } },
      })));

      // Act
      await h.client.send(new UpdateScheduleCommand(scheduleInput()));
      const got = await h.client.send(new GetScheduleCommand({ Name: 'nightly-report' }));

      // Assess
      expect(got.Description).to.equal(undefined);
      expect(got.State).to.equal('ENABLED');
      expect(got.ScheduleExpressionTimezone).to.equal('UTC');
      expect(got.ActionAfterCompletion).to.equal('NONE');
      expect(got.Target).to.deep.equal({
        Arn: LAMBDA_ARN,
        RoleArn: ROLE_ARN,
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
      });
    });

    it('answers ResourceNotFoundException when a deleted schedule is read', async () => {
      await h.client.send(new CreateScheduleCommand(scheduleInput()));
      await h.client.send(new DeleteScheduleCommand({ Name: 'nightly-report' }));

      const error = await errorOf(h.client.send(new GetScheduleCommand({ Name: 'nightly-report' })));

      expect(error.name).to.equal('ResourceNotFoundException');
      expect(h.model.snapshot()).to.deep.equal([]);
    });

    it('returns the truth as ScheduleSpec when snapshot is called', async () => {
      await h.client.send(new CreateScheduleCommand(scheduleInput({ Target: { Arn: LAMBDA_ARN, RoleArn: ROLE_ARN, Input: '{}' } })));

      expect(h.model.snapshot()).to.deep.equal([{
        groupName: 'default',
        name: 'nightly-report',
        arn: `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/nightly-report`,
        scheduleExpression: 'cron(0 2 * * ? *)',
        scheduleExpressionTimezone: 'UTC',
        state: 'ENABLED',
        actionAfterCompletion: 'NONE',
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: LAMBDA_ARN,
          roleArn: ROLE_ARN,
          input: '{}',
          retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
        },
        creationDate: '2026-03-07T00:51:07.250Z',
        lastModificationDate: '2026-03-07T00:51:07.250Z',
      }]);
    });
  });

  describe('schedule groups', () => {
    const h = useModel();

    it('lists the default group, which always exists, with the groups created', async () => {
      await h.client.send(new CreateScheduleGroupCommand({ Name: 'billing' }));

      const listed = await h.client.send(new ListScheduleGroupsCommand({}));
      const group = await h.client.send(new GetScheduleGroupCommand({ Name: 'billing' }));

      expect(listed.ScheduleGroups?.map((g) => [g.Name, g.State])).to.deep.equal([['billing', 'ACTIVE'], ['default', 'ACTIVE']]);
      expect(group.Arn).to.equal(`arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule-group/billing`);
    });

    it('deletes the group\'s schedules with it and emits only the group\'s event', async () => {
      // Prepare
      await h.client.send(new CreateScheduleGroupCommand({ Name: 'billing' }));
      for (const name of ['a', 'b', 'c']) {
        await h.client.send(new CreateScheduleCommand(scheduleInput({ Name: name, GroupName: 'billing' })));
      }
      await h.client.send(new CreateScheduleCommand(scheduleInput({ Name: 'kept' })));
      h.events.length = 0;

      // Act
      await h.client.send(new DeleteScheduleGroupCommand({ Name: 'billing' }));

      // Assess
      expect(h.model.snapshot().map((s) => `${s.groupName}/${s.name}`)).to.deep.equal(['default/kept']);
      expect(h.events.map((e) => e.detail.eventName)).to.deep.equal(['DeleteScheduleGroup']);
      const error = await errorOf(h.client.send(new GetScheduleCommand({ Name: 'a', GroupName: 'billing' })));
      expect(error.name).to.equal('ResourceNotFoundException');
    });

    it('answers ConflictException while a group is being deleted when deletion is deferred', async () => {
      // AWS deletes a group asynchronously: https://docs.aws.amazon.com/scheduler/latest/APIReference/API_DeleteScheduleGroup.html
      const model = await startSchedulerModel({ groupDeletion: 'deferred' });
      const client = new SchedulerClient(model.clientConfig({ maxAttempts: 1 }));
      await client.send(new CreateScheduleGroupCommand({ Name: 'billing' }));
      await client.send(new DeleteScheduleGroupCommand({ Name: 'billing' }));

      const group = await client.send(new GetScheduleGroupCommand({ Name: 'billing' }));
      const error = await errorOf(client.send(new CreateScheduleCommand(scheduleInput({ GroupName: 'billing' }))));
      model.completeGroupDeletions();
      const gone = await errorOf(client.send(new GetScheduleGroupCommand({ Name: 'billing' })));

      expect(group.State).to.equal('DELETING');
      expect(error.name).to.equal('ConflictException');
      expect(gone.name).to.equal('ResourceNotFoundException');
      client.destroy();
      await model.close();
    });
  });

  describe('validation', () => {
    const h = useModel();
    const cases: Array<{ reason: string; message: RegExp; input: Partial<CreateScheduleCommandInput> }> = [
      { reason: 'the name is 65 characters long', message: /at 'name'.*length between 1 and 64/, input: { Name: 'n'.repeat(65) } },
      { reason: 'the name has a character outside [0-9a-zA-Z-_.]', message: /at 'name'.*regular expression pattern/, input: { Name: 'bad:name' } },
      { reason: 'the group name has a space', message: /at 'groupName'/, input: { GroupName: 'bad group' } },
      { reason: 'the description is 513 characters long', message: /at 'description'.*between 0 and 512/, input: { Description: 'd'.repeat(513) } },
      { reason: 'the expression is none of at(), rate(), cron()', message: /Invalid Schedule Expression/, input: { ScheduleExpression: 'every 5 minutes' } },
      { reason: 'the rate value is 0', message: /Invalid Schedule Expression/, input: { ScheduleExpression: 'rate(0 minutes)' } },
      { reason: 'the rate unit is weeks', message: /Invalid Schedule Expression/, input: { ScheduleExpression: 'rate(2 weeks)' } },
      { reason: 'the cron expression has five fields', message: /Invalid Schedule Expression/, input: { ScheduleExpression: 'cron(0 12 * * ?)' } },
      { reason: 'cron day-of-month and day-of-week are both set', message: /Invalid Schedule Expression/, input: { ScheduleExpression: 'cron(0 12 1 * MON *)' } },
      { reason: 'the at() date does not exist', message: /Invalid Schedule Expression/, input: { ScheduleExpression: 'at(2030-02-30T00:00:00)' } },
      { reason: 'the at() expression carries a Z suffix', message: /Invalid Schedule Expression/, input: { ScheduleExpression: 'at(2030-01-01T00:00:00Z)' } },
      { reason: 'the time zone is not an IANA zone', message: /Invalid time zone/, input: { ScheduleExpressionTimezone: 'Mars/Olympus_Mons' } },
      { reason: 'FlexibleTimeWindow is missing', message: /at 'flexibleTimeWindow'/, input: { FlexibleTimeWindow: undefined } },
      { reason: 'FlexibleTimeWindow.Mode is neither OFF nor FLEXIBLE', message: /at 'flexibleTimeWindow.mode'/, input: { FlexibleTimeWindow: { Mode: 'SOMETIMES' as 'OFF' } } },
      { reason: 'Mode FLEXIBLE has no MaximumWindowInMinutes', message: /MaximumWindowInMinutes is required/, input: { FlexibleTimeWindow: { Mode: 'FLEXIBLE' } } },
      { reason: 'MaximumWindowInMinutes is 1441', message: /at 'flexibleTimeWindow.maximumWindowInMinutes'.*less than or equal to 1440/, input: { FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 1441 } } },
      { reason: 'MaximumWindowInMinutes is 0', message: /at 'flexibleTimeWindow.maximumWindowInMinutes'.*greater than or equal to 1/, input: { FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 0 } } },
      { reason: 'Mode OFF has a MaximumWindowInMinutes', message: /must not be set/, input: { FlexibleTimeWindow: { Mode: 'OFF', MaximumWindowInMinutes: 5 } } },
      { reason: 'Target.Arn is missing', message: /at 'target.arn'/, input: { Target: { RoleArn: ROLE_ARN } as CreateScheduleCommandInput['Target'] } },
      { reason: 'Target.RoleArn is missing', message: /at 'target.roleArn'.*not be null/, input: { Target: { Arn: LAMBDA_ARN } as CreateScheduleCommandInput['Target'] } },
      { reason: 'Target.RoleArn is not an IAM role ARN', message: /at 'target.roleArn'.*pattern/, input: { Target: { Arn: LAMBDA_ARN, RoleArn: LAMBDA_ARN } } },
      {
        reason: 'MaximumRetryAttempts is 186', message: /maximumRetryAttempts'.*185/,
        input: { Target: { Arn: LAMBDA_ARN, RoleArn: ROLE_ARN, RetryPolicy: { MaximumRetryAttempts: 186 } } },
      },
      {
        reason: 'MaximumEventAgeInSeconds is 59', message: /maximumEventAgeInSeconds'.*60/,
        input: { Target: { Arn: LAMBDA_ARN, RoleArn: ROLE_ARN, RetryPolicy: { MaximumEventAgeInSeconds: 59 } } },
      },
      { reason: 'State is neither ENABLED nor DISABLED', message: /at 'state'/, input: { State: 'PAUSED' as 'ENABLED' } },
      { reason: 'ActionAfterCompletion is neither NONE nor DELETE', message: /at 'actionAfterCompletion'/, input: { ActionAfterCompletion: 'KEEP' as 'NONE' } },
      { reason: 'EndDate is before StartDate', message: /EndDate must be after/, input: { StartDate: new Date('2031-01-01'), EndDate: new Date('2030-01-01') } },
    ];

    for (const { reason, message, input } of cases) {
      it(`answers ValidationException (400) when ${reason}`, async () => {
        const error = await errorOf(h.client.send(new CreateScheduleCommand(scheduleInput(input))));

        expect(error.name, error.message).to.equal('ValidationException');
        expect(error.message, 'the message says what failed').to.match(message);
        expect(error.$metadata?.httpStatusCode).to.equal(400);
        expect(h.model.snapshot()).to.deep.equal([]);
      });
    }

    for (const maxResults of [0, 101]) {
      it(`answers ValidationException when ListSchedules MaxResults is ${maxResults}`, async () => {
        const error = await errorOf(h.client.send(new ListSchedulesCommand({ MaxResults: maxResults })));

        expect(error.name).to.equal('ValidationException');
      });
    }

    it('accepts each documented expression form when it is well formed', async () => {
      const expressions = ['at(2030-01-01T09:30:00)', 'rate(1 minute)', 'rate(5 minutes)', 'rate(2 days)', 'cron(0/15 8-17 ? * MON-FRI *)', 'cron(0 12 L * ? 2030)'];
      for (const [index, expression] of expressions.entries()) {
        await h.client.send(new CreateScheduleCommand(scheduleInput({ Name: `s${index}`, ScheduleExpression: expression })));
      }
      expect(h.model.snapshot().map((s) => s.scheduleExpression)).to.deep.equal(expressions);
    });
  });

  describe('not found and conflicts', () => {
    const h = useModel();
    const cases: Array<{ reason: string; act: (client: SchedulerClient) => Promise<unknown>; error: string; status: number }> = [
      {
        reason: 'a schedule is created in a group that does not exist',
        act: (c) => c.send(new CreateScheduleCommand(scheduleInput({ GroupName: 'missing' }))),
        error: 'ResourceNotFoundException', status: 404,
      },
      { reason: 'a missing schedule is read', act: (c) => c.send(new GetScheduleCommand({ Name: 'missing' })), error: 'ResourceNotFoundException', status: 404 },
      {
        reason: 'a missing schedule is updated',
        act: (c) => c.send(new UpdateScheduleCommand(scheduleInput({ Name: 'missing' }))),
        error: 'ResourceNotFoundException', status: 404,
      },
      { reason: 'a missing schedule is deleted', act: (c) => c.send(new DeleteScheduleCommand({ Name: 'missing' })), error: 'ResourceNotFoundException', status: 404 },
      {
        reason: 'schedules of a missing group are listed',
        act: (c) => c.send(new ListSchedulesCommand({ GroupName: 'missing' })),
        error: 'ResourceNotFoundException', status: 404,
      },
      { reason: 'a missing group is read', act: (c) => c.send(new GetScheduleGroupCommand({ Name: 'missing' })), error: 'ResourceNotFoundException', status: 404 },
      { reason: 'a missing group is deleted', act: (c) => c.send(new DeleteScheduleGroupCommand({ Name: 'missing' })), error: 'ResourceNotFoundException', status: 404 },
      {
        reason: 'a schedule that exists is created again',
        act: (c) => c.send(new CreateScheduleCommand(scheduleInput({ Name: 'existing' }))),
        error: 'ConflictException', status: 409,
      },
      { reason: 'a group that exists is created again', act: (c) => c.send(new CreateScheduleGroupCommand({ Name: 'existing-group' })), error: 'ConflictException', status: 409 },
      { reason: 'the default group is created', act: (c) => c.send(new CreateScheduleGroupCommand({ Name: 'default' })), error: 'ConflictException', status: 409 },
      { reason: 'the default group is deleted', act: (c) => c.send(new DeleteScheduleGroupCommand({ Name: 'default' })), error: 'ValidationException', status: 400 },
    ];

    for (const { reason, act, error: name, status } of cases) {
      it(`answers ${name} (${status}) when ${reason}`, async () => {
        await h.client.send(new CreateScheduleCommand(scheduleInput({ Name: 'existing' })));
        await h.client.send(new CreateScheduleGroupCommand({ Name: 'existing-group' }));

        const error = await errorOf(act(h.client));

        expect(error.name).to.equal(name);
        expect(error.$metadata?.httpStatusCode).to.equal(status);
      });
    }

    it('answers ServiceQuotaExceededException (402) when the schedule quota is reached', async () => {
      const model = await startSchedulerModel({ quotas: { schedules: 1 } });
      const client = new SchedulerClient(model.clientConfig({ maxAttempts: 1 }));
      await client.send(new CreateScheduleCommand(scheduleInput({ Name: 'one' })));

      const error = await errorOf(client.send(new CreateScheduleCommand(scheduleInput({ Name: 'two' }))));

      expect(error.name).to.equal('ServiceQuotaExceededException');
      expect(error.$metadata?.httpStatusCode).to.equal(402);
      client.destroy();
      await model.close();
    });

    it('answers InternalServerException (500) when a failure is injected', async () => {
      h.model.failNext('GetScheduleGroup', 1);

      const error = await errorOf(h.client.send(new GetScheduleGroupCommand({ Name: 'default' })));

      expect(error.name).to.equal('InternalServerException');
      expect(error.$metadata?.httpStatusCode).to.equal(500);
    });
  });

  describe('listing', () => {
    const h = useModel();

    it('pages 250 schedules by at most MaxResults, sorted by name, when paginateListSchedules follows NextToken', async () => {
      // Prepare
      await h.client.send(new CreateScheduleGroupCommand({ Name: 'bulk' }));
      const names = Array.from({ length: 250 }, (_, i) => `s-${String(i).padStart(3, '0')}`);
      for (const name of [...names].reverse()) {
        await h.client.send(new CreateScheduleCommand(scheduleInput({ Name: name, GroupName: 'bulk' })));
      }
      await h.client.send(new CreateScheduleCommand(scheduleInput({ Name: 'not-in-bulk' })));
      h.model.resetCalls();

      // Act
      const pages: string[][] = [];
      for await (const page of paginateListSchedules({ client: h.client, pageSize: 100 }, { GroupName: 'bulk' })) {
        pages.push((page.Schedules ?? []).map((s) => s.Name!));
      }

      // Assess
      expect(pages.map((p) => p.length)).to.deep.equal([100, 100, 50]);
      expect(pages.flat()).to.deep.equal(names);
      expect(h.model.calls).to.deep.equal({ ListSchedules: 3 });
    });

    it('returns ScheduleSummary fields when schedules are listed', async () => {
      await h.client.send(new CreateScheduleCommand(scheduleInput()));

      const listed = await h.client.send(new ListSchedulesCommand({}));

      const { CreationDate, LastModificationDate, ...summary } = listed.Schedules![0];
      expect(summary).to.deep.equal({
        Arn: `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/nightly-report`,
        Name: 'nightly-report',
        GroupName: 'default',
        State: 'ENABLED',
        Target: { Arn: LAMBDA_ARN },
      });
      expect(CreationDate).to.be.instanceOf(Date);
      expect(LastModificationDate).to.be.instanceOf(Date);
      expect(listed.NextToken).to.equal(undefined);
    });

    const filterCases: Array<{ reason: string; input: { NamePrefix?: string; State?: 'ENABLED' | 'DISABLED'; GroupName?: string }; expected: string[] }> = [
      { reason: 'NamePrefix is given', input: { NamePrefix: 'report-' }, expected: ['default/report-a', 'default/report-b', 'ops/report-c'] },
      { reason: 'State is given', input: { State: 'DISABLED' }, expected: ['default/report-b', 'ops/other'] },
      { reason: 'NamePrefix, State and group are given', input: { NamePrefix: 'report', State: 'ENABLED', GroupName: 'ops' }, expected: ['ops/report-c'] },
      { reason: 'nothing is given', input: {}, expected: ['default/other', 'default/report-a', 'default/report-b', 'ops/other', 'ops/report-c'] },
    ];

    for (const { reason, input, expected } of filterCases) {
      it(`lists only the matching schedules across groups when ${reason}`, async () => {
        await h.client.send(new CreateScheduleGroupCommand({ Name: 'ops' }));
        const seed: Array<[string, string, 'ENABLED' | 'DISABLED']> = [
          ['default', 'report-a', 'ENABLED'], ['default', 'report-b', 'DISABLED'], ['default', 'other', 'ENABLED'],
          ['ops', 'report-c', 'ENABLED'], ['ops', 'other', 'DISABLED'],
        ];
        for (const [group, name, state] of seed) {
          await h.client.send(new CreateScheduleCommand(scheduleInput({ Name: name, GroupName: group, State: state })));
        }

        const listed: string[] = [];
        for await (const page of paginateListSchedules({ client: h.client, pageSize: 2 }, input)) {
          listed.push(...(page.Schedules ?? []).map((s) => `${s.GroupName}/${s.Name}`));
        }

        expect(listed).to.deep.equal(expected);
      });
    }

    it('answers ValidationException when NextToken was not issued by the model', async () => {
      const error = await errorOf(h.client.send(new ListSchedulesCommand({ NextToken: 'not-a-token' })));

      expect(error.name).to.equal('ValidationException');
    });
  });

  describe('throttling', () => {
    const h = useModel();

    it('surfaces ThrottlingException (429) when the client does not retry', async () => {
      h.model.throttleNext('GetScheduleGroup', 1);

      const error = await errorOf(h.client.send(new GetScheduleGroupCommand({ Name: 'default' })));

      expect(error.name).to.equal('ThrottlingException');
      expect(error.$metadata?.httpStatusCode).to.equal(429);
    });

    it('is retried by the SDK standard retry when maxAttempts is 3', async () => {
      const client = new SchedulerClient(h.model.clientConfig({ maxAttempts: 3 }));
      h.model.throttleNext('CreateSchedule', 2);

      const created = await client.send(new CreateScheduleCommand(scheduleInput()));

      expect(created.$metadata.attempts).to.equal(3);
      expect(h.model.calls.CreateSchedule).to.equal(3);
      expect(h.events.map((e) => e.detail.errorCode)).to.deep.equal(['ThrottlingException', 'ThrottlingException', undefined]);
      client.destroy();
    });

    it('answers ThrottlingException when an operation\'s token bucket is empty', async () => {
      const model = await startSchedulerModel({ throttle: { GetSchedule: { ratePerSecond: 0.001, burst: 2 } } });
      const client = new SchedulerClient(model.clientConfig({ maxAttempts: 1 }));
      await client.send(new CreateScheduleCommand(scheduleInput()));

      const outcomes: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        outcomes.push(await client.send(new GetScheduleCommand({ Name: 'nightly-report' })).then(() => 'ok', (e: Error) => e.name));
      }

      expect(outcomes).to.deep.equal(['ok', 'ok', 'ThrottlingException']);
      expect(model.calls).to.deep.equal({ CreateSchedule: 1, GetSchedule: 3 });
      client.destroy();
      await model.close();
    });
  });

  describe('CloudTrail events', () => {
    const h = useModel({ now: () => new Date('2026-03-07T00:51:07.900Z') });
    const writes: Array<{ reason: string; eventName: string; act: (client: SchedulerClient) => Promise<unknown> }> = [
      { reason: 'a schedule is created', eventName: 'CreateSchedule', act: (c) => c.send(new CreateScheduleCommand(scheduleInput({ Name: 'fresh' }))) },
      { reason: 'a schedule is updated', eventName: 'UpdateSchedule', act: (c) => c.send(new UpdateScheduleCommand(scheduleInput({ Name: 'existing' }))) },
      { reason: 'a schedule is deleted', eventName: 'DeleteSchedule', act: (c) => c.send(new DeleteScheduleCommand({ Name: 'existing' })) },
      { reason: 'a group is created', eventName: 'CreateScheduleGroup', act: (c) => c.send(new CreateScheduleGroupCommand({ Name: 'fresh-group' })) },
      { reason: 'a group is deleted', eventName: 'DeleteScheduleGroup', act: (c) => c.send(new DeleteScheduleGroupCommand({ Name: 'existing-group' })) },
    ];

    async function prepare(): Promise<void> {
      await h.client.send(new CreateScheduleCommand(scheduleInput({ Name: 'existing' })));
      await h.client.send(new CreateScheduleGroupCommand({ Name: 'existing-group' }));
      h.events.length = 0;
    }

    for (const { reason, eventName, act } of writes) {
      it(`emits exactly one ${eventName} event when ${reason}`, async () => {
        await prepare();

        await act(h.client);

        expect(h.model.eventErrors).to.deep.equal([]);
        expect(h.events).to.have.length(1);
        const [event] = h.events;
        expect(event.source).to.equal('aws.scheduler');
        expect(event['detail-type']).to.equal('AWS API Call via CloudTrail');
        expect(event.detail.eventName).to.equal(eventName);
        expect(event.detail.eventTime).to.equal('2026-03-07T00:51:07Z');
        expect(event.detail).to.not.have.property('errorCode');
      });
    }

    it('records the URI name, group and response the way CloudTrail does when a schedule is created', async () => {
      await h.client.send(new CreateScheduleGroupCommand({ Name: 'billing' }));
      h.events.length = 0;

      await h.client.send(new CreateScheduleCommand(scheduleInput({ GroupName: 'billing', ClientToken: 'token-1' })));

      expect(h.events[0].detail.requestParameters).to.deep.include({ name: 'nightly-report', groupName: 'billing', clientToken: 'token-1' });
      expect(h.events[0].detail.responseElements).to.deep.equal({
        scheduleArn: `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/billing/nightly-report`,
      });
    });

    const failures: Array<{ reason: string; eventName: string; errorCode: string; act: (client: SchedulerClient) => Promise<unknown> }> = [
      {
        reason: 'the schedule already exists', eventName: 'CreateSchedule', errorCode: 'ConflictException',
        act: (c) => c.send(new CreateScheduleCommand(scheduleInput({ Name: 'existing' }))),
      },
      {
        reason: 'the input is invalid', eventName: 'UpdateSchedule', errorCode: 'ValidationException',
        act: (c) => c.send(new UpdateScheduleCommand(scheduleInput({ Name: 'existing', ScheduleExpression: 'rate(0 days)' }))),
      },
      {
        reason: 'the schedule is missing', eventName: 'DeleteSchedule', errorCode: 'ResourceNotFoundException',
        act: (c) => c.send(new DeleteScheduleCommand({ Name: 'missing' })),
      },
      {
        reason: 'the group is missing', eventName: 'DeleteScheduleGroup', errorCode: 'ResourceNotFoundException',
        act: (c) => c.send(new DeleteScheduleGroupCommand({ Name: 'missing' })),
      },
    ];

    for (const { reason, eventName, errorCode, act } of failures) {
      it(`emits one ${eventName} event with errorCode ${errorCode} when ${reason}`, async () => {
        await prepare();

        await errorOf(act(h.client));

        expect(h.events).to.have.length(1);
        expect(h.events[0].detail).to.include({ eventName, errorCode });
        expect(h.events[0].detail.errorMessage).to.be.a('string').and.not.equal('');
        expect(h.events[0].detail.responseElements).to.equal(null);
      });
    }

    it('emits nothing when schedules are read or listed', async () => {
      await prepare();

      await h.client.send(new GetScheduleCommand({ Name: 'existing' }));
      await h.client.send(new ListSchedulesCommand({}));
      await h.client.send(new GetScheduleGroupCommand({ Name: 'existing-group' }));
      await h.client.send(new ListScheduleGroupsCommand({}));

      expect(h.events).to.deep.equal([]);
    });

    it('removes the schedule without an event when a one-time DELETE schedule completes', async () => {
      await h.client.send(new CreateScheduleCommand(scheduleInput({
        Name: 'once', ScheduleExpression: 'at(2030-01-01T09:00:00)', ActionAfterCompletion: 'DELETE',
      })));
      h.events.length = 0;
      h.model.resetCalls();

      h.model.completeOneTimeSchedule('default', 'once');

      expect(h.events).to.deep.equal([]);
      expect(h.model.calls).to.deep.equal({});
      expect(h.model.snapshot()).to.deep.equal([]);
    });

    it('refuses to complete a schedule when it is not a one-time DELETE schedule', async () => {
      await prepare();

      expect(() => h.model.completeOneTimeSchedule('default', 'existing')).to.throw(/not a one-time/);
      expect(() => h.model.completeOneTimeSchedule('default', 'missing')).to.throw(/No schedule/);
    });
  });
});
