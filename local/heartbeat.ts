/**
 * The heartbeat on the local engines: its schedule as infra/heartbeat.ts deploys it (rate, target the heartbeat
 * function, its own invoke role), created through the real SDK on the local Scheduler model, and the heartbeat
 * function as Lambda runs it, with its own role's credentials when IAM is in the loop.
 */
import { CreateScheduleCommand, CreateScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { ScheduleStore } from '../functions/adapters/store';
import { HEARTBEAT_SCHEDULE } from '../functions/core/heartbeat';
import { beat } from '../functions/handlers/heartbeat-beat';
import { LOCAL_HEARTBEAT_INVOKE_ROLE } from './iam/stack';
import { credentialsOf, type LocalPipeline } from './pipeline';

export async function createHeartbeatSchedule(client: SchedulerClient, groupName: string, minutes = 5): Promise<void> {
  await client.send(new CreateScheduleGroupCommand({ Name: groupName }));
  await client.send(
    new CreateScheduleCommand({
      Name: HEARTBEAT_SCHEDULE,
      GroupName: groupName,
      ScheduleExpression: `rate(${minutes} minutes)`,
      FlexibleTimeWindow: { Mode: 'OFF' },
      Description: 'scheduler-observer heartbeat (not yet beaten)',
      Target: { Arn: 'arn:aws:lambda:us-east-1:123456789012:function:scheduler-observer-heartbeat', RoleArn: LOCAL_HEARTBEAT_INVOKE_ROLE },
    }),
  );
}

export interface LocalHeartbeat {
  /** One invocation of the heartbeat function. */
  beat(options: { metrics: Metrics; now?: () => Date }): ReturnType<typeof beat>;
  close(): void;
}

/** The heartbeat function of `pipeline`'s stack, beating the schedule in `groupName`, with its role when IAM is in the loop. */
export function localHeartbeat(pipeline: LocalPipeline, groupName: string, heartbeatMinutes = 5): LocalHeartbeat {
  const access = pipeline.access;
  const role = access?.iam.heartbeat({ tableName: pipeline.store.tableName, groupName });
  const scheduler = new SchedulerClient(pipeline.scheduler.clientConfig(role ? { credentials: credentialsOf(role) } : {}));
  const store = role && access ? new ScheduleStore(access.dynamo.docFor(role), pipeline.store.tableName) : pipeline.store;
  return {
    async beat({ metrics, now }) {
      if (role && access) await access.iam.invocationTelemetry(role);
      return beat({ scheduler, store, groupName, heartbeatMinutes, metrics, ...(now ? { now } : {}) });
    },
    close: () => scheduler.destroy(),
  };
}
