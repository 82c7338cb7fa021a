/**
 * The reconciler's decisions, as pure functions (crossplane-style observe/diff): screen a ListSchedules summary
 * against the store, classify a candidate after a direct GetSchedule read, explain a vanished schedule, and diff
 * two specs property by property. No AWS SDK: the handlers fetch, this module decides.
 *
 * "Changed after the run began" is never drift (DESIGN.md, Reconciler): such items are NOT_CHECKED and the next
 * run looks at them again.
 */
import type { DeletedLiveReason, DriftItem, LiveSummary, PropertyDifference, StoredSummaryView } from './drift-types';
import { isImpossibleVersion, secondOf, versionHorizon } from './ordering';
import { specOfRecord } from './records';
import type { ScheduleRecord, ScheduleSpec } from './types';

export type NotCheckedReason = 'LIVE_CHANGED_AFTER_START' | 'STORE_CHANGED_AFTER_START' | 'DELETED_AFTER_LISTING';

export type ScreenVerdict =
  | { verdict: 'IN_SYNC' }
  | { verdict: 'NOT_CHECKED'; reason: Exclude<NotCheckedReason, 'DELETED_AFTER_LISTING'> }
  | { verdict: 'CANDIDATE'; suspected: 'MISSING_IN_STORE' | 'MODIFIED' };

export interface ClassifyContext {
  runStartedAtMs: number;
  nowMs: number;
  /** Whether the schedule's group still exists (ListScheduleGroups or GetScheduleGroup). */
  groupExists: boolean;
  /**
   * The candidate came from this run's ListSchedules. The listing happens after the run began, so a listed schedule
   * that GetSchedule no longer finds was deleted during the run: a store item still PRESENT is then NOT_CHECKED
   * (DELETED_AFTER_LISTING), not DELETED_LIVE (its DeleteSchedule event may still be on its way). Leave unset for
   * store items the listing did not show (the DELETED_LIVE candidates).
   */
  seenInListing?: boolean;
}

/**
 * The date fields of a spec. They are compared as instants: the same moment may be written
 * `2026-11-24T10:00:00Z` or `2026-11-24T10:00:00.000Z` depending on which side serialised it.
 */
const DATE_PATHS: ReadonlySet<string> = new Set(['startDate', 'endDate', 'creationDate', 'lastModificationDate']);

/**
 * Cheap comparison of one ListSchedules summary with the store item, to decide whether a GetSchedule is needed
 * (Scheduler calls ≈ pages + candidates). The summary carries only state, target ARN and dates
 * (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_ScheduleSummary.html).
 */
export function screenSummary(summary: LiveSummary, stored: StoredSummaryView | undefined, runStartedAtMs: number): ScreenVerdict {
  if (isAfter(summary.lastModificationDate, runStartedAtMs)) return { verdict: 'NOT_CHECKED', reason: 'LIVE_CHANGED_AFTER_START' };
  if (stored !== undefined && storeChangedAfter(stored.version, runStartedAtMs)) {
    return { verdict: 'NOT_CHECKED', reason: 'STORE_CHANGED_AFTER_START' };
  }
  if (stored === undefined || stored.status !== 'PRESENT') return { verdict: 'CANDIDATE', suspected: 'MISSING_IN_STORE' };
  if (hasImpossibleVersion(stored, runStartedAtMs)) return { verdict: 'CANDIDATE', suspected: 'MODIFIED' };
  const differs =
    !sameInstant(summary.lastModificationDate, stored.lastModificationDate) ||
    summary.state !== stored.state ||
    summary.targetArn !== stored.targetArn;
  return differs ? { verdict: 'CANDIDATE', suspected: 'MODIFIED' } : { verdict: 'IN_SYNC' };
}

/**
 * The verdict on one candidate after a direct GetSchedule read (`live` null: ResourceNotFoundException).
 * Every "missing" and "deleted" is confirmed this way before it is reported.
 */
export function classifyConfirmed(
  live: ScheduleSpec | null,
  stored: ScheduleRecord | undefined,
  ctx: ClassifyContext,
): DriftItem | 'IN_SYNC' {
  // Both are absent only for a gone schedule with no store item, which is IN_SYNC below and never named.
  const groupName = live?.groupName ?? stored?.groupName ?? '';
  const scheduleName = live?.name ?? stored?.scheduleName ?? '';
  const notChecked = (reason: NotCheckedReason): DriftItem => ({ kind: 'NOT_CHECKED', groupName, scheduleName, reason });
  const storeRead = stored === undefined ? undefined : readOf(stored);

  if (live !== null && isAfter(live.lastModificationDate, ctx.runStartedAtMs)) return notChecked('LIVE_CHANGED_AFTER_START');
  if (stored !== undefined && storeChangedAfter(stored.version, ctx.runStartedAtMs)) return notChecked('STORE_CHANGED_AFTER_START');

  const storePresent = stored !== undefined && stored.status === 'PRESENT';
  if (live === null) {
    // No schedule and no live store item: they agree, whatever happened during the run (a listed MISSING_IN_STORE
    // candidate deleted since). Nothing to report or repair, and nothing that could name it when there is no item.
    if (!storePresent) return 'IN_SYNC';
    if (ctx.seenInListing === true) return notChecked('DELETED_AFTER_LISTING');
    const reason = deletedLiveReason(stored, ctx);
    return { kind: 'DELETED_LIVE', groupName, scheduleName, reason, ...(reason === 'COMPLETED' ? { expected: true } : {}), storeRead };
  }
  // A version no real change can have would make every later event for this schedule stale: drift, even when
  // the spec agrees, so that repair rewrites the item with the version the truth implies.
  const future = stored !== undefined && hasImpossibleVersion(stored, ctx.runStartedAtMs) ? { reason: 'FUTURE_VERSION' as const } : {};
  if (!storePresent) {
    return { kind: 'MISSING_IN_STORE', groupName, scheduleName, live, ...future, ...(storeRead === undefined ? {} : { storeRead }) };
  }
  const differences = diffSpecs(live, specOfRecord(stored));
  if ('reason' in future) {
    // The version a repair writes: the second of the schedule's last modification (functions/core/repair.ts).
    const expected = secondOf(instantOf(live.lastModificationDate) ?? ctx.runStartedAtMs);
    differences.unshift({ path: 'version', expected, actual: stored.version });
  }
  if (differences.length === 0) return 'IN_SYNC';
  return { kind: 'MODIFIED', groupName, scheduleName, differences, live, storeRead, ...future };
}

/**
 * A store version no real change can have produced by the time the run started: later than the start plus the
 * clock tolerance (functions/core/ordering.ts), or not a number at all. Later than the start but within the
 * tolerance is a change during the run (NOT_CHECKED); beyond it, drift.
 */
function hasImpossibleVersion(stored: { version: unknown }, runStartedAtMs: number): boolean {
  return isImpossibleVersion(stored.version, versionHorizon(runStartedAtMs));
}

/** Whether the store item is still as the run read it (`readOf`): the repair's and the re-check's condition. */
export function isAsRead(current: ScheduleRecord | undefined, read: { version?: number; lastEventId?: string } | undefined): boolean {
  if (current === undefined || read === undefined) return current === undefined && read === undefined;
  const now = readOf(current);
  return now.version === read.version && now.lastEventId === read.lastEventId;
}

/**
 * Why a schedule the store still holds no longer exists. A schedule with ActionAfterCompletion DELETE removes
 * itself after its last invocation (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-delete.html):
 * for a one-time `at()` schedule that is once its time has passed, for a recurring one once its EndDate has passed
 * (without an EndDate it is never deleted).
 */
export function deletedLiveReason(
  stored: Pick<ScheduleRecord, 'scheduleExpression' | 'scheduleExpressionTimezone' | 'actionAfterCompletion'> &
    Partial<Pick<ScheduleRecord, 'endDate'>>,
  ctx: { groupExists: boolean; nowMs: number },
): DeletedLiveReason {
  if (!ctx.groupExists) return 'GROUP_DELETED';
  if (stored.actionAfterCompletion !== 'DELETE' || stored.scheduleExpression === undefined) return 'UNKNOWN';
  const lastInvocationMs = stored.scheduleExpression.startsWith('at(')
    ? oneTimeInstant(stored.scheduleExpression, stored.scheduleExpressionTimezone)
    : instantOf(stored.endDate);
  return lastInvocationMs !== undefined && lastInvocationMs < ctx.nowMs ? 'COMPLETED' : 'UNKNOWN';
}

/**
 * Every property in which the store differs from the live spec (expected = live, actual = store): objects are
 * walked key by key, arrays index by index (`target.ecsParameters.capacityProviderStrategy[0].base`); a property
 * absent on one side is one difference at that path, with `undefined` on that side (null counts as absent: the
 * store may hold a NULL where the API omitted a key). Output is sorted by path, segment by segment, except
 * that the dates the service stamps (creationDate, lastModificationDate) come last: they differ whenever
 * anything else does, and the first lines of a report should say what changed.
 */
export function diffSpecs(live: ScheduleSpec, store: ScheduleSpec): PropertyDifference[] {
  const differences: PropertyDifference[] = [];
  walk(live, store, [], differences);
  const stamped = (d: PropertyDifference) => (SERVICE_STAMPS.has(d.path) ? 1 : 0);
  // Array.prototype.sort is stable: the path order holds within each part.
  return differences.sort((a, b) => stamped(a) - stamped(b));
}

const SERVICE_STAMPS: ReadonlySet<string> = new Set(['creationDate', 'lastModificationDate']);

type Segment = string | number;

function walk(expected: unknown, actual: unknown, path: Segment[], out: PropertyDifference[]): void {
  const e = expected ?? undefined;
  const a = actual ?? undefined;
  if (e === undefined && a === undefined) return;
  if (path.length === 1 && DATE_PATHS.has(String(path[0])) && sameInstant(e, a)) return;
  if (Array.isArray(e) && Array.isArray(a)) {
    for (let i = 0; i < Math.max(e.length, a.length); i++) walk(e[i], a[i], [...path, i], out);
    return;
  }
  if (isPlainObject(e) && isPlainObject(a)) {
    const keys = [...new Set([...Object.keys(e), ...Object.keys(a)])].sort(byCodeUnits);
    for (const key of keys) walk(e[key], a[key], [...path, key], out);
    return;
  }
  if (!deepEqual(e, a)) out.push({ path: formatPath(path), expected: e, actual: a });
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return sameInstant(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => deepEqual(a[k] ?? undefined, b[k] ?? undefined));
  }
  return Object.is(a, b);
}

function formatPath(path: Segment[]): string {
  return path.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc === '' ? s : `${acc}.${s}`), '');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The store item's identity for the conditional repair: its version and lastEventId when they are of the types
 * the project writes (a corrupt item's are left out, and the repair's condition then asks for them to be absent
 * or of another type: functions/adapters/store.ts `unchangedSince`).
 */
function readOf(stored: ScheduleRecord): NonNullable<DriftItem['storeRead']> {
  const { version, lastEventId } = stored as { version: unknown; lastEventId: unknown };
  return {
    status: stored.status === 'PRESENT' ? 'PRESENT' : 'DELETED',
    ...(typeof version === 'number' ? { version } : {}),
    ...(typeof lastEventId === 'string' ? { lastEventId } : {}),
  };
}

function instantOf(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function isAfter(date: string | undefined, ms: number): boolean {
  const instant = instantOf(date);
  return instant !== undefined && instant > ms;
}

/** Both absent, or the same instant (or, when not dates at all, the same text). */
function sameInstant(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  const ia = instantOf(a);
  const ib = instantOf(b);
  return ia !== undefined && ib !== undefined ? ia === ib : a === b;
}

/**
 * A store version is the CloudTrail eventTime, which has one-second resolution: an event stamped with the run's
 * own second may have happened after the run began. Such an item counts as changed after the start (at worst one
 * more NOT_CHECKED, never a false drift).
 */
function storeChangedAfter(version: number, runStartedAtMs: number): boolean {
  return typeof version === 'number' && version + 1000 > runStartedAtMs && !hasImpossibleVersion({ version }, runStartedAtMs);
}

const AT_EXPRESSION = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;

/**
 * The instant of a one-time schedule: `at(yyyy-mm-ddThh:mm:ss)` is a wall-clock time in
 * ScheduleExpressionTimezone, UTC when none is set
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#one-time).
 * Undefined when the expression or the time zone is not valid.
 */
export function oneTimeInstant(expression: string, timezone: string | undefined): number | undefined {
  const m = AT_EXPRESSION.exec(expression);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = timezone === undefined || timezone === '' ? 'UTC' : timezone;
  try {
    // The zone's offset at the wall-clock guess, then again at the corrected instant: the second pass settles a
    // guess that falls on the other side of a daylight-saving change.
    const first = wall - offsetMs(zone, wall);
    return wall - offsetMs(zone, first);
  } catch {
    return undefined; // not an IANA zone Intl knows
  }
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in ms, via Intl (no time-zone library). */
function offsetMs(timeZone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant));
  const field = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}
