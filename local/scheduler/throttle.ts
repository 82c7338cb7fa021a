/**
 * Injected failures: a token bucket per operation (ThrottlingException when empty, as the service answers when
 * a caller exceeds an API's requests-per-second quota,
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html) and "fail the next n calls".
 * The bucket runs on the real monotonic clock, not the model's injectable one: a test that freezes dates
 * must not freeze refills.
 */
import { performance } from 'node:perf_hooks';
import type { SchedulerErrorName } from './errors';

export interface ThrottleRule {
  ratePerSecond: number;
  /** Bucket size; defaults to ratePerSecond (at least 1). */
  burst?: number;
}

interface Bucket {
  rule: ThrottleRule;
  tokens: number;
  refilledAt: number;
}

export class FaultInjector {
  private readonly buckets = new Map<string, Bucket>();
  private readonly queued = new Map<string, SchedulerErrorName[]>();

  constructor(rules: Record<string, ThrottleRule> = {}) {
    for (const [operation, rule] of Object.entries(rules)) {
      const burst = rule.burst ?? Math.max(1, rule.ratePerSecond);
      this.buckets.set(operation, { rule: { ...rule, burst }, tokens: burst, refilledAt: performance.now() });
    }
  }

  /** The next `count` calls of `operation` answer `error`. */
  failNext(operation: string, count: number, error: SchedulerErrorName): void {
    const queue = this.queued.get(operation) ?? [];
    for (let i = 0; i < count; i += 1) queue.push(error);
    this.queued.set(operation, queue);
  }

  /** The error this call of `operation` answers, if any. */
  take(operation: string): SchedulerErrorName | undefined {
    const queued = this.queued.get(operation)?.shift();
    if (queued) return queued;
    const bucket = this.buckets.get(operation);
    if (!bucket) return undefined;
    const now = performance.now();
    bucket.tokens = Math.min(bucket.rule.burst!, bucket.tokens + ((now - bucket.refilledAt) / 1000) * bucket.rule.ratePerSecond);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) return 'ThrottlingException';
    bucket.tokens -= 1;
    return undefined;
  }
}
