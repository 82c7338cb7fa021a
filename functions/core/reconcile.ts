/**
 * The reconciler's scan steps ("Start run", "Find groups only in the store", "Reconcile a batch of the
 * group"), as orchestration over ports: the Lambda handler wires the AWS adapters, tests and the sandbox
 * wire the same adapters to the local engines.
 *
 * Per group, two phases. The live phase lists the group (up to PAGES_PER_BATCH ListSchedules pages per batch) and
 * keeps the summaries in S3, reading nothing else. When the listing is complete it is sorted once by name into
 * segments, and the sweep merges those segments with the group's store items, which a Query returns in the same
 * order: every store item is read once, by that Query, and every listed schedule is compared with its item without
 * a read of its own. Only candidates (a summary that differs from its item, an item the listing did not show) get
 * a GetSchedule. Work per group is linear in its size, and the payload carries a cursor, never a list of schedules:
 * those go to S3 under runs/<runId>/.
 *
 * Cost shape (DESIGN.md): Scheduler calls = ListScheduleGroups pages + ListSchedules pages + GetSchedule for
 * candidates; store reads = one strongly consistent Query pass over each group's items (about 0.1 read unit per
 * item); nothing is written to the store here.
 */
import { z } from 'zod';
import { classifyConfirmed, screenSummary } from './drift';
import { emptyCounts, type DriftCounts, type DriftItem, type LiveGroup, type LiveSummary, type ReconcileMode } from './drift-types';
import { InvalidInputError, ScheduleUnreadableError } from './errors';
import type { ScheduleRecord, ScheduleSpec } from './types';

/** ListSchedules pages per "Reconcile a batch" call: 50 × 100 = 5,000 schedules. */
export const PAGES_PER_BATCH = 50;
/** Store items and listed schedules the sweep merges per call (Query pages of up to 1,000). */
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
  /** Where the sweep's next Query starts (its ExclusiveStartKey): after the last store item read. */
  lastKey: StoreKey | null;
  /** The store has no item after `lastKey` (no Query is left to make). */
  storeDone: boolean;
  /**
   * The seq of the batch that read store items it did not merge and left them under runs/<runId>/carried/: the next
   * batch merges them from there, so that no store item is read twice. Absent or null: nothing carried.
   */
  carried?: number | null;
  /** Objects written so far for this group: listing chunks, then sweep chunks. */
  seq: number;
  /** Listing chunks of the live phase. */
  liveChunks: number;
  /** Sorted segments of what the live phase listed (written once, when the listing ends). */
  listedSegments: number;
  /** Where the sweep's merge stands in the listing: a segment and an entry in it. Both only move forward. */
  segment: number;
  offset: number;
  /** ListSchedules answered ResourceNotFound: the group was deleted during the run. */
  groupGone: boolean;
}

/** A sweep batch's verdicts, under runs/<runId>/groups/: what the report and the repairs read. */
export interface GroupChunk {
  group: string;
  phase: 'sweep';
  counts: DriftCounts;
  items: DriftItem[];
  /** When the batch began: every store and confirmation read in it happened after this (a safe `readAt` for repairs). */
  batchStartedAtMs: number;
}

/** What the listing keeps of a summary: name, LastModificationDate, State, target ARN (all the screen compares). */
export type ListedEntry = [name: string, lastModificationDate: string | null, state: string | null, targetArn: string | null];

export interface SchedulerReadPort {
  listGroups(): Promise<LiveGroup[]>;
  listSchedulesPage(groupName: string, nextToken?: string): Promise<{ summaries: LiveSummary[]; nextToken?: string } | null>;
  getSchedule(groupName: string, scheduleName: string): Promise<ScheduleSpec | null>;
}

/** What the scan reads of the store: each group's items once, by Query, and two records of the table's own. */
export interface StoreReadPort {
  /** One page of the group's items in scheduleName order (tombstones and the group's marker included), from `startKey`. */
  itemsPage(groupName: string, startKey: StoreKey | undefined, limit: number): Promise<{ items: ScheduleRecord[]; lastKey?: StoreKey }>;
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
  /** Outside groups/ (the report and repair steps read every object under groups/ as a chunk): the live phase's pages. */
  listingPrefix: (runId: string) => `runs/${runId}/listing/`,
  listing: (runId: string, group: string, seq: number) => `runs/${runId}/listing/${group}/${String(seq).padStart(6, '0')}.json`,
  /** The listing sorted by name, in segments. */
  listed: (runId: string, group: string, seq: number) => `runs/${runId}/listed/${group}/${String(seq).padStart(6, '0')}.json`,
  /** Store items a sweep batch read but did not merge (BatchCursor.carried). */
  carried: (runId: string, group: string, seq: number) => `runs/${runId}/carried/${group}/${String(seq).padStart(6, '0')}.json`,
};

/** Part of a group's listing: a live-phase chunk (listing order) or a sorted segment (ascending, distinct names). */
export interface ListedEntries {
  entries: ListedEntry[];
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
 * One batch of one group: the live phase lists up to PAGES_PER_BATCH pages into a listing chunk; once the listing
 * is done, it is sorted into segments and the sweep merges them with the group's store items, SWEEP_ITEMS_PER_BATCH
 * entries per batch. Each sweep batch writes one chunk (counts, drift items) to S3.
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
    storeDone: false,
    seq: 0,
    liveChunks: 0,
    listedSegments: 0,
    segment: 0,
    offset: 0,
    groupGone: false,
  };

  if (cursor.phase === 'live') {
    const live = await listBatch(run, group.name, cursor, deps);
    if (live.nextToken !== undefined) {
      return { run, group, cursor: { ...cursor, nextToken: live.nextToken, seq: cursor.seq + 1, liveChunks: cursor.seq + 1 }, done: false };
    }
    // The listing is complete: sort it into segments once, then sweep in the same call (a small group costs one
    // batch, three transitions).
    const listedSegments = await sortListing(run, group.name, cursor.seq, live.entries, deps);
    cursor = { ...cursor, phase: 'sweep', nextToken: null, seq: cursor.seq + 1, liveChunks: cursor.seq + 1, listedSegments, groupGone: live.groupGone };
  }

  const next = await sweepBatch(run, group, cursor, deps, now);
  return { run, group, cursor: next, done: next === null };
}

/** The live phase of one batch: up to PAGES_PER_BATCH ListSchedules pages, kept as one listing chunk. */
async function listBatch(run: RunContext, groupName: string, cursor: BatchCursor, deps: ScanDeps): Promise<{ entries: ListedEntry[]; nextToken?: string; groupGone: boolean }> {
  const entries: ListedEntry[] = [];
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
    for (const summary of result.summaries) entries.push([summary.name, summary.lastModificationDate ?? null, summary.state ?? null, summary.targetArn ?? null]);
    nextToken = result.nextToken;
    if (nextToken === undefined) break;
  }
  // The last call's entries go straight to sorting; only earlier calls' are read back from S3.
  if (nextToken !== undefined) await deps.objects.putJson(runKeys.listing(run.runId, groupName, cursor.seq), { entries } satisfies ListedEntries);
  return { entries, nextToken, groupGone };
}

/**
 * Sorts what the live phase listed (the chunks of earlier calls, read once, and this call's) by name into segments
 * of LISTED_SEGMENT_SIZE and returns how many. Schedule names are ASCII ([0-9a-zA-Z-_.]), so JavaScript's string
 * order is the store's UTF-8 binary order. A name listed twice (pages shifting under a concurrent change) is kept
 * once. One call holds the whole listing: 282 MB of heap for 1,000,000 entries (measured; the scan has 1,024 MB).
 */
async function sortListing(run: RunContext, group: string, currentSeq: number, current: ListedEntry[], deps: ScanDeps): Promise<number> {
  const all: ListedEntry[] = [...current];
  await mapLimit(
    Array.from({ length: currentSeq }, (_, seq) => seq),
    OBJECT_CONCURRENCY,
    async (seq) => {
      const chunk = await deps.objects.getJson<ListedEntries>(runKeys.listing(run.runId, group, seq));
      if (!chunk) throw new Error(`The listing chunk ${runKeys.listing(run.runId, group, seq)} is missing.`);
      for (const entry of chunk.entries) all.push(entry);
    },
  );
  all.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const sorted = all.filter((entry, i) => i === 0 || entry[0] !== all[i - 1]![0]);
  const segments = Math.ceil(sorted.length / LISTED_SEGMENT_SIZE);
  await mapLimit(Array.from({ length: segments }, (_, seq) => seq), OBJECT_CONCURRENCY, async (seq) => {
    const segment: ListedEntries = { entries: sorted.slice(seq * LISTED_SEGMENT_SIZE, (seq + 1) * LISTED_SEGMENT_SIZE) };
    await deps.objects.putJson(runKeys.listed(run.runId, group, seq), segment);
  });
  return segments;
}

/** The sorted listing, read forward from a cursor position, one segment in memory at a time. */
class ListingReader {
  segment: number;
  offset: number;
  private entries: ListedEntry[] | undefined;

  constructor(
    private readonly run: RunContext,
    private readonly group: string,
    private readonly segments: number,
    at: { segment: number; offset: number },
    private readonly deps: ScanDeps,
  ) {
    this.segment = at.segment;
    this.offset = at.offset;
  }

  /** The next entry, without consuming it; undefined at the end. */
  async peek(): Promise<ListedEntry | undefined> {
    for (;;) {
      if (this.segment >= this.segments) return undefined;
      if (this.entries === undefined) {
        const key = runKeys.listed(this.run.runId, this.group, this.segment);
        const stored = await this.deps.objects.getJson<ListedEntries>(key);
        if (!stored) throw new Error(`The listing segment ${key} is missing.`);
        this.entries = stored.entries;
      }
      if (this.offset < this.entries.length) return this.entries[this.offset];
      this.segment++;
      this.offset = 0;
      this.entries = undefined;
    }
  }

  advance(): void {
    this.offset++;
  }
}

/**
 * The group's store items in name order, from a cursor position, fetched a page at a time as the merge needs them.
 * Each item is read from the store once per run: a batch that ends with items of a fetched page not yet merged
 * leaves them in S3 (`carry`), and the next batch merges them from there before it queries after them.
 */
class StoreReader {
  /** Where the next Query starts: after the last item read. */
  private nextPage: StoreKey | undefined;
  private buffer: ScheduleRecord[] = [];
  private exhausted: boolean;
  private carried: number | null;

  constructor(
    private readonly run: RunContext,
    private readonly group: string,
    cursor: BatchCursor,
    private readonly deps: ScanDeps,
  ) {
    this.nextPage = cursor.lastKey ?? undefined;
    this.exhausted = cursor.storeDone;
    this.carried = cursor.carried ?? null;
  }

  /** Every item was merged. */
  get done(): boolean {
    return this.exhausted && this.buffer.length === 0 && this.carried === null;
  }

  /** The next schedule item, without consuming it; `limit` bounds the page fetched if one is needed. */
  async peek(limit: number): Promise<ScheduleRecord | undefined> {
    if (this.carried !== null) {
      const carried = await this.deps.objects.getJson<{ items: ScheduleRecord[] }>(runKeys.carried(this.run.runId, this.group, this.carried));
      if (!carried) throw new Error(`the store items carried by batch ${this.carried} of group ${this.group} are missing from the run's objects`);
      this.buffer = carried.items;
      this.carried = null;
    }
    for (;;) {
      const first = this.buffer[0];
      // The group's deletion marker (`#group`) is no schedule; '#' sorts before every schedule name.
      if (first !== undefined && first.scheduleName.startsWith('#')) {
        this.consume();
        continue;
      }
      if (first !== undefined) return first;
      if (this.exhausted) return undefined;
      const page = await this.deps.store.itemsPage(this.group, this.nextPage, Math.max(1, Math.min(1_000, limit)));
      this.buffer = page.items;
      this.nextPage = page.lastKey;
      this.exhausted = page.lastKey === undefined;
    }
  }

  consume(): void {
    this.buffer.shift();
  }

  /** Leaves the items read and not merged for the next batch (as batch `seq`); the cursor's store fields. */
  async carry(seq: number): Promise<Pick<BatchCursor, 'lastKey' | 'storeDone' | 'carried'>> {
    const left = this.buffer;
    if (left.length > 0) await this.deps.objects.putJson(runKeys.carried(this.run.runId, this.group, seq), { items: left });
    return { lastKey: this.nextPage ?? null, storeDone: this.exhausted, carried: left.length > 0 ? seq : null };
  }
}

/**
 * One sweep batch: merges up to SWEEP_ITEMS_PER_BATCH entries of the sorted listing and the store's items.
 * - listed, with an item: the summary is screened against the item; a candidate is confirmed by GetSchedule;
 * - listed, no item (or a tombstone): MISSING_IN_STORE unless GetSchedule finds it gone;
 * - a live item the listing did not show: confirmed by GetSchedule (DELETED_LIVE unless it is there after all).
 * Returns the cursor of the next batch, or null when both are exhausted.
 */
async function sweepBatch(run: RunContext, group: GroupRef, cursor: BatchCursor, deps: ScanDeps, now: () => number): Promise<BatchCursor | null> {
  const batchStartedAtMs = now();
  const counts = emptyCounts();
  const items: DriftItem[] = [];
  const listing = new ListingReader(run, group.name, cursor.listedSegments, cursor, deps);
  const store = new StoreReader(run, group.name, cursor, deps);
  const listedCandidates: Array<{ entry: ListedEntry; stored: ScheduleRecord | undefined }> = [];
  const unlisted: ScheduleRecord[] = [];
  let budget = limitsOf(deps).sweepItemsPerBatch;
  for (; budget > 0; budget--) {
    const listed = await listing.peek();
    const stored = await store.peek(budget);
    if (listed === undefined && stored === undefined) break;
    if (listed !== undefined && (stored === undefined || listed[0] <= stored.scheduleName)) {
      const match = stored !== undefined && listed[0] === stored.scheduleName ? stored : undefined;
      listing.advance();
      if (match) store.consume();
      const verdict = screenSummary(summaryOf(group.name, listed), match, run.startedAtMs);
      if (verdict.verdict === 'IN_SYNC') counts.IN_SYNC++;
      else if (verdict.verdict === 'NOT_CHECKED') tally({ kind: 'NOT_CHECKED', groupName: group.name, scheduleName: listed[0], reason: verdict.reason }, counts, items);
      else listedCandidates.push({ entry: listed, stored: match });
      continue;
    }
    store.consume();
    if (stored!.status === 'PRESENT') unlisted.push(stored!);
  }
  // Confirm each candidate with a direct read before reporting it.
  await mapLimit(listedCandidates, CONFIRM_CONCURRENCY, async ({ entry, stored }) => {
    const live = await confirm(deps, group.name, entry[0]);
    if (live instanceof ScheduleUnreadableError) return tally({ kind: 'NOT_CHECKED', groupName: group.name, scheduleName: entry[0], reason: live.reason }, counts, items);
    tally(classifyConfirmed(live, stored, { runStartedAtMs: run.startedAtMs, nowMs: now(), groupExists: true, seenInListing: true }), counts, items);
  });
  if (cursor.groupGone) {
    for (const stored of unlisted) tally({ kind: 'NOT_CHECKED', groupName: group.name, scheduleName: stored.scheduleName, reason: 'DELETED_AFTER_LISTING' }, counts, items);
  } else {
    await mapLimit(unlisted, CONFIRM_CONCURRENCY, async (stored) => {
      // A DELETING group's schedules are going with it: what GetSchedule still answers is no live schedule.
      const live = group.deleting === true ? null : await confirm(deps, group.name, stored.scheduleName);
      if (live instanceof ScheduleUnreadableError) return tally({ kind: 'NOT_CHECKED', groupName: group.name, scheduleName: stored.scheduleName, reason: live.reason }, counts, items);
      const groupExists = group.live && group.deleting !== true;
      tally(classifyConfirmed(live, stored, { runStartedAtMs: run.startedAtMs, nowMs: now(), groupExists }), counts, items);
    });
  }
  await writeChunk(run, group.name, cursor.seq, { group: group.name, phase: 'sweep', counts, items, batchStartedAtMs }, deps);
  const finished = (await listing.peek()) === undefined && (await store.peek(1)) === undefined;
  if (finished) return null;
  return { ...cursor, ...(await store.carry(cursor.seq)), segment: listing.segment, offset: listing.offset, seq: cursor.seq + 1 };
}

function summaryOf(groupName: string, [name, lastModificationDate, state, targetArn]: ListedEntry): LiveSummary {
  return {
    groupName,
    name,
    ...(lastModificationDate === null ? {} : { lastModificationDate }),
    ...(state === null ? {} : { state }),
    ...(targetArn === null ? {} : { targetArn }),
  };
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
