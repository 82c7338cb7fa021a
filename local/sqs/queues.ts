/**
 * The queues one endpoint serves, found by queue URL (every queue operation) or by name (GetQueueUrl), and the
 * queue attributes GetQueueAttributes answers from a LocalQueue.
 *
 * Queue URLs: `https://sqs.<region>.amazonaws.com/<account>/<name>` is the form SQS returns
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html);
 * the legacy hosts `queue.amazonaws.com` (us-east-1) and `<region>.queue.amazonaws.com` are still accepted
 * (https://docs.aws.amazon.com/general/latest/gr/sqs-service.html), and so is the local endpoint's own origin. A URL
 * that is not one of these, or names another region, answers InvalidAddress ("The address ... is not valid for
 * this endpoint."); a well-formed URL of a queue the endpoint does not hold answers QueueDoesNotExist.
 */
import type { LocalQueue } from '../sqs';
import { SqsApiError } from './errors';

const QUEUE_PATH = /^\/(\d{12})\/([^/]+)\/?$/;
/** Standard queue names: 1-80 of [A-Za-z0-9_-]; FIFO names end in `.fifo`, which counts toward the 80 (quotas-queues.html). */
const QUEUE_NAME = /^(?:[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\.fifo)$/;

const doesNotExist = () => new SqsApiError('QueueDoesNotExist', 'The specified queue does not exist.');

export class QueueDirectory {
  private readonly byKey = new Map<string, LocalQueue>();

  constructor(
    queues: readonly LocalQueue[],
    readonly region: string,
    readonly accountId: string,
    private readonly localOrigin: () => string,
  ) {
    for (const queue of queues) {
      if (queue.region !== region) throw new Error(`Queue ${queue.name} is in ${queue.region}; this endpoint serves ${region}.`);
      const key = `${queue.accountId}/${queue.name}`;
      if (this.byKey.has(key)) throw new Error(`Two queues named ${key}.`);
      this.byKey.set(key, queue);
    }
  }

  all(): LocalQueue[] {
    return [...this.byKey.values()];
  }

  /** The account and name a queue URL designates, whether or not the queue exists; InvalidAddress otherwise. */
  parseUrl(queueUrl: string): { accountId: string; name: string } {
    const invalid = () => new SqsApiError('InvalidAddress', `The address ${queueUrl} is not valid for this endpoint.`);
    let url: URL;
    try {
      url = new URL(queueUrl);
    } catch {
      throw invalid();
    }
    const host = url.host.toLowerCase();
    const hostRegion =
      /^sqs\.([a-z0-9-]+)\.amazonaws\.com$/.exec(host)?.[1] ??
      /^([a-z0-9-]+)\.queue\.amazonaws\.com$/.exec(host)?.[1] ??
      (host === 'queue.amazonaws.com' ? 'us-east-1' : undefined);
    const isLocal = url.origin === this.localOrigin();
    if (!isLocal && hostRegion !== this.region) throw invalid();
    const match = QUEUE_PATH.exec(url.pathname);
    if (!match) throw invalid();
    return { accountId: match[1]!, name: decodeURIComponent(match[2]!) };
  }

  /** The queue a URL designates: InvalidAddress for a URL this endpoint cannot serve, QueueDoesNotExist for an unknown queue. */
  byUrl(queueUrl: string): LocalQueue {
    const { accountId, name } = this.parseUrl(queueUrl);
    const queue = this.byKey.get(`${accountId}/${name}`);
    if (!queue) throw doesNotExist();
    return queue;
  }

  /**
   * GetQueueUrl: the queue of that name in the owner's account (the endpoint's account by default). A name SQS
   * could never have created (the CreateQueue naming rules) names no queue: QueueDoesNotExist, the error the
   * operation declares for an unknown name, rather than a validation error GetQueueUrl does not document.
   */
  byName(name: string, ownerAccountId = this.accountId): LocalQueue {
    const queue = QUEUE_NAME.test(name) ? this.byKey.get(`${ownerAccountId}/${name}`) : undefined;
    if (!queue) throw doesNotExist();
    return queue;
  }
}

/**
 * Every name of the QueueAttributeName enum of the API model; GetQueueAttributes answers InvalidAttributeName for
 * any other ("Unknown Attribute X.", SQS's wording).
 */
export const QUEUE_ATTRIBUTE_NAMES = [
  'All', 'Policy', 'VisibilityTimeout', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible', 'CreatedTimestamp', 'LastModifiedTimestamp', 'QueueArn',
  'ApproximateNumberOfMessagesDelayed', 'DelaySeconds', 'ReceiveMessageWaitTimeSeconds', 'RedrivePolicy', 'FifoQueue',
  'ContentBasedDeduplication', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'DeduplicationScope',
  'FifoThroughputLimit', 'RedriveAllowPolicy', 'SqsManagedSseEnabled',
] as const;

/**
 * Attributes a LocalQueue does not hold, so never returned: the queue policy (held by the IAM authorizer, not the
 * queue), the redrive allow policy and the encryption settings (not modelled), and the FIFO-only attributes, which
 * a standard queue does not have.
 */
export const UNHELD_QUEUE_ATTRIBUTES = [
  'Policy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled',
  'FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit',
] as const;

/**
 * The attributes of `queue` named by `names` (GetQueueAttributes,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html). Timestamps
 * are epoch seconds; the model serves no SetQueueAttributes, so LastModifiedTimestamp is the creation time.
 * ReceiveMessageWaitTimeSeconds is 0: a LocalQueue has no default long-poll wait.
 */
export function queueAttributes(queue: LocalQueue, names: readonly string[]): Record<string, string> {
  for (const name of names) {
    if (!(QUEUE_ATTRIBUTE_NAMES as readonly string[]).includes(name)) throw new SqsApiError('InvalidAttributeName', `Unknown Attribute ${name}.`);
  }
  const created = String(Math.floor(queue.createdAt / 1000));
  const held: Record<string, () => string> = {
    ApproximateNumberOfMessages: () => String(queue.approximateNumberOfMessages),
    ApproximateNumberOfMessagesNotVisible: () => String(queue.approximateNumberOfMessagesNotVisible),
    ApproximateNumberOfMessagesDelayed: () => String(queue.approximateNumberOfMessagesDelayed),
    CreatedTimestamp: () => created,
    LastModifiedTimestamp: () => created,
    DelaySeconds: () => String(queue.delaySeconds),
    MaximumMessageSize: () => String(queue.maximumMessageSizeBytes),
    MessageRetentionPeriod: () => String(queue.messageRetentionPeriodSeconds),
    QueueArn: () => queue.arn,
    ReceiveMessageWaitTimeSeconds: () => '0',
    VisibilityTimeout: () => String(queue.visibilityTimeoutSeconds),
  };
  if (queue.redrivePolicy) {
    const { deadLetterQueue, maxReceiveCount } = queue.redrivePolicy;
    held.RedrivePolicy = () => JSON.stringify({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount });
  }
  const wanted = names.includes('All') ? Object.keys(held) : names;
  const attributes: Record<string, string> = {};
  for (const name of wanted) {
    const read = held[name];
    if (read) attributes[name] = read();
  }
  return attributes;
}
