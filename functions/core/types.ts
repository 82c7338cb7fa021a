/**
 * The vocabulary shared by the monitor, the reconciler, the local models and the CLI.
 * Pure types: no AWS SDK imports (STYLE.md §4).
 *
 * A schedule's spec mirrors what GetSchedule returns
 * (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_GetSchedule.html#API_GetSchedule_ResponseSyntax),
 * with camelCase keys and dates as ISO-8601 strings, so that it can be stored in DynamoDB as is and
 * compared property by property.
 */

export type ScheduleState = 'ENABLED' | 'DISABLED';
export type FlexibleTimeWindowMode = 'OFF' | 'FLEXIBLE';
export type ActionAfterCompletion = 'NONE' | 'DELETE';

export interface RetryPolicySpec {
  maximumEventAgeInSeconds?: number;
  maximumRetryAttempts?: number;
}

export interface TargetSpec {
  arn: string;
  roleArn: string;
  input?: string;
  retryPolicy?: RetryPolicySpec;
  deadLetterConfig?: { arn?: string };
  /**
   * Target-type parameters (EcsParameters, EventBridgeParameters, KinesisParameters,
   * SageMakerPipelineParameters, SqsParameters, ...), camelCased, kept as data: the observer records
   * them and the reconciler compares them, neither interprets them.
   */
  [parameters: string]: unknown;
}

export interface ScheduleSpec {
  groupName: string;
  name: string;
  arn?: string;
  description?: string;
  scheduleExpression: string;
  scheduleExpressionTimezone?: string;
  startDate?: string;
  endDate?: string;
  state: ScheduleState;
  kmsKeyArn?: string;
  actionAfterCompletion?: ActionAfterCompletion;
  flexibleTimeWindow: { mode: FlexibleTimeWindowMode; maximumWindowInMinutes?: number };
  target: TargetSpec;
  creationDate?: string;
  lastModificationDate?: string;
}

/** Why a store item is a tombstone. */
export type DeleteReason =
  /** A DeleteSchedule call was observed. */
  | 'SCHEDULE_DELETED'
  /** A DeleteScheduleGroup call was observed: the group's schedules went with it, without events of their own. */
  | 'GROUP_DELETED'
  /** The schedule was gone when the observer read the truth (GetSchedule answered ResourceNotFoundException). */
  | 'NOT_FOUND'
  /** A one-time schedule with ActionAfterCompletion DELETE ran and removed itself (found by the reconciler). */
  | 'COMPLETED';

export type RecordStatus = 'PRESENT' | 'DELETED';
export type ObservedVia = 'event' | 'reconcile';

/**
 * One DynamoDB item per schedule ever seen. Key: groupName (partition) + scheduleName (sort).
 *
 * Ordering: `version` is the CloudTrail eventTime (epoch ms) of the change that produced the item; a write
 * with a lower version is stale. Among writes with the same version (CloudTrail eventTime has one-second
 * resolution), the one whose truth read (`readAt`) is later wins; see functions/core/ordering.ts.
 */
export interface ScheduleRecord extends Partial<Omit<ScheduleSpec, 'name' | 'groupName'>> {
  groupName: string;
  scheduleName: string;
  status: RecordStatus;
  version: number;
  /** Epoch ms of the GetSchedule read this item was written from; 0 when it came from an event payload alone. */
  readAt: number;
  observedVia: ObservedVia;
  lastEventId?: string;
  /** Top-level copy of target.arn: the key of the sparse `byTarget` index (absent on tombstones). */
  targetArn?: string;
  updatedAt: string;
  deletedAt?: string;
  deleteReason?: DeleteReason;
  /** DynamoDB TTL attribute (epoch seconds), set on tombstones only. */
  expiresAt?: number;
  /**
   * The schedule exists (a create or update succeeded) but GetSchedule was denied (its payload's customer managed
   * key): the item keeps its last known spec, if any, and says why it could not be read. The next successful
   * read replaces the whole item.
   */
  unreadable?: UnreadableReason;
}

export type UnreadableReason = 'KMS_ACCESS_DENIED' | 'ACCESS_DENIED';

/**
 * The sort key of a group's deletion marker. `#` is not allowed in schedule names (`[0-9a-zA-Z-_.]`), so the
 * marker can never collide with a schedule, and a Query of the group's partition reads it with its schedules.
 */
export const GROUP_MARKER_NAME = '#group';

/**
 * The partition of the group registry: one item per group that has ever had a live item written by the observer,
 * a repair or a backfill, sort key the group's name. Registering comes before the live item's write, so every live
 * item's group is registered, and an all-groups run finds the groups that exist only in the store with one Query of
 * this partition instead of a Scan of the table. `#` is not allowed in group names (`[0-9a-zA-Z-_.]`), so no
 * group's partition collides with it. Entries are never removed: a removal could race a writer that has the group
 * cached as registered; a registered group without live items costs one empty sweep per run.
 */
export const GROUP_REGISTRY_PARTITION = '#groups';

/**
 * The stack's own records in the table, in a partition no group can have (`#` is not allowed in group names).
 * `backfill`: written when the first backfill of the store completed (README, "The first deployment is a backfill").
 */
export const STACK_PARTITION = '#stack';
export const BACKFILL_MARKER_NAME = 'backfill';

export interface BackfillRecord {
  groupName: typeof STACK_PARTITION;
  scheduleName: typeof BACKFILL_MARKER_NAME;
  status: 'BACKFILLED';
  runId: string;
  completedAt: string;
}

/** Whether a store item is one of the table's own records (registry, stack records), not a schedule's. */
export function isMetadataItem(item: { groupName?: unknown }): boolean {
  return typeof item.groupName === 'string' && item.groupName.startsWith('#');
}

export interface GroupRegistryRecord {
  groupName: typeof GROUP_REGISTRY_PARTITION;
  /** The registered group's name. */
  scheduleName: string;
  status: 'GROUP_REGISTERED';
}

/**
 * The record of a group's last observed DeleteScheduleGroup, kept in the group's partition. A change older than
 * it (or of the same second, unless the group is ACTIVE again) cannot make a schedule of that group live:
 * Scheduler deletes a group asynchronously, and GetSchedule still answers while the group is DELETING.
 */
export interface GroupDeletionRecord {
  groupName: string;
  scheduleName: typeof GROUP_MARKER_NAME;
  status: 'GROUP_DELETED';
  /** The DeleteScheduleGroup eventTime (epoch ms): the version a schedule of the group is tombstoned with. */
  version: number;
  readAt: 0;
  lastEventId: string;
  observedVia: 'event';
  updatedAt: string;
  deletedAt: string;
  /** DynamoDB TTL, as on tombstones. */
  expiresAt: number;
}

/** Identity and ordering data every parsed CloudTrail event carries. */
export interface ChangeMeta {
  eventId: string;
  eventName: string;
  /** ISO-8601, one-second resolution, as CloudTrail records it. */
  eventTime: string;
  /** Date.parse(eventTime): the version a write derived from this event carries. */
  version: number;
  awsRegion: string;
  accountId: string;
  requestId?: string;
}

export type SchedulerChange =
  | { kind: 'createSchedule' | 'updateSchedule'; groupName: string; scheduleName: string; scheduleArn?: string; meta: ChangeMeta }
  | { kind: 'deleteSchedule'; groupName: string; scheduleName: string; meta: ChangeMeta }
  | { kind: 'createGroup' | 'deleteGroup'; groupName: string; meta: ChangeMeta }
  | { kind: 'ignored'; reason: string; meta: ChangeMeta };

export const DEFAULT_GROUP = 'default';
