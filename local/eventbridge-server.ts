/**
 * A local Amazon EventBridge endpoint over the in-process bus (./eventbridge.ts): the real
 * `@aws-sdk/client-eventbridge` talks to it (`new EventBridgeClient(server.clientConfig())`).
 *
 * Protocol: AWS JSON 1.1, as the SDK speaks it (eventbridge/wire.ts). EventBridge answers client errors with
 * HTTP 400, its own errors ResourceNotFoundException and LimitExceededException included, as recorded against AWS in
 * LocalStack's validated snapshots (github.com/localstack/localstack tests/aws/services/events/test_events.snapshot.json).
 *
 * Served, on the default event bus only (the bus model holds one bus): PutRule, DescribeRule, DeleteRule,
 * EnableRule, DisableRule, ListRules, PutTargets, ListTargetsByRule, RemoveTargets, PutEvents (eventbridge/operations.ts).
 * Another operation answers UnknownOperationException. Inputs are checked against the constraints of the official
 * API model (shared/aws-models/events.service-2.json) with the service's "Value ... at ... failed to satisfy
 * constraint" messages; request members the model cannot back (scheduled rules, tags, input paths and transformers,
 * target-type parameters) are refused with a ValidationException naming them (eventbridge/validation.ts UNSERVED).
 * Targets are SQS queues the server was started with; a queue target delivers the event envelope (or the
 * target's constant Input) to the LocalQueue. Signatures are not verified; with an `authorizer`, the access key
 * names the caller and IAM decides every call (eventbridge/authorize.ts).
 */
import type { EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import { LOCAL_CREDENTIALS } from './dynamodb';
import type { LocalEventBus } from './eventbridge';
import { Operations, type Scope } from './eventbridge/operations';
import { type AnsweredError, listen } from './eventbridge/server';
import type { LocalAuthorizer } from './iam/authorizer';
import type { LocalQueue } from './sqs';

export { COMMON_ERRORS, ERROR_STATUS, EventBridgeApiError, type EventBridgeErrorName } from './eventbridge/errors';
export { ERRORS_BY_OPERATION, SERVED_OPERATIONS, type ServedOperation } from './eventbridge/operations';
export { type AnsweredError } from './eventbridge/server';
export { UNSERVED, validateInput } from './eventbridge/validation';

export interface EventBridgeServerOptions {
  bus: LocalEventBus;
  /** Default `us-east-1`. */
  region?: string;
  /** Default `123456789012`. */
  accountId?: string;
  /** The queues PutTargets may name, by their ARN. */
  queues?: readonly LocalQueue[];
  /**
   * IAM in the loop: the SigV4 access key names the caller (unknown → UnrecognizedClientException), and every call
   * is decided by its identity policies (denied → AccessDeniedException); queue targets need the queue's policy
   * to let events.amazonaws.com send. Without it, every call is served.
   */
  authorizer?: LocalAuthorizer;
  /** The clock for events put without a Time. */
  now?: () => Date;
}

export interface EventBridgeServer {
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  /** Every error answered, in order: the evidence that each one is declared for its operation. */
  readonly answered: readonly AnsweredError[];
  /** endpoint, region, and `credentials` (default LOCAL_CREDENTIALS), copied; maxAttempts 1 (the model never throttles). */
  clientConfig(credentials?: { accessKeyId: string; secretAccessKey: string }): EventBridgeClientConfig;
  close(): Promise<void>;
}

export async function startEventBridgeServer(options: EventBridgeServerOptions): Promise<EventBridgeServer> {
  const scope: Scope = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '123456789012' };
  const operations = new Operations(options.bus, scope, options.queues ?? [], options.authorizer, options.now ?? (() => new Date()));
  const answered: AnsweredError[] = [];
  const { server, endpoint } = await listen({ operations, scope, authorizer: options.authorizer, answered });

  return {
    endpoint,
    region: scope.region,
    accountId: scope.accountId,
    answered,
    // A fresh credentials object per client: the SDK writes a `$source` marker into the object it is given.
    clientConfig: (credentials = LOCAL_CREDENTIALS) => ({
      endpoint,
      region: scope.region,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      maxAttempts: 1,
    }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
