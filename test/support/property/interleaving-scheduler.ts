/**
 * The reconciler's view of Scheduler with the world moving under it: before each of its calls, the steps
 * planned for that call run (Scheduler operations by other clients, the observer catching up), so operations
 * happen between and inside the run's batches. Records the call at which each group was first listed.
 */
import type { LiveGroup, LiveSummary } from '../../../functions/core/drift-types';
import type { SchedulerReadPort } from '../../../functions/core/reconcile';
import type { ScheduleSpec } from '../../../functions/core/types';

export class InterleavingScheduler implements SchedulerReadPort {
  calls = 0;
  /** Group → index of the call that listed its first ListSchedules page. */
  readonly listingCall = new Map<string, number>();

  constructor(
    private readonly inner: SchedulerReadPort,
    private readonly before: (call: number) => Promise<void>,
  ) {}

  async listGroups(): Promise<LiveGroup[]> {
    await this.step();
    return this.inner.listGroups();
  }

  async listSchedulesPage(groupName: string, nextToken?: string): Promise<{ summaries: LiveSummary[]; nextToken?: string } | null> {
    const call = await this.step();
    if (!this.listingCall.has(groupName)) this.listingCall.set(groupName, call);
    return this.inner.listSchedulesPage(groupName, nextToken);
  }

  async getSchedule(groupName: string, scheduleName: string): Promise<ScheduleSpec | null> {
    await this.step();
    return this.inner.getSchedule(groupName, scheduleName);
  }

  private async step(): Promise<number> {
    const call = this.calls++;
    await this.before(call);
    return call;
  }
}
