/**
 * The heartbeat schedule as infra/heartbeat.ts deploys it (rate, target the heartbeat function, its own invoke
 * role), created through the real SDK on the local Scheduler model, for the sandbox and the tests.
 */
import { CreateScheduleCommand, CreateScheduleGroupCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { HEARTBEAT_SCHEDULE } from '../functions/core/heartbeat';

export async function createHeartbeatSchedule(client: SchedulerClient, groupName: string, minutes = 5): Promise<void> {
  await client.send(new CreateScheduleGroupCommand({ Name: groupName }));
  await client.send(
    new CreateScheduleCommand({
      Name: HEARTBEAT_SCHEDULE,
      GroupName: groupName,
      ScheduleExpression: `rate(${minutes} minutes)`,
      FlexibleTimeWindow: { Mode: 'OFF' },
      Description: 'scheduler-observer heartbeat (not yet beaten)',
      Target: { Arn: 'arn:aws:lambda:us-east-1:123456789012:function:scheduler-observer-heartbeat', RoleArn: 'arn:aws:iam::123456789012:role/heartbeat-invoke' },
    }),
  );
}
