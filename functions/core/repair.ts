/**
 * Repair mode ("Apply repairs"): writes the live truth into the store for every confirmed drift item, each
 * write conditional on the store item being as the run read it, so a concurrent observer write wins. It
 * never calls Scheduler: the truth was read (and confirmed) by the scan steps and waits in S3.
 *
 * Versions of repair writes follow the store's ordering rule (functions/core/ordering.ts):
 * - a present item gets the second of the schedule's LastModificationDate: a late duplicate of the event
 *   that made that change is then a tie, settled by a truth read, and any later change wins;
 * - a tombstone gets the second the run started: the schedule was gone then, and any event after it wins.
 * `readAt` is when the batch that read the truth began: the reads happened after it, so it can only lose a
 * tie it might have won, never win one it should lose.
 */
import type { DeleteReason, ScheduleRecord } from './types';
import type { DeletedLiveReason, DriftItem } from './drift-types';
import { secondOf } from './ordering';
import { presentRecord, tombstoneFields, type TombstoneFields, type WriteStamp } from './records';
import { runKeys, type GroupChunk, type RunContext } from './reconcile';

/** Store writes per "Apply repairs" call (whole chunks; a chunk holds at most one batch's drift). */
export const REPAIRS_PER_BATCH = 2_000;

/** The store item as the run read it (functions/core/drift.ts `readOf`); a corrupt item's members are absent. */
export interface StoreRead {
  version?: number;
  lastEventId?: string;
}

export interface RepairStorePort {
  putIfUnchanged(record: ScheduleRecord, read: StoreRead | undefined): Promise<boolean>;
  /** Records that the store's first backfill completed (types.ts BACKFILL_MARKER_NAME). */
  markBackfilled(runId: string, completedAt: Date): Promise<void>;
  tombstoneIfUnchanged(key: { groupName: string; scheduleName: string }, fields: TombstoneFields, read: StoreRead): Promise<boolean>;
}

export interface RunObjects {
  putJson(key: string, value: unknown): Promise<void>;
  getJson<T = unknown>(key: string): Promise<T | undefined>;
  list(prefix: string): AsyncIterable<{ key: string }>;
}

export interface RepairOutcome {
  groupName: string;
  scheduleName: string;
  kind: DriftItem['kind'];
  repair: NonNullable<DriftItem['repair']>;
}

export interface RepairCursor {
  /** Index of the next chunk (in key order) to repair. */
  chunk: number;
}

const DELETE_REASONS: Record<DeletedLiveReason, DeleteReason> = {
  COMPLETED: 'COMPLETED',
  GROUP_DELETED: 'GROUP_DELETED',
  UNKNOWN: 'NOT_FOUND',
};

export async function chunkKeys(objects: RunObjects, runId: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const { key } of objects.list(runKeys.groupPrefix(runId))) keys.push(key);
  return keys.sort();
}

export async function applyRepairs(
  state: { run: RunContext; cursor: RepairCursor | null },
  deps: { objects: RunObjects; store: RepairStorePort; tombstoneTtlDays: number; now?: () => Date },
): Promise<{ cursor: RepairCursor | null; done: boolean; repaired: number; skipped: number }> {
  const { run } = state;
  const keys = await chunkKeys(deps.objects, run.runId);
  let index = state.cursor?.chunk ?? 0;
  let writes = 0;
  let repaired = 0;
  let skipped = 0;
  while (index < keys.length && writes < REPAIRS_PER_BATCH) {
    const chunk = await deps.objects.getJson<GroupChunk>(keys[index]);
    const outcomes: RepairOutcome[] = [];
    for (const item of chunk?.items ?? []) {
      const done = await repairOne(item, run, chunk!.batchStartedAtMs, deps);
      if (done === undefined) continue;
      writes++;
      if (done) repaired++;
      else skipped++;
      outcomes.push({ groupName: item.groupName, scheduleName: item.scheduleName, kind: item.kind, repair: done ? 'REPAIRED' : 'SKIPPED_STORE_CHANGED' });
    }
    if (outcomes.length > 0) await deps.objects.putJson(runKeys.repair(run.runId, index), { chunk: keys[index], outcomes });
    index++;
  }
  const done = index >= keys.length;
  // A backfill of every group has written every live schedule the run found: the store is populated, and the next
  // timed runs are ordinary ones. (A backfill of some groups, asked for by hand, says nothing of the others.)
  if (done && run.mode === 'backfill' && run.scope === 'ALL') await deps.store.markBackfilled(run.runId, deps.now ? deps.now() : new Date());
  return { cursor: done ? null : { chunk: index }, done, repaired, skipped };
}

/** true: written; false: the store changed since it was read (the observer wins); undefined: nothing to repair. */
async function repairOne(
  item: DriftItem,
  run: RunContext,
  readAt: number,
  deps: { store: RepairStorePort; tombstoneTtlDays: number; now?: () => Date },
): Promise<boolean | undefined> {
  const now = deps.now ? deps.now() : new Date();
  const eventId = `reconcile:${run.runId}`;
  if ((item.kind === 'MISSING_IN_STORE' || item.kind === 'MODIFIED') && item.live) {
    const version = secondOf(Date.parse(item.live.lastModificationDate ?? run.startedAt));
    const stamp: WriteStamp = { version, eventId, readAt, observedVia: 'reconcile', now };
    return deps.store.putIfUnchanged(presentRecord(item.live, stamp), item.storeRead);
  }
  if (item.kind === 'DELETED_LIVE' && item.storeRead) {
    const stamp: WriteStamp = { version: secondOf(run.startedAtMs), eventId, readAt, observedVia: 'reconcile', now };
    const reason = DELETE_REASONS[(item.reason as DeletedLiveReason | undefined) ?? 'UNKNOWN'] ?? 'NOT_FOUND';
    return deps.store.tombstoneIfUnchanged({ groupName: item.groupName, scheduleName: item.scheduleName }, tombstoneFields(reason, stamp, deps.tombstoneTtlDays), item.storeRead);
  }
  return undefined;
}

