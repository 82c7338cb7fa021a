/**
 * Turns the EventBridge event that CloudTrail emits for one EventBridge Scheduler API call into a
 * SchedulerChange. Pure: no AWS SDK, no I/O. The SQS handler JSON-parses the message body and passes the
 * object here; a JSON syntax error is the handler's to report.
 *
 * Envelope: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 * Record fields: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 * Where each shape in test/fixtures/cloudtrail comes from, and what AWS does not document: that folder's SOURCES.md.
 *
 * Tolerant of everything it does not use (records grow new fields with each minor eventVersion, and the
 * record contents page tells consumers to ignore them); strict on what it uses.
 */
import { z } from 'zod';
import { InvalidEventError } from './errors';
import { DEFAULT_GROUP, type ChangeMeta, type SchedulerChange } from './types';

export { InvalidEventError } from './errors';

/**
 * Schedule and group names share one constraint in the API reference: 1-64 characters of `[0-9a-zA-Z-_.]`.
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html#API_CreateSchedule_RequestSyntax
 */
const NAME = z.string().min(1).max(64).regex(/^[0-9a-zA-Z-_.]+$/, 'must match ^[0-9a-zA-Z-_.]+$');

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;

/**
 * CloudTrail writes `YYYY-MM-DDTHH:MM:SSZ`; a fraction is accepted so that a finer clock never poisons a message.
 * Parsed strictly: `Date.parse` rolls 2026-02-30 over to March 2, so every field must survive the round trip.
 * An event time ahead of the monitor's clock is a valid time here; functions/core/apply-change.ts decides
 * whether to trust it.
 */
const EVENT_TIME = z
  .string()
  .regex(ISO_UTC, 'must be an ISO-8601 UTC time such as 2026-03-07T00:51:07Z')
  .refine(isRealUtcTime, 'is not a real date (day, month or time out of range)');

function isRealUtcTime(value: string): boolean {
  const match = ISO_UTC.exec(value);
  if (match === null) return true; // the regex check reports it (zod runs every check)
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    year >= 1970 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day &&
    date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second
  );
}

const PARAMETERS = z.record(z.string(), z.unknown()).nullish();

/** Only what the observer reads; z.looseObject keeps every other field out of the way. */
const ENVELOPE = z.looseObject({
  source: z.literal('aws.scheduler'),
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  account: z.string().optional(),
  region: z.string().optional(),
  detail: z.looseObject({
    eventSource: z.literal('scheduler.amazonaws.com'),
    eventName: z.string().min(1),
    eventID: z.string().min(1).max(128).regex(/^\S+$/, 'must not contain white space'),
    eventTime: EVENT_TIME,
    awsRegion: z.string().min(1).optional(),
    recipientAccountId: z.string().optional(),
    requestID: z.string().optional(),
    // Some producers write `"errorCode": null` for a call that succeeded: absent, not invalid.
    errorCode: z.string().nullish(),
    requestParameters: PARAMETERS,
    responseElements: PARAMETERS,
  }),
});

type Detail = z.infer<typeof ENVELOPE>['detail'];
type Parameters = Record<string, unknown>;

const SCHEDULE_CALLS = {
  CreateSchedule: 'createSchedule',
  UpdateSchedule: 'updateSchedule',
  DeleteSchedule: 'deleteSchedule',
} as const;

const GROUP_CALLS = {
  CreateScheduleGroup: 'createGroup',
  DeleteScheduleGroup: 'deleteGroup',
} as const;

const ACCOUNT_ID = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account ID');

export function parseSchedulerEvent(event: unknown): SchedulerChange {
  const envelope = check(ENVELOPE, event, []);
  const { detail } = envelope;
  const meta = toMeta(envelope, detail);

  // A failed call changed nothing, and its parameters may be the very reason it failed (a bad name).
  if (detail.errorCode !== undefined && detail.errorCode !== null && detail.errorCode !== '') {
    return { kind: 'ignored', reason: `${detail.eventName} failed with ${detail.errorCode}`, meta };
  }

  const { eventName } = detail;
  if (Object.hasOwn(SCHEDULE_CALLS, eventName)) {
    const kind = SCHEDULE_CALLS[eventName as keyof typeof SCHEDULE_CALLS];
    const request = requireParameters(detail);
    const scheduleName = check(NAME, member(request, 'name'), ['detail', 'requestParameters', 'name']);
    const scheduleArn = optionalString(detail.responseElements, 'scheduleArn', 'responseElements');
    const groupName = groupOf(request, scheduleArn);
    if (kind === 'deleteSchedule') return { kind, groupName, scheduleName, meta };
    return scheduleArn === undefined
      ? { kind, groupName, scheduleName, meta }
      : { kind, groupName, scheduleName, scheduleArn, meta };
  }
  if (Object.hasOwn(GROUP_CALLS, eventName)) {
    const kind = GROUP_CALLS[eventName as keyof typeof GROUP_CALLS];
    const request = requireParameters(detail);
    const groupName = check(NAME, member(request, 'name'), ['detail', 'requestParameters', 'name']);
    return { kind, groupName, meta };
  }
  return { kind: 'ignored', reason: `${eventName} does not create or delete schedules or groups`, meta };
}

function toMeta(envelope: z.infer<typeof ENVELOPE>, detail: Detail): ChangeMeta {
  // recipientAccountId is the account that owns the schedule; the envelope's `account` is the bus owner,
  // which is the same account for events on the default bus.
  const accountId =
    detail.recipientAccountId !== undefined
      ? check(ACCOUNT_ID, detail.recipientAccountId, ['detail', 'recipientAccountId'])
      : check(ACCOUNT_ID, envelope.account, ['account']);
  const awsRegion =
    detail.awsRegion !== undefined
      ? detail.awsRegion
      : check(z.string().min(1), envelope.region, ['detail', 'awsRegion']);
  const meta: ChangeMeta = {
    eventId: detail.eventID,
    eventName: detail.eventName,
    eventTime: detail.eventTime,
    version: Date.parse(detail.eventTime),
    awsRegion,
    accountId,
  };
  if (detail.requestID !== undefined) meta.requestId = detail.requestID;
  return meta;
}

function requireParameters(detail: Detail): Parameters {
  if (detail.requestParameters === null || detail.requestParameters === undefined) {
    throw invalid('detail.requestParameters', `is required for ${detail.eventName}`);
  }
  return detail.requestParameters;
}

/**
 * CloudTrail records request members in camelCase (`name`, `groupName`); the PascalCase spelling of the REST
 * body (`Name`, `GroupName`) is accepted too, because AWS's Scheduler page does not let us confirm the casing
 * (see SOURCES.md) and a wrong guess must not send every real event to the DLQ.
 */
function member(parameters: Parameters | null | undefined, camelName: string): unknown {
  if (parameters === null || parameters === undefined) return undefined;
  const pascalName = camelName.charAt(0).toUpperCase() + camelName.slice(1);
  return parameters[camelName] ?? parameters[pascalName];
}

function optionalString(parameters: Parameters | null | undefined, camelName: string, where: string): string | undefined {
  const value = member(parameters, camelName);
  if (value === undefined || value === null) return undefined;
  return check(z.string().min(1), value, ['detail', where, camelName]);
}

/**
 * GroupName is optional in CreateSchedule/UpdateSchedule (body) and DeleteSchedule (query string); when omitted
 * the schedule lives in `default`. The ARN in the response names the group too, and wins over the default.
 */
function groupOf(request: Parameters, scheduleArn: string | undefined): string {
  const requested = member(request, 'groupName');
  if (requested !== undefined && requested !== null) {
    return check(NAME, requested, ['detail', 'requestParameters', 'groupName']);
  }
  const fromArn = scheduleArn === undefined ? undefined : /:schedule\/([^/]+)\/[^/]+$/.exec(scheduleArn)?.[1];
  return fromArn === undefined ? DEFAULT_GROUP : check(NAME, fromArn, ['detail', 'responseElements', 'scheduleArn']);
}

function check<T>(schema: z.ZodType<T>, value: unknown, basePath: readonly PropertyKey[]): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [...basePath, ...(issue?.path ?? [])].map(String);
  throw invalid(path.length === 0 ? 'event' : path.join('.'), issue?.message ?? 'is invalid', result.error);
}

function invalid(field: string, problem: string, cause?: unknown): InvalidEventError {
  return new InvalidEventError(`Invalid Scheduler CloudTrail event: ${field}: ${problem}`, { field, cause });
}
