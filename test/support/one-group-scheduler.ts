/**
 * One schedule group of the reconciler's Scheduler port, in memory, for scale tests of the reconciler's core:
 * its listing comes in a scrambled order (ListSchedules documents no order, so nothing may depend on it), PAGE
 * summaries per page, and GetSchedule answers from the same schedules.
 */
import type { LiveGroup, LiveSummary } from '../../functions/core/drift-types';
import type { SchedulerReadPort } from '../../functions/core/reconcile';
import type { ScheduleSpec } from '../../functions/core/types';

export const GROUP = 'default';
export const PAGE = 100;

export function spec(name: string): ScheduleSpec {
  return {
    groupName: GROUP,
    name,
    arn: `arn:aws:scheduler:us-east-1:123456789012:schedule/${GROUP}/${name}`,
    scheduleExpression: 'rate(1 hour)',
    state: 'ENABLED',
    flexibleTimeWindow: { mode: 'OFF' },
    target: { arn: 'arn:aws:lambda:us-east-1:123456789012:function:f', roleArn: 'arn:aws:iam::123456789012:role/r' },
    creationDate: '2026-11-01T00:00:00.000Z',
    lastModificationDate: '2026-11-20T08:00:00.000Z',
  };
}

/**
 * One group whose listing comes in a scrambled order (ListSchedules documents no order, so the merge must not
 * depend on it), PAGE summaries per page, and GetSchedule answering from the same schedules.
 */
export class OneGroupScheduler implements SchedulerReadPort {
  readonly calls = { list: 0, get: 0 };
  private readonly order: string[];

  constructor(private readonly live: Map<string, ScheduleSpec>) {
    // A fixed permutation: every 7th name from the middle, wrapping (7 and the sizes below are coprime).
    const names = [...live.keys()].sort();
    this.order = names.map((_, i) => names[(i * 7 + Math.floor(names.length / 2)) % names.length]!);
  }

  async listGroups(): Promise<LiveGroup[]> {
    return [{ name: GROUP, state: 'ACTIVE' }];
  }

  async listSchedulesPage(_group: string, nextToken?: string): Promise<{ summaries: LiveSummary[]; nextToken?: string }> {
    this.calls.list++;
    const from = nextToken === undefined ? 0 : Number(nextToken);
    const summaries = this.order.slice(from, from + PAGE).map((name) => {
      const s = this.live.get(name)!;
      return { groupName: GROUP, name, arn: s.arn, state: s.state, creationDate: s.creationDate, lastModificationDate: s.lastModificationDate, targetArn: s.target.arn };
    });
    return from + PAGE < this.order.length ? { summaries, nextToken: String(from + PAGE) } : { summaries };
  }

  async getSchedule(_group: string, name: string): Promise<ScheduleSpec | null> {
    this.calls.get++;
    return this.live.get(name) ?? null;
  }
}

