/**
 * Plays a generated history against the in-process Scheduler model. The generator's operations are intents;
 * the player turns each into the API calls a client would make in the model's current state (a write into a
 * missing group creates the group first; a write to an existing schedule is an UpdateSchedule), so that most
 * calls succeed. Calls that fail anyway (deleting what is gone) are played too: CloudTrail records failed calls,
 * and the observer must ignore them.
 */
import type { JsonObject } from '../../../local/scheduler/operations';
import type { GroupName, Operation, TimedOperation } from './histories';
import type { InProcessScheduler } from './in-process-scheduler';
import type { VirtualClock } from './virtual-clock';

const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/scheduler-target`;

/** The names whose truth an operation may have changed (a group deletion changes all of its schedules). */
export type Touched = Set<string>;

export function keyOf(groupName: string, scheduleName: string): string {
  return `${groupName}/${scheduleName}`;
}

function recurringBody(group: GroupName, variant: number): JsonObject {
  return {
    GroupName: group,
    ScheduleExpression: `rate(${1 + (variant % 3)} minutes)`,
    FlexibleTimeWindow: { Mode: 'OFF' },
    State: variant % 2 === 0 ? 'ENABLED' : 'DISABLED',
    Target: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:target-${variant % 4}`, RoleArn: ROLE },
    ...(variant === 5 ? { Description: 'changed by variant 5' } : {}),
  };
}

function oneTimeBody(group: GroupName, atMs: number): JsonObject {
  const at = new Date(atMs).toISOString().slice(0, 19);
  return {
    GroupName: group,
    ScheduleExpression: `at(${at})`,
    ActionAfterCompletion: 'DELETE',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:one-time`, RoleArn: ROLE },
  };
}

/** The groups Scheduler is still deleting (deferred deletion). */
function deletingGroups(s: InProcessScheduler) {
  return [...s.operations.store.listGroups({ limit: Number.MAX_SAFE_INTEGER }).items].filter((group) => group.state === 'DELETING');
}

export class HistoryPlayer {
  constructor(
    private readonly scheduler: InProcessScheduler,
    private readonly clock: VirtualClock,
  ) {}

  /** Plays one operation after its gap; returns the schedule keys whose truth it may have changed. */
  play({ gapMs, op }: TimedOperation): Touched {
    this.clock.advance(gapMs);
    return this.apply(op);
  }

  private exists(group: string, name: string): boolean {
    return this.scheduler.operations.store.schedule(group, name) !== undefined;
  }

  private groupExists(group: string): boolean {
    return this.scheduler.operations.store.group(group) !== undefined;
  }

  private ensureGroup(group: GroupName): void {
    if (!this.groupExists(group)) this.scheduler.write('CreateScheduleGroup', group, {});
  }

  private apply(op: Operation): Touched {
    const s = this.scheduler;
    switch (op.kind) {
      case 'write':
        this.ensureGroup(op.group);
        s.write(this.exists(op.group, op.name) ? 'UpdateSchedule' : 'CreateSchedule', op.name, recurringBody(op.group, op.variant));
        return new Set([keyOf(op.group, op.name)]);
      case 'delete':
        s.write('DeleteSchedule', op.name, { GroupName: op.group });
        return new Set([keyOf(op.group, op.name)]);
      case 'deleteAndRecreate':
        this.ensureGroup(op.group);
        if (this.exists(op.group, op.name)) s.write('DeleteSchedule', op.name, { GroupName: op.group });
        s.write('CreateSchedule', op.name, recurringBody(op.group, op.variant));
        return new Set([keyOf(op.group, op.name)]);
      case 'createOneTime':
        this.ensureGroup(op.group);
        if (this.exists(op.group, op.name)) s.write('DeleteSchedule', op.name, { GroupName: op.group });
        s.write('CreateSchedule', op.name, oneTimeBody(op.group, this.clock.nowMs() + 60_000));
        return new Set([keyOf(op.group, op.name)]);
      case 'complete': {
        const schedule = s.operations.store.schedule(op.group, op.name);
        if (!schedule || !schedule.spec.ScheduleExpression.startsWith('at(') || schedule.spec.ActionAfterCompletion !== 'DELETE') return new Set();
        s.completeOneTimeSchedule(op.group, op.name);
        return new Set([keyOf(op.group, op.name)]);
      }
      case 'createGroup':
        if (!this.groupExists(op.group)) s.write('CreateScheduleGroup', op.group, {});
        return new Set();
      case 'finishGroupDeletions': {
        const names: string[] = [];
        for (const group of deletingGroups(s)) names.push(...[...group.schedules.keys()].map((name) => keyOf(group.name, name)));
        s.operations.completeGroupDeletions();
        return new Set(names);
      }
      case 'deleteGroup': {
        if (op.group === 'default' || !this.groupExists(op.group)) return new Set();
        const names = [...(s.operations.store.group(op.group)?.schedules.keys() ?? [])];
        s.write('DeleteScheduleGroup', op.group, {});
        return new Set(names.map((name) => keyOf(op.group, name)));
      }
    }
  }
}
