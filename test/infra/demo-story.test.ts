import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { expect } from 'chai';
import { DEMO_SCHEDULES, runDemoStory, type DemoStoryOptions } from '../../functions/demo/story';
import { startSchedulerModel, type CloudTrailEventBridgeEvent, type SchedulerModel } from '../../local/scheduler';

const GROUP = 'scheduler-observer-demo';
const TARGET_ARN = 'arn:aws:sqs:us-east-1:123456789012:demo-target';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/demo-scheduler';
const NOW = new Date('2025-03-01T10:00:00.000Z');

describe('runDemoStory (against the local Scheduler model)', () => {
  let model: SchedulerModel;
  let client: SchedulerClient;
  let events: CloudTrailEventBridgeEvent[];
  let waits: number[];
  let options: DemoStoryOptions;

  beforeEach(async () => {
    events = [];
    waits = [];
    model = await startSchedulerModel({ onEvent: (event) => events.push(event) });
    client = new SchedulerClient(model.clientConfig());
    options = {
      groupName: GROUP,
      targetArn: TARGET_ARN,
      roleArn: ROLE_ARN,
      waitMs: 1234,
      sleep: async (ms) => {
        waits.push(ms);
      },
      now: () => NOW,
    };
  });
  afterEach(async () => {
    client.destroy();
    await model.close();
  });

  it('creates the group and three schedules, waits, disables one and deletes one', async () => {
    const result = await runDemoStory(client, options);

    expect(result).to.deep.equal({
      created: [DEMO_SCHEDULES.everyFiveMinutes, DEMO_SCHEDULES.dailyReport, DEMO_SCHEDULES.oneTime],
      updated: DEMO_SCHEDULES.everyFiveMinutes,
      deleted: DEMO_SCHEDULES.dailyReport,
    });
    expect(waits).to.deep.equal([1234]);
    expect(events.map((e) => e.detail.eventName)).to.deep.equal([
      'CreateScheduleGroup',
      'CreateSchedule',
      'CreateSchedule',
      'CreateSchedule',
      'UpdateSchedule',
      'DeleteSchedule',
    ]);
  });

  it('leaves the rate schedule disabled with everything else unchanged (UpdateSchedule is a full replacement)', async () => {
    await runDemoStory(client, options);

    const schedules = model.snapshot().filter((s) => s.groupName === GROUP);
    expect(schedules.map((s) => s.name)).to.have.members([DEMO_SCHEDULES.everyFiveMinutes, DEMO_SCHEDULES.oneTime]);
    const rate = schedules.find((s) => s.name === DEMO_SCHEDULES.everyFiveMinutes)!;
    expect(rate).to.deep.include({ scheduleExpression: 'rate(5 minutes)', state: 'DISABLED' });
    expect(rate.description).to.include('demo');
    expect(rate.flexibleTimeWindow).to.deep.equal({ mode: 'OFF' });
    expect(rate.target).to.deep.include({ arn: TARGET_ARN, roleArn: ROLE_ARN, input: JSON.stringify({ demo: DEMO_SCHEDULES.everyFiveMinutes }) });
  });

  it('makes the one-time schedule run a day later and delete itself afterwards', async () => {
    await runDemoStory(client, options);

    const oneTime = model.snapshot().find((s) => s.name === DEMO_SCHEDULES.oneTime)!;
    expect(oneTime).to.deep.include({ scheduleExpression: 'at(2025-03-02T10:00:00)', actionAfterCompletion: 'DELETE' });
  });

  it('converges to the same schedules when run a second time', async () => {
    await runDemoStory(client, options);
    const first = model.snapshot().map(({ name, state, scheduleExpression }) => ({ name, state, scheduleExpression }));
    const lines: string[] = [];

    const again = await runDemoStory(client, { ...options, log: (line) => lines.push(line) });

    expect(again.created).to.have.length(3);
    expect(model.snapshot().map(({ name, state, scheduleExpression }) => ({ name, state, scheduleExpression }))).to.deep.equal(first);
    expect(lines).to.include(`group ${GROUP} already exists`);
    expect(lines).to.include(`schedule ${GROUP}/${DEMO_SCHEDULES.oneTime} already exists`);
  });

  it('treats an already deleted schedule as deleted', async () => {
    await runDemoStory(client, options);
    model.failNext('DeleteSchedule', 1, 'ResourceNotFoundException');
    const lines: string[] = [];

    await runDemoStory(client, { ...options, log: (line) => lines.push(line) });

    expect(lines).to.include(`schedule ${GROUP}/${DEMO_SCHEDULES.dailyReport} was already gone`);
  });

  it('fails on any other error, such as a validation error', async () => {
    model.failNext('CreateSchedule', 1, 'ValidationException');
    let error: unknown;
    try {
      await runDemoStory(client, options);
    } catch (caught) {
      error = caught;
    }

    expect(error).to.have.property('name', 'ValidationException');
  });
});
