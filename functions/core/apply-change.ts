/**
 * Applies one parsed CloudTrail change to the state store. Pure orchestration over two ports, so the
 * same logic runs in the Lambda, in the sandbox and in tests; the adapters implement the ports.
 *
 * Rules (DESIGN.md, "Ordering and idempotency"):
 * - An event is a hint with a version. Create/Update events carry no creation or modification dates and
 *   may be incomplete, so the content always comes from a truth read (GetSchedule): the store then
 *   holds exactly what the API returns, and a late create can never resurrect a deleted schedule (the
 *   read answers "not found" and the write is a tombstone).
 * - A DeleteSchedule event is complete: its tombstone is written from the payload, unless another change
 *   of the same second is stored (a tie), which a truth read settles.
 * - DeleteScheduleGroup deletes the group's schedules without one event each: every live item of the
 *   group older than the event becomes a tombstone.
 * - Stale and duplicate writes are rejected by the store's condition and count as success.
 */
import { decideWrite, type StoredOrder } from './ordering';
import { eventStamp, presentRecord, tombstoneFields, type TombstoneFields } from './records';
import type { ChangeMeta, DeleteReason, ScheduleRecord, ScheduleSpec, SchedulerChange } from './types';

export interface ScheduleKey {
  groupName: string;
  scheduleName: string;
}

export type WriteResult = { applied: true } | { applied: false; stored: StoredOrder | undefined };

export interface StoredSummary extends StoredOrder {
  scheduleName: string;
  status: ScheduleRecord['status'];
}

/** The state store, as the observer needs it. Every write is conditional on `decideWrite(...) === 'apply'`. */
export interface StorePort {
  putPresent(record: ScheduleRecord): Promise<WriteResult>;
  /**
   * With `onlyOverLive`, an existing tombstone is left as it is: a read that merely finds the schedule
   * gone must not replace a tombstone that knows when and why it went.
   */
  putTombstone(key: ScheduleKey, fields: TombstoneFields, options?: { onlyOverLive?: boolean }): Promise<WriteResult>;
  /** Items of one group (all pages), with just what ordering needs. */
  listGroup(groupName: string): AsyncIterable<StoredSummary>;
}

/** The truth: GetSchedule. `null` when the API answers ResourceNotFoundException. */
export interface TruthPort {
  getSchedule(groupName: string, scheduleName: string): Promise<ScheduleSpec | null>;
}

export interface ApplyContext {
  store: StorePort;
  truth: TruthPort;
  tombstoneTtlDays: number;
  now?: () => Date;
  /** How many group items to tombstone at once. */
  groupWriteConcurrency?: number;
}

export type ChangeOutcome =
  | { outcome: 'applied'; writes: number; truthReads: number }
  | { outcome: 'stale' | 'duplicate'; writes: 0; truthReads: number }
  | { outcome: 'ignored'; reason: string; writes: 0; truthReads: 0 };

export async function applyChange(change: SchedulerChange, ctx: ApplyContext): Promise<ChangeOutcome> {
  switch (change.kind) {
    case 'ignored':
      return { outcome: 'ignored', reason: change.reason, writes: 0, truthReads: 0 };
    case 'createGroup':
      return { outcome: 'ignored', reason: 'a new group holds no schedules yet', writes: 0, truthReads: 0 };
    case 'createSchedule':
    case 'updateSchedule':
      return settleByTruth({ groupName: change.groupName, scheduleName: change.scheduleName }, change.meta, ctx);
    case 'deleteSchedule':
      return applyDelete({ groupName: change.groupName, scheduleName: change.scheduleName }, change.meta, ctx);
    case 'deleteGroup':
      return applyGroupDelete(change.groupName, change.meta, ctx);
  }
}

function clock(ctx: ApplyContext): Date {
  return ctx.now ? ctx.now() : new Date();
}

/**
 * Reads GetSchedule and writes what it says, with the event's version and the read's time. When the
 * schedule is gone, `goneReason` says why as far as the event knows: a delete event confirmed by the read
 * is SCHEDULE_DELETED / GROUP_DELETED, a create or update whose schedule has vanished is NOT_FOUND.
 */
async function settleByTruth(key: ScheduleKey, meta: ChangeMeta, ctx: ApplyContext, goneReason: DeleteReason = 'NOT_FOUND'): Promise<ChangeOutcome> {
  const readAt = clock(ctx).getTime();
  const spec = await ctx.truth.getSchedule(key.groupName, key.scheduleName);
  const stamp = eventStamp(meta, clock(ctx), readAt);
  const result = spec
    ? await ctx.store.putPresent(presentRecord(spec, stamp))
    : goneReason === 'NOT_FOUND'
      ? await ctx.store.putTombstone(key, tombstoneFields(goneReason, stamp, ctx.tombstoneTtlDays), { onlyOverLive: true })
      : await ctx.store.putTombstone(key, tombstoneFields(goneReason, stamp, ctx.tombstoneTtlDays, meta.eventTime));
  if (result.applied) return { outcome: 'applied', writes: 1, truthReads: 1 };
  return { outcome: rejection(meta, readAt, result.stored), writes: 0, truthReads: 1 };
}

async function applyDelete(key: ScheduleKey, meta: ChangeMeta, ctx: ApplyContext): Promise<ChangeOutcome> {
  const fields = tombstoneFields('SCHEDULE_DELETED', eventStamp(meta, clock(ctx)), ctx.tombstoneTtlDays, meta.eventTime);
  const result = await ctx.store.putTombstone(key, fields);
  if (result.applied) return { outcome: 'applied', writes: 1, truthReads: 0 };
  const decision = decideWrite({ version: meta.version, eventId: meta.eventId, readAt: 0 }, result.stored);
  if (decision === 'tie') return settleByTruth(key, meta, ctx, 'SCHEDULE_DELETED');
  return { outcome: decision === 'duplicate' ? 'duplicate' : 'stale', writes: 0, truthReads: 0 };
}

async function applyGroupDelete(groupName: string, meta: ChangeMeta, ctx: ApplyContext): Promise<ChangeOutcome> {
  const fields = tombstoneFields('GROUP_DELETED', eventStamp(meta, clock(ctx)), ctx.tombstoneTtlDays, meta.eventTime);
  const pending: Promise<ChangeOutcome>[] = [];
  const concurrency = ctx.groupWriteConcurrency ?? 10;
  const outcomes: ChangeOutcome[] = [];
  for await (const item of ctx.store.listGroup(groupName)) {
    if (item.status !== 'PRESENT' || item.version > meta.version) continue;
    const key = { groupName, scheduleName: item.scheduleName };
    // Same second as the group delete: only the truth can say whether the schedule came before or after.
    pending.push(item.version === meta.version ? settleByTruth(key, meta, ctx, 'GROUP_DELETED') : tombstoneOne(key, fields, meta, ctx));
    if (pending.length >= concurrency) outcomes.push(...(await Promise.all(pending.splice(0))));
  }
  outcomes.push(...(await Promise.all(pending)));
  const writes = outcomes.reduce((sum, o) => sum + o.writes, 0);
  const truthReads = outcomes.reduce((sum, o) => sum + o.truthReads, 0);
  // Live items were found but every write lost: the event is a duplicate or older than what is stored.
  if (outcomes.length > 0 && writes === 0) return { outcome: 'stale', writes: 0, truthReads };
  return { outcome: 'applied', writes, truthReads };
}

async function tombstoneOne(key: ScheduleKey, fields: TombstoneFields, meta: ChangeMeta, ctx: ApplyContext): Promise<ChangeOutcome> {
  const result = await ctx.store.putTombstone(key, fields);
  if (result.applied) return { outcome: 'applied', writes: 1, truthReads: 0 };
  return { outcome: rejection(meta, 0, result.stored), writes: 0, truthReads: 0 };
}

/** Why a write was rejected. One that ordering alone would have applied met a tombstone it may not replace: stale too. */
function rejection(meta: ChangeMeta, readAt: number, stored: StoredOrder | undefined): 'stale' | 'duplicate' {
  return decideWrite({ version: meta.version, eventId: meta.eventId, readAt }, stored) === 'duplicate' ? 'duplicate' : 'stale';
}
