/**
 * Builds state-store items (ScheduleRecord) from the truth or from an observed deletion. Pure.
 */
import { versionHorizon, type WriteOrder } from './ordering';
import { GROUP_MARKER_NAME, type ChangeMeta, type DeleteReason, type GroupDeletionRecord, type ObservedVia, type ScheduleRecord, type ScheduleSpec, type UnreadableReason } from './types';

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

/** The attributes that mark a live schedule the observer may not read (see ScheduleRecord.unreadable). */
export type UnreadableFields = Pick<ScheduleRecord, 'status' | 'version' | 'readAt' | 'lastEventId' | 'observedVia' | 'updatedAt' | 'unreadable'>;

export function unreadableFields(reason: UnreadableReason, stamp: WriteStamp): UnreadableFields {
  return {
    status: 'PRESENT',
    version: stamp.version,
    readAt: stamp.readAt,
    lastEventId: stamp.eventId,
    observedVia: stamp.observedVia,
    updatedAt: stamp.now.toISOString(),
    unreadable: reason,
  };
}

/** The marker of a group's deletion (see GroupDeletionRecord), from its DeleteScheduleGroup event. */
export function groupDeletionRecord(groupName: string, meta: ChangeMeta, now: Date, ttlDays: number): GroupDeletionRecord {
  return {
    groupName,
    scheduleName: GROUP_MARKER_NAME,
    status: 'GROUP_DELETED',
    version: meta.version,
    readAt: 0,
    lastEventId: meta.eventId,
    observedVia: 'event',
    updatedAt: now.toISOString(),
    deletedAt: meta.eventTime,
    expiresAt: Math.floor(now.getTime() / 1000) + ttlDays * DAY_SECONDS,
  };
}

/**
 * The ordering data of a write (a record or tombstone fields): its version and event, its truth read, and the
 * horizon of the clock that wrote it (`updatedAt`, the write's wall-clock time).
 */
export function writeOrderOf(write: Pick<ScheduleRecord, 'version' | 'lastEventId' | 'readAt' | 'updatedAt'>): WriteOrder {
  const writtenAt = Date.parse(write.updatedAt);
  return {
    version: write.version,
    eventId: write.lastEventId ?? '',
    readAt: write.readAt,
    horizon: versionHorizon(Number.isFinite(writtenAt) ? writtenAt : Date.now()),
  };
}

/** The stamp of a write derived from an event; `readAt` is 0 unless its content came from a truth read. */
export function eventStamp(meta: ChangeMeta, now: Date, readAt = 0): WriteStamp {
  return { version: meta.version, eventId: meta.eventId, readAt, observedVia: 'event', now };
}

/** The store's bookkeeping attributes: everything on an item that is not the schedule's own spec. */
const BOOKKEEPING = [
  'scheduleName', 'status', 'version', 'readAt', 'observedVia', 'lastEventId', 'targetArn',
  'updatedAt', 'deletedAt', 'deleteReason', 'expiresAt', 'unreadable',
] as const;

/** The schedule spec an item records (the inverse of presentRecord), for comparing with GetSchedule. */
export function specOfRecord(record: ScheduleRecord): ScheduleSpec {
  const spec: Record<string, unknown> = { ...record, name: record.scheduleName };
  for (const key of BOOKKEEPING) delete spec[key];
  return spec as unknown as ScheduleSpec;
}
