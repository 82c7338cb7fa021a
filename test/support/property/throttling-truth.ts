/**
 * GetSchedule throttled beyond the SDK's own retries: the monitor's truth read fails with a
 * ThrottlingException, the record is reported in batchItemFailures and SQS redelivers it
 * (README, "How it works"; https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html).
 */
import type { GroupState, TruthPort } from '../../../functions/core/apply-change';
import type { ScheduleSpec } from '../../../functions/core/types';

/** Named as the SDK names Scheduler's throttling error (`err.name`). */
export class ThrottlingException extends Error {
  override readonly name = 'ThrottlingException';
}

export class ThrottlingTruth implements TruthPort {
  /** GetSchedule calls made, throttled ones included. */
  calls = 0;
  throttled = 0;

  /** `throttle(n)` decides the fate of the n-th call (0-based). */
  constructor(
    private readonly inner: TruthPort,
    private readonly throttle: (call: number) => boolean,
  ) {}

  async getSchedule(groupName: string, scheduleName: string): Promise<ScheduleSpec | null> {
    const call = this.calls++;
    if (this.throttle(call)) {
      this.throttled++;
      throw new ThrottlingException('Rate exceeded');
    }
    return this.inner.getSchedule(groupName, scheduleName);
  }

  /** Not throttled: asked only for same-second group deletions, rare enough to leave out of the fault model. */
  async getScheduleGroupState(groupName: string): Promise<GroupState> {
    return this.inner.getScheduleGroupState(groupName);
  }
}
