/**
 * An in-memory StorePort for pure unit tests of the observer logic. It applies the ordering rule through
 * `decideWrite`, the same specification the DynamoDB condition is tested against on dynalite
 * (test/integration/store.test.ts), so it stands for the real store in what it decides.
 */
import type { ScheduleKey, StorePort, StoredSummary, WriteResult } from '../../functions/core/apply-change';
import { decideWrite } from '../../functions/core/ordering';
import type { TombstoneFields } from '../../functions/core/records';
import type { ScheduleRecord } from '../../functions/core/types';

export class MemoryStore implements StorePort {
  readonly items = new Map<string, ScheduleRecord>();
  writes = 0;

  static keyOf(key: ScheduleKey): string {
    return `${key.groupName}/${key.scheduleName}`;
  }

  get(key: ScheduleKey): ScheduleRecord | undefined {
    return this.items.get(MemoryStore.keyOf(key));
  }

  async putPresent(record: ScheduleRecord): Promise<WriteResult> {
    return this.write(record, () => record);
  }

  async putTombstone(key: ScheduleKey, fields: TombstoneFields, options: { onlyOverLive?: boolean } = {}): Promise<WriteResult> {
    const old = this.get(key);
    if (options.onlyOverLive && old?.status === 'DELETED') {
      return { applied: false, stored: { version: old.version, readAt: old.readAt, lastEventId: old.lastEventId } };
    }
    return this.write(key, (old) => {
      const { targetArn: _dropped, ...kept } = old ?? ({} as Partial<ScheduleRecord>);
      return { ...kept, ...key, ...fields } as ScheduleRecord;
    });
  }

  async *listGroup(groupName: string): AsyncIterable<StoredSummary> {
    for (const item of this.items.values()) {
      if (item.groupName !== groupName) continue;
      yield { scheduleName: item.scheduleName, status: item.status, version: item.version, readAt: item.readAt, lastEventId: item.lastEventId };
    }
  }

  private async write(key: ScheduleKey & { version?: number }, next: (old?: ScheduleRecord) => ScheduleRecord): Promise<WriteResult> {
    const old = this.get(key);
    const candidate = next(old);
    const stored = old && { version: old.version, readAt: old.readAt, lastEventId: old.lastEventId };
    if (decideWrite({ version: candidate.version, eventId: candidate.lastEventId ?? '', readAt: candidate.readAt }, stored) !== 'apply') {
      return { applied: false, stored };
    }
    this.items.set(MemoryStore.keyOf(key), candidate);
    this.writes++;
    return { applied: true };
  }
}
