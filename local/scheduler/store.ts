/**
 * The in-memory truth of the Scheduler model: groups and their schedules. Maps for lookups and one sorted
 * name array per group (binary search) so that a page of ListSchedules costs O(log n + page), not O(n), at the
 * benchmark's 100,000 schedules. No API semantics here (errors, validation): see operations.ts.
 */
import type { WireSchedule } from './validation';

export type GroupState = 'ACTIVE' | 'DELETING';

export interface StoredSchedule {
  name: string;
  spec: WireSchedule;
  /** Epoch ms. */
  creationDate: number;
  /** Epoch ms. */
  lastModificationDate: number;
}

export interface StoredGroup {
  name: string;
  state: GroupState;
  creationDate: number;
  lastModificationDate: number;
  tags: Array<{ Key: string; Value: string }>;
  schedules: Map<string, StoredSchedule>;
  /** Schedule names in code-unit order, kept sorted on every insert and delete. */
  sortedNames: string[];
}

/** Where a listing resumes: strictly after this (group, name) pair in (group, name) order. */
export type ListPosition = readonly [group: string, name: string];

export interface SchedulePageQuery {
  groupName?: string;
  namePrefix?: string;
  state?: 'ENABLED' | 'DISABLED';
  limit: number;
  after?: ListPosition;
}

export interface Page<T> {
  items: T[];
  /** Present only when more items follow: a page is never followed by an empty one. */
  last?: ListPosition;
}

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function insertSorted(sorted: string[], value: string): void {
  sorted.splice(lowerBound(sorted, value), 0, value);
}

function removeSorted(sorted: string[], value: string): void {
  const index = lowerBound(sorted, value);
  if (sorted[index] === value) sorted.splice(index, 1);
}

/** Called with limit + 1 items: drops the probe item and marks where the next page resumes. */
function morePage(items: Array<{ group: StoredGroup; schedule: StoredSchedule }>): Page<{ group: StoredGroup; schedule: StoredSchedule }> {
  items.pop();
  const { group, schedule } = items[items.length - 1];
  return { items, last: [group.name, schedule.name] };
}

export class ScheduleStore {
  private readonly groups = new Map<string, StoredGroup>();
  private readonly sortedGroupNames: string[] = [];
  private scheduleTotal = 0;

  get scheduleCount(): number {
    return this.scheduleTotal;
  }

  get groupCount(): number {
    return this.groups.size;
  }

  group(name: string): StoredGroup | undefined {
    return this.groups.get(name);
  }

  addGroup(name: string, tags: StoredGroup['tags'], now: number): StoredGroup {
    const group: StoredGroup = {
      name, state: 'ACTIVE', creationDate: now, lastModificationDate: now, tags, schedules: new Map(), sortedNames: [],
    };
    this.groups.set(name, group);
    insertSorted(this.sortedGroupNames, name);
    return group;
  }

  /** Removes the group and, with it, every schedule it holds. */
  removeGroup(name: string): void {
    const group = this.groups.get(name);
    if (!group) return;
    this.scheduleTotal -= group.schedules.size;
    this.groups.delete(name);
    removeSorted(this.sortedGroupNames, name);
  }

  schedule(groupName: string, name: string): StoredSchedule | undefined {
    return this.groups.get(groupName)?.schedules.get(name);
  }

  /** Inserts or replaces; the group must exist. */
  putSchedule(group: StoredGroup, schedule: StoredSchedule): void {
    if (!group.schedules.has(schedule.name)) {
      insertSorted(group.sortedNames, schedule.name);
      this.scheduleTotal += 1;
    }
    group.schedules.set(schedule.name, schedule);
  }

  removeSchedule(groupName: string, name: string): boolean {
    const group = this.groups.get(groupName);
    if (!group?.schedules.delete(name)) return false;
    removeSorted(group.sortedNames, name);
    this.scheduleTotal -= 1;
    return true;
  }

  /** Schedules in (group, name) order, resuming strictly after `after`, filtered by prefix and state. */
  listSchedules(query: SchedulePageQuery): Page<{ group: StoredGroup; schedule: StoredSchedule }> {
    const items: Array<{ group: StoredGroup; schedule: StoredSchedule }> = [];
    const groupNames = query.groupName === undefined ? this.sortedGroupNames : [query.groupName];
    const firstGroup = query.after ? lowerBound(groupNames, query.after[0]) : 0;
    const prefix = query.namePrefix ?? '';
    for (let g = firstGroup; g < groupNames.length; g += 1) {
      const group = this.groups.get(groupNames[g]);
      if (!group) continue;
      let start = lowerBound(group.sortedNames, prefix);
      if (query.after && query.after[0] === group.name) {
        start = Math.max(start, lowerBound(group.sortedNames, query.after[1]));
        if (group.sortedNames[start] === query.after[1]) start += 1;
      }
      for (let i = start; i < group.sortedNames.length; i += 1) {
        const name = group.sortedNames[i];
        if (!name.startsWith(prefix)) break;
        const schedule = group.schedules.get(name)!;
        if (query.state !== undefined && schedule.spec.State !== query.state) continue;
        items.push({ group, schedule });
        if (items.length > query.limit) return morePage(items);
      }
    }
    return { items };
  }

  /** Groups in name order, resuming strictly after `after`. */
  listGroups(query: { namePrefix?: string; limit: number; after?: string }): Page<StoredGroup> {
    const prefix = query.namePrefix ?? '';
    let start = lowerBound(this.sortedGroupNames, prefix);
    if (query.after !== undefined) {
      start = Math.max(start, lowerBound(this.sortedGroupNames, query.after));
      if (this.sortedGroupNames[start] === query.after) start += 1;
    }
    const items: StoredGroup[] = [];
    for (let i = start; i < this.sortedGroupNames.length; i += 1) {
      const group = this.groups.get(this.sortedGroupNames[i])!;
      if (!group.name.startsWith(prefix)) break;
      items.push(group);
      if (items.length > query.limit) {
        items.pop();
        return { items, last: [items[items.length - 1].name, ''] };
      }
    }
    return { items };
  }

  *allSchedules(): Generator<{ group: StoredGroup; schedule: StoredSchedule }> {
    for (const groupName of this.sortedGroupNames) {
      const group = this.groups.get(groupName)!;
      for (const name of group.sortedNames) yield { group, schedule: group.schedules.get(name)! };
    }
  }
}
