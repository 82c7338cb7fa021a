/**
 * The errors EventBridge Scheduler answers, with the HTTP status codes of the service's Smithy model
 * (node_modules/@aws-sdk/client-scheduler/dist-es/schemas/schemas_0.js, `httpError`) and
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/CommonErrors.html.
 */
import { serviceErrorClass } from '../service-error';

export const ERROR_STATUS = {
  ValidationException: 400,
  /** A common error of every AWS API (https://docs.aws.amazon.com/scheduler/latest/APIReference/CommonErrors.html). */
  AccessDeniedException: 403,
  /** A common error: the access key is not one the account knows (https://docs.aws.amazon.com/scheduler/latest/APIReference/CommonErrors.html). */
  UnrecognizedClientException: 403,
  ServiceQuotaExceededException: 402,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  ThrottlingException: 429,
  InternalServerException: 500,
  /** Not a Scheduler error: answered for routes the model does not serve (tags, unknown paths). */
  UnknownOperationException: 404,
} as const;

export type SchedulerErrorName = keyof typeof ERROR_STATUS;

/** An error the model answers over HTTP; `name` is the error type the SDK surfaces as `err.name`. */
export class SchedulerApiError extends serviceErrorClass(ERROR_STATUS) {}

export const validationError = (message: string) => new SchedulerApiError('ValidationException', message);
export const notFound = (message: string) => new SchedulerApiError('ResourceNotFoundException', message);
export const conflict = (message: string) => new SchedulerApiError('ConflictException', message);
