/**
 * Arbitrary state-store contents for the convergence property (issue 10): items that a lost event, a bug of an
 * older release, a hand edit or a restore from an old backup could leave. For each key of a small space (the
 * history's groups, plus a group Scheduler never had), maybe an item:
 * - content: the live spec exactly, another spec, the live spec with fields missing, or no spec at all;
 * - status PRESENT, DELETED, an unknown word, or none;
 * - version absent, a string, far in the past, an hour or two seconds before the run, or beyond the run's
 *   horizon (an hour past it, 2099); readAt and lastEventId absent, of the wrong type, or plausible;
 * and maybe a group's deletion marker of any version.
 *
 * Two things are not generated, each a documented limit (README, "Self-healing"):
 * - versions later than the run's start but within the clock tolerance: those stand for writes made during the
 *   run, which the run leaves NOT_CHECKED by design (the next run checks them);
 * - an item that claims the live schedule's lastModificationDate, state and target ARN but holds another spec:
 *   the reconciler's screen trusts that triple (the ListSchedules summary carries nothing more), and reads the
 *   full spec only for candidates. A wrong spec here always comes with a lastModificationDate of its own.
 */
import fc from 'fast-check';
import { CLOCK_TOLERANCE_MS } from '../../../functions/core/ordering';
import { presentRecord } from '../../../functions/core/records';
import { GROUP_MARKER_NAME, type ScheduleSpec } from '../../../functions/core/types';
import { GROUPS, NAMES } from './histories';
import { specOf } from './write-sequences';

export const UNKNOWN_GROUP = 'ghost';

const SPEC_FIELDS = ['target', 'scheduleExpression', 'state', 'flexibleTimeWindow', 'arn', 'creationDate', 'description', 'actionAfterCompletion'] as const;

export interface ItemPlan {
  group: string;
  name: string;
  content: 'exact' | 'other' | 'missing-fields' | 'bare';
  variant: number;
  dropped: Array<(typeof SPEC_FIELDS)[number]>;
  status: 'PRESENT' | 'DELETED' | 'weird' | 'none';
  version: 'none' | 'string' | 'far-past' | 'hour-before' | 'seconds-before' | 'past-horizon' | '2099';
  readAt: 'none' | 'zero' | 'number' | 'string';
  lastEventId: 'none' | 'string' | 'number';
}

export interface MarkerPlan {
  group: string;
  version: ItemPlan['version'];
}

export interface StorePlan {
  items: ItemPlan[];
  markers: MarkerPlan[];
}

const group = fc.constantFrom(...GROUPS, UNKNOWN_GROUP);
const version = fc.constantFrom('none', 'string', 'far-past', 'hour-before', 'seconds-before', 'past-horizon', '2099') as fc.Arbitrary<ItemPlan['version']>;

export const storePlanArbitrary: fc.Arbitrary<StorePlan> = fc.record({
  items: fc.uniqueArray(
    fc.record({
      group,
      name: fc.constantFrom(...NAMES.slice(0, 4)),
      content: fc.constantFrom('exact', 'exact', 'other', 'missing-fields', 'bare') as fc.Arbitrary<ItemPlan['content']>,
      variant: fc.integer({ min: 0, max: 2 }),
      dropped: fc.subarray([...SPEC_FIELDS]),
      status: fc.constantFrom('PRESENT', 'PRESENT', 'DELETED', 'weird', 'none') as fc.Arbitrary<ItemPlan['status']>,
      version,
      readAt: fc.constantFrom('none', 'zero', 'number', 'string') as fc.Arbitrary<ItemPlan['readAt']>,
      lastEventId: fc.constantFrom('none', 'string', 'string', 'number') as fc.Arbitrary<ItemPlan['lastEventId']>,
    }),
    { maxLength: 14, selector: (item) => `${item.group}/${item.name}` },
  ),
  markers: fc.uniqueArray(fc.record({ group, version }), { maxLength: 2, selector: (marker) => marker.group }),
});

function versionValue(plan: ItemPlan['version'], runStartMs: number): unknown {
  switch (plan) {
    case 'none':
      return undefined;
    case 'string':
      return String(runStartMs);
    case 'far-past':
      return Date.parse('1971-01-01T00:00:00Z');
    case 'hour-before':
      return runStartMs - 3_600_000;
    case 'seconds-before':
      return runStartMs - 2_000;
    case 'past-horizon':
      return runStartMs + CLOCK_TOLERANCE_MS + 3_600_000;
    case '2099':
      return Date.parse('2099-01-01T00:00:00Z');
  }
}

/** The items a plan describes, against the live truth and the run's start (absent members left out). */
export function buildStoreItems(plan: StorePlan, truth: readonly ScheduleSpec[], runStartMs: number): Record<string, unknown>[] {
  const live = new Map(truth.map((spec) => [`${spec.groupName}/${spec.name}`, spec]));
  const stamp = { version: 0, eventId: '', readAt: 0, observedVia: 'event' as const, now: new Date(runStartMs - 3_600_000) };
  const items = plan.items.map((p) => {
    const truthSpec = live.get(`${p.group}/${p.name}`);
    const other = { ...specOf(p.group, p.name, p.variant), lastModificationDate: new Date(runStartMs - 86_400_000 - p.variant).toISOString() };
    let item: Record<string, unknown>;
    switch (p.content) {
      case 'exact':
        item = presentRecord(truthSpec ?? other, stamp) as unknown as Record<string, unknown>;
        break;
      case 'other':
        item = presentRecord(other, stamp) as unknown as Record<string, unknown>;
        break;
      case 'missing-fields': {
        item = presentRecord(truthSpec ?? other, stamp) as unknown as Record<string, unknown>;
        // Without its own lastModificationDate an item never claims to be the live version (see above).
        for (const field of [...p.dropped, 'lastModificationDate']) delete item[field];
        if (p.dropped.includes('target')) delete item.targetArn;
        break;
      }
      case 'bare':
        item = { groupName: p.group, scheduleName: p.name, updatedAt: stamp.now.toISOString() };
        break;
    }
    set(item, 'status', p.status === 'none' ? undefined : p.status);
    set(item, 'version', versionValue(p.version, runStartMs));
    set(item, 'readAt', { none: undefined, zero: 0, number: runStartMs - 3_600_000, string: '5' }[p.readAt]);
    set(item, 'lastEventId', { none: undefined, string: 'e-stored', number: 7 }[p.lastEventId]);
    return item;
  });
  for (const marker of plan.markers) {
    const item: Record<string, unknown> = {
      groupName: marker.group, scheduleName: GROUP_MARKER_NAME, status: 'GROUP_DELETED', readAt: 0, lastEventId: 'e-marker',
      observedVia: 'event', updatedAt: stamp.now.toISOString(), deletedAt: stamp.now.toISOString(),
    };
    set(item, 'version', versionValue(marker.version, runStartMs));
    items.push(item);
  }
  return items;
}

function set(item: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) delete item[key];
  else item[key] = value;
}
