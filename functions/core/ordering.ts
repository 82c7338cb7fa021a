/**
 * Ordering rules of the state store: which of two writes for the same schedule wins.
 *
 * CloudTrail delivers events best-effort, out of order and sometimes twice
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html), and its
 * eventTime has one-second resolution
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 * So a write carries:
 * - `version`: the eventTime (epoch ms) of the change it comes from. Older than the stored one: stale.
 * - `eventId`: the CloudTrail eventID. Same version and same eventId as stored: a duplicate delivery.
 * - `readAt`: when the write's content was read from the truth (GetSchedule), 0 for content taken from an
 *   event payload alone. Same version, another event: a one-second tie, which only a later truth read may
 *   settle; a payload-only write (readAt 0) never wins a tie, it asks for a truth read instead.
 *
 * `decideWrite` is the specification; the DynamoDB condition in functions/adapters/store.ts
 * (`WRITE_CONDITION`) implements the same rule atomically, and the integration tests run this table
 * against both.
 */

export interface WriteOrder {
  version: number;
  eventId: string;
  readAt: number;
}

export interface StoredOrder {
  version: number;
  lastEventId?: string;
  readAt: number;
}

export type WriteDecision =
  /** The write is newer than what is stored: apply it. */
  | 'apply'
  /** What is stored comes from a later change: drop the write (success, not failure). */
  | 'stale'
  /** The same event was already applied: drop the write. */
  | 'duplicate'
  /** Another change of the same second is stored and this write cannot prove it is later: read the truth. */
  | 'tie';

export function decideWrite(incoming: WriteOrder, stored: StoredOrder | undefined): WriteDecision {
  if (stored === undefined || stored.version < incoming.version) return 'apply';
  if (stored.version > incoming.version) return 'stale';
  if (stored.lastEventId === incoming.eventId) return 'duplicate';
  if (incoming.readAt > 0 && incoming.readAt > stored.readAt) return 'apply';
  return incoming.readAt > 0 ? 'stale' : 'tie';
}

/** Sorts oldest first; ties keep their input order (Array.prototype.sort is stable). */
export function byEventTime<T>(items: readonly T[], versionOf: (item: T) => number): T[] {
  return [...items].sort((a, b) => versionOf(a) - versionOf(b));
}
