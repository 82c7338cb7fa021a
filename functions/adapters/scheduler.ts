/**
 * Reads the truth from EventBridge Scheduler. Read-only by construction: this adapter exposes no write.
 */
import { GetScheduleCommand, type GetScheduleCommandOutput, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { TruthPort } from '../core/apply-change';
import { camelCaseKeys } from '../core/camel-case';
import type { ScheduleSpec, TargetSpec } from '../core/types';

export class ScheduleReader implements TruthPort {
  constructor(private readonly client: SchedulerClient) {}

  /**
   * GetSchedule, or null when the schedule does not exist (ResourceNotFoundException, which is also the
   * answer when its group is gone: https://docs.aws.amazon.com/scheduler/latest/APIReference/API_GetSchedule.html).
   * Throttling is retried by the SDK's standard retry strategy; what is still throttled after that fails
   * the message, which SQS redelivers after its visibility timeout.
   */
  async getSchedule(groupName: string, scheduleName: string): Promise<ScheduleSpec | null> {
    try {
      const output = await this.client.send(new GetScheduleCommand({ Name: scheduleName, GroupName: groupName }));
      return specFromGetSchedule(output, groupName, scheduleName);
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return null;
      throw error;
    }
  }
}

/** GetSchedule's answer in the store's shape: camelCase keys, ISO dates, no response metadata. */
export function specFromGetSchedule(output: GetScheduleCommandOutput, groupName: string, scheduleName: string): ScheduleSpec {
  const { $metadata: _metadata, ...body } = output;
  const spec = camelCaseKeys(body) as Partial<ScheduleSpec>;
  return {
    ...spec,
    groupName: output.GroupName ?? groupName,
    name: output.Name ?? scheduleName,
    scheduleExpression: output.ScheduleExpression ?? '',
    state: output.State ?? 'ENABLED',
    flexibleTimeWindow: (spec.flexibleTimeWindow ?? { mode: 'OFF' }) as ScheduleSpec['flexibleTimeWindow'],
    target: spec.target as TargetSpec,
  };
}
