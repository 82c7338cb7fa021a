/**
 * The model's truth in the project's ScheduleSpec shape (functions/core/types.ts): what GetSchedule returns,
 * camelCased, dates as ISO-8601. Used by tests to assert "store equals truth".
 */
import { camelCaseKeys } from '../../functions/core/camel-case';
import type { ScheduleSpec, TargetSpec } from '../../functions/core/types';
import type { StoredSchedule } from './store';

const isoFromSeconds = (seconds: number) => new Date(Math.round(seconds * 1000)).toISOString();

export function toScheduleSpec(groupName: string, arn: string, schedule: StoredSchedule): ScheduleSpec {
  const { spec } = schedule;
  const result: ScheduleSpec = {
    groupName,
    name: schedule.name,
    arn,
    scheduleExpression: spec.ScheduleExpression,
    scheduleExpressionTimezone: spec.ScheduleExpressionTimezone,
    state: spec.State,
    actionAfterCompletion: spec.ActionAfterCompletion,
    flexibleTimeWindow: camelCaseKeys(spec.FlexibleTimeWindow) as ScheduleSpec['flexibleTimeWindow'],
    target: camelCaseKeys(spec.Target) as TargetSpec,
    creationDate: new Date(schedule.creationDate).toISOString(),
    lastModificationDate: new Date(schedule.lastModificationDate).toISOString(),
  };
  if (spec.Description !== undefined) result.description = spec.Description;
  if (spec.KmsKeyArn !== undefined) result.kmsKeyArn = spec.KmsKeyArn;
  if (spec.StartDate !== undefined) result.startDate = isoFromSeconds(spec.StartDate);
  if (spec.EndDate !== undefined) result.endDate = isoFromSeconds(spec.EndDate);
  return result;
}
