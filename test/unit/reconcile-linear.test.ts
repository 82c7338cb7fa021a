/**
 * The reconciler's work on one group grows linearly with the group (issue 12): the sweep merges the store's
 * items (scheduleName order) with the listing sorted once into segments, instead of re-reading every earlier
 * listing chunk for every batch. Counted on in-memory ports (reads of S3 objects and of store pages), never timed.
 */
import { expect } from 'chai';
import { LISTED_SEGMENT_SIZE, reconcileBatch, startRun, type BatchCursor } from '../../functions/core/reconcile';
import { finishRun } from '../../functions/core/finish-run';
import { presentRecord } from '../../functions/core/records';
import type { DriftReport } from '../../functions/core/report';
import type { ScheduleSpec } from '../../functions/core/types';
import { MemoryObjects } from '../support/memory-objects';
import { MemoryReconcileStore } from '../support/memory-reconcile-store';
import { GROUP, OneGroupScheduler, PAGE, spec } from '../support/one-group-scheduler';

const STARTED_AT = '2026-11-24T10:00:00.000Z';
const BEFORE_MS = Date.parse('2026-11-24T09:00:00.000Z');

/** MemoryObjects counting the objects read: listing chunks, sorted segments, and the rest. */
class CountingObjects extends MemoryObjects {
  readonly reads = { chunks: 0, listed: 0, other: 0 };

  override async getJson<T = unknown>(key: string): Promise<T | undefined> {
    if (key.includes('/listing/')) this.reads.chunks++;
    else if (key.includes('/listed/')) this.reads.listed++;
    else this.reads.other++;
    return super.getJson<T>(key);
  }
}

class CountingStore extends MemoryReconcileStore {
  livePages = 0;
  itemsRead = 0;
  /** How many times each item was read. */
  readsByKey = new Map<string, number>();

  override async itemsPage(...args: Parameters<MemoryReconcileStore['itemsPage']>): ReturnType<MemoryReconcileStore['itemsPage']> {
    this.livePages++;
    const page = await super.itemsPage(...args);
    this.itemsRead += page.items.length;
    for (const item of page.items) this.readsByKey.set(`${item.groupName}/${item.scheduleName}`, (this.readsByKey.get(`${item.groupName}/${item.scheduleName}`) ?? 0) + 1);
    return page;
  }

  get mostReadsOfOneItem(): number {
    return Math.max(0, ...this.readsByKey.values());
  }
}

interface Measured {
  batches: number;
  scanChunkReads: number;
  listedReads: number;
  livePages: number;
  /** Store items the scan's Queries returned, and the most times one item was read in the run. */
  storeItemsRead: number;
  mostReadsOfOneItem: number;
  getSchedule: number;
  report: DriftReport;
}

/**
 * A group of `size` live schedules, all in the store, plus `storeOnly` store items whose schedules are gone,
 * spread through the name range. One report run, batches of 10 pages (1,000 schedules) and 1,000 swept items.
 */
async function measure(size: number, storeOnly: number): Promise<Measured> {
  const live = new Map<string, ScheduleSpec>();
  for (let i = 0; i < size; i++) live.set(`s${String(i).padStart(7, '0')}`, spec(`s${String(i).padStart(7, '0')}`));
  const store = new CountingStore();
  const stamp = { version: BEFORE_MS, eventId: 'e', readAt: BEFORE_MS, observedVia: 'event' as const, now: new Date(BEFORE_MS) };
  for (const s of live.values()) await store.putPresent(presentRecord(s, stamp));
  const step = Math.floor(size / storeOnly);
  // Between two live names (`s0000100-gone` sorts after s0000100), so unlisted items sit inside every segment.
  for (let i = 0; i < storeOnly; i++) await store.putPresent(presentRecord(spec(`s${String(i * step).padStart(7, '0')}-gone`), stamp));
  const scheduler = new OneGroupScheduler(live);
  const objects = new CountingObjects();
  const deps = { scheduler, store, objects, now: () => Date.parse(STARTED_AT) + 1_000, limits: { pagesPerBatch: 10, sweepItemsPerBatch: 1_000 } };

  const started = await startRun({ input: { mode: 'report', groups: [GROUP] }, runId: `run-${size}`, startedAt: STARTED_AT }, deps);
  let cursor: BatchCursor | null = null;
  let batches = 0;
  for (;;) {
    const result = await reconcileBatch({ run: started.run, group: started.groups[0]!, cursor }, deps);
    batches++;
    if (result.done) break;
    cursor = result.cursor;
  }
  const scan = { ...objects.reads, livePages: store.livePages, itemsRead: store.itemsRead, getSchedule: scheduler.calls.get };
  let report: DriftReport | undefined;
  await finishRun({ run: started.run }, { objects, store, now: () => new Date(Date.parse(STARTED_AT) + 60_000), onReport: (r) => (report = r) });
  expect(store.itemsRead, 'the report step reads no store item').to.equal(scan.itemsRead);
  expect(store.batchGetKeys, 'the report step reads no store item').to.equal(0);
  return { batches, scanChunkReads: scan.chunks, listedReads: scan.listed, livePages: scan.livePages, storeItemsRead: scan.itemsRead, mostReadsOfOneItem: store.mostReadsOfOneItem, getSchedule: scan.getSchedule, report: report! };
}

describe('reconciler work per group is linear in the group size', function () {
  this.timeout(60_000);
  const sizes = [
    { size: 5_000, storeOnly: 50 },
    { size: 10_000, storeOnly: 100 },
    { size: 20_000, storeOnly: 200 },
  ];
  const results = new Map<number, Measured>();

  before(async () => {
    for (const { size, storeOnly } of sizes) results.set(size, await measure(size, storeOnly));
  });

  for (const { size, storeOnly } of sizes) {
    it(`finds exactly the ${storeOnly} store-only items of a ${size.toLocaleString('en-US')}-schedule group listed out of order, and nothing else`, () => {
      const { report } = results.get(size)!;
      expect(report.counts.IN_SYNC).to.equal(size);
      expect(report.counts.DELETED_LIVE).to.equal(storeOnly);
      expect(report.counts.MISSING_IN_STORE + report.counts.MODIFIED + report.counts.NOT_CHECKED).to.equal(0);
    });

    it(`reads each listing chunk once and each sorted segment at most twice for ${size.toLocaleString('en-US')} schedules`, () => {
      const m = results.get(size)!;
      const liveChunks = Math.ceil(size / (10 * PAGE));
      const segments = Math.ceil(size / LISTED_SEGMENT_SIZE);
      // The last live batch's own names are in memory: only the chunks of earlier calls are read back.
      expect(m.scanChunkReads).to.equal(liveChunks - 1);
      const sweepBatches = m.batches - liveChunks + 1;
      expect(m.listedReads).to.be.at.most(segments + sweepBatches);
      expect(m.listedReads).to.be.at.least(segments);
      // One GetSchedule per unlisted store item, and none for the listed ones (all in sync).
      expect(m.getSchedule).to.equal(storeOnly);
      // Each store item read exactly once in the run, by the sweep's Query: a batch that ends inside a fetched page
      // carries the rest to the next batch through S3 instead of reading it again.
      expect(m.storeItemsRead).to.equal(size + storeOnly);
      expect(m.mostReadsOfOneItem).to.equal(1);
    });
  }

  it('re-checks the drift of an emptied store without a store read: 20,000 MISSING_IN_STORE items, one change-log read', async () => {
    const live = new Map<string, ScheduleSpec>();
    for (let i = 0; i < 20_000; i++) live.set(`s${String(i).padStart(7, '0')}`, spec(`s${String(i).padStart(7, '0')}`));
    const store = new CountingStore();
    const objects = new CountingObjects();
    const deps = { scheduler: new OneGroupScheduler(live), store, objects, now: () => Date.parse(STARTED_AT) + 1_000 };
    const started = await startRun({ input: { mode: 'report', groups: [GROUP] }, runId: 'emptied', startedAt: STARTED_AT }, deps);
    let cursor: BatchCursor | null = null;
    for (;;) {
      const result = await reconcileBatch({ run: started.run, group: started.groups[0]!, cursor }, deps);
      if (result.done) break;
      cursor = result.cursor;
    }
    const scanPages = store.livePages;
    let report: DriftReport | undefined;
    await finishRun({ run: started.run }, { objects, store, now: () => new Date(Date.parse(STARTED_AT) + 60_000), onReport: (r) => (report = r) });
    expect(report!.counts.MISSING_IN_STORE).to.equal(20_000);
    expect(store.livePages, 'the report step reads no store item').to.equal(scanPages);
    expect(store.batchGetKeys, 'no drift item was written during the run: none is read again').to.equal(0);
    // The run's window: from 16 minutes before it started (a monitor invocation may write for 15) to a minute after now.
    expect(store.changeLogQueries, 'one Query per minute of the window, whatever the drift').to.equal(19);
  });

  it('doubles its S3 reads, store pages and batches when the group doubles (not quadruples)', () => {
    for (const [small, large] of [[5_000, 10_000], [10_000, 20_000]] as const) {
      const a = results.get(small)!;
      const b = results.get(large)!;
      const reads = (m: Measured) => m.scanChunkReads + m.listedReads;
      expect(reads(b) / reads(a), `S3 reads ${reads(a)} → ${reads(b)}`).to.be.within(1.6, 2.4);
      expect(b.livePages / a.livePages, `store pages ${a.livePages} → ${b.livePages}`).to.be.within(1.6, 2.4);
      expect(b.batches / a.batches, `batches ${a.batches} → ${b.batches}`).to.be.within(1.6, 2.4);
    }
  });
});
