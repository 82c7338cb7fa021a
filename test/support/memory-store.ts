/**
 * An in-memory StorePort for pure unit tests of the observer logic. It applies the ordering rule through
 * `decideWrite`, the specification WRITE_CONDITION implements; test/property/stand-ins.test.ts proves, over
 * generated write sequences on dynalite, that this class and ScheduleStore apply and reject the same writes and
 * leave the same items.
 */
import type { ScheduleKey, StorePort, StoredSummary, WriteResult } from '../../functions/core/apply-change';
import { decideWrite, type StoredOrder } from '../../functions/core/ordering';
import { writeOrderOf, type TombstoneFields, type UnreadableFields } from '../../functions/core/records';
import { GROUP_MARKER_NAME, type GroupDeletionRecord, type ScheduleRecord } from '../../functions/core/types';

/** What the store holds under one key: a schedule's item, or a group's deletion marker. */
type StoredItem = ScheduleRecord | GroupDeletionRecord;

export class MemoryStore implements StorePort {
  readonly items = new Map<string, ScheduleRecord>();
  /** The group registry (ScheduleStore's GroupRegistry): a group is registered before its first live item is written. */
  readonly registeredGroups = new Set<string>();
  writes = 0;

  static keyOf(key: ScheduleKey): string {
    return `${key.groupName}/${key.scheduleName}`;
  }

  get(key: ScheduleKey): ScheduleRecord | undefined {
    return this.items.get(MemoryStore.keyOf(key));
  }

  async putPresent(record: ScheduleRecord): Promise<WriteResult> {
    this.registeredGroups.add(record.groupName);
    return this.write(record, () => record);
  }

  async putTombstone(key: ScheduleKey, fields: TombstoneFields, options: { onlyOverLive?: boolean } = {}): Promise<WriteResult> {
    const old = this.get(key);
    // ScheduleStore: `attribute_not_exists(#status) OR #status = :present`.
    if (options.onlyOverLive && old !== undefined && old.status !== undefined && old.status !== 'PRESENT') {
      return this.rejected(old);
    }
    return this.write(key, (old) => {
      const { targetArn: _dropped, unreadable: _unread, ...kept } = old ?? ({} as Partial<ScheduleRecord>);
      return { ...kept, ...key, ...fields } as ScheduleRecord;
    });
  }

  async markUnreadable(key: ScheduleKey, fields: UnreadableFields): Promise<WriteResult> {
    return this.write(key, (old) => {
      const { deletedAt: _d, deleteReason: _r, expiresAt: _e, ...kept } = old ?? ({} as Partial<ScheduleRecord>);
      return { ...kept, ...key, ...fields } as ScheduleRecord;
    });
  }

  async putGroupDeletion(record: GroupDeletionRecord): Promise<WriteResult> {
    return this.write(record, () => record);
  }

  async getGroupDeletion(groupName: string): Promise<GroupDeletionRecord | undefined> {
    const item = this.get({ groupName, scheduleName: GROUP_MARKER_NAME }) as StoredItem | undefined;
    return item?.status === 'GROUP_DELETED' ? item : undefined;
  }

  async *listGroup(groupName: string): AsyncIterable<StoredSummary> {
    for (const item of this.items.values()) {
      if (item.groupName !== groupName) continue;
      yield { scheduleName: item.scheduleName, status: item.status, version: item.version, readAt: item.readAt, lastEventId: item.lastEventId };
    }
  }

  private rejected(old: StoredItem): WriteResult {
    return { applied: false, stored: { version: old.version, readAt: old.readAt ?? 0, lastEventId: old.lastEventId } };
  }

  private async write(key: ScheduleKey, next: (old?: ScheduleRecord) => StoredItem): Promise<WriteResult> {
    const old = this.get(key);
    const candidate = next(old);
    if (decideWrite(writeOrderOf(candidate), old as StoredOrder | undefined) !== 'apply') return this.rejected(old!);
    this.items.set(MemoryStore.keyOf(key), candidate as ScheduleRecord);
    this.writes++;
    return { applied: true };
  }
}
