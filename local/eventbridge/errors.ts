/**
 * The errors the local EventBridge endpoint answers, with their HTTP status, and the common ones among them (those the
 * API model does not list per operation). An error travels as `{"__type": "<Name>", "message": ...}` (./wire.ts);
 * which errors each operation may answer is ERRORS_BY_OPERATION (./operations.ts).
 */
import { serviceErrorClass } from '../service-error';

/**
 * Status 400 for every client error and 500 for InternalException, as the AWS JSON protocol's services answer
 * (EventBridge's own 400s, ResourceNotFoundException and LimitExceededException included, are recorded against AWS
 * in LocalStack's validated snapshots: github.com/localstack/localstack tests/aws/services/events/test_events.snapshot.json).
 */
export const ERROR_STATUS = {
  ValidationException: 400,
  InvalidEventPatternException: 400,
  ResourceNotFoundException: 400,
  LimitExceededException: 400,
  AccessDeniedException: 400,
  UnrecognizedClientException: 400,
  InvalidToken: 400,
  UnknownOperationException: 400,
  InternalException: 500,
} as const;

export type EventBridgeErrorName = keyof typeof ERROR_STATUS;

/**
 * Errors the server answers that the API model does not list per operation, each with the AWS page naming it.
 * ValidationException and AccessDeniedException are common to every action; UnrecognizedClientException is what
 * AWS JSON services answer an access key they do not know (HTTP 400 from the service, although the common-errors
 * page lists 403 for it); InvalidToken is the pagination token error the ListRules and ListTargetsByRule
 * references document on their NextToken member.
 */
export const COMMON_ERRORS: Readonly<Record<string, string>> = {
  ValidationException: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html',
  AccessDeniedException: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html',
  UnrecognizedClientException: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html',
  UnknownOperationException: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html',
  InvalidToken: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRules.html#eventbridge-ListRules-request-NextToken',
};

/** An error the endpoint answers; `name` is the SDK's `err.name` for it. */
export class EventBridgeApiError extends serviceErrorClass(ERROR_STATUS) {}

export const invalid = (message: string) => new EventBridgeApiError('ValidationException', message);
