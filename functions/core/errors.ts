/**
 * Named errors of the pure core (STYLE.md §6): handlers and the state machine's Retry/Catch match on `name`.
 */

/**
 * The input is not an EventBridge "AWS API Call via CloudTrail" event for EventBridge Scheduler, or a field the
 * observer relies on is missing or malformed. Retrying cannot fix it: the handler reports it as a batch item
 * failure so the message ends in the DLQ.
 */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
  /** Dotted path of the offending field (`detail.eventTime`; `event` when the input is not an object), when known. */
  readonly field: string | undefined;

  constructor(message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.field = options.field;
  }
}

/**
 * A reconciler execution's input is not `{ "mode": "report" | "repair", "groups"?: [...] }`. The state machine
 * catches it by name and fails at once ("Reject invalid input"): no retry can fix an input.
 */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
}

/**
 * GetSchedule answered AccessDeniedException: the caller may not read this schedule, typically because the
 * schedule's payload is encrypted with a customer managed key the caller may not decrypt with
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/encryption-rest.html). Retrying cannot fix it: the
 * monitor marks the item instead of failing the event, and the reconciler reports it NOT_CHECKED.
 */
export class ScheduleUnreadableError extends Error {
  override name = 'ScheduleUnreadableError';

  constructor(
    message: string,
    /** KMS_ACCESS_DENIED when the denial names KMS, else ACCESS_DENIED. */
    readonly reason: 'KMS_ACCESS_DENIED' | 'ACCESS_DENIED',
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}
