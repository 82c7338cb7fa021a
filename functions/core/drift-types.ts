/**
 * The reconciler's vocabulary (CloudFormation / driftctl style). Pure types.
 *
 * - IN_SYNC: the store matches Scheduler (counted, never listed).
 * - MISSING_IN_STORE: a live schedule with no live store item.
 * - MODIFIED: both exist and differ; `differences` lists each property (expected = live, actual = store).
 * - DELETED_LIVE: a live store item whose schedule no longer exists, with the reason when known.
 * - NOT_CHECKED: changed after the run began (on either side): never reported as drift.
 */
import type { ScheduleSpec } from './types';

export type DriftKind = 'IN_SYNC' | 'MISSING_IN_STORE' | 'MODIFIED' | 'DELETED_LIVE' | 'NOT_CHECKED';
export const DRIFT_KINDS: readonly DriftKind[] = ['IN_SYNC', 'MISSING_IN_STORE', 'MODIFIED', 'DELETED_LIVE', 'NOT_CHECKED'];

/**
 * report: find drift; repair: find it and write the truth; backfill: a repair of a store that was never populated
 * (the first run of a new stack, or one asked for), reported as a backfill and raising no drift alarm.
 */
export type ReconcileMode = 'report' | 'repair' | 'backfill';

/** Whether the mode writes the truth into the store ("Apply repairs"). */
export const writesStore = (mode: ReconcileMode): boolean => mode !== 'report';

export interface PropertyDifference {
  /** Dotted path into the spec, e.g. `target.arn`, `flexibleTimeWindow.maximumWindowInMinutes`. */
  path: string;
  /** The live value (Scheduler is the truth); undefined when the property is absent live. */
  expected: unknown;
  /** The store's value; undefined when absent in the store. */
  actual: unknown;
}

export type DeletedLiveReason =
  /** A one-time at() schedule with ActionAfterCompletion DELETE whose time has passed: an expected deletion. */
  | 'COMPLETED'
  /** Its schedule group no longer exists. */
  | 'GROUP_DELETED'
  /** Nothing says why (a lost DeleteSchedule event). */
  | 'UNKNOWN';

/** One ListScheduleGroups entry: a group and its State (ACTIVE, or DELETING while Scheduler deletes it). */
export interface LiveGroup {
  name: string;
  state: string;
}

/** What one ListSchedules ScheduleSummary tells, camelCased, dates as ISO strings. */
export interface LiveSummary {
  groupName: string;
  name: string;
  arn?: string;
  state?: string;
  creationDate?: string;
  lastModificationDate?: string;
  targetArn?: string;
}

/** The store item's attributes the summary comparison and a conditional repair need. */
export interface StoredSummaryView {
  groupName: string;
  scheduleName: string;
  status: 'PRESENT' | 'DELETED';
  version: number;
  readAt: number;
  lastEventId?: string;
  state?: string;
  targetArn?: string;
  lastModificationDate?: string;
  scheduleExpression?: string;
  actionAfterCompletion?: string;
}

export interface DriftItem {
  kind: Exclude<DriftKind, 'IN_SYNC'>;
  groupName: string;
  scheduleName: string;
  /** MODIFIED: the differing properties. */
  differences?: PropertyDifference[];
  /**
   * DELETED_LIVE: why it is gone; NOT_CHECKED: what changed after the run began; MODIFIED and MISSING_IN_STORE:
   * FUTURE_VERSION when the store item carries a version no real change can have (later than the run's start
   * plus the clock tolerance, or not a number), which would make every later event for it stale.
   */
  reason?:
    | DeletedLiveReason
    | 'LIVE_CHANGED_AFTER_START'
    | 'STORE_CHANGED_AFTER_START'
    | 'DELETED_AFTER_LISTING'
    | 'FUTURE_VERSION'
    /** NOT_CHECKED: GetSchedule was denied (the schedule's customer managed key, or another denial). */
    | 'KMS_ACCESS_DENIED'
    | 'ACCESS_DENIED';
  /** DELETED_LIVE with reason COMPLETED: a deletion the service made by design, not an alarm. */
  expected?: boolean;
  /** The live spec that a repair writes (MISSING_IN_STORE, MODIFIED). */
  live?: ScheduleSpec;
  /** The store item as it was read, for the conditional repair (absent: there was no item). */
  storeRead?: { version?: number; lastEventId?: string; status: 'PRESENT' | 'DELETED' };
  /** Repair mode: what the repair did. */
  repair?: 'REPAIRED' | 'SKIPPED_STORE_CHANGED';
}

export type DriftCounts = Record<DriftKind, number>;

export function emptyCounts(): DriftCounts {
  return { IN_SYNC: 0, MISSING_IN_STORE: 0, MODIFIED: 0, DELETED_LIVE: 0, NOT_CHECKED: 0 };
}

export function addCounts(a: DriftCounts, b: DriftCounts): DriftCounts {
  const sum = emptyCounts();
  for (const kind of DRIFT_KINDS) sum[kind] = a[kind] + b[kind];
  return sum;
}
