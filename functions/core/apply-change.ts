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
 *   group older than the event becomes a tombstone, and the group's deletion is recorded (a marker item), so
 *   that a change older than it, read while the group is still DELETING, cannot make a schedule live again.
 * - An event time beyond the monitor's clock plus CLOCK_TOLERANCE_MS is a clock error (or a hand-made or
 *   replayed event): its time is not trusted. The change is settled by reading the truth, whatever its kind,
 *   with a version every later change beats (`untrustedVersion`), so no event can stamp an item with a version
 *   that later events could never beat.
 * - Stale and duplicate writes are rejected by the store's condition and count as success.
 */
import { decideWrite, secondOf, untrustedVersion, versionHorizon, CLOCK_TOLERANCE_MS, type StoredOrder } from './ordering';
import { eventStamp, groupDeletionRecord, presentRecord, tombstoneFields, unreadableFields, writeOrderOf, type TombstoneFields, type UnreadableFields } from './records';
import { ScheduleUnreadableError } from './errors';
import { DEFAULT_GROUP, type ChangeMeta, type DeleteReason, type GroupDeletionRecord, type ScheduleRecord, type ScheduleSpec, type SchedulerChange } from './types';

export interface ScheduleKey {
  groupName: string;
  scheduleName: string;
}

export type WriteResult = { applied: true } | { applied: false; stored: StoredOrder | undefined };

export interface StoredSummary extends StoredOrder {
  scheduleName: string;
  status: ScheduleRecord['status'] | GroupDeletionRecord['status'];
}

/** The state store, as the observer needs it. Every write is conditional on `decideWrite(...) === 'apply'`. */
export interface StorePort {
  putPresent(record: ScheduleRecord): Promise<WriteResult>;
  /**
   * With `onlyOverLive`, an existing tombstone is left as it is: a read that merely finds the schedule
   * gone must not replace a tombstone that knows when and why it went.
   */
  putTombstone(key: ScheduleKey, fields: TombstoneFields, options?: { onlyOverLive?: boolean }): Promise<WriteResult>;
  /** Items of one group (all pages, the group's deletion marker included), with just what ordering needs. */
  listGroup(groupName: string): AsyncIterable<StoredSummary>;
  /**
   * Marks a live schedule the observer may not read (ScheduleRecord.unreadable), under the ordering rule; the
   * item keeps its last known spec and loses any tombstone attributes.
   */
  markUnreadable(key: ScheduleKey, fields: UnreadableFields): Promise<WriteResult>;
  /** Records a group's deletion, under the same ordering rule (a later deletion replaces an earlier one). */
  putGroupDeletion(record: GroupDeletionRecord): Promise<WriteResult>;
  /** The group's deletion marker (strongly consistent), if a deletion was ever recorded. */
  getGroupDeletion(groupName: string): Promise<GroupDeletionRecord | undefined>;
}

/** A schedule group's state as GetScheduleGroup answers it; null when it does not exist. */
export type GroupState = 'ACTIVE' | 'DELETING' | null;

/** The truth: GetSchedule. `null` when the API answers ResourceNotFoundException. */
export interface TruthPort {
  getSchedule(groupName: string, scheduleName: string): Promise<ScheduleSpec | null>;
  /** GetScheduleGroup's State (null: ResourceNotFoundException). Asked only to settle a same-second group deletion. */
  getScheduleGroupState(groupName: string): Promise<GroupState>;
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
  | {
      /** stale / duplicate: the store holds this change or a later one; nothing was written. */
      outcome: 'applied' | 'stale' | 'duplicate';
      writes: number;
      truthReads: number;
      /** The event's own time, when it lay beyond the monitor's clock and was not trusted (see untrustedVersion). */
      clampedFrom?: string;
      /** GetSchedule was denied: the item was marked, not read (ScheduleRecord.unreadable). */
      unreadable?: ScheduleUnreadableError['reason'];
    }
  | { outcome: 'ignored'; reason: string; writes: 0; truthReads: 0 };

type Counted = Exclude<ChangeOutcome, { outcome: 'ignored' }>;

export async function applyChange(change: SchedulerChange, ctx: ApplyContext): Promise<ChangeOutcome> {
  if (change.kind === 'ignored') return { outcome: 'ignored', reason: change.reason, writes: 0, truthReads: 0 };
  if (change.kind === 'createGroup') return { outcome: 'ignored', reason: 'a new group holds no schedules yet', writes: 0, truthReads: 0 };
  const nowMs = clock(ctx).getTime();
  if (change.meta.version > nowMs + CLOCK_TOLERANCE_MS) {
    const meta = { ...change.meta, version: untrustedVersion(nowMs), eventTime: new Date(secondOf(nowMs)).toISOString() };
    return { ...(await applyUntrusted(change, meta, ctx)), clampedFrom: change.meta.eventTime };
  }
  switch (change.kind) {
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
 * A change whose event time cannot be trusted (`meta` carries `untrustedVersion` instead): the payload says which
 * schedules to look at, the truth says what they are. A group deletion is first checked against the group's
 * state: while the group is not ACTIVE its deletion is real, and is recorded with a marker no change can claim
 * to be newer than (the latest time AWS's clock can have stamped it), so every schedule of the group read while
 * it is DELETING is checked against the group's state.
 */
async function applyUntrusted(change: Exclude<SchedulerChange, { kind: 'ignored' | 'createGroup' }>, meta: ChangeMeta, ctx: ApplyContext): Promise<Counted> {
  if (change.kind !== 'deleteGroup' && 'scheduleName' in change) {
    const goneReason: DeleteReason = change.kind === 'deleteSchedule' ? 'SCHEDULE_DELETED' : 'NOT_FOUND';
    return settleByTruth({ groupName: change.groupName, scheduleName: change.scheduleName }, meta, ctx, { goneReason, untrusted: true });
  }
  const now = clock(ctx);
  const active = (await ctx.truth.getScheduleGroupState(change.groupName)) === 'ACTIVE';
  const marker = active ? undefined : groupDeletionRecord(change.groupName, { ...meta, version: secondOf(now.getTime()) + CLOCK_TOLERANCE_MS }, now, ctx.tombstoneTtlDays);
  const marked = marker && (await ctx.store.putGroupDeletion(marker));
  // The group's state is known: not ACTIVE, every schedule GetSchedule still answers goes with it.
  const outcome = await forEachLiveItem(change.groupName, ctx, (item) =>
    settleByTruth({ groupName: change.groupName, scheduleName: item.scheduleName }, meta, ctx, { goneReason: 'GROUP_DELETED', untrusted: true, deletion: marker ?? null }));
  const writes = outcome.writes + (marked?.applied ? 1 : 0);
  return { outcome: writes > 0 ? 'applied' : outcome.outcome, writes, truthReads: outcome.truthReads + 1 };
}

interface SettleOptions {
  /** Why the schedule is gone if the read finds nothing: NOT_FOUND (default) for a create or update. */
  goneReason?: DeleteReason;
  /** The version is `untrustedVersion`: see settleByTruth. */
  untrusted?: boolean;
  /**
   * For a group deletion's own items: the deletion it is recording (its marker, written before the listing),
   * whose group is not ACTIVE, or null when the group is ACTIVE (a replayed deletion). Absent: read the marker.
   */
  deletion?: GroupDeletionRecord | null;
}

/**
 * Reads GetSchedule and writes what it says, with the event's version and the read's time. When the
 * schedule is gone, `goneReason` says why as far as the event knows: a delete event confirmed by the read
 * is SCHEDULE_DELETED / GROUP_DELETED, a create or update whose schedule has vanished is NOT_FOUND.
 *
 * A schedule GetSchedule still answers may be going with its group: see `goneWithGroup`.
 *
 * `untrusted`: the version is `untrustedVersion`, which never raises an item's version. When the store holds a
 * later one (within the horizon), the write is made again at that same version, where the later read wins the
 * tie: the truth as read now replaces what an earlier read or payload wrote, and every change after the read
 * still beats it.
 */
async function settleByTruth(key: ScheduleKey, meta: ChangeMeta, ctx: ApplyContext, options: SettleOptions = {}): Promise<Counted> {
  const readAt = clock(ctx).getTime();
  let spec: ScheduleSpec | null;
  try {
    spec = await ctx.truth.getSchedule(key.groupName, key.scheduleName);
  } catch (error) {
    if (!(error instanceof ScheduleUnreadableError)) throw error;
    return markUnreadable(key, meta, ctx, options, readAt, error);
  }
  let truthReads = 1;
  let gone = { reason: options.goneReason ?? 'NOT_FOUND', deletedAt: options.goneReason === undefined ? undefined : meta.eventTime };
  if (spec && options.deletion) {
    spec = null;
    gone = { reason: 'GROUP_DELETED', deletedAt: options.deletion.deletedAt };
  }
  const write = (version: number): Promise<WriteResult> => {
    const stamp = eventStamp({ ...meta, version }, clock(ctx), readAt);
    if (spec) return ctx.store.putPresent(presentRecord(spec, stamp));
    const fields = tombstoneFields(gone.reason, stamp, ctx.tombstoneTtlDays, gone.deletedAt);
    return ctx.store.putTombstone(key, fields, gone.reason === 'NOT_FOUND' ? { onlyOverLive: true } : {});
  };
  let version = meta.version;
  let result = await write(version);
  const later = !result.applied ? result.stored?.version : undefined;
  if (options.untrusted && later !== undefined && later > version && later <= versionHorizon(clock(ctx).getTime())) {
    version = later;
    result = await write(version);
  }
  if (!result.applied) return { outcome: rejection({ ...meta, version }, readAt, result.stored), writes: 0, truthReads };
  // The default group cannot be deleted (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-group.html):
  // its schedules need no look at a deletion marker, which keeps the monitor at one store request per event there.
  if (!spec || options.deletion !== undefined || key.groupName === DEFAULT_GROUP) return { outcome: 'applied', writes: 1, truthReads };
  const group = await goneWithGroup(key, { ...meta, version }, options, ctx);
  return { outcome: 'applied', writes: 1 + group.writes, truthReads: truthReads + group.truthReads };
}

/**
 * GetSchedule was denied. A create or update succeeded, so the schedule exists: the item is marked live and
 * unreadable (keeping its last known spec), under the ordering rule, and the event succeeds: retrying cannot
 * fix a denial, so nothing goes to the DLQ for it. A deletion the truth could not confirm (a one-second tie, a
 * group's same-second item, a time not trusted) is taken as the event says: a tombstone.
 */
async function markUnreadable(
  key: ScheduleKey,
  meta: ChangeMeta,
  ctx: ApplyContext,
  options: SettleOptions,
  readAt: number,
  error: ScheduleUnreadableError,
): Promise<Counted> {
  const stamp = eventStamp(meta, clock(ctx), readAt);
  const result =
    options.goneReason === undefined
      ? await ctx.store.markUnreadable(key, unreadableFields(error.reason, stamp))
      : await ctx.store.putTombstone(key, tombstoneFields(options.goneReason, stamp, ctx.tombstoneTtlDays, meta.eventTime));
  const unreadable = options.goneReason === undefined ? { unreadable: error.reason } : {};
  if (result.applied) return { outcome: 'applied', writes: 1, truthReads: 1, ...unreadable };
  return { outcome: rejection(meta, readAt, result.stored), writes: 0, truthReads: 1, ...unreadable };
}

/**
 * After a schedule was written live: whether it is going with its group. Scheduler deletes a group and its
 * schedules asynchronously and answers GetSchedule meanwhile, so a schedule whose group's deletion is recorded
 * (the marker), written from a change not newer than that deletion (or whose time is not trusted), is live only
 * if the group is ACTIVE again (deleted and created anew); otherwise it is tombstoned at the version just
 * written, where the later read wins the tie. A change newer than the deletion was made in the new group.
 *
 * The marker is read after the write, not before: the group deletion writes its marker before it lists the
 * group, so either that listing sees this item or this read sees the marker (both strongly consistent).
 */
async function goneWithGroup(key: ScheduleKey, meta: ChangeMeta, options: SettleOptions, ctx: ApplyContext): Promise<{ writes: number; truthReads: number }> {
  const marker = await ctx.store.getGroupDeletion(key.groupName);
  if (marker === undefined || (!options.untrusted && marker.version < meta.version)) return { writes: 0, truthReads: 0 };
  if ((await ctx.truth.getScheduleGroupState(key.groupName)) === 'ACTIVE') return { writes: 0, truthReads: 1 };
  const stamp = { version: meta.version, eventId: marker.lastEventId, readAt: clock(ctx).getTime(), observedVia: 'event' as const, now: clock(ctx) };
  const result = await ctx.store.putTombstone(key, tombstoneFields('GROUP_DELETED', stamp, ctx.tombstoneTtlDays, marker.deletedAt));
  return { writes: result.applied ? 1 : 0, truthReads: 1 };
}

async function applyDelete(key: ScheduleKey, meta: ChangeMeta, ctx: ApplyContext): Promise<Counted> {
  const fields = tombstoneFields('SCHEDULE_DELETED', eventStamp(meta, clock(ctx)), ctx.tombstoneTtlDays, meta.eventTime);
  const result = await ctx.store.putTombstone(key, fields);
  if (result.applied) return { outcome: 'applied', writes: 1, truthReads: 0 };
  const decision = decideWrite(writeOrderOf(fields), result.stored);
  if (decision === 'tie') return settleByTruth(key, meta, ctx, { goneReason: 'SCHEDULE_DELETED' });
  return { outcome: decision === 'duplicate' ? 'duplicate' : 'stale', writes: 0, truthReads: 0 };
}

/**
 * Records the group's deletion first (see goneWithGroup for why first), then tombstones every live item of
 * the group that is not newer than the event. An item whose version no real change can have (beyond the
 * horizon) is not newer: it is tombstoned too.
 */
async function applyGroupDelete(groupName: string, meta: ChangeMeta, ctx: ApplyContext): Promise<Counted> {
  const now = clock(ctx);
  const marker = groupDeletionRecord(groupName, meta, now, ctx.tombstoneTtlDays);
  const marked = await ctx.store.putGroupDeletion(marker);
  const fields = tombstoneFields('GROUP_DELETED', eventStamp(meta, now), ctx.tombstoneTtlDays, meta.eventTime);
  const horizon = versionHorizon(now.getTime());
  // Asked once, and only if an item shares the deletion's second: is the group ACTIVE again (created anew)?
  let active: Promise<boolean> | undefined;
  const outcome = await forEachLiveItem(groupName, ctx, (item) => {
    if (item.version > meta.version && item.version <= horizon) return undefined;
    const key = { groupName, scheduleName: item.scheduleName };
    if (item.version !== meta.version) return tombstoneOne(key, fields, meta, ctx);
    // Same second as the group delete: the schedule came before it (and goes with the group, still DELETING or
    // gone), or after it, in the group created anew (ACTIVE), where its own truth decides.
    active ??= ctx.truth.getScheduleGroupState(groupName).then((state) => state === 'ACTIVE');
    return active.then((isActive) => settleByTruth(key, meta, ctx, { goneReason: 'GROUP_DELETED', deletion: isActive ? null : marker }));
  });
  const truthReads = outcome.truthReads + (active ? 1 : 0);
  if (!marked.applied && outcome.writes === 0) return { ...outcome, truthReads, outcome: rejection(meta, 0, marked.stored) };
  return { ...outcome, truthReads, outcome: 'applied', writes: outcome.writes + (marked.applied ? 1 : 0) };
}

/** Runs `apply` over the group's live items, `groupWriteConcurrency` at a time, and adds up what they did. */
async function forEachLiveItem(
  groupName: string,
  ctx: ApplyContext,
  apply: (item: StoredSummary) => Promise<Counted> | undefined,
): Promise<{ outcome: 'applied' | 'stale'; writes: number; truthReads: number }> {
  const pending: Promise<Counted>[] = [];
  const concurrency = ctx.groupWriteConcurrency ?? 10;
  const outcomes: Counted[] = [];
  for await (const item of ctx.store.listGroup(groupName)) {
    if (item.status !== 'PRESENT') continue;
    const started = apply(item);
    if (started === undefined) continue;
    pending.push(started);
    if (pending.length >= concurrency) outcomes.push(...(await Promise.all(pending.splice(0))));
  }
  outcomes.push(...(await Promise.all(pending)));
  const writes = outcomes.reduce((sum, o) => sum + o.writes, 0);
  const truthReads = outcomes.reduce((sum, o) => sum + o.truthReads, 0);
  // Live items were found but every write lost: the event is a duplicate or older than what is stored.
  return { outcome: outcomes.length > 0 && writes === 0 ? 'stale' : 'applied', writes, truthReads };
}

async function tombstoneOne(key: ScheduleKey, fields: TombstoneFields, meta: ChangeMeta, ctx: ApplyContext): Promise<Counted> {
  const result = await ctx.store.putTombstone(key, fields);
  if (result.applied) return { outcome: 'applied', writes: 1, truthReads: 0 };
  return { outcome: rejection(meta, 0, result.stored), writes: 0, truthReads: 0 };
}

/** Why a write was rejected. One that ordering alone would have applied met a tombstone it may not replace: stale too. */
function rejection(meta: ChangeMeta, readAt: number, stored: StoredOrder | undefined): 'stale' | 'duplicate' {
  return decideWrite({ version: meta.version, eventId: meta.eventId, readAt }, stored) === 'duplicate' ? 'duplicate' : 'stale';
}
