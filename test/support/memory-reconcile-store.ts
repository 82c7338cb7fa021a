/**
 * An in-memory state store with everything the observer and the reconciler ask of the DynamoDB table, for
 * property runs.
 *
 * Stands for: functions/adapters/store.ts, `ScheduleStore` (observer writes and the change log, via MemoryStore, whose condition
 * is `decideWrite`, the specification that WRITE_CONDITION is run against on dynalite in
 * test/integration/store.test.ts) and `ReconcileStore` (reads and the conditional repairs, whose "unchanged since
 * read" rule is run against dynalite beside this class in test/property/stand-ins.test.ts).
 * Mirrors DynamoDB where it matters here: items are stored and returned as copies of their JSON form (the
 * Document client's `removeUndefinedValues` drops undefined members), a Query walks the sort key (scheduleName)
 * in order and applies `Limit` before the filter, and each conditional write is atomic (no await inside).
 */
import type { ScheduleKey, StoredSummary, WriteResult } from '../../functions/core/apply-change';
import type { TombstoneFields, UnreadableFields } from '../../functions/core/records';
import type { StoreKey, StoreReadPort } from '../../functions/core/reconcile';
import { addEntry, bucketsBetween, changeLogRecords, type ChangedKey, type ChangeLogReader, type ChangeLogWriter, type ChangeLogRecord } from '../../functions/core/change-log';
import { isAsRead } from '../../functions/core/drift';
import type { RepairStorePort, StoreRead } from '../../functions/core/repair';
import { GROUP_REGISTRY_PARTITION, type GroupDeletionRecord, type ScheduleRecord } from '../../functions/core/types';
import { MemoryStore } from './memory-store';

/** The JSON form of a value, as DynamoDB keeps it (undefined members dropped, no shared references). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const byKey = (a: ScheduleRecord, b: ScheduleRecord) =>
  a.groupName === b.groupName ? (a.scheduleName < b.scheduleName ? -1 : a.scheduleName > b.scheduleName ? 1 : 0) : a.groupName < b.groupName ? -1 : 1;

export class MemoryReconcileStore extends MemoryStore implements StoreReadPort, RepairStorePort, ChangeLogWriter, ChangeLogReader {
  /** The change log's partitions (ScheduleStore.recordChanges / ReconcileStore.changesBetween): bucket → entries. */
  readonly changeLog = new Map<string, ChangeLogRecord[]>();
  changeLogQueries = 0;
  private changeLogCalls = 0;

  async recordChanges(keys: readonly ChangedKey[], atMs: number, untilMs: number): Promise<void> {
    for (const record of changeLogRecords(keys, atMs, untilMs, `call-${++this.changeLogCalls}`)) {
      this.changeLog.set(record.groupName, [...(this.changeLog.get(record.groupName) ?? []), plain(record)]);
    }
  }

  async changesBetween(fromMs: number, toMs: number): Promise<Map<string, number>> {
    const changes = new Map<string, number>();
    for (const bucket of bucketsBetween(fromMs, toMs)) {
      this.changeLogQueries++;
      for (const entry of this.changeLog.get(bucket) ?? []) addEntry(changes, entry);
    }
    return changes;
  }

  /**
   * The store's backfill marker (ReconcileStore.backfillCompleted). Set by default: these stores stand for a stack
   * past its first run; a test of the first run clears it.
   */
  backfilled: { runId: string; completedAt: string } | undefined = { runId: 'earlier', completedAt: '2026-01-01T00:00:00.000Z' };

  async backfillCompleted(): Promise<boolean> {
    return this.backfilled !== undefined;
  }

  async markBackfilled(runId: string, completedAt: Date): Promise<void> {
    this.backfilled = { runId, completedAt: completedAt.toISOString() };
  }

  override async putPresent(record: ScheduleRecord): Promise<WriteResult> {
    return super.putPresent(plain(record));
  }

  override async putTombstone(key: ScheduleKey, fields: TombstoneFields, options?: { onlyOverLive?: boolean }): Promise<WriteResult> {
    return super.putTombstone(key, plain(fields), options);
  }

  override async markUnreadable(key: ScheduleKey, fields: UnreadableFields): Promise<WriteResult> {
    return super.markUnreadable(key, plain(fields));
  }

  override async putGroupDeletion(record: GroupDeletionRecord): Promise<WriteResult> {
    return super.putGroupDeletion(plain(record));
  }

  override async *listGroup(groupName: string): AsyncIterable<StoredSummary> {
    for (const item of this.sorted()) {
      if (item.groupName !== groupName) continue;
      yield { scheduleName: item.scheduleName, status: item.status, version: item.version, readAt: item.readAt, lastEventId: item.lastEventId };
    }
  }

  /** Every item, sorted by key, as copies. */
  scan(): ScheduleRecord[] {
    return this.sorted().map(plain);
  }

  batchGetKeys = 0;

  async batchGet(groupName: string, names: readonly string[]): Promise<Map<string, ScheduleRecord>> {
    this.batchGetKeys += names.length;
    const found = new Map<string, ScheduleRecord>();
    for (const scheduleName of names) {
      const item = this.get({ groupName, scheduleName });
      if (item) found.set(scheduleName, plain(item));
    }
    return found;
  }

  /** A Query of the group's partition in sort-key order from `startKey`, `limit` items (no filter). */
  async itemsPage(groupName: string, startKey: StoreKey | undefined, limit: number): Promise<{ items: ScheduleRecord[]; lastKey?: StoreKey }> {
    const after = startKey?.scheduleName as string | undefined;
    const evaluated = this.sorted()
      .filter((item) => item.groupName === groupName && (after === undefined || item.scheduleName > after))
      .slice(0, limit);
    const last = evaluated.at(-1);
    return {
      items: evaluated.map(plain),
      ...(evaluated.length === limit && last ? { lastKey: { groupName, scheduleName: last.scheduleName } } : {}),
    };
  }

  /** A Query of the registry partition, in name order, from `startKey`. */
  async registeredGroupsPage(startKey: StoreKey | undefined, limit: number): Promise<{ groups: string[]; lastKey?: StoreKey }> {
    const after = startKey?.scheduleName as string | undefined;
    const groups = [...this.registeredGroups].sort().filter((group) => after === undefined || group > after).slice(0, limit);
    return { groups, ...(groups.length === limit ? { lastKey: { groupName: GROUP_REGISTRY_PARTITION, scheduleName: groups.at(-1)! } } : {}) };
  }

  async putIfUnchanged(record: ScheduleRecord, read: StoreRead | undefined): Promise<boolean> {
    const key = { groupName: record.groupName, scheduleName: record.scheduleName };
    if (record.status === 'PRESENT') this.registeredGroups.add(record.groupName);
    if (!unchangedSince(this.get(key), read)) return false;
    this.items.set(MemoryStore.keyOf(key), plain(record));
    this.writes++;
    return true;
  }

  async tombstoneIfUnchanged(key: ScheduleKey, fields: TombstoneFields, read: StoreRead): Promise<boolean> {
    const old = this.get(key);
    if (!unchangedSince(old, read)) return false;
    const { targetArn: _removed, unreadable: _unread, ...kept } = old!;
    this.items.set(MemoryStore.keyOf(key), plain({ ...kept, ...key, ...fields }));
    this.writes++;
    return true;
  }

  private sorted(): ScheduleRecord[] {
    return [...this.items.values()].sort(byKey);
  }
}

/** ReconcileStore's condition (`unchangedSince` in functions/adapters/store.ts) is `isAsRead`. */
function unchangedSince(current: ScheduleRecord | undefined, read: StoreRead | undefined): boolean {
  return isAsRead(current, read);
}
