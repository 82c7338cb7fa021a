/**
 * Builds state-store items (ScheduleRecord) from the truth or from an observed deletion. Pure.
 */
import type { ChangeMeta, DeleteReason, ObservedVia, ScheduleRecord, ScheduleSpec } from './types';

export interface WriteStamp {
  version: number;
  eventId: string;
  readAt: number;
  observedVia: ObservedVia;
  /** Wall-clock time of the write. */
  now: Date;
}

export const DAY_SECONDS = 86_400;

/** The item for a schedule that exists, from its GetSchedule spec. */
export function presentRecord(spec: ScheduleSpec, stamp: WriteStamp): ScheduleRecord {
  const { name, groupName, ...rest } = spec;
  return {
    ...rest,
    groupName,
    scheduleName: name,
    status: 'PRESENT',
    targetArn: spec.target.arn,
    version: stamp.version,
    readAt: stamp.readAt,
    lastEventId: stamp.eventId,
    observedVia: stamp.observedVia,
    updatedAt: stamp.now.toISOString(),
  };
}

/**
 * The attributes a tombstone sets. The schedule's last known spec stays on the item (useful history);
 * `targetArn` is removed so the sparse byTarget index only answers for live schedules; `expiresAt` lets
 * DynamoDB TTL reap it after `ttlDays` (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html).
 */
export type TombstoneFields = Pick<
  ScheduleRecord,
  'status' | 'version' | 'readAt' | 'lastEventId' | 'observedVia' | 'updatedAt' | 'deletedAt' | 'deleteReason' | 'expiresAt'
>;

export function tombstoneFields(reason: DeleteReason, stamp: WriteStamp, ttlDays: number, deletedAt?: string): TombstoneFields {
  const nowSeconds = Math.floor(stamp.now.getTime() / 1000);
  return {
    status: 'DELETED',
    version: stamp.version,
    readAt: stamp.readAt,
    lastEventId: stamp.eventId,
    observedVia: stamp.observedVia,
    updatedAt: stamp.now.toISOString(),
    deletedAt: deletedAt ?? stamp.now.toISOString(),
    deleteReason: reason,
    expiresAt: nowSeconds + ttlDays * DAY_SECONDS,
  };
}

/** The stamp of a write derived from an event; `readAt` is 0 unless its content came from a truth read. */
export function eventStamp(meta: ChangeMeta, now: Date, readAt = 0): WriteStamp {
  return { version: meta.version, eventId: meta.eventId, readAt, observedVia: 'event', now };
}

/** The store's bookkeeping attributes: everything on an item that is not the schedule's own spec. */
const BOOKKEEPING = [
  'scheduleName', 'status', 'version', 'readAt', 'observedVia', 'lastEventId', 'targetArn',
  'updatedAt', 'deletedAt', 'deleteReason', 'expiresAt',
] as const;

/** The schedule spec an item records (the inverse of presentRecord), for comparing with GetSchedule. */
export function specOfRecord(record: ScheduleRecord): ScheduleSpec {
  const spec: Record<string, unknown> = { ...record, name: record.scheduleName };
  for (const key of BOOKKEEPING) delete spec[key];
  return spec as unknown as ScheduleSpec;
}
