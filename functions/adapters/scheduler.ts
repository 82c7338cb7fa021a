/**
 * Reads the truth from EventBridge Scheduler. Read-only by construction: this adapter exposes no write.
 */
import {
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListSchedulesCommand,
  paginateListScheduleGroups,
  type GetScheduleCommandOutput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { GroupState, TruthPort } from '../core/apply-change';
import { camelCaseKeys } from '../core/camel-case';
import { ScheduleUnreadableError } from '../core/errors';
import { protectInput, type InputPolicy } from '../core/target-input';
import type { LiveGroup, LiveSummary } from '../core/drift-types';
import type { ScheduleSpec, TargetSpec } from '../core/types';

export class ScheduleReader implements TruthPort {
  /**
   * `policy`: what to keep of each schedule's target input (functions/core/target-input.ts), applied to every
   * spec read; a function when the key is fetched lazily (the Lambdas read it from Secrets Manager).
   */
  constructor(
    protected readonly client: SchedulerClient,
    private readonly policy: InputPolicy | (() => Promise<InputPolicy>) = { mode: 'full' },
  ) {}

  /**
   * GetSchedule, or null when the schedule does not exist (ResourceNotFoundException, which is also the
   * answer when its group is gone: https://docs.aws.amazon.com/scheduler/latest/APIReference/API_GetSchedule.html).
   * Throttling is retried by the SDK's standard retry strategy; what is still throttled after that fails
   * the message, which SQS redelivers after its visibility timeout.
   */
  async getSchedule(groupName: string, scheduleName: string): Promise<ScheduleSpec | null> {
    try {
      const output = await this.client.send(new GetScheduleCommand({ Name: scheduleName, GroupName: groupName }));
      const policy = typeof this.policy === 'function' ? await this.policy() : this.policy;
      return protectInput(specFromGetSchedule(output, groupName, scheduleName), policy);
    } catch (error) {
      const { name, message } = error as Error;
      if (name === 'ResourceNotFoundException') return null;
      if (name === 'AccessDeniedException' || /^KMS/.test(name)) {
        const reason = /^KMS/.test(name) || /\bkms:/i.test(message) ? 'KMS_ACCESS_DENIED' : 'ACCESS_DENIED';
        throw new ScheduleUnreadableError(`GetSchedule ${groupName}/${scheduleName} denied: ${message}`, reason, { cause: error });
      }
      throw error;
    }
  }

  /**
   * GetScheduleGroup's State: ACTIVE, or DELETING while Scheduler deletes the group and its schedules
   * asynchronously (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_GetScheduleGroup.html);
   * null once it is gone (ResourceNotFoundException). A state the SDK does not know counts as not ACTIVE.
   */
  async getScheduleGroupState(groupName: string): Promise<GroupState> {
    try {
      const output = await this.client.send(new GetScheduleGroupCommand({ Name: groupName }));
      return output.State === 'ACTIVE' ? 'ACTIVE' : 'DELETING';
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

/**
 * The reconciler's read-only view of Scheduler: ListScheduleGroups, ListSchedules (one page at a time, so
 * the caller controls the batch), GetSchedule. There is no write method on purpose: the reconciler's IAM
 * role allows exactly these three actions.
 */
export class SchedulerLister extends ScheduleReader {
  /**
   * Every schedule group with its State (ListScheduleGroups, all pages of up to 100). A group being deleted is
   * listed as DELETING until Scheduler has deleted it and its schedules
   * (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_ScheduleGroupSummary.html).
   */
  async listGroups(): Promise<LiveGroup[]> {
    const groups: LiveGroup[] = [];
    for await (const page of paginateListScheduleGroups({ client: this.client, pageSize: 100 }, {})) {
      for (const group of page.ScheduleGroups ?? []) if (group.Name) groups.push({ name: group.Name, state: group.State ?? 'ACTIVE' });
    }
    return groups;
  }

  /** Every schedule group's name, whatever its state. */
  async listGroupNames(): Promise<string[]> {
    return (await this.listGroups()).map((group) => group.name);
  }

  /**
   * One ListSchedules page (at most 100, the API's maximum:
   * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_ListSchedules.html).
   * `null` when the group does not exist (ResourceNotFoundException).
   */
  async listSchedulesPage(groupName: string, nextToken?: string): Promise<{ summaries: LiveSummary[]; nextToken?: string } | null> {
    try {
      const page = await this.client.send(new ListSchedulesCommand({ GroupName: groupName, MaxResults: 100, NextToken: nextToken }));
      return {
        summaries: (page.Schedules ?? []).map((s) => ({
          groupName: s.GroupName ?? groupName,
          name: s.Name ?? '',
          arn: s.Arn,
          state: s.State,
          creationDate: s.CreationDate?.toISOString(),
          lastModificationDate: s.LastModificationDate?.toISOString(),
          targetArn: s.Target?.Arn,
        })),
        nextToken: page.NextToken || undefined,
      };
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return null;
      throw error;
    }
  }
}
