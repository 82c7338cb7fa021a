/**
 * Generated sequences of the observer's store writes (putPresent, putTombstone with and without onlyOverLive,
 * putGroupDeletion) over a few keys, from small value domains so that ties, duplicates, versions beyond the
 * writer's horizon and corrupt stored items (written raw, as a hand edit or an older release might leave them)
 * come up often. test/property/stand-ins.test.ts plays each on MemoryReconcileStore and on ScheduleStore over
 * dynalite: both must apply the same writes and end with the same items.
 */
import fc from 'fast-check';
import { presentRecord, tombstoneFields, unreadableFields, type WriteStamp } from '../../../functions/core/records';
import { GROUP_MARKER_NAME, type GroupDeletionRecord, type ScheduleSpec } from '../../../functions/core/types';

export const T = Date.parse('2026-11-24T10:00:00Z');
/** Every write in a sequence happens at T + 5 minutes: its horizon is T + 10 minutes. */
export const WRITTEN_AT = new Date(T + 300_000);

const NAMES = ['s0', 's1'] as const;
const VERSIONS = [T - 86_400_000, T, T + 1000, T + 600_000, T + 601_000, Date.parse('2099-01-01T00:00:00Z')];
const READ_ATS = [0, T + 5, T + 9];
const EVENT_IDS = ['e1', 'e2', 'e3'];

export type StoreWrite =
  | { op: 'present'; name: string; version: number; eventId: string; readAt: number; variant: number }
  | { op: 'tombstone'; name: string; version: number; eventId: string; readAt: number; onlyOverLive: boolean }
  | { op: 'groupDeletion'; version: number; eventId: string }
  | { op: 'unreadable'; name: string; version: number; eventId: string; readAt: number }
  /** An item put without any condition, with ordering data no write of the project produces. */
  | { op: 'raw'; name: string; item: Record<string, unknown> };

const name = fc.constantFrom(...NAMES);
const version = fc.constantFrom(...VERSIONS);
const eventId = fc.constantFrom(...EVENT_IDS);
const readAt = fc.constantFrom(...READ_ATS);

/** Ordering attributes as a corrupt item may hold them: absent, of the wrong type, or out of range. */
const rawItem = fc.record(
  {
    status: fc.constantFrom('PRESENT', 'DELETED', 'weird'),
    version: fc.oneof(version, fc.constant('1795514400000')),
    readAt: fc.oneof(readAt, fc.constant('5')),
    lastEventId: fc.oneof(eventId, fc.constant(7)),
  },
  { requiredKeys: [] },
);

export const storeWritesArbitrary: fc.Arbitrary<StoreWrite[]> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('present' as const), name, version, eventId, readAt, variant: fc.integer({ min: 0, max: 2 }) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('tombstone' as const), name, version, eventId, readAt, onlyOverLive: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('groupDeletion' as const), version, eventId }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('unreadable' as const), name, version, eventId, readAt }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('raw' as const), name, item: rawItem }) },
  ),
  { minLength: 1, maxLength: 8 },
);

export function specOf(groupName: string, scheduleName: string, variant: number): ScheduleSpec {
  return {
    groupName,
    name: scheduleName,
    scheduleExpression: `rate(${variant + 1} minutes)`,
    state: variant === 2 ? 'DISABLED' : 'ENABLED',
    flexibleTimeWindow: { mode: 'OFF' },
    target: { arn: `arn:aws:sqs:us-east-1:123456789012:q${variant}`, roleArn: 'arn:aws:iam::123456789012:role/r' },
  };
}

export function stampOf(write: { version: number; eventId: string; readAt: number }): WriteStamp {
  return { version: write.version, eventId: write.eventId, readAt: write.readAt, observedVia: 'event', now: WRITTEN_AT };
}

export function unreadableOf(write: Extract<StoreWrite, { op: 'unreadable' }>) {
  return unreadableFields('KMS_ACCESS_DENIED', stampOf(write));
}

export function tombstoneOf(write: Extract<StoreWrite, { op: 'tombstone' }>) {
  return tombstoneFields('SCHEDULE_DELETED', stampOf(write), 30);
}

export function presentOf(groupName: string, write: Extract<StoreWrite, { op: 'present' }>) {
  return presentRecord(specOf(groupName, write.name, write.variant), stampOf(write));
}

export function markerOf(groupName: string, write: Extract<StoreWrite, { op: 'groupDeletion' }>): GroupDeletionRecord {
  return {
    groupName, scheduleName: GROUP_MARKER_NAME, status: 'GROUP_DELETED', version: write.version, readAt: 0, lastEventId: write.eventId,
    observedVia: 'event', updatedAt: WRITTEN_AT.toISOString(), deletedAt: new Date(write.version).toISOString(), expiresAt: 0,
  };
}
