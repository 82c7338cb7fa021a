/**
 * A token bucket for the monitor's GetSchedule calls. The account's Scheduler request rates are shared with every
 * other tool of the account (https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html: GetSchedule
 * is 1,000 per second in the larger Regions and 250 in the others by default), so the monitor takes a bounded share:
 * `monitorGetScheduleRate` per second in total, split evenly over the `monitorMaxConcurrency` execution environments
 * the event source mapping may run at once; each environment holds one bucket of rate / concurrency per second.
 *
 * Hand-written (about 30 lines) rather than a library: it needs an injectable clock, so that tests can prove the
 * bound without waiting, and nothing more than one bucket per process (README, Dependencies).
 */
import type { GroupState, TruthPort } from '../core/apply-change';
import type { ScheduleSpec } from '../core/types';

export interface BucketClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: BucketClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  /** `ratePerSecond` > 0 tokens are added per second, up to `burst` (≥ 1); the bucket starts full. */
  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly clock: BucketClock = REAL_CLOCK,
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) throw new RangeError(`a token bucket needs a rate > 0 and a burst ≥ 1, got ${ratePerSecond} and ${burst}`);
    this.tokens = burst;
    this.updatedAt = clock.now();
  }

  /** Resolves when a token was taken: at once while the bucket holds one, else after the wait for the next. */
  async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) * this.ratePerSecond) / 1000);
      this.updatedAt = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond));
    }
  }
}

/** The truth port with every GetSchedule taking a token first (GetScheduleGroup, rare, has its own quota). */
export function rateLimitedTruth(truth: TruthPort, bucket: TokenBucket): TruthPort {
  return {
    async getSchedule(groupName: string, scheduleName: string): Promise<ScheduleSpec | null> {
      await bucket.take();
      return truth.getSchedule(groupName, scheduleName);
    },
    getScheduleGroupState: (groupName: string): Promise<GroupState> => truth.getScheduleGroupState(groupName),
  };
}

/** The bucket of one execution environment: its share of the stack's rate, with a burst of one second's share (≥ 1). */
export function monitorBucket(ratePerSecond: number, maxConcurrency: number, clock?: BucketClock): TokenBucket {
  const share = ratePerSecond / maxConcurrency;
  return new TokenBucket(share, Math.max(1, share), clock);
}
