/**
 * The EventBridge event pattern the observer's rule deploys, and that the local EventBridge model matches
 * with. One source of truth: infra/observer.ts passes this object to aws.cloudwatch.EventRule and
 * local/eventbridge.ts routes events through the very same object.
 *
 * Scheduler API calls reach the default bus as "AWS API Call via CloudTrail" events with source
 * aws.scheduler: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-scheduler.html
 * Only management *write* calls that change what exists are matched; read-only calls (Get/List) never reach
 * the bus, see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 *
 * Pure data: no Pulumi import, so the local models and the functions can load it.
 */

/** The Scheduler API calls whose CloudTrail events change the state store. */
export const OBSERVED_EVENT_NAMES = [
  'CreateSchedule',
  'UpdateSchedule',
  'DeleteSchedule',
  'CreateScheduleGroup',
  'DeleteScheduleGroup',
] as const;

export type ObservedEventName = (typeof OBSERVED_EVENT_NAMES)[number];

export const SCHEDULER_EVENT_PATTERN = {
  source: ['aws.scheduler'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['scheduler.amazonaws.com'],
    eventName: [...OBSERVED_EVENT_NAMES],
  },
} as const;
