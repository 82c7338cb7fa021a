import { expect } from 'chai';
import { monitorBucket, rateLimitedTruth, TokenBucket, type BucketClock } from '../../functions/adapters/rate-limit';

/** A clock that only moves when the bucket sleeps: the times at which tokens were granted, without waiting. */
function virtualClock(): BucketClock & { granted: number[]; ms: number } {
  const clock = {
    ms: 0,
    granted: [] as number[],
    now: () => clock.ms,
    sleep: async (ms: number) => {
      clock.ms += ms;
    },
  };
  return clock;
}

/** The most tokens granted in any window of `windowMs` (ending at a grant). */
function peak(granted: number[], windowMs: number): number {
  return Math.max(...granted.map((t) => granted.filter((u) => u > t - windowMs && u <= t).length));
}

describe('the monitor GetSchedule token bucket', () => {
  const cases = [
    { reason: 'the default share: 100/s over 5 environments', rate: 100, concurrency: 5, perSecond: 20 },
    { reason: 'a rate below the concurrency: under one call per second each', rate: 3, concurrency: 6, perSecond: 0.5 },
    { reason: 'one large environment share', rate: 1000, concurrency: 2, perSecond: 500 },
  ];
  for (const c of cases) {
    it(`grants at most ${c.perSecond}/s (after its burst) to one environment for ${c.reason}`, async () => {
      const clock = virtualClock();
      const bucket = monitorBucket(c.rate, c.concurrency, clock);
      const calls = Math.ceil(c.perSecond * 10) + 5;
      for (let i = 0; i < calls; i++) {
        await bucket.take();
        clock.granted.push(clock.ms);
      }
      const burst = Math.max(1, c.perSecond);
      // Over 10 s, no more than 10 s of the share plus the initial burst.
      expect(peak(clock.granted, 10_000)).to.be.at.most(Math.floor(c.perSecond * 10 + burst));
      // And it did not stall: the last call came about when the rate allows, not later.
      const expectedEnd = ((calls - burst) / c.perSecond) * 1000;
      expect(clock.ms).to.be.within(expectedEnd - 1_000 / c.perSecond, expectedEnd + 1_000 / c.perSecond + 1);
    });
  }

  it('keeps the bound when several invocations take tokens at once', async () => {
    // A clock with real timer semantics: sleepers wake in order of their wake time, the clock jumping to it.
    let ms = 0;
    const timers: Array<{ at: number; wake: () => void }> = [];
    const clock: BucketClock = { now: () => ms, sleep: (wait) => new Promise<void>((wake) => timers.push({ at: ms + wait, wake })) };
    const bucket = new TokenBucket(10, 10, clock);
    const granted: number[] = [];
    let done = 0;
    for (let i = 0; i < 50; i++) void bucket.take().then(() => (granted.push(ms), done++));
    while (done < 50) {
      await new Promise((resolve) => setImmediate(resolve));
      if (timers.length === 0) continue;
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift()!;
      ms = Math.max(ms, next.at);
      next.wake();
    }
    expect(granted).to.have.length(50);
    // The burst of 10 at once, then 10 per second: never more than 20 in any second, and 4 s for the other 40.
    expect(peak(granted, 1_000)).to.be.at.most(20);
    expect(Math.max(...granted)).to.be.within(3_900, 4_100);
  });

  it('takes a token before each GetSchedule, and none for GetScheduleGroup', async () => {
    let taken = 0;
    const bucket = { take: async () => void taken++ } as unknown as TokenBucket;
    const truth = rateLimitedTruth({ getSchedule: async () => null, getScheduleGroupState: async () => 'ACTIVE' }, bucket);
    await truth.getSchedule('g', 's');
    await truth.getSchedule('g', 't');
    await truth.getScheduleGroupState('g');
    expect(taken).to.equal(2);
  });

  it('refuses a rate of 0 or a burst under 1 with a RangeError', () => {
    expect(() => new TokenBucket(0, 1)).to.throw(RangeError);
    expect(() => new TokenBucket(1, 0.5)).to.throw(RangeError);
  });
});
