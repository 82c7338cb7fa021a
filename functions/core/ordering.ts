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
 * - `horizon`: the latest version the writer's clock can vouch for (its wall-clock time plus
 *   CLOCK_TOLERANCE_MS). A stored version beyond it, or one that is not a number at all, cannot come from a
 *   real change: it is a clock error or a corrupt item, and any write replaces it. Without this, one event
 *   stamped 2099 would make every later write stale for good.
 *
 * `decideWrite` is the specification; the DynamoDB condition in functions/adapters/store.ts
 * (`WRITE_CONDITION`) implements the same rule atomically, and the integration tests run this table
 * against both (and test/property/stand-ins.test.ts over generated write sequences).
 */

/**
 * How far an event time may lie ahead of the monitor's clock before it is taken for a clock error. AWS itself
 * allows a signed request's time stamp to differ from its own clock by up to 5 minutes
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/signing-elements.html#authentication, "time stamp"), so
 * two honest AWS clocks (CloudTrail's eventTime, Lambda's and Step Functions' clocks) agree within that.
 */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

/** The latest version a writer whose clock reads `nowMs` can vouch for. */
export function versionHorizon(nowMs: number): number {
  return nowMs + CLOCK_TOLERANCE_MS;
}

/** A stored version no real change can have produced: not a finite number, or beyond the horizon. */
export function isImpossibleVersion(version: unknown, horizon: number): boolean {
  return typeof version !== 'number' || !Number.isFinite(version) || version > horizon;
}

/**
 * Stored ordering data that no write of this project produced: an impossible version, or a `readAt` that is not
 * a number, or no `lastEventId` string (every write sets all three). Such an item is replaced by any write: an
 * item the rule cannot order must not freeze.
 */
export function isCorruptOrder(stored: StoredOrder, horizon: number): boolean {
  const { readAt, lastEventId } = stored as { readAt: unknown; lastEventId: unknown };
  return isImpossibleVersion(stored.version, horizon) || typeof readAt !== 'number' || typeof lastEventId !== 'string';
}

/**
 * The version of a change whose event time cannot be trusted, settled by a truth read at `nowMs`. The read
 * reflects every change made before it, and any change made after it carries an event time later than
 * `nowMs - CLOCK_TOLERANCE_MS` (AWS's clock may lag ours by up to the tolerance), so every later change wins over
 * this write (or ties with it and is settled by its own, later read), and none is made stale by it.
 */
export function untrustedVersion(nowMs: number): number {
  return secondOf(nowMs - CLOCK_TOLERANCE_MS);
}

/** The start of the second `ms` falls in: CloudTrail's resolution. */
export function secondOf(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

export interface WriteOrder {
  version: number;
  eventId: string;
  readAt: number;
  /** versionHorizon(writer's clock); without it, no stored version counts as impossible. */
  horizon?: number;
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
  if (stored === undefined || isCorruptOrder(stored, incoming.horizon ?? Number.POSITIVE_INFINITY)) return 'apply';
  if (stored.version < incoming.version) return 'apply';
  if (stored.version > incoming.version) return 'stale';
  if (stored.lastEventId === incoming.eventId) return 'duplicate';
  if (incoming.readAt > 0 && incoming.readAt > stored.readAt) return 'apply';
  return incoming.readAt > 0 ? 'stale' : 'tie';
}

/** Sorts oldest first; ties keep their input order (Array.prototype.sort is stable). */
export function byEventTime<T>(items: readonly T[], versionOf: (item: T) => number): T[] {
  return [...items].sort((a, b) => versionOf(a) - versionOf(b));
}
