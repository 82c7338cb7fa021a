/**
 * Coalescing a batch (issue 12): the events of one schedule in one SQS batch need one truth read and one
 * conditional write, those of its newest event. Pure.
 *
 * Why dropping the older events of a schedule changes nothing: a create or update is settled by reading the truth
 * now, so an older event's read would see the same schedule as the newest one's; a delete writes a tombstone at
 * its own version, which the newest event's write beats (a strictly later version wins the write condition); and a
 * group deletion is applied on its own, whatever its place. What the newest event writes is therefore what the
 * whole sequence would leave, in any delivery order. Of several creates and updates in the newest second, one is
 * applied: each would read the same truth and write it at the same version, the later read winning a tie that
 * changes nothing. A delete of that second is applied too: with a create in the same second, the read settles which
 * came last, and the tombstone keeps its reason and time.
 *
 * Not coalesced: group events, ignored events, and events stamped beyond the monitor's clock plus the tolerance
 * (their version is replaced by one the monitor chooses, so it says nothing about their order).
 */
import { CLOCK_TOLERANCE_MS } from './ordering';
import type { SchedulerChange } from './types';

export interface BatchEntry {
  /** The SQS message id. */
  id: string;
  change: SchedulerChange;
}

/**
 * Why an entry needs no work: a later event of its schedule is in the batch (older), the same event is (duplicate),
 * or another create or update of the same second (same-second).
 */
export interface Superseded {
  by: string;
  reason: 'older' | 'duplicate' | 'same-second';
}

/** The entries of the batch that need no work, by message id; every other entry is applied. */
export function coalesce(entries: readonly BatchEntry[], nowMs: number): Map<string, Superseded> {
  const newest = new Map<string, BatchEntry>();
  const seenEvent = new Map<string, string>();
  const superseded = new Map<string, Superseded>();
  const eligible = entries.filter((e) => scheduleKeyOf(e.change) !== undefined && e.change.meta.version <= nowMs + CLOCK_TOLERANCE_MS);
  for (const entry of eligible) {
    // The same CloudTrail event delivered twice (EventBridge and SQS deliver at least once).
    const first = seenEvent.get(entry.change.meta.eventId);
    if (first !== undefined) {
      superseded.set(entry.id, { by: first, reason: 'duplicate' });
      continue;
    }
    seenEvent.set(entry.change.meta.eventId, entry.id);
    const key = scheduleKeyOf(entry.change)!;
    const best = newest.get(key);
    if (best === undefined || entry.change.meta.version > best.change.meta.version) newest.set(key, entry);
  }
  const settlingRead = new Map<string, string>();
  for (const entry of eligible) {
    if (superseded.has(entry.id)) continue;
    const key = scheduleKeyOf(entry.change)!;
    const best = newest.get(key)!;
    if (entry.change.meta.version < best.change.meta.version) {
      superseded.set(entry.id, { by: best.id, reason: 'older' });
      continue;
    }
    if (entry.change.kind === 'deleteSchedule') continue;
    // One create or update of the newest second reads the truth for all of them.
    const reader = settlingRead.get(key);
    if (reader === undefined) settlingRead.set(key, entry.id);
    else superseded.set(entry.id, { by: reader, reason: 'same-second' });
  }
  return superseded;
}

function scheduleKeyOf(change: SchedulerChange): string | undefined {
  if (change.kind !== 'createSchedule' && change.kind !== 'updateSchedule' && change.kind !== 'deleteSchedule') return undefined;
  // Neither name may contain '/' ([0-9a-zA-Z-_.]), so the key is unambiguous.
  return `${change.groupName}/${change.scheduleName}`;
}
