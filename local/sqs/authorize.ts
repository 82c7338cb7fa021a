/**
 * IAM in front of the local SQS endpoint: each request is decided for the caller its SigV4 access key names,
 * before the input is validated, as SQS does.
 * - Action `sqs:<Operation>`, except the batch operations, which SQS authorizes as their single action
 *   (SendMessageBatch → sqs:SendMessage, DeleteMessageBatch → sqs:DeleteMessage): "You cannot set permissions
 *   explicitly for SendMessageBatch, DeleteMessageBatch, or ChangeMessageVisibilityBatch. Instead, setting
 *   permissions for SendMessage, DeleteMessage, or ChangeMessageVisibility sets permissions for the corresponding
 *   batch versions" (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api.html);
 *   the Service Authorization Reference has no *Batch action
 *   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html).
 * - Resource: the queue ARN, `arn:aws:sqs:<region>:<account>:<name>` (resource type `queue`, required by every
 *   served action, GetQueueUrl included), with the queue's resource policy (held by the authorizer under that ARN).
 * - Context: `aws:SecureTransport`, so a TLS-only queue policy applies.
 * An unknown access key answers InvalidClientTokenId (403); no Authorization header at all answers
 * MissingAuthenticationToken (403); a denial answers AccessDenied (403) with AWS's "User: ... is not authorized to
 * perform: ..." message.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { LocalAuthorizer } from '../iam/authorizer';
import { SqsApiError } from './errors';
import type { ServedOperation } from './operations';

export interface SqsAuthorization {
  authorizer: LocalAuthorizer;
  /** The value of `aws:SecureTransport` every request carries (the local endpoint stands for SQS's HTTPS one). */
  secureTransport: boolean;
}

const BATCH_ACTIONS: Partial<Record<ServedOperation, string>> = {
  SendMessageBatch: 'sqs:SendMessage',
  DeleteMessageBatch: 'sqs:DeleteMessage',
};

export function actionOf(operation: ServedOperation): string {
  return BATCH_ACTIONS[operation] ?? `sqs:${operation}`;
}

/** Answers (throws) InvalidClientTokenId, MissingAuthenticationToken or AccessDenied unless the caller may make the call. */
export async function authorizeCall(
  authorization: SqsAuthorization,
  headers: IncomingHttpHeaders,
  operation: ServedOperation,
  queueArn: string,
): Promise<void> {
  if (!headers.authorization) throw new SqsApiError('MissingAuthenticationToken', 'Request is missing Authentication Token');
  const caller = authorization.authorizer.callerOf(headers.authorization);
  if (!caller) throw new SqsApiError('InvalidClientTokenId', 'The security token included in the request is invalid.');
  // An AuthorizationModelError thrown here is a defect of the model: the server answers it as InternalFailure (500).
  const denied = await authorization.authorizer.denialOf({
    caller,
    action: actionOf(operation),
    resource: queueArn,
    resourcePolicyOf: queueArn,
    context: { 'aws:SecureTransport': authorization.secureTransport ? 'true' : 'false' },
  });
  if (denied) throw new SqsApiError('AccessDenied', denied);
}
