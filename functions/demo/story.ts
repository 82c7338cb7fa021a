/**
 * The demo story: a few real Scheduler API calls that the observer must record, in an order that exercises
 * creates, a full-replacement update and a delete. Runs against AWS (functions/handlers/demo-seed.ts) or
 * against the local Scheduler model; it knows nothing of Lambda.
 *
 * Idempotent: re-running it against the same group converges to the same end state.
 */
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';

export interface DemoStoryOptions {
  groupName: string;
  /** The SQS queue every demo schedule targets. */
  targetArn: string;
  /** The role Scheduler assumes to send to the queue. */
  roleArn: string;
  /** Pause between the creates and the update/delete, so that they carry distinct CloudTrail event times. */
  waitMs: number;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
  now?: () => Date;
}

export interface DemoStoryResult {
  created: string[];
  updated: string;
  deleted: string;
}

export const DEMO_SCHEDULES = {
  everyFiveMinutes: 'demo-every-5-minutes',
  dailyReport: 'demo-daily-report',
  oneTime: 'demo-one-time',
} as const;

const ONE_DAY_MS = 24 * 60 * 60 * 1000;

/** `at(yyyy-mm-ddThh:mm:ss)`, Scheduler's one-time form (UTC unless a timezone is given):
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#one-time */
function atExpression(when: Date): string {
  return `at(${when.toISOString().slice(0, 19)})`;
}

type ScheduleSpec = Omit<CreateScheduleCommandInput, 'GroupName' | 'Target'>;

function demoSchedules(now: Date): ScheduleSpec[] {
  return [
    {
      Name: DEMO_SCHEDULES.everyFiveMinutes,
      ScheduleExpression: 'rate(5 minutes)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Description: 'scheduler-observer demo: a rate schedule, disabled later by the story',
    },
    {
      Name: DEMO_SCHEDULES.dailyReport,
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      Description: 'scheduler-observer demo: a cron schedule in a timezone, deleted later by the story',
    },
    {
      Name: DEMO_SCHEDULES.oneTime,
      ScheduleExpression: atExpression(new Date(now.getTime() + ONE_DAY_MS)),
      FlexibleTimeWindow: { Mode: 'OFF' },
      // Scheduler deletes it after it runs, without an API call: the reconciler's "expected deletion".
      ActionAfterCompletion: 'DELETE',
      Description: 'scheduler-observer demo: a one-time schedule that deletes itself after running',
    },
  ];
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runDemoStory(client: SchedulerClient, opts: DemoStoryOptions): Promise<DemoStoryResult> {
  const { groupName } = opts;
  const log = opts.log ?? (() => undefined);
  const sleep = opts.sleep ?? defaultSleep;

  const groupExisted = await expecting('ConflictException', client.send(new CreateScheduleGroupCommand({ Name: groupName })));
  log(groupExisted ? `group ${groupName} already exists` : `created group ${groupName}`);

  const created: string[] = [];
  for (const spec of demoSchedules((opts.now ?? (() => new Date()))())) {
    const name = spec.Name as string;
    const Target = { Arn: opts.targetArn, RoleArn: opts.roleArn, Input: JSON.stringify({ demo: name }) };
    const existed = await expecting(
      'ConflictException',
      client.send(new CreateScheduleCommand({ ...spec, GroupName: groupName, Target })),
    );
    log(existed ? `schedule ${groupName}/${name} already exists` : `created ${groupName}/${name}`);
    created.push(name);
  }

  await sleep(opts.waitMs);

  const updated = DEMO_SCHEDULES.everyFiveMinutes;
  await disable(client, groupName, updated);
  log(`disabled ${groupName}/${updated}`);

  const deleted = DEMO_SCHEDULES.dailyReport;
  const gone = await expecting(
    'ResourceNotFoundException',
    client.send(new DeleteScheduleCommand({ GroupName: groupName, Name: deleted })),
  );
  log(gone ? `schedule ${groupName}/${deleted} was already gone` : `deleted ${groupName}/${deleted}`);

  return { created, updated, deleted };
}

/**
 * UpdateSchedule replaces the whole schedule: every field left out is reset to its default. So read it, and
 * send everything back with the one change:
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_UpdateSchedule.html
 */
async function disable(client: SchedulerClient, groupName: string, name: string): Promise<void> {
  const current = await client.send(new GetScheduleCommand({ GroupName: groupName, Name: name }));
  await client.send(
    new UpdateScheduleCommand({
      GroupName: groupName,
      Name: name,
      ScheduleExpression: current.ScheduleExpression,
      ScheduleExpressionTimezone: current.ScheduleExpressionTimezone,
      StartDate: current.StartDate,
      EndDate: current.EndDate,
      Description: current.Description,
      KmsKeyArn: current.KmsKeyArn,
      Target: current.Target,
      FlexibleTimeWindow: current.FlexibleTimeWindow,
      ActionAfterCompletion: current.ActionAfterCompletion,
      State: 'DISABLED',
    }),
  );
}

/**
 * Awaits `call`; resolves true when it failed with the expected error, false when it succeeded. Matched on the
 * error's name, as the SDK deserializes it, not on a class: robust to several SDK copies and to minification.
 */
async function expecting(errorName: 'ConflictException' | 'ResourceNotFoundException', call: Promise<unknown>): Promise<boolean> {
  try {
    await call;
    return false;
  } catch (error) {
    if (error instanceof Error && error.name === errorName) return true;
    throw error;
  }
}
