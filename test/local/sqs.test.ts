import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  InvalidParameterValueError,
  LocalClock,
  LocalEventSourceMapping,
  LocalQueue,
  MessageNotInflightError,
  ReceiptHandleIsInvalidError,
  StaleReceiptHandleError,
} from '../../local/sqs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SECOND = 1_000;

function setup(options: { visibilityTimeoutSeconds?: number; maxReceiveCount?: number } = {}) {
  const clock = new LocalClock();
  const dlq = new LocalQueue({ name: 'observer-dlq', clock, messageRetentionPeriodSeconds: 1_209_600 });
  const queue = new LocalQueue({
    name: 'observer-events',
    clock,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
    ...(options.maxReceiveCount ? { redrivePolicy: { deadLetterQueue: dlq, maxReceiveCount: options.maxReceiveCount } } : {}),
  });
  return { clock, queue, dlq };
}

function sendAll(queue: LocalQueue, bodies: string[]): string[] {
  return bodies.map((body) => queue.sendMessage(body));
}

describe('LocalClock', () => {
  it('moves forward by the given milliseconds when advanced', () => {
    const clock = new LocalClock(1_000);
    clock.advance(500);
    expect(clock.now()).to.equal(1_500);
  });

  it('refuses to move backwards when given a negative duration', () => {
    expect(() => new LocalClock().advance(-1)).to.throw(RangeError);
  });
});

describe('LocalQueue', () => {
  it('returns a UUID message id when a message is sent', () => {
    const { queue } = setup();
    expect(queue.sendMessage('{}')).to.match(UUID);
  });

  it('hides a received message for the visibility timeout, then returns it', () => {
    // Prepare
    const { clock, queue } = setup({ visibilityTimeoutSeconds: 30 });
    const id = queue.sendMessage('hello');
    // Act
    const first = queue.receiveMessages({ max: 10 });
    // Assess
    expect(first.map((m) => m.messageId)).to.deep.equal([id]);
    expect(queue.approximateNumberOfMessages).to.equal(0);
    expect(queue.approximateNumberOfMessagesNotVisible).to.equal(1);
    clock.advance(30 * SECOND - 1);
    expect(queue.receiveMessages({ max: 10 })).to.have.length(0);
    clock.advance(1);
    expect(queue.approximateNumberOfMessages).to.equal(1);
    expect(queue.receiveMessages({ max: 10 }).map((m) => m.messageId)).to.deep.equal([id]);
  });

  it('grows ApproximateReceiveCount per receive and keeps SentTimestamp and the first receive time', () => {
    const { clock, queue } = setup({ visibilityTimeoutSeconds: 10 });
    const sentAt = clock.now();
    queue.sendMessage('m');
    clock.advance(5 * SECOND);
    const firstReceiveAt = clock.now();
    const counts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [m] = queue.receiveMessages();
      counts.push(m!.attributes.ApproximateReceiveCount);
      expect(m!.attributes.SentTimestamp).to.equal(String(sentAt));
      expect(m!.attributes.ApproximateFirstReceiveTimestamp).to.equal(String(firstReceiveAt));
      clock.advance(10 * SECOND);
    }
    expect(counts).to.deep.equal(['1', '2', '3']);
  });

  it('uses the receive call visibility timeout when one is given', () => {
    const { clock, queue } = setup({ visibilityTimeoutSeconds: 30 });
    queue.sendMessage('m');
    queue.receiveMessages({ visibilityTimeoutSeconds: 5 });
    clock.advance(5 * SECOND);
    expect(queue.receiveMessages()).to.have.length(1);
  });

  const invalidReceives: Array<{ reason: string; max?: number; visibilityTimeoutSeconds?: number }> = [
    { reason: 'max is 0', max: 0 },
    { reason: 'max is 11, above the API limit of 10', max: 11 },
    { reason: 'max is not an integer', max: 1.5 },
    { reason: 'the visibility timeout exceeds 12 hours', visibilityTimeoutSeconds: 43_201 },
  ];
  for (const c of invalidReceives) {
    it(`throws InvalidParameterValueError when ${c.reason}`, () => {
      const { queue } = setup();
      expect(() => queue.receiveMessages(c)).to.throw(InvalidParameterValueError);
    });
  }

  it('removes the message when deleted with its current receipt handle', () => {
    const { queue } = setup();
    queue.sendMessage('m');
    const [m] = queue.receiveMessages();
    queue.deleteMessage(m!.receiptHandle);
    expect(queue.messages()).to.deep.equal([]);
    expect(queue.approximateNumberOfMessagesNotVisible).to.equal(0);
  });

  it('still deletes when the visibility timeout elapsed but nobody received the message again', () => {
    const { clock, queue } = setup({ visibilityTimeoutSeconds: 10 });
    queue.sendMessage('m');
    const [m] = queue.receiveMessages();
    clock.advance(60 * SECOND);
    queue.deleteMessage(m!.receiptHandle);
    expect(queue.approximateNumberOfMessages).to.equal(0);
    expect(queue.receiveMessages()).to.have.length(0);
  });

  it('rejects a stale receipt handle with StaleReceiptHandleError when the message was received again', () => {
    const { clock, queue } = setup({ visibilityTimeoutSeconds: 10 });
    queue.sendMessage('m');
    const [first] = queue.receiveMessages();
    clock.advance(10 * SECOND);
    const [second] = queue.receiveMessages();
    expect(() => queue.deleteMessage(first!.receiptHandle)).to.throw(StaleReceiptHandleError);
    expect(queue.messages()).to.have.length(1);
    queue.deleteMessage(second!.receiptHandle);
    expect(queue.messages()).to.have.length(0);
  });

  it('succeeds without deleting, as SQS does, when stale handles are set to ignore', () => {
    const clock = new LocalClock();
    const queue = new LocalQueue({ name: 'q', clock, visibilityTimeoutSeconds: 10, staleReceiptHandles: 'ignore' });
    queue.sendMessage('m');
    const [first] = queue.receiveMessages();
    clock.advance(10 * SECOND);
    queue.receiveMessages();
    expect(() => queue.deleteMessage(first!.receiptHandle)).not.to.throw();
    expect(queue.messages()).to.have.length(1);
  });

  it('throws ReceiptHandleIsInvalidError when the handle was never issued by the queue', () => {
    const { queue } = setup();
    expect(() => queue.deleteMessage('not-a-handle')).to.throw(ReceiptHandleIsInvalidError);
  });

  it('accepts a second delete of the same message when it is already gone', () => {
    const { queue } = setup();
    queue.sendMessage('m');
    const [m] = queue.receiveMessages();
    queue.deleteMessage(m!.receiptHandle);
    expect(() => queue.deleteMessage(m!.receiptHandle)).not.to.throw();
  });

  it('makes the message visible at once when its visibility is changed to 0', () => {
    const { queue } = setup();
    queue.sendMessage('m');
    const [m] = queue.receiveMessages();
    queue.changeMessageVisibility(m!.receiptHandle, 0);
    expect(queue.receiveMessages()).to.have.length(1);
  });

  it('extends the hiding when the visibility is changed to a longer timeout', () => {
    const { clock, queue } = setup({ visibilityTimeoutSeconds: 10 });
    queue.sendMessage('m');
    const [m] = queue.receiveMessages();
    clock.advance(5 * SECOND);
    queue.changeMessageVisibility(m!.receiptHandle, 60);
    clock.advance(59 * SECOND);
    expect(queue.receiveMessages()).to.have.length(0);
    clock.advance(1 * SECOND);
    expect(queue.receiveMessages()).to.have.length(1);
  });

  it('throws MessageNotInflightError when the visibility of a visible message is changed', () => {
    const { clock, queue } = setup({ visibilityTimeoutSeconds: 10 });
    queue.sendMessage('m');
    const [m] = queue.receiveMessages();
    clock.advance(10 * SECOND);
    expect(() => queue.changeMessageVisibility(m!.receiptHandle, 30)).to.throw(MessageNotInflightError);
  });

  it('throws InvalidParameterValueError when the total visibility would pass 12 hours from the receive', () => {
    const { clock, queue } = setup({ visibilityTimeoutSeconds: 43_200 });
    queue.sendMessage('m');
    const [m] = queue.receiveMessages();
    clock.advance(3_600 * SECOND);
    expect(() => queue.changeMessageVisibility(m!.receiptHandle, 43_200)).to.throw(InvalidParameterValueError);
  });

  it('moves a message to the DLQ instead of delivering it when its receive count would exceed maxReceiveCount', () => {
    // Prepare
    const { clock, queue, dlq } = setup({ visibilityTimeoutSeconds: 30, maxReceiveCount: 3 });
    const sentAt = clock.now();
    const id = queue.sendMessage('poison');
    // Act: three receives, never deleted
    for (let i = 1; i <= 3; i++) {
      const [m] = queue.receiveMessages();
      expect(m?.attributes.ApproximateReceiveCount).to.equal(String(i));
      clock.advance(30 * SECOND);
    }
    const fourth = queue.receiveMessages();
    // Assess
    expect(fourth).to.have.length(0);
    expect(queue.messages()).to.deep.equal([]);
    const [dead] = dlq.receiveMessages();
    expect(dead?.messageId).to.equal(id);
    expect(dead?.body).to.equal('poison');
    expect(dead?.attributes.SentTimestamp).to.equal(String(sentAt));
    expect(dead?.attributes.DeadLetterQueueSourceArn).to.equal(queue.arn);
    expect(queue.stats.movedToDeadLetterQueue).to.equal(1);
  });

  it('drops a message when its retention period has passed', () => {
    const clock = new LocalClock();
    const queue = new LocalQueue({ name: 'q', clock, messageRetentionPeriodSeconds: 60 });
    queue.sendMessage('old');
    clock.advance(60 * SECOND);
    expect(queue.receiveMessages()).to.have.length(0);
    expect(queue.stats.expired).to.equal(1);
  });

  const invalidQueues: Array<{ reason: string; build: (clock: LocalClock) => LocalQueue }> = [
    { reason: 'the name has a dot', build: (clock) => new LocalQueue({ name: 'a.b', clock }) },
    { reason: 'maxReceiveCount is 0', build: (clock) => new LocalQueue({ name: 'a', clock, redrivePolicy: { deadLetterQueue: new LocalQueue({ name: 'd', clock }), maxReceiveCount: 0 } }) },
    { reason: 'the visibility timeout is negative', build: (clock) => new LocalQueue({ name: 'a', clock, visibilityTimeoutSeconds: -1 }) },
  ];
  for (const c of invalidQueues) {
    it(`throws InvalidParameterValueError when ${c.reason}`, () => {
      expect(() => c.build(new LocalClock())).to.throw(InvalidParameterValueError);
    });
  }

  it('throws InvalidParameterValueError when the body is empty or too large', () => {
    const { queue } = setup();
    expect(() => queue.sendMessage('')).to.throw(InvalidParameterValueError);
    expect(() => queue.sendMessage('x'.repeat(262_145))).to.throw(InvalidParameterValueError);
  });
});

describe('LocalEventSourceMapping', () => {
  /** A handler that records every record it sees and fails the ids `fails` chooses. */
  function recordingHandler(fails: (r: SQSRecord) => boolean = () => false) {
    const seen: SQSRecord[] = [];
    const batches: number[] = [];
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      seen.push(...event.Records);
      batches.push(event.Records.length);
      return { batchItemFailures: event.Records.filter(fails).map((r) => ({ itemIdentifier: r.messageId })) };
    };
    return { handler, seen, batches };
  }

  it('invokes the handler with a real-shaped SQSEvent when messages are waiting', async () => {
    const { clock, queue } = setup();
    const id = queue.sendMessage('{"a":1}');
    const { handler, seen } = recordingHandler();
    await new LocalEventSourceMapping({ queue, handler, functionResponseTypes: ['ReportBatchItemFailures'] }).drain();
    expect(seen).to.have.length(1);
    const record = seen[0]!;
    expect(record).to.include({
      messageId: id,
      body: '{"a":1}',
      md5OfBody: createHash('md5').update('{"a":1}').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:observer-events',
      awsRegion: 'us-east-1',
    });
    expect(record.receiptHandle).to.be.a('string').and.not.equal('');
    expect(record.messageAttributes).to.deep.equal({});
    expect(record.attributes).to.deep.equal({
      ApproximateReceiveCount: '1',
      SentTimestamp: String(clock.now()),
      SenderId: '123456789012',
      ApproximateFirstReceiveTimestamp: String(clock.now()),
    });
  });

  it('gathers several receives of at most 10 into one batch of up to batchSize', async () => {
    const { queue } = setup();
    sendAll(queue, Array.from({ length: 30 }, (_, i) => `m${i}`));
    const { handler, batches } = recordingHandler();
    const stats = await new LocalEventSourceMapping({ queue, handler, batchSize: 25, maximumBatchingWindowInSeconds: 1 }).drain();
    expect(batches).to.deep.equal([25, 5]);
    expect(stats).to.include({ invocations: 2, deleted: 30, failedReceives: 0, complete: true });
  });

  const invalidMappings: Array<{ reason: string; batchSize?: number; window?: number; maximumConcurrency?: number }> = [
    { reason: 'batchSize is 0', batchSize: 0 },
    { reason: 'batchSize is above 10,000', batchSize: 10_001 },
    { reason: 'batchSize is above 10 with a batching window of 0', batchSize: 11, window: 0 },
    { reason: 'maximumConcurrency is 1, below the minimum of 2', maximumConcurrency: 1 },
    { reason: 'maximumConcurrency is above 1,000', maximumConcurrency: 1_001 },
  ];
  for (const c of invalidMappings) {
    it(`throws InvalidParameterValueError when ${c.reason}`, () => {
      const { queue } = setup();
      expect(
        () =>
          new LocalEventSourceMapping({
            queue,
            handler: async () => undefined,
            ...(c.batchSize !== undefined ? { batchSize: c.batchSize } : {}),
            ...(c.window !== undefined ? { maximumBatchingWindowInSeconds: c.window } : {}),
            ...(c.maximumConcurrency !== undefined ? { maximumConcurrency: c.maximumConcurrency } : {}),
          }),
      ).to.throw(InvalidParameterValueError);
    });
  }

  /** Partial batch responses, https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html */
  const responses: Array<{
    reason: string;
    respond: (ids: string[]) => unknown;
    deletedIndexes: number[];
    batchFailed: boolean;
  }> = [
    { reason: 'the handler returns nothing', respond: () => undefined, deletedIndexes: [0, 1, 2], batchFailed: false },
    { reason: 'the handler returns null', respond: () => null, deletedIndexes: [0, 1, 2], batchFailed: false },
    { reason: 'batchItemFailures is empty', respond: () => ({ batchItemFailures: [] }), deletedIndexes: [0, 1, 2], batchFailed: false },
    { reason: 'batchItemFailures is null', respond: () => ({ batchItemFailures: null }), deletedIndexes: [0, 1, 2], batchFailed: false },
    {
      reason: 'one message is reported failed',
      respond: (ids) => ({ batchItemFailures: [{ itemIdentifier: ids[1] }] }),
      deletedIndexes: [0, 2],
      batchFailed: false,
    },
    {
      reason: 'every message is reported failed',
      respond: (ids) => ({ batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) }),
      deletedIndexes: [],
      batchFailed: false,
    },
    {
      reason: 'an itemIdentifier is not in the batch',
      respond: (ids) => ({ batchItemFailures: [{ itemIdentifier: ids[0] }, { itemIdentifier: 'not-in-batch' }] }),
      deletedIndexes: [],
      batchFailed: true,
    },
    { reason: 'an itemIdentifier is empty', respond: () => ({ batchItemFailures: [{ itemIdentifier: '' }] }), deletedIndexes: [], batchFailed: true },
    { reason: 'an itemIdentifier is null', respond: () => ({ batchItemFailures: [{ itemIdentifier: null }] }), deletedIndexes: [], batchFailed: true },
    {
      reason: 'an itemIdentifier has a bad key name',
      respond: (ids) => ({ batchItemFailures: [{ itemId: ids[0] }] }),
      deletedIndexes: [],
      batchFailed: true,
    },
    { reason: 'the response is not an object', respond: () => 'ok', deletedIndexes: [], batchFailed: true },
  ];
  for (const c of responses) {
    it(`deletes ${c.deletedIndexes.length === 3 ? 'every message' : c.deletedIndexes.length === 0 ? 'nothing' : 'only the unlisted messages'} when ${c.reason} with ReportBatchItemFailures`, async () => {
      // Prepare
      const { queue } = setup();
      const ids = sendAll(queue, ['a', 'b', 'c']);
      const mapping = new LocalEventSourceMapping({
        queue,
        handler: async () => c.respond(ids) as SQSBatchResponse,
        functionResponseTypes: ['ReportBatchItemFailures'],
      });
      // Act
      const stats = await mapping.drain({ maxInvocations: 1 });
      // Assess
      const remaining = queue.messages().map((m) => m.messageId);
      expect(remaining).to.deep.equal(ids.filter((_, i) => !c.deletedIndexes.includes(i)));
      expect(stats.deleted).to.equal(c.deletedIndexes.length);
      expect(stats.failedInvocations).to.equal(c.batchFailed ? 1 : 0);
      for (const m of queue.messages()) expect(m.state).to.equal('in-flight');
    });
  }

  it('reports why the batch failed when an itemIdentifier is not in the batch', async () => {
    const { queue } = setup();
    sendAll(queue, ['a']);
    const mapping = new LocalEventSourceMapping({
      queue,
      handler: async () => ({ batchItemFailures: [{ itemIdentifier: 'nope' }] }),
      functionResponseTypes: ['ReportBatchItemFailures'],
    });
    const stats = await mapping.drain({ maxInvocations: 1 });
    expect(stats.failureReasons).to.deep.equal(['itemIdentifier nope is not in the batch']);
  });

  const thrown: Array<{ reason: string; functionResponseTypes: Array<'ReportBatchItemFailures'> }> = [
    { reason: 'ReportBatchItemFailures is on', functionResponseTypes: ['ReportBatchItemFailures'] },
    { reason: 'ReportBatchItemFailures is off', functionResponseTypes: [] },
  ];
  for (const c of thrown) {
    it(`fails the whole batch when the handler throws and ${c.reason}`, async () => {
      const { queue } = setup();
      sendAll(queue, ['a', 'b']);
      const mapping = new LocalEventSourceMapping({
        queue,
        handler: async () => {
          throw new Error('boom');
        },
        functionResponseTypes: c.functionResponseTypes,
      });
      const stats = await mapping.drain({ maxInvocations: 1 });
      expect(stats).to.include({ invocations: 1, deleted: 0, failedReceives: 2, failedInvocations: 1, complete: false });
      expect(queue.approximateNumberOfMessagesNotVisible).to.equal(2);
    });
  }

  it('ignores batchItemFailures and deletes every message when ReportBatchItemFailures is off', async () => {
    const { queue } = setup();
    const ids = sendAll(queue, ['a', 'b']);
    const mapping = new LocalEventSourceMapping({
      queue,
      handler: async () => ({ batchItemFailures: [{ itemIdentifier: ids[0]! }] }),
    });
    const stats = await mapping.drain();
    expect(stats).to.include({ invocations: 1, deleted: 2, complete: true });
  });

  it('moves a message failing 3 receives to the DLQ after the 3rd failure while the rest of its batch is deleted', async () => {
    // Prepare
    const { clock, queue, dlq } = setup({ visibilityTimeoutSeconds: 30, maxReceiveCount: 3 });
    const [good1, poison, good2] = sendAll(queue, ['good-1', 'poison', 'good-2']);
    const start = clock.now();
    const { handler, seen, batches } = recordingHandler((r) => r.body === 'poison');
    // Act
    const stats = await new LocalEventSourceMapping({
      queue,
      handler,
      functionResponseTypes: ['ReportBatchItemFailures'],
    }).drain();
    // Assess
    expect(batches).to.deep.equal([3, 1, 1]);
    expect(seen.filter((r) => r.messageId === poison).map((r) => r.attributes.ApproximateReceiveCount)).to.deep.equal(['1', '2', '3']);
    expect(stats).to.include({ invocations: 3, deleted: 2, failedReceives: 3, failedInvocations: 0, complete: true });
    expect(queue.messages()).to.deep.equal([]);
    expect(dlq.messages().map((m) => m.messageId)).to.deep.equal([poison]);
    expect(dlq.messages()[0]).to.include({ receiveCount: 3, deadLetterQueueSourceArn: queue.arn });
    expect(seen.map((r) => r.messageId)).to.include.members([good1!, good2!]);
    // three visibility timeouts elapsed on the virtual clock, no real time
    expect(clock.now() - start).to.equal(3 * 30 * SECOND);
  });

  it('terminates and reports incomplete when maxInvocations is reached before the queue is empty', async () => {
    const { queue } = setup({ visibilityTimeoutSeconds: 30 });
    queue.sendMessage('never succeeds');
    const mapping = new LocalEventSourceMapping({
      queue,
      handler: async () => {
        throw new Error('always');
      },
    });
    const stats = await mapping.drain({ maxInvocations: 5 });
    expect(stats).to.include({ invocations: 5, deleted: 0, failedReceives: 5, complete: false });
  });

  it('terminates without a DLQ when a failing message outlives the retention period', async () => {
    const clock = new LocalClock();
    const queue = new LocalQueue({ name: 'q', clock, visibilityTimeoutSeconds: 600, messageRetentionPeriodSeconds: 3_600 });
    queue.sendMessage('never succeeds');
    const mapping = new LocalEventSourceMapping({
      queue,
      handler: async () => {
        throw new Error('always');
      },
    });
    const stats = await mapping.drain();
    expect(stats).to.include({ invocations: 6, complete: true });
    expect(queue.stats.expired).to.equal(1);
  });

  const concurrency: Array<{ reason: string; maximumConcurrency?: number; expectedPeak: number }> = [
    { reason: 'no maximum concurrency is set', expectedPeak: 1 },
    { reason: 'maximumConcurrency is 3', maximumConcurrency: 3, expectedPeak: 3 },
  ];
  for (const c of concurrency) {
    it(`runs at most ${c.expectedPeak} invocation${c.expectedPeak === 1 ? '' : 's'} at once when ${c.reason}`, async () => {
      const { queue } = setup();
      sendAll(queue, Array.from({ length: 100 }, (_, i) => `m${i}`));
      let active = 0;
      let peak = 0;
      const handler = async (): Promise<void> => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setImmediate(resolve));
        active--;
      };
      const stats = await new LocalEventSourceMapping({
        queue,
        handler,
        ...(c.maximumConcurrency ? { maximumConcurrency: c.maximumConcurrency } : {}),
      }).drain();
      expect(peak).to.equal(c.expectedPeak);
      expect(stats).to.include({ invocations: 10, deleted: 100, peakConcurrency: c.expectedPeak, complete: true });
    });
  }

  it('drains 10,000 messages with a 10% failure rate quickly when a benchmark pushes them through', async () => {
    const { queue, dlq } = setup({ visibilityTimeoutSeconds: 30, maxReceiveCount: 3 });
    sendAll(queue, Array.from({ length: 10_000 }, (_, i) => String(i)));
    const { handler } = recordingHandler((r) => Number(r.body) % 10 === 0);
    const started = performance.now();
    const stats = await new LocalEventSourceMapping({
      queue,
      handler,
      batchSize: 100,
      maximumBatchingWindowInSeconds: 1,
      functionResponseTypes: ['ReportBatchItemFailures'],
      maximumConcurrency: 5,
    }).drain();
    expect(performance.now() - started).to.be.below(5_000);
    expect(stats).to.include({ deleted: 9_000, failedReceives: 3_000, complete: true });
    expect(dlq.approximateNumberOfMessages).to.equal(1_000);
  });
});
