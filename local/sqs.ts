/**
 * An in-process model of an Amazon SQS *standard* queue and of the Lambda SQS poller (event source mapping).
 * No emulator exists for them here, so integration tests, the sandbox and the benchmark run on this model.
 * It reproduces what the observer relies on, as documented:
 * - visibility timeout: a received message is hidden, then returns unless deleted
 *   (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html);
 * - receive count and dead-letter redrive: a message whose receive count would exceed `maxReceiveCount`
 *   is moved to the DLQ instead of being delivered
 *   (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html);
 * - the Lambda poller: batches, partial batch responses, failures returning after the visibility timeout
 *   (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html,
 *   https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
 *
 * - delay queues and per-message delays: a delayed message is stored but hidden until its delay elapses
 *   (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-delay-queues.html,
 *   https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-timers.html).
 *
 * Time is virtual (`LocalClock`): nothing sleeps, so 10,000+ messages drain in milliseconds.
 * Not modelled: FIFO queues, long polling, message loss or duplicate delivery by SQS itself,
 * the poller's batching window wait and 6 MB payload cap, Lambda throttling and its back-off.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';

// ---------------------------------------------------------------------------------------------- clock

/** A virtual clock shared by queues and pollers: visibility timeouts elapse when a test advances it. */
export class LocalClock {
  private current: number;

  constructor(startMs: number = Date.parse('2025-01-01T00:00:00.000Z')) {
    this.current = startMs;
  }

  /** Milliseconds since the epoch, like Date.now(). */
  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`LocalClock.advance: ms must be >= 0, got ${ms}`);
    this.current += ms;
  }

  /** Moves to an absolute time; never backwards. */
  advanceTo(ms: number): void {
    if (ms > this.current) this.current = ms;
  }
}

// --------------------------------------------------------------------------------------------- errors

/** The API's InvalidParameterValue: an argument outside the documented range. */
export class InvalidParameterValueError extends Error {
  override name = 'InvalidParameterValueError';
}

/** The API's ReceiptHandleIsInvalid: the handle was never issued by this queue. */
export class ReceiptHandleIsInvalidError extends Error {
  override name = 'ReceiptHandleIsInvalidError';
}

/**
 * The message was received again after this handle was issued. SQS itself answers DeleteMessage with success
 * and leaves the message in place ("you must provide the most recently received ReceiptHandle ... otherwise,
 * the request succeeds, but the message will not be deleted", API_DeleteMessage). The model rejects by
 * default so that a consumer bug which would silently cause redelivery in AWS fails loudly in tests; pass
 * `staleReceiptHandles: 'ignore'` to get the service's silent behaviour.
 */
export class StaleReceiptHandleError extends Error {
  override name = 'StaleReceiptHandleError';
}

/**
 * ChangeMessageVisibility with the handle of a message that is gone (deleted, expired or moved to the DLQ). A
 * ReceiptHandleIsInvalidError (same name) that callers can tell apart: the HTTP model answers it as SQS does, with
 * InvalidParameterValue ("Message does not exist or is not available for visibility timeout change").
 */
export class ReceiptHandleOfGoneMessageError extends ReceiptHandleIsInvalidError {}

/** The API's MessageNotInflight: ChangeMessageVisibility on a message that is visible again. */
export class MessageNotInflightError extends Error {
  override name = 'MessageNotInflightError';
}

// ---------------------------------------------------------------------------------------------- queue

/** Limits from the SQS API reference (ReceiveMessage, ChangeMessageVisibility, SetQueueAttributes). */
const MAX_RECEIVE_BATCH = 10;
const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200; // 12 hours
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
const DEFAULT_RETENTION_SECONDS = 345_600; // 4 days
const DEFAULT_MAX_MESSAGE_SIZE_BYTES = 262_144; // the queue attribute MaximumMessageSize; configurable
const MAX_RECEIVE_COUNT_LIMIT = 1_000;
/** DelaySeconds, of a queue or of one message: 0-900 (API_SendMessage, API_SetQueueAttributes). */
const MAX_DELAY_SECONDS = 900;

export interface RedrivePolicy {
  deadLetterQueue: LocalQueue;
  /** 1-1,000: receives allowed before the next receive moves the message to the DLQ instead. */
  maxReceiveCount: number;
}

export interface LocalQueueOptions {
  name: string;
  clock: LocalClock;
  visibilityTimeoutSeconds?: number;
  messageRetentionPeriodSeconds?: number;
  maximumMessageSizeBytes?: number;
  redrivePolicy?: RedrivePolicy;
  /** The queue attribute DelaySeconds (0-900, default 0): how long each new message stays hidden. */
  delaySeconds?: number;
  region?: string;
  accountId?: string;
  /** 'reject' (default) throws StaleReceiptHandleError; 'ignore' succeeds without deleting, as SQS does. */
  staleReceiptHandles?: 'reject' | 'ignore';
}

export interface MessageAttributeValue {
  dataType: 'String' | 'Number' | 'Binary';
  /** A custom label after the type (`String.<label>`), part of the DataType SQS stores and returns. */
  label?: string;
  stringValue?: string;
  binaryValue?: string;
}

export interface SendMessageOptions {
  messageAttributes?: Record<string, MessageAttributeValue>;
  /** The SenderId system attribute (the sender's principal); defaults to the queue's account id. */
  senderId?: string;
  /** This message's delay (0-900 s), overriding the queue's DelaySeconds. */
  delaySeconds?: number;
  /** The AWSTraceHeader message system attribute (an X-Ray trace header), returned with the message. */
  awsTraceHeader?: string;
}

export interface ReceiveMessagesOptions {
  /** MaxNumberOfMessages, 1-10. */
  max?: number;
  /** Overrides the queue's visibility timeout for this receive, 0-43,200 seconds. */
  visibilityTimeoutSeconds?: number;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  attributes: {
    ApproximateReceiveCount: string;
    SentTimestamp: string;
    SenderId: string;
    ApproximateFirstReceiveTimestamp: string;
    DeadLetterQueueSourceArn?: string;
    AWSTraceHeader?: string;
  };
}

/** A read-only view of a stored message, for assertions. */
export interface MessageSnapshot {
  messageId: string;
  body: string;
  state: 'visible' | 'in-flight' | 'delayed';
  receiveCount: number;
  sentTimestamp: number;
  firstReceiveTimestamp?: number;
  /** When an in-flight or delayed message becomes visible. */
  visibleAt?: number;
  deadLetterQueueSourceArn?: string;
}

export interface QueueStats {
  /** Depth at the time of the snapshot. */
  approximateNumberOfMessages: number;
  approximateNumberOfMessagesNotVisible: number;
  approximateNumberOfMessagesDelayed: number;
  /** Counters since creation. */
  sent: number;
  received: number;
  deleted: number;
  movedToDeadLetterQueue: number;
  expired: number;
}

interface StoredMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  senderId: string;
  awsTraceHeader?: string;
  sentTimestamp: number;
  firstReceiveTimestamp?: number;
  deadLetterQueueSourceArn?: string;
  receiveCount: number;
  state: 'visible' | 'in-flight' | 'delayed' | 'gone';
  /** While in flight: when the current receive started and when the message returns; while delayed: when it shows. */
  receivedAt: number;
  visibleAt: number;
  /** The nonce of the current receipt handle. */
  receiptNonce: string;
}

interface HeapEntry {
  at: number;
  message: StoredMessage;
  receiveCount: number;
}

/** Min-heap on `at`; stale entries are skipped by the owner (lazy deletion). */
class VisibilityHeap {
  private readonly items: HeapEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): HeapEntry | undefined {
    return this.items[0];
  }

  push(entry: HeapEntry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.at <= items[i]!.at) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }

  pop(): HeapEntry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < items.length && items[l]!.at < items[smallest]!.at) smallest = l;
        if (r < items.length && items[r]!.at < items[smallest]!.at) smallest = r;
        if (smallest === i) break;
        [items[smallest], items[i]] = [items[i]!, items[smallest]!];
        i = smallest;
      }
    }
    return top;
  }
}

/** A queue of visible messages: an array with a moving head, compacted now and then (O(1) amortised). */
class VisibleQueue {
  private items: StoredMessage[] = [];
  private head = 0;

  push(message: StoredMessage): void {
    this.items.push(message);
  }

  shift(): StoredMessage | undefined {
    if (this.head >= this.items.length) return undefined;
    const message = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return message;
  }
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidParameterValueError(
      `Value ${value} for parameter ${name} is invalid. Reason: must be an integer between ${min} and ${max}.`,
    );
  }
}

/** An SQS standard queue. */
export class LocalQueue {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  readonly region: string;
  readonly accountId: string;
  readonly clock: LocalClock;
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionPeriodSeconds: number;
  readonly maximumMessageSizeBytes: number;
  readonly delaySeconds: number;
  readonly redrivePolicy?: RedrivePolicy;
  /** When the queue was made, on its clock (the CreatedTimestamp attribute). */
  readonly createdAt: number;
  private readonly staleReceiptHandles: 'reject' | 'ignore';

  /** Every stored message, in send order (Map keeps insertion order). */
  private readonly stored = new Map<string, StoredMessage>();
  private readonly visible = new VisibleQueue();
  private readonly inFlight = new VisibilityHeap();
  private readonly delayed = new VisibilityHeap();
  private visibleCount = 0;
  private inFlightCount = 0;
  private delayedCount = 0;
  private readonly counters = { sent: 0, received: 0, deleted: 0, movedToDeadLetterQueue: 0, expired: 0 };

  constructor(options: LocalQueueOptions) {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(options.name)) {
      throw new InvalidParameterValueError(
        `Queue name "${options.name}" is invalid: 1-80 alphanumeric characters, hyphens or underscores.`,
      );
    }
    this.name = options.name;
    this.clock = options.clock;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.arn = `arn:aws:sqs:${this.region}:${this.accountId}:${this.name}`;
    this.url = `https://sqs.${this.region}.amazonaws.com/${this.accountId}/${this.name}`;
    this.visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS;
    checkInteger('VisibilityTimeout', this.visibilityTimeoutSeconds, 0, MAX_VISIBILITY_TIMEOUT_SECONDS);
    this.messageRetentionPeriodSeconds = options.messageRetentionPeriodSeconds ?? DEFAULT_RETENTION_SECONDS;
    checkInteger('MessageRetentionPeriod', this.messageRetentionPeriodSeconds, 60, 1_209_600);
    this.maximumMessageSizeBytes = options.maximumMessageSizeBytes ?? DEFAULT_MAX_MESSAGE_SIZE_BYTES;
    checkInteger('MaximumMessageSize', this.maximumMessageSizeBytes, 1_024, 1_048_576);
    this.delaySeconds = options.delaySeconds ?? 0;
    checkInteger('DelaySeconds', this.delaySeconds, 0, MAX_DELAY_SECONDS);
    this.createdAt = this.clock.now();
    if (options.redrivePolicy) {
      checkInteger('maxReceiveCount', options.redrivePolicy.maxReceiveCount, 1, MAX_RECEIVE_COUNT_LIMIT);
      if (options.redrivePolicy.deadLetterQueue === this) {
        throw new InvalidParameterValueError('A queue cannot be its own dead-letter queue.');
      }
      this.redrivePolicy = options.redrivePolicy;
    }
    this.staleReceiptHandles = options.staleReceiptHandles ?? 'reject';
  }

  /**
   * SendMessage: stores the message, visible at once unless a delay applies (the message's own, else the queue's
   * DelaySeconds). Returns the MessageId.
   */
  sendMessage(body: string, options: SendMessageOptions = {}): string {
    if (typeof body !== 'string' || body.length === 0) {
      throw new InvalidParameterValueError('The request must contain the parameter MessageBody.');
    }
    const size = Buffer.byteLength(body, 'utf8');
    if (size > this.maximumMessageSizeBytes) {
      throw new InvalidParameterValueError(
        `One or more parameters are invalid. Reason: Message must be shorter than ${this.maximumMessageSizeBytes} bytes.`,
      );
    }
    const delaySeconds = options.delaySeconds ?? this.delaySeconds;
    checkInteger('DelaySeconds', delaySeconds, 0, MAX_DELAY_SECONDS);
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: md5(body),
      messageAttributes: { ...(options.messageAttributes ?? {}) },
      senderId: options.senderId ?? this.accountId,
      ...(options.awsTraceHeader !== undefined ? { awsTraceHeader: options.awsTraceHeader } : {}),
      sentTimestamp: this.clock.now(),
      receiveCount: 0,
      state: 'visible',
      receivedAt: 0,
      visibleAt: 0,
      receiptNonce: '',
    };
    if (delaySeconds > 0) this.delay(message, message.sentTimestamp + delaySeconds * 1000);
    else this.enqueue(message);
    this.counters.sent++;
    return message.messageId;
  }

  /**
   * ReceiveMessage (short polling over the whole queue). Each receive increments ApproximateReceiveCount and
   * hides the message for the visibility timeout. A message whose count would exceed the redrive policy's
   * maxReceiveCount is moved to the DLQ instead of being returned.
   */
  receiveMessages(options: ReceiveMessagesOptions = {}): ReceivedMessage[] {
    const max = options.max ?? 1;
    checkInteger('MaxNumberOfMessages', max, 1, MAX_RECEIVE_BATCH);
    const timeoutSeconds = options.visibilityTimeoutSeconds ?? this.visibilityTimeoutSeconds;
    checkInteger('VisibilityTimeout', timeoutSeconds, 0, MAX_VISIBILITY_TIMEOUT_SECONDS);
    this.releaseExpired();
    const now = this.clock.now();
    const received: ReceivedMessage[] = [];
    while (received.length < max) {
      const message = this.visible.shift();
      if (!message) break;
      if (message.state !== 'visible') continue; // deleted while visible (lazy removal)
      this.visibleCount--;
      if (this.isExpired(message, now)) {
        this.forget(message);
        this.counters.expired++;
        continue;
      }
      if (this.redrivePolicy && message.receiveCount + 1 > this.redrivePolicy.maxReceiveCount) {
        this.forget(message);
        this.counters.movedToDeadLetterQueue++;
        this.redrivePolicy.deadLetterQueue.acceptDeadLetter(message, this.arn);
        continue;
      }
      message.receiveCount++;
      message.firstReceiveTimestamp ??= now;
      message.state = 'in-flight';
      message.receivedAt = now;
      message.visibleAt = now + timeoutSeconds * 1000;
      message.receiptNonce = randomUUID();
      this.inFlightCount++;
      this.inFlight.push({ at: message.visibleAt, message, receiveCount: message.receiveCount });
      this.counters.received++;
      received.push(this.toReceived(message));
    }
    return received;
  }

  /**
   * DeleteMessage. Works on an in-flight message and on one whose visibility timeout has elapsed but that has
   * not been received again; a handle for a message already deleted is accepted (idempotent).
   */
  deleteMessage(receiptHandle: string): void {
    const message = this.resolveHandle(receiptHandle, 'DeleteMessage');
    if (!message) return;
    if (message.state === 'in-flight') this.inFlightCount--;
    else this.visibleCount--;
    this.forget(message);
    this.counters.deleted++;
  }

  /**
   * ChangeMessageVisibility: the new timeout counts from now; 0 makes the message visible at once. The total
   * cannot exceed 12 hours from the receive
   * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html).
   */
  changeMessageVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): void {
    checkInteger('VisibilityTimeout', visibilityTimeoutSeconds, 0, MAX_VISIBILITY_TIMEOUT_SECONDS);
    this.releaseExpired();
    const message = this.resolveHandle(receiptHandle, 'ChangeMessageVisibility');
    if (!message) throw new ReceiptHandleOfGoneMessageError('The receipt handle refers to a deleted message.');
    if (message.state !== 'in-flight') {
      throw new MessageNotInflightError(`Message ${message.messageId} is not in flight.`);
    }
    const now = this.clock.now();
    const visibleAt = now + visibilityTimeoutSeconds * 1000;
    if (visibleAt - message.receivedAt > MAX_VISIBILITY_TIMEOUT_SECONDS * 1000) {
      throw new InvalidParameterValueError(
        'Value for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds].',
      );
    }
    message.visibleAt = visibleAt;
    this.inFlight.push({ at: visibleAt, message, receiveCount: message.receiveCount });
    if (visibilityTimeoutSeconds === 0) this.releaseExpired();
  }

  /** ApproximateNumberOfMessages: visible messages (exact here). */
  get approximateNumberOfMessages(): number {
    this.releaseExpired();
    return this.visibleCount;
  }

  /** ApproximateNumberOfMessagesNotVisible: in-flight messages (exact here). */
  get approximateNumberOfMessagesNotVisible(): number {
    this.releaseExpired();
    return this.inFlightCount;
  }

  /** ApproximateNumberOfMessagesDelayed: messages whose delay has not elapsed yet (exact here). */
  get approximateNumberOfMessagesDelayed(): number {
    this.releaseExpired();
    return this.delayedCount;
  }

  /**
   * When the earliest in-flight message becomes visible again, or the earliest delayed one visible for the first
   * time; undefined when none is in flight or delayed.
   */
  nextVisibilityChangeAt(): number | undefined {
    this.releaseExpired();
    this.dropStaleHeapTop();
    const inFlight = this.inFlight.peek()?.at;
    const delayed = this.delayed.peek()?.at;
    if (inFlight === undefined) return delayed;
    return delayed === undefined ? inFlight : Math.min(inFlight, delayed);
  }

  /** A snapshot: current depth, and counters since creation (sent, received, deleted, moved to the DLQ, expired). */
  get stats(): Readonly<QueueStats> {
    this.releaseExpired();
    return {
      approximateNumberOfMessages: this.visibleCount,
      approximateNumberOfMessagesNotVisible: this.inFlightCount,
      approximateNumberOfMessagesDelayed: this.delayedCount,
      ...this.counters,
    };
  }

  /** Every stored message, in send order, for assertions. */
  messages(): MessageSnapshot[] {
    this.releaseExpired();
    const out: MessageSnapshot[] = [];
    for (const m of this.stored.values()) {
      out.push({
        messageId: m.messageId,
        body: m.body,
        state: m.state === 'in-flight' || m.state === 'delayed' ? m.state : 'visible',
        receiveCount: m.receiveCount,
        sentTimestamp: m.sentTimestamp,
        ...(m.firstReceiveTimestamp !== undefined ? { firstReceiveTimestamp: m.firstReceiveTimestamp } : {}),
        ...(m.state === 'in-flight' || m.state === 'delayed' ? { visibleAt: m.visibleAt } : {}),
        ...(m.deadLetterQueueSourceArn ? { deadLetterQueueSourceArn: m.deadLetterQueueSourceArn } : {}),
      });
    }
    return out;
  }

  /**
   * Receives a message moved here by a source queue's redrive policy. The message keeps its id, body,
   * attributes and receive count, and (standard queues) its original enqueue timestamp, which is what its
   * retention counts from (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html).
   */
  private acceptDeadLetter(source: StoredMessage, sourceArn: string): void {
    const message: StoredMessage = { ...source, state: 'visible', deadLetterQueueSourceArn: sourceArn, receiptNonce: '' };
    this.enqueue(message);
  }

  private enqueue(message: StoredMessage): void {
    message.state = 'visible';
    this.stored.set(message.messageId, message);
    this.visible.push(message);
    this.visibleCount++;
  }

  /** Stores a message hidden until `visibleAt` (its delay). */
  private delay(message: StoredMessage, visibleAt: number): void {
    message.state = 'delayed';
    message.visibleAt = visibleAt;
    this.stored.set(message.messageId, message);
    this.delayed.push({ at: visibleAt, message, receiveCount: message.receiveCount });
    this.delayedCount++;
  }

  private forget(message: StoredMessage): void {
    message.state = 'gone';
    this.stored.delete(message.messageId);
  }

  private isExpired(message: StoredMessage, now: number): boolean {
    return now - message.sentTimestamp >= this.messageRetentionPeriodSeconds * 1000;
  }

  /** Heap entries are valid only for the receive and visibility deadline they were pushed for. */
  private isCurrent(entry: HeapEntry): boolean {
    const m = entry.message;
    return m.state === 'in-flight' && m.receiveCount === entry.receiveCount && m.visibleAt === entry.at;
  }

  private dropStaleHeapTop(): void {
    for (let top = this.inFlight.peek(); top && !this.isCurrent(top); top = this.inFlight.peek()) this.inFlight.pop();
  }

  /** Returns every in-flight message whose visibility timeout has elapsed, and every delayed message whose delay has, to the visible queue. */
  private releaseExpired(): void {
    const now = this.clock.now();
    for (let top = this.delayed.peek(); top && top.at <= now; top = this.delayed.peek()) {
      this.delayed.pop();
      this.delayedCount--;
      top.message.state = 'visible';
      this.visible.push(top.message);
      this.visibleCount++;
    }
    for (let top = this.inFlight.peek(); top && top.at <= now; top = this.inFlight.peek()) {
      this.inFlight.pop();
      if (!this.isCurrent(top)) continue;
      this.inFlightCount--;
      top.message.state = 'visible';
      this.visible.push(top.message);
      this.visibleCount++;
    }
  }

  /** Handle = base64url(queue name, message id, receive count, nonce): opaque to callers, like SQS's. */
  private encodeHandle(message: StoredMessage): string {
    const raw = JSON.stringify([this.name, message.messageId, message.receiveCount, message.receiptNonce]);
    return Buffer.from(raw, 'utf8').toString('base64url');
  }

  /** The message a handle designates, undefined when already deleted; throws on invalid or stale handles. */
  private resolveHandle(receiptHandle: string, action: string): StoredMessage | undefined {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(receiptHandle, 'base64url').toString('utf8'));
    } catch {
      decoded = undefined;
    }
    if (
      !Array.isArray(decoded) ||
      decoded.length !== 4 ||
      decoded[0] !== this.name ||
      typeof decoded[1] !== 'string' ||
      typeof decoded[2] !== 'number' ||
      typeof decoded[3] !== 'string'
    ) {
      throw new ReceiptHandleIsInvalidError(`${action}: the receipt handle "${receiptHandle}" is not valid for this queue.`);
    }
    const [, messageId, receiveCount, nonce] = decoded as [string, string, number, string];
    const message = this.stored.get(messageId);
    if (!message) return undefined;
    if (message.receiveCount !== receiveCount || message.receiptNonce !== nonce) {
      if (this.staleReceiptHandles === 'ignore' && action === 'DeleteMessage') return undefined;
      throw new StaleReceiptHandleError(
        `${action}: message ${messageId} was received again (receive ${message.receiveCount}) after this handle (receive ${receiveCount}) was issued.`,
      );
    }
    return message;
  }

  private toReceived(message: StoredMessage): ReceivedMessage {
    return {
      messageId: message.messageId,
      receiptHandle: this.encodeHandle(message),
      body: message.body,
      md5OfBody: message.md5OfBody,
      messageAttributes: { ...message.messageAttributes },
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentTimestamp),
        SenderId: message.senderId,
        ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.receivedAt),
        ...(message.deadLetterQueueSourceArn ? { DeadLetterQueueSourceArn: message.deadLetterQueueSourceArn } : {}),
        ...(message.awsTraceHeader !== undefined ? { AWSTraceHeader: message.awsTraceHeader } : {}),
      },
    };
  }
}

// ------------------------------------------------------------------------------ event source mapping

/** Limits from https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html and with-sqs.html. */
const MAX_BATCH_SIZE_STANDARD = 10_000;
const MAX_BATCH_SIZE_WITHOUT_WINDOW = 10;
const MIN_MAXIMUM_CONCURRENCY = 2;
const MAX_MAXIMUM_CONCURRENCY = 1_000;
const DEFAULT_MAX_INVOCATIONS = 1_000_000;
const MAX_FAILURE_REASONS = 100;

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface LocalEventSourceMappingOptions {
  queue: LocalQueue;
  handler: SqsHandler;
  /** 1-10,000 for standard queues; default 10. */
  batchSize?: number;
  /**
   * 0-300. Lambda requires at least 1 when batchSize > 10; when omitted the model uses 1 in that case (the
   * infra must set it). The model never waits for the window: it gathers what is visible now.
   */
  maximumBatchingWindowInSeconds?: number;
  functionResponseTypes?: Array<'ReportBatchItemFailures'>;
  /** ScalingConfig.MaximumConcurrency, 2-1,000; without it the model runs one invocation at a time. */
  maximumConcurrency?: number;
  /**
   * IAM in the loop: whether the function's execution role may perform an SQS action on the queue. Lambda polls
   * and deletes with that role, and refuses to create a mapping whose role lacks ReceiveMessage, DeleteMessage or
   * GetQueueAttributes (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-permissions):
   * the model checks those three before its first poll (InvalidParameterValueError, Lambda's message), then each
   * ReceiveMessage and DeleteMessage. Without it, nothing is checked.
   */
  authorize?: (action: SqsPollerAction) => Promise<boolean>;
  /** Called before each invocation with the execution role (the Lambda service writing the function's logs). */
  beforeInvoke?: () => Promise<void>;
}

export type SqsPollerAction = 'sqs:ReceiveMessage' | 'sqs:DeleteMessage' | 'sqs:GetQueueAttributes';

/** SQS's answer to a request its caller may not make (error code AccessDenied, HTTP 403). */
export class SqsAccessDeniedError extends Error {
  override readonly name = 'AccessDenied';
}

export interface DrainOptions {
  /** Stop starting invocations after this many (default 1,000,000, a guard against handlers that never succeed). */
  maxInvocations?: number;
}

export interface DrainStats {
  invocations: number;
  /** Messages deleted after a successful (or partially successful) invocation. */
  deleted: number;
  /** Message receives that ended without a delete: the message returns after its visibility timeout. */
  failedReceives: number;
  /** Invocations the poller treated as a complete failure (thrown error or invalid partial response). */
  failedInvocations: number;
  /** The highest number of invocations observed running at once. */
  peakConcurrency: number;
  /** True when the queue ended with no visible, no in-flight and no delayed message. */
  complete: boolean;
  /** Why batches failed completely (the first 100), e.g. "itemIdentifier x is not in the batch". */
  failureReasons: string[];
}

/** Why the poller treated a batch as a complete failure. */
export type BatchOutcome =
  | { kind: 'success'; failedIds: ReadonlySet<string> }
  | { kind: 'failure'; reason: string };

/**
 * Models Lambda's SQS poller for one function: receive up to `batchSize` messages (several ReceiveMessage
 * calls of at most 10), invoke the handler with a real-shaped SQSEvent, then delete what succeeded. What is
 * not deleted stays in flight until the queue's visibility timeout elapses, then returns with a higher
 * receive count, until the queue's redrive policy moves it to the DLQ.
 */
export class LocalEventSourceMapping {
  readonly queue: LocalQueue;
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  readonly reportBatchItemFailures: boolean;
  readonly maximumConcurrency: number | undefined;
  private readonly handler: SqsHandler;
  private readonly authorize?: (action: SqsPollerAction) => Promise<boolean>;
  private readonly beforeInvoke?: () => Promise<void>;
  private roleChecked = false;

  constructor(options: LocalEventSourceMappingOptions) {
    this.queue = options.queue;
    this.handler = options.handler;
    this.authorize = options.authorize;
    this.beforeInvoke = options.beforeInvoke;
    this.batchSize = options.batchSize ?? 10;
    checkInteger('BatchSize', this.batchSize, 1, MAX_BATCH_SIZE_STANDARD);
    const window = options.maximumBatchingWindowInSeconds ?? (this.batchSize > MAX_BATCH_SIZE_WITHOUT_WINDOW ? 1 : 0);
    checkInteger('MaximumBatchingWindowInSeconds', window, 0, 300);
    if (this.batchSize > MAX_BATCH_SIZE_WITHOUT_WINDOW && window < 1) {
      throw new InvalidParameterValueError(
        'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10.',
      );
    }
    this.maximumBatchingWindowInSeconds = window;
    const types = options.functionResponseTypes ?? [];
    for (const t of types) {
      if (t !== 'ReportBatchItemFailures') throw new InvalidParameterValueError(`Unknown FunctionResponseType ${String(t)}.`);
    }
    this.reportBatchItemFailures = types.includes('ReportBatchItemFailures');
    if (options.maximumConcurrency !== undefined) {
      checkInteger('MaximumConcurrency', options.maximumConcurrency, MIN_MAXIMUM_CONCURRENCY, MAX_MAXIMUM_CONCURRENCY);
    }
    this.maximumConcurrency = options.maximumConcurrency;
  }

  /**
   * Polls and invokes until the queue holds no visible and no in-flight message. When nothing is visible but
   * messages are in flight, the virtual clock jumps to the next visibility expiry: no real waiting.
   */
  async drain(options: DrainOptions = {}): Promise<DrainStats> {
    const maxInvocations = options.maxInvocations ?? DEFAULT_MAX_INVOCATIONS;
    const limit = this.maximumConcurrency ?? 1;
    const stats: DrainStats = {
      invocations: 0,
      deleted: 0,
      failedReceives: 0,
      failedInvocations: 0,
      peakConcurrency: 0,
      complete: false,
      failureReasons: [],
    };
    const running = new Set<Promise<void>>();
    await this.checkRole();
    for (;;) {
      if (stats.invocations < maxInvocations && running.size < limit) {
        if (this.authorize && !(await this.authorize('sqs:ReceiveMessage'))) {
          throw new SqsAccessDeniedError(`The execution role is not authorized to perform: sqs:ReceiveMessage on resource: ${this.queue.arn}`);
        }
        const batch = this.pollBatch();
        if (batch.length > 0) {
          stats.invocations++;
          const invocation = this.invoke(batch, stats).finally(() => running.delete(invocation));
          running.add(invocation);
          stats.peakConcurrency = Math.max(stats.peakConcurrency, running.size);
          continue;
        }
      }
      if (running.size > 0) {
        await Promise.race(running);
        continue;
      }
      if (stats.invocations >= maxInvocations) break;
      const next = this.queue.nextVisibilityChangeAt();
      if (next === undefined) break; // nothing visible (pollBatch just said so) and nothing in flight
      this.queue.clock.advanceTo(next);
    }
    stats.complete =
      this.queue.approximateNumberOfMessages === 0 &&
      this.queue.approximateNumberOfMessagesNotVisible === 0 &&
      this.queue.approximateNumberOfMessagesDelayed === 0;
    return stats;
  }

  /** What CreateEventSourceMapping checks of the execution role, once. */
  private async checkRole(): Promise<void> {
    if (!this.authorize || this.roleChecked) return;
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'] as const) {
      if (!(await this.authorize(action))) {
        throw new InvalidParameterValueError(`The provided execution role does not have permissions to call ${action.slice(4)} on SQS`);
      }
    }
    this.roleChecked = true;
  }

  /** One poll: up to batchSize messages, gathered ten at a time from what is visible now. */
  pollBatch(): ReceivedMessage[] {
    const batch: ReceivedMessage[] = [];
    while (batch.length < this.batchSize) {
      const want = Math.min(MAX_RECEIVE_BATCH, this.batchSize - batch.length);
      const got = this.queue.receiveMessages({ max: want });
      if (got.length === 0) break;
      for (const m of got) batch.push(m);
    }
    return batch;
  }

  /** Builds the event Lambda passes to the function for one batch. */
  toSqsEvent(batch: readonly ReceivedMessage[]): SQSEvent {
    return { Records: batch.map((m) => this.toRecord(m)) };
  }

  /**
   * How the poller reads the function's answer
   * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting):
   * with ReportBatchItemFailures, a null/empty response or batchItemFailures list is a complete success, and an
   * empty or null itemIdentifier, a bad key name, or an id that is not in the batch is a complete failure.
   * Without it, any return value is a complete success.
   */
  interpretResponse(response: unknown, batchIds: ReadonlySet<string>): BatchOutcome {
    const none = new Set<string>();
    if (!this.reportBatchItemFailures || response === undefined || response === null) return { kind: 'success', failedIds: none };
    if (typeof response !== 'object' || Array.isArray(response)) {
      return { kind: 'failure', reason: 'the response is not a JSON object' };
    }
    const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
    if (failures === undefined || failures === null) return { kind: 'success', failedIds: none };
    if (!Array.isArray(failures)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
    const failedIds = new Set<string>();
    for (const item of failures) {
      const id = item !== null && typeof item === 'object' ? (item as { itemIdentifier?: unknown }).itemIdentifier : undefined;
      if (typeof id !== 'string' || id === '') {
        return { kind: 'failure', reason: `invalid itemIdentifier ${JSON.stringify(item)}` };
      }
      if (!batchIds.has(id)) return { kind: 'failure', reason: `itemIdentifier ${id} is not in the batch` };
      failedIds.add(id);
    }
    return { kind: 'success', failedIds };
  }

  private async invoke(batch: ReceivedMessage[], stats: DrainStats): Promise<void> {
    let outcome: BatchOutcome;
    try {
      await this.beforeInvoke?.();
      const response = await this.handler(this.toSqsEvent(batch));
      outcome = this.interpretResponse(response, new Set(batch.map((m) => m.messageId)));
    } catch (error) {
      outcome = { kind: 'failure', reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
    if (outcome.kind === 'failure') {
      stats.failedInvocations++;
      stats.failedReceives += batch.length;
      if (stats.failureReasons.length < MAX_FAILURE_REASONS) stats.failureReasons.push(outcome.reason);
      return;
    }
    const mayDelete = this.authorize ? await this.authorize('sqs:DeleteMessage') : true;
    for (const m of batch) {
      if (outcome.failedIds.has(m.messageId) || !mayDelete) {
        // A denied DeleteMessage leaves the message to return after its visibility timeout, as a failure would.
        stats.failedReceives++;
        continue;
      }
      this.queue.deleteMessage(m.receiptHandle);
      stats.deleted++;
    }
  }

  private toRecord(m: ReceivedMessage): SQSRecord {
    const messageAttributes: SQSMessageAttributes = {};
    for (const [name, value] of Object.entries(m.messageAttributes)) {
      messageAttributes[name] = {
        ...(value.stringValue !== undefined ? { stringValue: value.stringValue } : {}),
        ...(value.binaryValue !== undefined ? { binaryValue: value.binaryValue } : {}),
        stringListValues: [],
        binaryListValues: [],
        dataType: value.dataType,
      };
    }
    return {
      messageId: m.messageId,
      receiptHandle: m.receiptHandle,
      body: m.body,
      attributes: { ...m.attributes },
      messageAttributes,
      md5OfBody: m.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: this.queue.arn,
      awsRegion: this.queue.region,
    };
  }
}
