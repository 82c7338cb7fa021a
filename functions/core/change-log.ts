/**
 * The change log: how the report step learns which drift the observer may have fixed while a run was under way,
 * without reading those store items a second time (README "Performance", issue 12: each store item is read at
 * most once per run).
 *
 * Before a monitor invocation writes anything, it records in one PutItem the keys its batch may write (`group/name`,
 * or `group/*` for a group deletion, which tombstones the whole group) and until when it may write them (its
 * invocation's deadline): one small item per batch (about 60 bytes per key), not one per key. The report step reads
 * the entries of the run's time window (one Query per minute bucket) and re-reads only the drift items whose key
 * had a writer at work when their sweep batch read the store, or after; one no longer as read is reported
 * NOT_CHECKED (STORE_CHANGED_AFTER_START). Recording before writing makes the log an over-approximation:
 * a write the log does not show cannot have happened, and an entry whose write turned out stale or duplicate only
 * makes one item NOT_CHECKED for one run.
 *
 * Entries live in the state store, in partitions no group can have (`#` is not allowed in group names), one per
 * minute of recording (`#changed#2026-12-02T18:33`), and expire by the table's TTL a day later.
 */
import type { SchedulerChange } from './types';

export const CHANGE_LOG_PARTITION_PREFIX = '#changed#';
export const CHANGE_LOG_BUCKET_MS = 60_000;
/** How long an entry is kept (the table's TTL): far longer than a run lasts (the state machine's timeout). */
export const CHANGE_LOG_RETENTION_SECONDS = 86_400;
/**
 * The longest a monitor invocation can write after recording: Lambda's maximum timeout, 900 s
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html), used when the deadline is unknown.
 */
export const MAX_WRITER_MS = 900_000;
/**
 * How far before a sweep batch began a write still counts as after it: the sweep's Query is eventually consistent
 * (a write acknowledged in the last moments may be missing, "usually reached within one second",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html), and the
 * monitor's and the reconciler's clocks may differ slightly. A minute is generous for both.
 */
export const CHANGE_LOG_MARGIN_MS = 60_000;

/** What a batch may write: one schedule, or (no scheduleName) every item of a group. */
export interface ChangedKey {
  groupName: string;
  scheduleName?: string;
}

/** One entry (one batch's keys, or CHANGE_LOG_KEYS_PER_ITEM of them), as stored. */
export interface ChangeLogRecord {
  /** CHANGE_LOG_PARTITION_PREFIX + the minute it was recorded in. */
  groupName: string;
  /** `until`, then `#` and an id unique to the writer's call: entries are facts, added, never replaced. */
  scheduleName: string;
  /** The keys (`group/name` or `group/*`). */
  keys: string[];
  /** Epoch ms: the writer writes these keys no later than this. */
  until: number;
  /** DynamoDB TTL, epoch seconds. */
  expiresAt: number;
}

/**
 * Keys per entry: a key is at most 64 + 1 + 64 characters, so 2,000 keys stay under 270 KB, within DynamoDB's
 * 400 KB item limit (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html), for a
 * batch of up to 10,000 events (monitorBatchSize's maximum) in at most 5 entries.
 */
export const CHANGE_LOG_KEYS_PER_ITEM = 2_000;

export interface ChangeLogWriter {
  /** Records, before any write, that `keys` may be written from `atMs` until `untilMs`. */
  recordChanges(keys: readonly ChangedKey[], atMs: number, untilMs: number): Promise<void>;
}

export interface ChangeLogReader {
  /** The entries recorded in the buckets from `fromMs` to `toMs`, each key with its latest `until`. */
  changesBetween(fromMs: number, toMs: number): Promise<Map<string, number>>;
}

/** `group/name`, or `group/*` for a whole group: the log's key of a change (`/` and `*` are in no group name). */
export function changeKey(key: ChangedKey): string {
  return `${key.groupName}/${key.scheduleName ?? '*'}`;
}

export function bucketOf(ms: number): string {
  return `${CHANGE_LOG_PARTITION_PREFIX}${new Date(Math.floor(ms / CHANGE_LOG_BUCKET_MS) * CHANGE_LOG_BUCKET_MS).toISOString().slice(0, 16)}`;
}

/** Every bucket from the one holding `fromMs` to the one holding `toMs`, in order. */
export function bucketsBetween(fromMs: number, toMs: number): string[] {
  const buckets: string[] = [];
  for (let ms = Math.floor(fromMs / CHANGE_LOG_BUCKET_MS) * CHANGE_LOG_BUCKET_MS; ms <= toMs; ms += CHANGE_LOG_BUCKET_MS) buckets.push(bucketOf(ms));
  return buckets;
}

/** The entries that record `keys` for one writer's call (`id` unique to the call), CHANGE_LOG_KEYS_PER_ITEM keys each. */
export function changeLogRecords(keys: readonly ChangedKey[], atMs: number, untilMs: number, id: string): ChangeLogRecord[] {
  const records: ChangeLogRecord[] = [];
  for (let i = 0; i < keys.length; i += CHANGE_LOG_KEYS_PER_ITEM) {
    records.push({
      groupName: bucketOf(atMs),
      scheduleName: `${untilMs}#${id}#${i / CHANGE_LOG_KEYS_PER_ITEM}`,
      keys: keys.slice(i, i + CHANGE_LOG_KEYS_PER_ITEM).map(changeKey),
      until: untilMs,
      expiresAt: Math.ceil(untilMs / 1000) + CHANGE_LOG_RETENTION_SECONDS,
    });
  }
  return records;
}

/** Adds an entry's keys to `changes`, each with its latest `until`. */
export function addEntry(changes: Map<string, number>, entry: Pick<ChangeLogRecord, 'keys' | 'until'>): void {
  const until = Number(entry.until);
  for (const key of entry.keys) changes.set(key, Math.max(changes.get(key) ?? -Infinity, until));
}

/**
 * The keys the changes of a batch may write, once each: a schedule's create, update or delete writes its item;
 * a group deletion tombstones every item of the group; createGroup and ignored events write nothing.
 */
export function changedKeysOf(changes: Iterable<SchedulerChange>): ChangedKey[] {
  const keys = new Map<string, ChangedKey>();
  for (const change of changes) {
    if (change.kind === 'ignored' || change.kind === 'createGroup') continue;
    const key: ChangedKey = 'scheduleName' in change ? { groupName: change.groupName, scheduleName: change.scheduleName } : { groupName: change.groupName };
    keys.set(changeKey(key), key);
  }
  return [...keys.values()];
}

/** The buckets a run's report must read: every entry whose writer could still write after the run started. */
export function runWindow(runStartedAtMs: number, nowMs: number): { fromMs: number; toMs: number } {
  return { fromMs: runStartedAtMs - CHANGE_LOG_MARGIN_MS - MAX_WRITER_MS, toMs: nowMs + CHANGE_LOG_MARGIN_MS };
}

/**
 * Whether the item's store item may have changed since its sweep batch began reading (`readFromMs`): a writer of
 * its key, or of its whole group, was at work then or later.
 */
export function changedSinceRead(changes: ReadonlyMap<string, number>, item: { groupName: string; scheduleName: string }, readFromMs: number): boolean {
  const until = Math.max(changes.get(changeKey(item)) ?? -Infinity, changes.get(changeKey({ groupName: item.groupName })) ?? -Infinity);
  return until >= readFromMs - CHANGE_LOG_MARGIN_MS;
}
