/**
 * The observer's heartbeat (a canary): the stack owns one schedule in a group of its own; every
 * `heartbeatMinutes` a small function writes the current time into its description (UpdateSchedule), and the
 * observer records that change like any other. The function first reads the store's copy of the heartbeat: if
 * the newest beat the store holds is older than BLIND_AFTER_BEATS beats, the pipeline (trail, rule, queue,
 * monitor, permissions) is not recording changes, and the `observer-blind` alarm fires. Pure: the handler wires
 * Scheduler and the store.
 */
import type { ScheduleRecord } from './types';

export const HEARTBEAT_GROUP = 'scheduler-observer-heartbeat';
export const HEARTBEAT_SCHEDULE = 'heartbeat';
const PREFIX = 'scheduler-observer heartbeat at ';

/** CloudTrail delivers management events within about 5 minutes on average, sometimes later
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-cloudtrail-works.html): three beats of slack. */
export const BLIND_AFTER_BEATS = 3;
/** Never less than this, however short the beat: CloudTrail's own delivery time. */
export const MIN_BLIND_SECONDS = 15 * 60;

export function heartbeatDescription(now: Date): string {
  return `${PREFIX}${now.toISOString()}`;
}

/** The beat a description carries; undefined when it carries none (not written by the heartbeat). */
export function beatOf(description: unknown): number | undefined {
  if (typeof description !== 'string' || !description.startsWith(PREFIX)) return undefined;
  const ms = Date.parse(description.slice(PREFIX.length));
  return Number.isFinite(ms) ? ms : undefined;
}

export function blindAfterSeconds(heartbeatMinutes: number): number {
  return Math.max(MIN_BLIND_SECONDS, BLIND_AFTER_BEATS * heartbeatMinutes * 60);
}

export interface HeartbeatCheck {
  /** Seconds since the newest beat the store holds; undefined when it holds none. */
  lagSeconds?: number;
  /** The store has recorded no beat for longer than blindAfterSeconds (or never, once the first beat is that old). */
  blind: boolean;
}

/**
 * How far behind the store is. `firstBeatMs`: when the live heartbeat schedule was created (its CreationDate), so
 * that a store that has never seen a beat is blind only once the first beat is old enough to have arrived.
 */
export function checkHeartbeat(stored: Pick<ScheduleRecord, 'status' | 'description'> | undefined, nowMs: number, heartbeatMinutes: number, firstBeatMs?: number): HeartbeatCheck {
  const limit = blindAfterSeconds(heartbeatMinutes);
  const beat = stored?.status === 'PRESENT' ? beatOf(stored.description) : undefined;
  if (beat === undefined) {
    const waited = firstBeatMs === undefined ? 0 : (nowMs - firstBeatMs) / 1000;
    return { blind: waited > limit };
  }
  const lagSeconds = Math.max(0, Math.round((nowMs - beat) / 1000));
  return { lagSeconds, blind: lagSeconds > limit };
}
