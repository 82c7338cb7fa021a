/**
 * The reconciler's scan steps ("Start run", "Find groups only in the store", "Reconcile a batch of the
 * group"), as orchestration over ports: the Lambda handler wires the AWS adapters, tests and the sandbox
 * wire the same adapters to the local engines.
 *
 * Cost shape (DESIGN.md): Scheduler calls = ListScheduleGroups pages + ListSchedules pages + GetSchedule
 * for candidates only; the store is read in batches (BatchGetItem of 100 keys per listed page, a Query of
 * the group's live items for the sweep); nothing is written to the store here. A batch covers up to
 * PAGES_PER_BATCH listing pages, so state transitions grow with pages / 50, never with schedules, and the
 * payload carries a cursor, never a list of schedules: those go to S3 under runs/<runId>/.
 */
import { z } from 'zod';
import { classifyConfirmed, screenSummary } from './drift';
import { emptyCounts, type DriftCounts, type DriftItem, type LiveGroup, type LiveSummary, type ReconcileMode } from './drift-types';
import { InvalidInputError, ScheduleUnreadableError } from './errors';
import type { ScheduleRecord, ScheduleSpec } from './types';

/** ListSchedules pages per "Reconcile a batch" call: 50 × 100 = 5,000 schedules. */
export const PAGES_PER_BATCH = 50;
/** Store items the sweep reads per call (Query pages of up to 1,000). */
export const SWEEP_ITEMS_PER_BATCH = 5_000;
/** Registry entries the store-only-groups step reads per call. */
export const SCAN_ITEMS_PER_BATCH = 20_000;
/** Names per sorted segment of a group's listing (the sweep reads them in order, alongside the store's key order). */
export const LISTED_SEGMENT_SIZE = 5_000;
/** Concurrent S3 reads and writes while a group's listing is sorted into segments. */
const OBJECT_CONCURRENCY = 8;
/** Concurrent GetSchedule confirmations (Scheduler's GetSchedule quota is per account and region). */
export const CONFIRM_CONCURRENCY = 8;

const NAME = /^[0-9a-zA-Z-_.]{1,64}$/;

export interface RunContext {
  runId: string;
  /** ISO-8601: the execution's start time. Anything changed after it is NOT_CHECKED. */
  startedAt: string;
  startedAtMs: number;
  mode: ReconcileMode;
  /** The groups the input asked for, or ALL. */
  scope: 'ALL' | string[];
  /**
   * Why the run is a backfill: the input asked for one, or the run covers every group of a store whose first
   * backfill never completed (a new stack: every schedule would otherwise be drift, and fire the alarm).
   */
  backfill?: 'REQUESTED' | 'STORE_NEVER_BACKFILLED';
}

export interface GroupRef {
  name: string;
  /** Listed by ListScheduleGroups at the start of the run. */
  live: boolean;
  /**
   * Listed as DELETING: Scheduler deletes the group and its schedules asynchronously, and GetSchedule and
   * ListSchedules still answer meanwhile. Its schedules are treated as deleted with it (never written live by a
   * repair); its live store items are DELETED_LIVE, reason GROUP_DELETED.
   */
  deleting?: boolean;
}

export type StoreKey = Record<string, unknown>;

export interface StoreScan {
  more: boolean;
  lastKey: StoreKey | null;
}

export interface BatchCursor {
  phase: 'live' | 'sweep';
  nextToken: string | null;
  lastKey: StoreKey | null;
  /** Chunks written so far for this group. */
  seq: number;
  /** Chunks of the live phase. */
  liveChunks: number;
  /** Sorted segments of the names the live phase listed (written once, when the listing ends). */
  listedSegments: number;
  /** The segment the sweep's merge stands in: store items come in name order, so it only moves forward. */
  segment: number;
  /** ListSchedules answered ResourceNotFound: the group was deleted during the run. */
  groupGone: boolean;
}

export interface GroupChunk {
  group: string;
  phase: 'live' | 'sweep';
  counts: DriftCounts;
  items: DriftItem[];
  /** Live phase: the names this batch listed. */
  listed?: string[];
  /** When the batch began: every confirmation read in it happened after this (a safe `readAt` for repairs). */
  batchStartedAtMs: number;
}

export interface SchedulerReadPort {
  listGroups(): Promise<LiveGroup[]>;
  listSchedulesPage(groupName: string, nextToken?: string): Promise<{ summaries: LiveSummary[]; nextToken?: string } | null>;
  getSchedule(groupName: string, scheduleName: string): Promise<ScheduleSpec | null>;
}

export interface StoreReadPort {
  batchGet(groupName: string, names: readonly string[]): Promise<Map<string, ScheduleRecord>>;
  liveItemsPage(groupName: string, startKey: StoreKey | undefined, limit: number): Promise<{ items: ScheduleRecord[]; lastKey?: StoreKey }>;
  /** Whether the store's first backfill completed (types.ts BACKFILL_MARKER_NAME). */
  backfillCompleted(): Promise<boolean>;
  /** One page of the group registry (types.ts GROUP_REGISTRY_PARTITION): every group that ever had a live item. */
  registeredGroupsPage(startKey: StoreKey | undefined, limit: number): Promise<{ groups: string[]; lastKey?: StoreKey }>;
}

export interface JsonObjects {
  putJson(key: string, value: unknown): Promise<void>;
  getJson<T = unknown>(key: string): Promise<T | undefined>;
}

export interface BatchLimits {
  pagesPerBatch: number;
  sweepItemsPerBatch: number;
  scanItemsPerBatch: number;
}

export const DEFAULT_LIMITS: BatchLimits = {
  pagesPerBatch: PAGES_PER_BATCH,
  sweepItemsPerBatch: SWEEP_ITEMS_PER_BATCH,
  scanItemsPerBatch: SCAN_ITEMS_PER_BATCH,
};

export interface ScanDeps {
  scheduler: SchedulerReadPort;
  store: StoreReadPort;
  objects: JsonObjects;
  /** Batch sizes; the defaults are what ships (tests shrink them to exercise the continuation loops). */
  limits?: Partial<BatchLimits>;
  now?: () => number;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

export const runKeys = {
  manifest: (runId: string) => `runs/${runId}/run.json`,
  groupPrefix: (runId: string) => `runs/${runId}/groups/`,
  chunk: (runId: string, group: string, seq: number) => `runs/${runId}/groups/${group}/${String(seq).padStart(6, '0')}.json`,
  repairPrefix: (runId: string) => `runs/${runId}/repairs/`,
  repair: (runId: string, index: number) => `runs/${runId}/repairs/${String(index).padStart(6, '0')}.json`,
  /** Outside groups/: the report and repair steps read every object under groups/ as a chunk. */
  listed: (runId: string, group: string, seq: number) => `runs/${runId}/listed/${group}/${String(seq).padStart(6, '0')}.json`,
};

/** One sorted segment of a group's listing. */
export interface ListedSegment {
  /** Ascending, distinct; `names.at(-1)` is the segment's last name. */
  names: string[];
}

export interface RunManifest {
  run: RunContext;
  groups: GroupRef[];
}

const InputSchema = z
  .object({
    mode: z.enum(['report', 'repair', 'backfill']).default('report'),
    groups: z
      .array(z.string().regex(NAME, 'a schedule group name: 1-64 of 0-9 a-z A-Z - _ .'))
      .min(1, 'at least one group, or leave "groups" out to check every group')
      .refine((groups) => new Set(groups).size === groups.length, 'each group once')
      .optional(),
  })
  .strict();

/** Validates the execution input; throws InvalidInputError naming the field at fault. */
export function parseRunInput(input: unknown): { mode: ReconcileMode; groups?: string[] } {
  const parsed = InputSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : 'input';
    if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}: allowed are "mode" and "groups"`;
    if (field === 'mode') return 'mode must be "report", "repair" or "backfill"';
    return `${field}: ${issue.message}`;
  });
  throw new InvalidInputError(`invalid reconciler input: ${problems.join('; ')}`);
}

export async function startRun(
  payload: { input: unknown; runId: string; startedAt: string },
  deps: ScanDeps,
): Promise<{ run: RunContext; groups: GroupRef[]; storeScan: StoreScan }> {
  const input = parseRunInput(payload.input);
  const scope = input.groups ?? 'ALL';
  // A run over every group of a store never backfilled is its backfill, whatever mode the timer asked for.
  const backfill = input.mode === 'backfill' ? 'REQUESTED' : scope === 'ALL' && !(await deps.store.backfillCompleted()) ? 'STORE_NEVER_BACKFILLED' : undefined;
  const run: RunContext = {
    runId: payload.runId,
    startedAt: payload.startedAt,
    startedAtMs: Date.parse(payload.startedAt),
    mode: backfill ? 'backfill' : input.mode,
    scope,
    ...(backfill ? { backfill } : {}),
  };
  const listed = new Map((await deps.scheduler.listGroups()).map((group) => [group.name, group.state]));
  const groups = (input.groups ?? [...listed.keys()].sort()).map((name): GroupRef => {
    const state = listed.get(name);
    return { name, live: state !== undefined, ...(state !== undefined && state !== 'ACTIVE' ? { deleting: true } : {}) };
  });
  await deps.objects.putJson(runKeys.manifest(run.runId), { run, groups } satisfies RunManifest);
  deps.log?.('run started', { runId: run.runId, mode: run.mode, groups: groups.length, ...(run.backfill ? { backfill: run.backfill } : {}) });
  // Groups that exist only in the store can be found only when the run covers every group.
  if (run.scope !== 'ALL') return { run, groups, storeScan: { more: false, lastKey: null } };
  return findStoreOnlyGroups({ run, groups, storeScan: { more: true, lastKey: null } }, deps);
}

/**
 * Reads the group registry for groups Scheduler does not list (their DeleteScheduleGroup event was lost, or the
 * whole group was deleted while the observer was blind) and appends those groups, marked not live: their sweep
 * finds any live item left. One Query page per 1,000 registered groups (the account quota is 500 live groups),
 * instead of a Scan of the whole table. Runs only for ALL-groups runs.
 */
export async function findStoreOnlyGroups(
  state: { run: RunContext; groups: GroupRef[]; storeScan: StoreScan },
  deps: ScanDeps,
): Promise<{ run: RunContext; groups: GroupRef[]; storeScan: StoreScan }> {
  const known = new Set(state.groups.map((g) => g.name));
  const groups = [...state.groups];
  let lastKey: StoreKey | undefined = state.storeScan.lastKey ?? undefined;
  let read = 0;
  do {
    const page = await deps.store.registeredGroupsPage(lastKey, 1_000);
    for (const name of page.groups) {
      if (known.has(name)) continue;
      known.add(name);
      groups.push({ name, live: false });
    }
    read += 1_000;
    lastKey = page.lastKey;
  } while (lastKey !== undefined && read < limitsOf(deps).scanItemsPerBatch);
  return { run: state.run, groups, storeScan: { more: lastKey !== undefined, lastKey: lastKey ?? null } };
}

/**
 * One batch of one group: the live phase lists up to PAGES_PER_BATCH pages and compares them with the
 * store; once the listing is done, the sweep reads the group's live store items and confirms those the
 * listing did not show. Each batch writes one chunk (counts, drift items, listed names) to S3.
 */
export async function reconcileBatch(
  state: { run: RunContext; group: GroupRef; cursor: BatchCursor | null },
  deps: ScanDeps,
): Promise<{ run: RunContext; group: GroupRef; cursor: BatchCursor | null; done: boolean }> {
  const { run, group } = state;
  const now = deps.now ?? Date.now;
  const listable = group.live && group.deleting !== true;
  let cursor: BatchCursor = state.cursor ?? {
    phase: listable ? 'live' : 'sweep',
    nextToken: null,
    lastKey: null,
    seq: 0,
    liveChunks: 0,
    listedSegments: 0,
    segment: 0,
    groupGone: false,
  };

  if (cursor.phase === 'live') {
    const live = await listBatch(run, group.name, cursor, deps, now);
    if (live.nextToken !== undefined) {
      return { run, group, cursor: { ...cursor, nextToken: live.nextToken, seq: cursor.seq + 1, liveChunks: cursor.seq + 1 }, done: false };
    }
    // The listing is complete: sort it into segments once, then sweep in the same call (a small group costs one
    // batch, three transitions).
    const listedSegments = await sortListing(run, group.name, cursor.seq, live.listed, deps);
    cursor = { ...cursor, phase: 'sweep', nextToken: null, lastKey: null, seq: cursor.seq + 1, liveChunks: cursor.seq + 1, listedSegments, segment: 0, groupGone: live.groupGone };
  }

  const swept = await sweepBatch(run, group, cursor, deps, now);
  const next: BatchCursor = { ...cursor, lastKey: swept.lastKey ?? null, segment: swept.segment, seq: cursor.seq + 1 };
  return { run, group, cursor: swept.lastKey === undefined ? null : next, done: swept.lastKey === undefined };
}

/** The live phase of one batch: up to PAGES_PER_BATCH ListSchedules pages, compared with the store. */
async function listBatch(
  run: RunContext,
  groupName: string,
  cursor: BatchCursor,
  deps: ScanDeps,
  now: () => number,
): Promise<{ listed: string[]; nextToken?: string; groupGone: boolean }> {
  const batchStartedAtMs = now();
  const counts = emptyCounts();
  const items: DriftItem[] = [];
  const listed: string[] = [];
  let nextToken = cursor.nextToken ?? undefined;
  let groupGone = false;
  for (let page = 0; page < limitsOf(deps).pagesPerBatch; page++) {
    const result = await deps.scheduler.listSchedulesPage(groupName, nextToken);
    if (result === null) {
      // The group was deleted after the run listed it: what it held changed after the start.
      groupGone = true;
      nextToken = undefined;
      break;
    }
    listed.push(...result.summaries.map((s) => s.name));
    await compareListedPage(groupName, result.summaries, run, counts, items, deps, now);
    nextToken = result.nextToken;
    if (nextToken === undefined) break;
  }
  await writeChunk(run, groupName, cursor.seq, { group: groupName, phase: 'live', counts, items, listed, batchStartedAtMs }, deps);
  return { listed, nextToken, groupGone };
}

/**
 * The sweep phase of one batch: live store items the listing did not show, each confirmed by GetSchedule. The
 * store answers a group's items in scheduleName order (its sort key, UTF-8 binary order) and the listing was
 * sorted the same way into segments, so the two are merged: each segment is read once, plus once more when a
 * batch ends inside it, and the work per group grows linearly with its size.
 */
async function sweepBatch(
  run: RunContext,
  group: GroupRef,
  cursor: BatchCursor,
  deps: ScanDeps,
  now: () => number,
): Promise<{ lastKey?: StoreKey; segment: number }> {
  const batchStartedAtMs = now();
  const counts = emptyCounts();
  const items: DriftItem[] = [];
  const listing = new ListingMerge(run, group.name, cursor, deps);
  let lastKey = cursor.lastKey ?? undefined;
  let read = 0;
  do {
    const page = await deps.store.liveItemsPage(group.name, lastKey, 1_000);
    read += page.items.length;
    lastKey = page.lastKey;
    const unlisted: ScheduleRecord[] = [];
    for (const item of page.items) if (!(await listing.has(item.scheduleName))) unlisted.push(item);
    if (cursor.groupGone) {
      for (const stored of unlisted) tally({ kind: 'NOT_CHECKED', groupName: group.name, scheduleName: stored.scheduleName, reason: 'DELETED_AFTER_LISTING' }, counts, items);
      continue;
    }
    await mapLimit(unlisted, CONFIRM_CONCURRENCY, async (stored) => {
      // A DELETING group's schedules are going with it: what GetSchedule still answers is no live schedule.
      const live = group.deleting === true ? null : await confirm(deps, group.name, stored.scheduleName);
      if (live instanceof ScheduleUnreadableError) return tally({ kind: 'NOT_CHECKED', groupName: group.name, scheduleName: stored.scheduleName, reason: live.reason }, counts, items);
      const groupExists = group.live && group.deleting !== true;
      tally(classifyConfirmed(live, stored, { runStartedAtMs: run.startedAtMs, nowMs: now(), groupExists }), counts, items);
    });
  } while (lastKey !== undefined && read < limitsOf(deps).sweepItemsPerBatch);
  await writeChunk(run, group.name, cursor.seq, { group: group.name, phase: 'sweep', counts, items, batchStartedAtMs }, deps);
  return { lastKey, segment: listing.segment };
}

/**
 * Whether the listing showed a name, asked in ascending name order: walks the sorted segments forward from the
 * cursor's, reading each one when the merge reaches it.
 */
class ListingMerge {
  segment: number;
  private names: string[] | undefined;
  private index = 0;

  constructor(
    private readonly run: RunContext,
    private readonly group: string,
    private readonly cursor: BatchCursor,
    private readonly deps: ScanDeps,
  ) {
    this.segment = cursor.segment;
  }

  async has(name: string): Promise<boolean> {
    for (;;) {
      if (this.segment >= this.cursor.listedSegments) return false;
      if (this.names === undefined) {
        const stored = await this.deps.objects.getJson<ListedSegment>(runKeys.listed(this.run.runId, this.group, this.segment));
        if (!stored) throw new Error(`The listing segment ${runKeys.listed(this.run.runId, this.group, this.segment)} is missing.`);
        this.names = stored.names;
        this.index = 0;
      }
      while (this.index < this.names.length && this.names[this.index]! < name) this.index++;
      if (this.index < this.names.length) return this.names[this.index] === name;
      // Every name of this segment is below `name`: the next segment may hold it.
      this.segment++;
      this.names = undefined;
    }
  }
}

/**
 * Sorts the names the live phase listed (the chunks of earlier calls, read once, and this call's) into
 * segments of LISTED_SEGMENT_SIZE and returns how many. Schedule names are ASCII ([0-9a-zA-Z-_.]), so
 * JavaScript's string order is the store's UTF-8 binary order.
 */
async function sortListing(run: RunContext, group: string, currentSeq: number, current: string[], deps: ScanDeps): Promise<number> {
  const names = new Set<string>(current);
  const earlier = Array.from({ length: currentSeq }, (_, seq) => seq);
  await mapLimit(earlier, OBJECT_CONCURRENCY, async (seq) => {
    const chunk = await deps.objects.getJson<GroupChunk>(runKeys.chunk(run.runId, group, seq));
    for (const name of chunk?.listed ?? []) names.add(name);
  });
  const sorted = [...names].sort();
  const segments = Math.ceil(sorted.length / LISTED_SEGMENT_SIZE);
  await mapLimit(Array.from({ length: segments }, (_, seq) => seq), OBJECT_CONCURRENCY, async (seq) => {
    const segment: ListedSegment = { names: sorted.slice(seq * LISTED_SEGMENT_SIZE, (seq + 1) * LISTED_SEGMENT_SIZE) };
    await deps.objects.putJson(runKeys.listed(run.runId, group, seq), segment);
  });
  return segments;
}

async function compareListedPage(
  groupName: string,
  summaries: LiveSummary[],
  run: RunContext,
  counts: DriftCounts,
  items: DriftItem[],
  deps: ScanDeps,
  now: () => number,
): Promise<void> {
  const stored = await deps.store.batchGet(groupName, summaries.map((s) => s.name));
  const candidates: LiveSummary[] = [];
  for (const summary of summaries) {
    const verdict = screenSummary(summary, stored.get(summary.name), run.startedAtMs);
    if (verdict.verdict === 'IN_SYNC') counts.IN_SYNC++;
    else if (verdict.verdict === 'NOT_CHECKED') tally({ kind: 'NOT_CHECKED', groupName, scheduleName: summary.name, reason: verdict.reason }, counts, items);
    else candidates.push(summary);
  }
  // Confirm each candidate with a direct read before reporting it.
  await mapLimit(candidates, CONFIRM_CONCURRENCY, async (summary) => {
    const live = await confirm(deps, groupName, summary.name);
    if (live instanceof ScheduleUnreadableError) return tally({ kind: 'NOT_CHECKED', groupName, scheduleName: summary.name, reason: live.reason }, counts, items);
    const ctx = { runStartedAtMs: run.startedAtMs, nowMs: now(), groupExists: true, seenInListing: true };
    tally(classifyConfirmed(live, stored.get(summary.name), ctx), counts, items);
  });
}

/**
 * The confirming GetSchedule. A denied read (the schedule's customer managed key) is no verdict: the schedule is
 * NOT_CHECKED with the reason, and the run goes on (retrying cannot fix a denial).
 */
async function confirm(deps: ScanDeps, groupName: string, scheduleName: string): Promise<ScheduleSpec | null | ScheduleUnreadableError> {
  try {
    return await deps.scheduler.getSchedule(groupName, scheduleName);
  } catch (error) {
    if (error instanceof ScheduleUnreadableError) return error;
    throw error;
  }
}

function tally(verdict: DriftItem | 'IN_SYNC', counts: DriftCounts, items: DriftItem[]): void {
  if (verdict === 'IN_SYNC') {
    counts.IN_SYNC++;
    return;
  }
  counts[verdict.kind]++;
  items.push(verdict);
}

async function writeChunk(run: RunContext, group: string, seq: number, chunk: GroupChunk, deps: ScanDeps): Promise<void> {
  await deps.objects.putJson(runKeys.chunk(run.runId, group, seq), chunk);
}

function limitsOf(deps: ScanDeps): BatchLimits {
  return { ...DEFAULT_LIMITS, ...deps.limits };
}

/** Runs `fn` over `items` with at most `limit` at once. */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}
