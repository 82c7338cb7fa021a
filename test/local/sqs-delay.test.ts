/**
 * Delay queues and message timers in the in-process queue model (local/sqs.ts), which the local SQS endpoint's
 * DelaySeconds and ApproximateNumberOfMessagesDelayed rest on: a delayed message is stored but hidden until its delay
 * elapses (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-delay-queues.html,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-timers.html).
 */
import { expect } from 'chai';
import { InvalidParameterValueError, LocalClock, LocalEventSourceMapping, LocalQueue } from '../../local/sqs';

describe('LocalQueue delays', () => {
  it('hides a message sent with a delay until the delay elapses, then delivers it', () => {
    // Prepare
    const clock = new LocalClock();
    const queue = new LocalQueue({ name: 'q', clock });
    queue.sendMessage('later', { delaySeconds: 60 });
    // Act
    const early = queue.receiveMessages();
    const delayedBefore = queue.approximateNumberOfMessagesDelayed;
    clock.advance(60_000);
    const onTime = queue.receiveMessages();
    // Assess
    expect(early).to.deep.equal([]);
    expect(delayedBefore).to.equal(1);
    expect(onTime.map((m) => m.body)).to.deep.equal(['later']);
    expect(queue.approximateNumberOfMessagesDelayed).to.equal(0);
  });

  const cases: Array<{ reason: string; queueDelay?: number; messageDelay?: number; hiddenForMs: number }> = [
    { reason: 'the queue DelaySeconds applies to a message sent without one', queueDelay: 30, hiddenForMs: 30_000 },
    { reason: "a message's own delay overrides the queue's", queueDelay: 30, messageDelay: 5, hiddenForMs: 5_000 },
    { reason: 'a delay of 0 on a delay queue makes the message visible at once', queueDelay: 30, messageDelay: 0, hiddenForMs: 0 },
    { reason: 'no delay anywhere: visible at once', hiddenForMs: 0 },
  ];
  for (const c of cases) {
    it(`keeps a message hidden exactly as long as it should when ${c.reason}`, () => {
      const clock = new LocalClock();
      const queue = new LocalQueue({ name: 'q', clock, ...(c.queueDelay !== undefined ? { delaySeconds: c.queueDelay } : {}) });
      queue.sendMessage('m', c.messageDelay !== undefined ? { delaySeconds: c.messageDelay } : {});
      if (c.hiddenForMs > 0) {
        clock.advance(c.hiddenForMs - 1);
        expect(queue.receiveMessages(), 'one millisecond early').to.deep.equal([]);
        clock.advance(1);
      }
      expect(queue.receiveMessages()).to.have.length(1);
    });
  }

  it('rejects a delay outside 0-900 seconds, on the queue and on a message', () => {
    const clock = new LocalClock();
    expect(() => new LocalQueue({ name: 'q', clock, delaySeconds: 901 })).to.throw(InvalidParameterValueError);
    expect(() => new LocalQueue({ name: 'q', clock }).sendMessage('m', { delaySeconds: -1 })).to.throw(InvalidParameterValueError);
  });

  it('reports delayed messages in snapshots and stats, and as the next visibility change', () => {
    const clock = new LocalClock();
    const queue = new LocalQueue({ name: 'q', clock });
    queue.sendMessage('m', { delaySeconds: 90 });
    expect(queue.messages().map((m) => [m.state, m.visibleAt])).to.deep.equal([['delayed', clock.now() + 90_000]]);
    expect(queue.stats).to.include({ approximateNumberOfMessages: 0, approximateNumberOfMessagesNotVisible: 0, approximateNumberOfMessagesDelayed: 1 });
    expect(queue.nextVisibilityChangeAt()).to.equal(clock.now() + 90_000);
  });

  it('lets the Lambda poller wait (virtually) for delayed messages and drain them', async () => {
    // Prepare
    const clock = new LocalClock();
    const queue = new LocalQueue({ name: 'q', clock });
    queue.sendMessage('now');
    queue.sendMessage('in two minutes', { delaySeconds: 120 });
    const seen: string[] = [];
    const mapping = new LocalEventSourceMapping({ queue, handler: async (event) => void seen.push(...event.Records.map((r) => r.body)) });
    const start = clock.now();
    // Act
    const stats = await mapping.drain();
    // Assess
    expect(seen).to.deep.equal(['now', 'in two minutes']);
    expect(stats).to.include({ deleted: 2, complete: true });
    expect(clock.now() - start).to.equal(120_000);
  });
});
