/**
 * One heartbeat (functions/core/heartbeat.ts): read the store's copy of the heartbeat schedule, say how far
 * behind it is (metrics HeartbeatLagSeconds and ObserverBlind), then write the next beat into the live schedule.
 * UpdateSchedule replaces the whole schedule (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_UpdateSchedule.html),
 * so the beat re-sends what GetSchedule returned with only the description changed.
 */
import { GetScheduleCommand, UpdateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { checkHeartbeat, HEARTBEAT_SCHEDULE, heartbeatDescription, type HeartbeatCheck } from '../core/heartbeat';
import type { ScheduleRecord } from '../core/types';

export interface HeartbeatDeps {
  scheduler: SchedulerClient;
  store: { get(key: { groupName: string; scheduleName: string }): Promise<ScheduleRecord | undefined> };
  groupName: string;
  heartbeatMinutes: number;
  metrics: Metrics;
  now?: () => Date;
}

export async function beat(deps: HeartbeatDeps): Promise<HeartbeatCheck & { description: string }> {
  const now = deps.now ? deps.now() : new Date();
  const stored = await deps.store.get({ groupName: deps.groupName, scheduleName: HEARTBEAT_SCHEDULE });
  const live = await deps.scheduler.send(new GetScheduleCommand({ Name: HEARTBEAT_SCHEDULE, GroupName: deps.groupName }));
  const check = checkHeartbeat(stored, now.getTime(), deps.heartbeatMinutes, live.CreationDate?.getTime());
  if (check.lagSeconds !== undefined) deps.metrics.addMetric('HeartbeatLagSeconds', MetricUnit.Seconds, check.lagSeconds);
  deps.metrics.addMetric('ObserverBlind', MetricUnit.Count, check.blind ? 1 : 0);
  const description = heartbeatDescription(now);
  await deps.scheduler.send(
    new UpdateScheduleCommand({
      Name: HEARTBEAT_SCHEDULE,
      GroupName: deps.groupName,
      Description: description,
      ScheduleExpression: live.ScheduleExpression,
      ScheduleExpressionTimezone: live.ScheduleExpressionTimezone,
      StartDate: live.StartDate,
      EndDate: live.EndDate,
      State: live.State,
      KmsKeyArn: live.KmsKeyArn,
      ActionAfterCompletion: live.ActionAfterCompletion,
      FlexibleTimeWindow: live.FlexibleTimeWindow,
      Target: live.Target,
    }),
  );
  return { ...check, description };
}
