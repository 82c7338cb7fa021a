import { expect } from 'chai';
import { CloudTrailDelivery, type CloudTrailDeliveryOptions } from '../../local/cloudtrail-delivery';
import { toEventBridgeEvent, type CloudTrailEventBridgeEvent } from '../../local/cloudtrail-record';

function events(count: number): CloudTrailEventBridgeEvent[] {
  return Array.from({ length: count }, (_, i) =>
    toEventBridgeEvent({
      eventName: 'CreateSchedule',
      eventTime: new Date(Date.UTC(2026, 2, 7, 0, 0, i)),
      region: 'us-east-1',
      accountId: '123456789012',
      requestParameters: { name: `s-${i}` },
      responseElements: null,
      eventId: `event-${i}`,
    }));
}

const eventIds = (list: CloudTrailEventBridgeEvent[]) => list.map((e) => e.detail.eventID as string);

/** Pushes `count` events through a delivery with `options` and returns what the sink saw. */
function deliver(options: Partial<CloudTrailDeliveryOptions>, count: number): { delivery: CloudTrailDelivery; seen: string[]; returned: string[] } {
  const seen: string[] = [];
  const delivery = new CloudTrailDelivery({ ...options, sink: (event) => seen.push(event.detail.eventID as string) });
  for (const event of events(count)) delivery.push(event);
  const returned = eventIds(delivery.flush());
  return { delivery, seen, returned };
}

describe('CloudTrailDelivery', () => {
  it('delivers every event once, in push order, when no fault is configured', () => {
    const { delivery, seen, returned } = deliver({}, 5);

    expect(seen).to.deep.equal(['event-0', 'event-1', 'event-2', 'event-3', 'event-4']);
    expect(returned).to.deep.equal(seen);
    expect({ delivered: delivery.delivered, duplicated: delivery.duplicated, lost: delivery.lost }).to.deep.equal({ delivered: 5, duplicated: 0, lost: 0 });
    expect(delivery.pendingCount).to.equal(0);
  });

  it('holds events until flush when delayMs is 0', () => {
    const seen: string[] = [];
    const delivery = new CloudTrailDelivery({ sink: (event) => seen.push(event.id) });

    for (const event of events(3)) delivery.push(event);

    expect(seen).to.deep.equal([]);
    expect(delivery.pendingCount).to.equal(3);
  });

  const faultCases: Array<{ reason: string; options: Partial<CloudTrailDeliveryOptions>; check: (r: ReturnType<typeof deliver>) => void }> = [
    {
      reason: 'lossRate is 1',
      options: { lossRate: 1 },
      check: ({ delivery, seen }) => {
        expect(seen).to.deep.equal([]);
        expect(delivery.lost).to.equal(200);
      },
    },
    {
      reason: 'duplicateRate is 1',
      options: { duplicateRate: 1 },
      check: ({ delivery, seen }) => {
        expect(seen).to.have.length(400);
        expect(seen.slice(0, 4)).to.deep.equal(['event-0', 'event-0', 'event-1', 'event-1']);
        expect(delivery.duplicated).to.equal(200);
      },
    },
    {
      reason: 'reorder is set',
      options: { reorder: true, seed: 7 },
      check: ({ seen }) => {
        const inOrder = eventIds(events(200));
        expect(seen).to.not.deep.equal(inOrder);
        expect([...seen].sort()).to.deep.equal([...inOrder].sort());
      },
    },
    {
      reason: 'reorder is set within windows of 20 events',
      options: { reorder: true, reorderWindow: 20, seed: 7 },
      check: ({ seen }) => {
        const inOrder = eventIds(events(200));
        expect(seen).to.not.deep.equal(inOrder);
        // Each window of 20 holds the same events as before, in another order: nothing moves across windows.
        for (let from = 0; from < 200; from += 20) expect([...seen.slice(from, from + 20)].sort()).to.deep.equal([...inOrder.slice(from, from + 20)].sort());
      },
    },
    {
      reason: 'partial rates are set',
      options: { lossRate: 0.2, duplicateRate: 0.1, seed: 42 },
      check: ({ delivery, seen }) => {
        // Counters add up, and the rates land near what was asked (seeded, so this never flakes).
        expect(delivery.delivered).to.equal(200 - delivery.lost + delivery.duplicated);
        expect(seen).to.have.length(delivery.delivered);
        expect(delivery.lost).to.be.within(25, 55);
        expect(delivery.duplicated).to.be.within(5, 30);
      },
    },
  ];

  for (const { reason, options, check } of faultCases) {
    it(`applies the fault when ${reason}`, () => {
      check(deliver(options, 200));
    });
  }

  it('delivers the same sequence when the seed is the same', () => {
    const options = { lossRate: 0.3, duplicateRate: 0.3, reorder: true, seed: 2026 };

    const first = deliver(options, 100).seen;
    const second = deliver(options, 100).seen;
    const otherSeed = deliver({ ...options, seed: 2027 }, 100).seen;

    expect(second).to.deep.equal(first);
    expect(otherSeed).to.not.deep.equal(first);
  });

  it('keeps the same envelope id and eventID when an event is duplicated', () => {
    const delivery = new CloudTrailDelivery({ duplicateRate: 1 });
    delivery.push(events(1)[0]);

    const [original, copy] = delivery.flush();

    expect(copy).to.not.equal(original);
    expect(copy).to.deep.equal(original);
  });

  it('delivers by itself when delayMs has passed', async () => {
    const seen: string[] = [];
    const delivery = new CloudTrailDelivery({ delayMs: 10, sink: (event) => seen.push(event.detail.eventID as string) });
    for (const event of events(2)) delivery.push(event);

    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(seen).to.deep.equal(['event-0', 'event-1']);
    delivery.close();
  });

  for (const options of [{ lossRate: -0.1 }, { duplicateRate: 1.5 }, { lossRate: Number.NaN }]) {
    it(`throws RangeError when a rate is out of [0, 1]: ${JSON.stringify(options)}`, () => {
      expect(() => new CloudTrailDelivery(options)).to.throw(RangeError);
    });
  }
});
