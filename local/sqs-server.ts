/**
 * A local Amazon SQS endpoint over the in-process queue model (./sqs.ts): the real `@aws-sdk/client-sqs` talks to
 * it over HTTP in the AWS JSON 1.0 protocol (`new SQSClient(sqs.clientConfig())`). No emulator is used; the queues
 * are the very LocalQueue objects the caller passes, on their virtual clock, so a test can send through the API and
 * drain with a LocalEventSourceMapping, or the reverse.
 *
 * Served: GetQueueUrl, GetQueueAttributes, SendMessage, SendMessageBatch, ReceiveMessage, DeleteMessage,
 * DeleteMessageBatch, ChangeMessageVisibility, with SQS's validation and errors (sqs/operations.ts). Any other
 * operation of the SQS API answers UnsupportedOperation (an error every SQS operation declares); a target outside
 * the API answers InvalidAction. With an `authorizer`, every request is authorized as SQS does (sqs/authorize.ts).
 *
 * Queue URLs: GetQueueUrl answers the queue's real-form URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`,
 * LocalQueue.url), as the project's Lambdas receive it in their environment. The SDK's QueueUrl middleware
 * (@aws-sdk/middleware-sdk-sqs `queueUrlMiddleware`) would send a request to the QueueUrl's host instead of the
 * client's resolved endpoint when `useQueueUrlAsEndpoint` is true (its default), but only when no custom
 * `endpoint` is configured (`if (!endpoint && input.QueueUrl && ...)`). `clientConfig()` sets `endpoint`, and sets
 * `useQueueUrlAsEndpoint: false` as well so that requests reach this server even if that guard changes; the server
 * accepts SQS's URL forms and its own origin (sqs/queues.ts).
 *
 * What the model does less than SQS, by name (DELIBERATE_GAPS in test/local/sqs-conformance.test.ts probes each
 * one that a request can observe, and fails once the model closes it):
 * - no FIFO queues: MessageDeduplicationId answers InvalidParameterValue, as SQS does on a standard queue;
 * - MessageGroupId (fair queues) is checked and not kept: it is never returned and changes no delivery order;
 * - long polling answers at once (see SqsOperations.receiveMessage); short polling's false empty answers are not
 *   modelled (every receive samples the whole queue);
 * - GetQueueAttributes never returns Policy, RedriveAllowPolicy, the encryption attributes or the FIFO ones
 *   (sqs/queues.ts UNHELD_QUEUE_ATTRIBUTES);
 * - unknown names in ReceiveMessage's AttributeNames / MessageSystemAttributeNames are ignored (SQS does not
 *   document its answer);
 * - SenderId is the queue's account id, not the caller's IAM unique id;
 * - signatures are not verified: with an authorizer, the access key alone names the caller.
 */
import type { SQSClientConfig } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS } from './dynamodb';
import type { LocalAuthorizer } from './iam/authorizer';
import type { LocalQueue } from './sqs';
import { SqsOperations } from './sqs/operations';
import { QueueDirectory } from './sqs/queues';
import { listen } from './sqs/server';

export { SQS_ERRORS, type SqsErrorName } from './sqs/errors';
export { OPERATION_ERRORS, SERVED_OPERATIONS, SQS_API_OPERATIONS, type ServedOperation } from './sqs/operations';
export { QUEUE_ATTRIBUTE_NAMES, UNHELD_QUEUE_ATTRIBUTES } from './sqs/queues';
export { actionOf } from './sqs/authorize';

export interface SqsServerOptions {
  queues: LocalQueue[];
  /** Default: the first queue's region, else `us-east-1`. Every queue must be in it. */
  region?: string;
  /** The account GetQueueUrl looks in without QueueOwnerAWSAccountId. Default: the first queue's, else `123456789012`. */
  accountId?: string;
  /**
   * Puts IAM in the loop: the SigV4 access key names the caller (`authorizer.principalOf`), and the caller's
   * identity policies plus the queue's resource policy (held by the authorizer under the queue ARN) decide
   * `sqs:<Operation>` on the queue ARN (batch operations as their single action), with `aws:SecureTransport`.
   * Without it every request is served, signed or not.
   */
  authorizer?: LocalAuthorizer;
  /** The `aws:SecureTransport` value when an authorizer is given. Default true: the endpoint stands for SQS's HTTPS one. */
  secureTransport?: boolean;
}

export interface SqsServer {
  readonly endpoint: string;
  readonly region: string;
  /**
   * endpoint, region, `useQueueUrlAsEndpoint: false`, and `credentials` (default LOCAL_CREDENTIALS, copied: the SDK
   * writes a `$source` marker into the object it is given). With an authorizer, pass a principal's access key to
   * call as that principal.
   */
  clientConfig(credentials?: { accessKeyId: string; secretAccessKey: string }): SQSClientConfig;
  close(): Promise<void>;
}

export async function startSqsServer(options: SqsServerOptions): Promise<SqsServer> {
  const region = options.region ?? options.queues[0]?.region ?? 'us-east-1';
  const accountId = options.accountId ?? options.queues[0]?.accountId ?? '123456789012';
  let origin = '';
  const directory = new QueueDirectory(options.queues, region, accountId, () => origin);
  const authorization = options.authorizer ? { authorizer: options.authorizer, secureTransport: options.secureTransport ?? true } : undefined;
  const { server, endpoint } = await listen(new SqsOperations(directory), () => authorization);
  origin = endpoint;
  return {
    endpoint,
    region,
    clientConfig: (credentials = LOCAL_CREDENTIALS) => ({
      endpoint,
      region,
      useQueueUrlAsEndpoint: false,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    }),
    async close() {
      server.closeIdleConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
