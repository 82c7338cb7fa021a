/**
 * Input validation as the EventBridge Scheduler API reference documents it. Every check answers the
 * ValidationException the service answers; messages follow the service's "Value ... at ... failed to satisfy
 * constraint" form so logs read the same locally and in AWS.
 *
 * Pages: https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html,
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_Target.html,
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_FlexibleTimeWindow.html,
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html,
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_ListSchedules.html.
 */
import { validationError } from './errors';

/** The schedule as the wire carries it (PascalCase JSON, dates as epoch seconds), minus Name and ClientToken. */
export interface WireSchedule {
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  FlexibleTimeWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  Target: WireTarget;
  State: 'ENABLED' | 'DISABLED';
  ActionAfterCompletion: 'NONE' | 'DELETE';
  Description?: string;
  StartDate?: number;
  EndDate?: number;
  KmsKeyArn?: string;
}

export interface WireTarget {
  Arn: string;
  RoleArn: string;
  Input?: string;
  RetryPolicy: { MaximumEventAgeInSeconds: number; MaximumRetryAttempts: number };
  DeadLetterConfig?: { Arn?: string };
  /** Target-type parameters (EcsParameters, SqsParameters, ...): kept as sent, the model does not run targets. */
  [parameters: string]: unknown;
}

export interface ListSchedulesQuery {
  groupName?: string;
  namePrefix?: string;
  state?: 'ENABLED' | 'DISABLED';
  maxResults: number;
  nextToken?: string;
}

export interface ListGroupsQuery {
  namePrefix?: string;
  maxResults: number;
  nextToken?: string;
}

export const DEFAULT_GROUP_NAME = 'default';

/**
 * What GetSchedule returns for optional fields a Create/Update left out. UpdateSchedule is a full replacement:
 * "if you do not set an optional field in your request, that field will be set to its system-default value"
 * (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_UpdateSchedule.html). The retry defaults are
 * the documented ones (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html: 86400 s,
 * 185 attempts); UTC is the documented default time zone
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
 */
export const SCHEDULE_DEFAULTS = {
  ScheduleExpressionTimezone: 'UTC',
  State: 'ENABLED',
  ActionAfterCompletion: 'NONE',
  RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
} as const;

/** Default page size when MaxResults is omitted (the reference documents only the 1-100 range). */
export const DEFAULT_MAX_RESULTS = 100;

const NAME_PATTERN = /^[0-9a-zA-Z-_.]+$/;
const CLIENT_TOKEN_PATTERN = /^[a-zA-Z0-9-_]+$/;
const ROLE_ARN_PATTERN = /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@\/-]+$/;
const KMS_KEY_ARN_PATTERN = /^arn:aws(-[a-z]+)?:kms:[a-z0-9\-]+:\d{12}:(key|alias)\/[0-9a-zA-Z-_]*$/;
const DLQ_ARN_PATTERN = /^arn:aws(-[a-z]+)?:sqs:[a-z0-9\-]+:\d{12}:[a-zA-Z0-9\-_]+$/;
const AT_PATTERN = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const RATE_PATTERN = /^rate\(([1-9]\d*) (minute|minutes|hour|hours|day|days)\)$/;
const CRON_FIELD_PATTERN = /^[0-9A-Za-z*?,\-\/#]+$/;

function fail(value: unknown, field: string, constraint: string): never {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  throw validationError(`1 validation error detected: Value '${shown}' at '${field}' failed to satisfy constraint: ${constraint}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(value: unknown, field: string, min: number, max: number): string {
  if (value === undefined || value === null) fail(value, field, 'Member must not be null');
  if (typeof value !== 'string') fail(value, field, 'Member must be a string');
  if (value.length < min || value.length > max) {
    fail(value, field, `Member must have length between ${min} and ${max}`);
  }
  return value;
}

function optionalString(value: unknown, field: string, min: number, max: number): string | undefined {
  return value === undefined || value === null ? undefined : requireString(value, field, min, max);
}

function matching(value: string, field: string, pattern: RegExp): string {
  if (!pattern.test(value)) fail(value, field, `Member must satisfy regular expression pattern: ${pattern.source}`);
  return value;
}

function optionalInteger(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(value, field, 'Member must be an integer');
  if (value < min) fail(value, field, `Member must have value greater than or equal to ${min}`);
  if (value > max) fail(value, field, `Member must have value less than or equal to ${max}`);
  return value;
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(value, field, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return value as T;
}

/** Schedule and group names: 1-64 characters of `^[0-9a-zA-Z-_.]+$`. */
export function validateName(value: unknown, field = 'name'): string {
  return matching(requireString(value, field, 1, 64), field, NAME_PATTERN);
}

export function validateGroupName(value: unknown, field = 'groupName'): string {
  return value === undefined || value === null ? DEFAULT_GROUP_NAME : validateName(value, field);
}

/** ClientToken: 1-64 characters of `^[a-zA-Z0-9-_]+$`; the SDK fills it with a UUID when the caller does not. */
export function validateClientToken(value: unknown): string | undefined {
  const token = optionalString(value, 'clientToken', 1, 64);
  return token === undefined ? undefined : matching(token, 'clientToken', CLIENT_TOKEN_PATTERN);
}

/**
 * The three expression forms of
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html: `at(yyyy-mm-ddThh:mm:ss)`,
 * `rate(value unit)` with a positive integer and minute(s)|hour(s)|day(s), `cron(fields)` with six fields in
 * which day-of-month and day-of-week cannot both be set (one of them must be `?`).
 */
export function validateScheduleExpression(value: unknown): string {
  const expression = requireString(value, 'scheduleExpression', 1, 256);
  const at = AT_PATTERN.exec(expression);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number);
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    const valid =
      date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day &&
      hour < 24 && minute < 60 && second < 60;
    if (!valid) throw validationError(`Invalid Schedule Expression ${expression}.`);
    return expression;
  }
  if (RATE_PATTERN.test(expression)) return expression;
  if (expression.startsWith('cron(') && expression.endsWith(')')) {
    const fields = expression.slice(5, -1).trim().split(/\s+/);
    const [, , dayOfMonth, , dayOfWeek] = fields;
    const wellFormed = fields.length === 6 && fields.every((field) => CRON_FIELD_PATTERN.test(field));
    if (wellFormed && (dayOfMonth === '?') !== (dayOfWeek === '?')) return expression;
  }
  throw validationError(`Invalid Schedule Expression ${expression}.`);
}

function validateTimezone(value: unknown): string {
  const zone = optionalString(value, 'scheduleExpressionTimezone', 1, 50);
  if (zone === undefined) return SCHEDULE_DEFAULTS.ScheduleExpressionTimezone;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw validationError(`Invalid time zone ${zone}.`);
  }
  return zone;
}

/** MaximumWindowInMinutes (1-1440) goes with Mode FLEXIBLE only. */
function validateFlexibleTimeWindow(value: unknown): WireSchedule['FlexibleTimeWindow'] {
  if (!isObject(value)) fail(value, 'flexibleTimeWindow', 'Member must not be null');
  const mode = oneOf(value.Mode, 'flexibleTimeWindow.mode', ['OFF', 'FLEXIBLE'] as const);
  const window = optionalInteger(value.MaximumWindowInMinutes, 'flexibleTimeWindow.maximumWindowInMinutes', 1, 1440);
  if (mode === 'FLEXIBLE' && window === undefined) {
    throw validationError('MaximumWindowInMinutes is required when FlexibleTimeWindow Mode is FLEXIBLE.');
  }
  if (mode === 'OFF' && window !== undefined) {
    throw validationError('MaximumWindowInMinutes must not be set when FlexibleTimeWindow Mode is OFF.');
  }
  return window === undefined ? { Mode: mode } : { Mode: mode, MaximumWindowInMinutes: window };
}

function validateTarget(value: unknown): WireTarget {
  if (!isObject(value)) fail(value, 'target', 'Member must not be null');
  const { Arn, RoleArn, Input, RetryPolicy, DeadLetterConfig, ...parameters } = value;
  const target: WireTarget = {
    ...parameters,
    Arn: requireString(Arn, 'target.arn', 1, 1600),
    RoleArn: matching(requireString(RoleArn, 'target.roleArn', 1, 1600), 'target.roleArn', ROLE_ARN_PATTERN),
    RetryPolicy: { ...SCHEDULE_DEFAULTS.RetryPolicy },
  };
  const input = optionalString(Input, 'target.input', 1, Number.MAX_SAFE_INTEGER);
  if (input !== undefined) target.Input = input;
  if (RetryPolicy !== undefined && RetryPolicy !== null) {
    if (!isObject(RetryPolicy)) fail(RetryPolicy, 'target.retryPolicy', 'Member must be a structure');
    target.RetryPolicy = {
      MaximumEventAgeInSeconds:
        optionalInteger(RetryPolicy.MaximumEventAgeInSeconds, 'target.retryPolicy.maximumEventAgeInSeconds', 60, 86_400) ??
        SCHEDULE_DEFAULTS.RetryPolicy.MaximumEventAgeInSeconds,
      MaximumRetryAttempts:
        optionalInteger(RetryPolicy.MaximumRetryAttempts, 'target.retryPolicy.maximumRetryAttempts', 0, 185) ??
        SCHEDULE_DEFAULTS.RetryPolicy.MaximumRetryAttempts,
    };
  }
  if (DeadLetterConfig !== undefined && DeadLetterConfig !== null) {
    if (!isObject(DeadLetterConfig)) fail(DeadLetterConfig, 'target.deadLetterConfig', 'Member must be a structure');
    const arn = optionalString(DeadLetterConfig.Arn, 'target.deadLetterConfig.arn', 1, 1600);
    target.DeadLetterConfig = arn === undefined ? {} : { Arn: matching(arn, 'target.deadLetterConfig.arn', DLQ_ARN_PATTERN) };
  }
  return target;
}

function optionalDate(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(value, field, 'Member must be a timestamp');
  return value;
}

/** The body of CreateSchedule / UpdateSchedule, normalized with the defaults GetSchedule will show. */
export function validateScheduleBody(body: Record<string, unknown>): WireSchedule {
  const schedule: WireSchedule = {
    GroupName: validateGroupName(body.GroupName),
    ScheduleExpression: validateScheduleExpression(body.ScheduleExpression),
    ScheduleExpressionTimezone: validateTimezone(body.ScheduleExpressionTimezone),
    FlexibleTimeWindow: validateFlexibleTimeWindow(body.FlexibleTimeWindow),
    Target: validateTarget(body.Target),
    State: body.State === undefined ? SCHEDULE_DEFAULTS.State : oneOf(body.State, 'state', ['ENABLED', 'DISABLED'] as const),
    ActionAfterCompletion:
      body.ActionAfterCompletion === undefined
        ? SCHEDULE_DEFAULTS.ActionAfterCompletion
        : oneOf(body.ActionAfterCompletion, 'actionAfterCompletion', ['NONE', 'DELETE'] as const),
  };
  const description = optionalString(body.Description, 'description', 0, 512);
  if (description !== undefined) schedule.Description = description;
  const kmsKeyArn = optionalString(body.KmsKeyArn, 'kmsKeyArn', 1, 2048);
  if (kmsKeyArn !== undefined) schedule.KmsKeyArn = matching(kmsKeyArn, 'kmsKeyArn', KMS_KEY_ARN_PATTERN);
  const startDate = optionalDate(body.StartDate, 'startDate');
  const endDate = optionalDate(body.EndDate, 'endDate');
  if (startDate !== undefined) schedule.StartDate = startDate;
  if (endDate !== undefined) schedule.EndDate = endDate;
  if (startDate !== undefined && endDate !== undefined && endDate <= startDate) {
    throw validationError('The EndDate must be after the StartDate.');
  }
  validateClientToken(body.ClientToken);
  return schedule;
}

/** Tags of CreateScheduleGroup: up to 200 pairs, keys 1-128 and values 1-256 characters (TagKey and TagValue in the API model). */
export function validateTags(value: unknown): Array<{ Key: string; Value: string }> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > 200) fail(value, 'tags', 'Member must have length less than or equal to 200');
  return value.map((tag, index) => {
    if (!isObject(tag)) fail(tag, `tags.${index + 1}.member`, 'Member must be a structure');
    return {
      Key: requireString(tag.Key, `tags.${index + 1}.member.key`, 1, 128),
      Value: requireString(tag.Value, `tags.${index + 1}.member.value`, 1, 256),
    };
  });
}

/** MaxResults arrives as a query string; the service answers ValidationException outside 1-100. */
function validateMaxResults(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_MAX_RESULTS;
  const parsed = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  return optionalInteger(parsed, 'maxResults', 1, 100) ?? DEFAULT_MAX_RESULTS;
}

/**
 * ListSchedules input by member name (the `ScheduleGroup` query parameter is the `GroupName` member):
 * GroupName, NamePrefix, State, MaxResults (1-100), NextToken (1-2048).
 */
export function validateListSchedulesInput(input: Record<string, unknown>): ListSchedulesQuery {
  const query: ListSchedulesQuery = {
    maxResults: validateMaxResults(input.MaxResults),
    nextToken: optionalString(input.NextToken, 'nextToken', 1, 2048),
  };
  if (input.GroupName !== undefined) query.groupName = validateName(input.GroupName, 'groupName');
  if (input.NamePrefix !== undefined) query.namePrefix = validateName(input.NamePrefix, 'namePrefix');
  if (input.State !== undefined) query.state = oneOf(input.State, 'state', ['ENABLED', 'DISABLED'] as const);
  return query;
}

/** ListScheduleGroups input by member name: NamePrefix, MaxResults (1-100), NextToken. */
export function validateListGroupsInput(input: Record<string, unknown>): ListGroupsQuery {
  return {
    maxResults: validateMaxResults(input.MaxResults),
    nextToken: optionalString(input.NextToken, 'nextToken', 1, 2048),
    ...(input.NamePrefix === undefined ? {} : { namePrefix: validateName(input.NamePrefix, 'namePrefix') }),
  };
}
