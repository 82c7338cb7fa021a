/**
 * The one clock of a property run: Scheduler's CreationDate / LastModificationDate and CloudTrail's eventTime,
 * the monitor's truth-read time (`readAt`) and the reconciler's start and batch times all read it, so that a
 * history decides which operations share a CloudTrail second (eventTime has one-second resolution,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 * Nothing here sleeps.
 */
export class VirtualClock {
  constructor(private ms: number = Date.parse('2026-11-24T10:00:00.000Z')) {}

  nowMs(): number {
    return this.ms;
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`VirtualClock.advance: ms must be >= 0, got ${ms}`);
    this.ms += ms;
  }

  /**
   * A reading that is later than every earlier one: the monitor's `readAt` (a truth read always happens after
   * the reads before it, so a tie of one CloudTrail second is settled by the later read, as in AWS).
   */
  tick(): Date {
    this.ms += 1;
    return new Date(this.ms);
  }
}
