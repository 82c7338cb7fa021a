/**
 * The errors the local SQS endpoint answers, in SQS's AWS JSON 1.0 shape with the query-compatibility header
 * (the service is `awsQueryCompatible`: https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#aws-protocols-awsquerycompatible-trait):
 * - body `{"__type": "<namespace>#<Name>", "message": "..."}`;
 * - header `x-amzn-query-error: <query code>;Sender`, the code the pre-2023 query protocol used. The SDK reads this
 *   header first (@aws-sdk/core `AwsJsonRpcProtocol.handleError` → `setQueryCompatError`, then
 *   `loadJsonRpcErrorCode(..., queryCompat=true)` tries the code before `__type`), maps a modelled error back to its
 *   shape by the schema's `awsQueryError` trait, and names any other error after the code itself: so
 *   `err.name` is `QueueDoesNotExist` for `AWS.SimpleQueueService.NonExistentQueue`, and `InvalidParameterValue`
 *   for the common error of that code.
 *
 * Modelled errors: code and status as the SDK's own schema for the service says (`awsQueryError` and `httpError`
 * traits in @aws-sdk/client-sqs dist-cjs; the shared service-2.json carries neither). Common errors: the
 * names and statuses of https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html,
 * with the `__type` AWS sends for them (e.g. `com.amazon.coral.service#InvalidParameterValueException`, seen in real
 * SQS JSON answers) — the SDK never reads it while the header is present.
 */

const MODEL_NAMESPACE = 'com.amazonaws.sqs';
const CORAL_NAMESPACE = 'com.amazon.coral.service';

interface ErrorSpec {
  status: number;
  /** The `x-amzn-query-error` code, which the SDK surfaces as `err.name` for common errors. */
  queryCode: string;
  /** The JSON `__type`. */
  type: string;
  /** Declared by the API model (an operation's `errors`), or one of SQS's common errors. */
  kind: 'model' | 'common';
}

const model = (name: string, status = 400, queryCode = name): ErrorSpec => ({ status, queryCode, type: `${MODEL_NAMESPACE}#${name}`, kind: 'model' });
const common = (name: string, status: number, jsonName: string): ErrorSpec => ({ status, queryCode: name, type: `${CORAL_NAMESPACE}#${jsonName}`, kind: 'common' });

export const SQS_ERRORS = {
  QueueDoesNotExist: model('QueueDoesNotExist', 400, 'AWS.SimpleQueueService.NonExistentQueue'),
  InvalidAddress: model('InvalidAddress', 404),
  ReceiptHandleIsInvalid: model('ReceiptHandleIsInvalid', 404),
  MessageNotInflight: model('MessageNotInflight', 400, 'AWS.SimpleQueueService.MessageNotInflight'),
  InvalidMessageContents: model('InvalidMessageContents'),
  InvalidAttributeName: model('InvalidAttributeName'),
  TooManyEntriesInBatchRequest: model('TooManyEntriesInBatchRequest', 400, 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest'),
  EmptyBatchRequest: model('EmptyBatchRequest', 400, 'AWS.SimpleQueueService.EmptyBatchRequest'),
  BatchEntryIdsNotDistinct: model('BatchEntryIdsNotDistinct', 400, 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct'),
  BatchRequestTooLong: model('BatchRequestTooLong', 400, 'AWS.SimpleQueueService.BatchRequestTooLong'),
  InvalidBatchEntryId: model('InvalidBatchEntryId', 400, 'AWS.SimpleQueueService.InvalidBatchEntryId'),
  /** Answered for the operations of the API model the local endpoint does not serve (every operation declares it). */
  UnsupportedOperation: model('UnsupportedOperation', 400, 'AWS.SimpleQueueService.UnsupportedOperation'),
  InvalidParameterValue: common('InvalidParameterValue', 400, 'InvalidParameterValueException'),
  MissingParameter: common('MissingParameter', 400, 'MissingRequiredParameterException'),
  /**
   * SQS answers a denied request with code AccessDenied and HTTP 403 (what SDKs report of real denials:
   * `statusCode: 403, code: 'AccessDenied'`); the CommonErrors page lists the generic AccessDeniedException with 400.
   */
  AccessDenied: common('AccessDenied', 403, 'AccessDeniedException'),
  /** An access key the account does not know: "The security token included in the request is invalid." */
  InvalidClientTokenId: common('InvalidClientTokenId', 403, 'UnrecognizedClientException'),
  /** A request with no SigV4 Authorization header at all. */
  MissingAuthenticationToken: common('MissingAuthenticationToken', 403, 'MissingAuthenticationTokenException'),
  /** An X-Amz-Target naming no operation of the SQS API. */
  InvalidAction: common('InvalidAction', 400, 'UnknownOperationException'),
  /** A defect of the model (an exception it did not expect), never an answer the tests accept. */
  InternalFailure: common('InternalFailure', 500, 'InternalFailure'),
} as const satisfies Record<string, ErrorSpec>;

export type SqsErrorName = keyof typeof SQS_ERRORS;

/** An error the endpoint answers; `name` is the SDK's `err.name` for it. */
export class SqsApiError extends Error {
  override readonly name: SqsErrorName;

  constructor(name: SqsErrorName, message: string) {
    super(message);
    this.name = name;
  }

  get spec(): ErrorSpec {
    return SQS_ERRORS[this.name];
  }
}

/** "The request must contain the parameter X." (MissingParameter, as SQS words it for MessageBody). */
export const missingParameter = (member: string) => new SqsApiError('MissingParameter', `The request must contain the parameter ${member}.`);

/** "Value V for parameter P is invalid. Reason: R" (InvalidParameterValue, SQS's wording). */
export const invalidParameter = (member: string, value: unknown, reason: string) =>
  new SqsApiError('InvalidParameterValue', `Value ${typeof value === 'string' ? value : JSON.stringify(value)} for parameter ${member} is invalid. Reason: ${reason}`);
