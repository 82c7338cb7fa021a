/**
 * A report of many drift items stays within one Lambda's means (issue 12): the report step reads the run's chunks
 * one at a time, lists at most REPORT_LISTED_ITEMS items in the report and keeps every item in NDJSON files of
 * REPORT_ITEMS_PER_FILE beside it, saying so; the execution output stays small. On in-memory ports (an emptied store:
 * every schedule is MISSING_IN_STORE).
 */
import { expect } from 'chai';
import { finishRun } from '../../functions/core/finish-run';
import { reconcileBatch, startRun, type BatchCursor } from '../../functions/core/reconcile';
import { REPORT_ITEMS_PER_FILE, REPORT_LISTED_ITEMS, renderMarkdown, type DriftReport, type ExecutionSummary, type ReportItem } from '../../functions/core/report';
import { renderHtml } from '../../functions/core/report-html';
import type { ScheduleSpec } from '../../functions/core/types';
import { MemoryObjects } from '../support/memory-objects';
import { MemoryReconcileStore } from '../support/memory-reconcile-store';
import { GROUP, OneGroupScheduler, spec } from '../support/one-group-scheduler';

const STARTED_AT = '2026-11-24T10:00:00.000Z';

async function reportOfEmptiedStore(size: number): Promise<{ report: DriftReport; summary: ExecutionSummary; objects: MemoryObjects }> {
  const live = new Map<string, ScheduleSpec>();
  for (let i = 0; i < size; i++) live.set(`s${String(i).padStart(7, '0')}`, spec(`s${String(i).padStart(7, '0')}`));
  const store = new MemoryReconcileStore();
  const objects = new MemoryObjects();
  const deps = { scheduler: new OneGroupScheduler(live), store, objects, now: () => Date.parse(STARTED_AT) + 1_000 };
  const started = await startRun({ input: { mode: 'report', groups: [GROUP] }, runId: `emptied-${size}`, startedAt: STARTED_AT }, deps);
  let cursor: BatchCursor | null = null;
  for (;;) {
    const result = await reconcileBatch({ run: started.run, group: started.groups[0]!, cursor }, deps);
    if (result.done) break;
    cursor = result.cursor;
  }
  let report: DriftReport | undefined;
  const { summary } = await finishRun({ run: started.run }, { objects, store, now: () => new Date(Date.parse(STARTED_AT) + 60_000), onReport: (r) => (report = r) });
  return { report: report!, summary, objects };
}

const ndjson = (objects: MemoryObjects, key: string): ReportItem[] =>
  objects.objects.get(key)!.body.trimEnd().split('\n').map((line) => JSON.parse(line) as ReportItem);

describe('a report of many drift items', function () {
  this.timeout(60_000);

  it(`lists every item and writes no item file when the run found at most ${REPORT_LISTED_ITEMS.toLocaleString('en-US')}`, async () => {
    const { report, objects } = await reportOfEmptiedStore(REPORT_LISTED_ITEMS);
    expect(report.items).to.have.length(REPORT_LISTED_ITEMS);
    expect(report).to.not.have.property('itemsSummarized');
    expect([...objects.objects.keys()].filter((key) => key.endsWith('.ndjson'))).to.deep.equal([]);
  });

  describe(`of ${(REPORT_ITEMS_PER_FILE + 10_001).toLocaleString('en-US')} items`, () => {
    const size = REPORT_ITEMS_PER_FILE + 10_001;
    let result: Awaited<ReturnType<typeof reportOfEmptiedStore>>;
    before(async () => {
      result = await reportOfEmptiedStore(size);
    });

    it('counts them all, lists the first ones, and says so in the report', () => {
      const { report } = result;
      expect(report.counts.MISSING_IN_STORE).to.equal(size);
      expect(report.driftCount).to.equal(size);
      expect(report.items).to.have.length(REPORT_LISTED_ITEMS);
      expect(report.itemsSummarized).to.deep.include({ total: size, listed: REPORT_LISTED_ITEMS });
      expect(renderMarkdown(report)).to.include(`This report lists the first 10,000 of ${size.toLocaleString('en-US')} items`);
      expect(renderHtml(report)).to.include(`This report lists the first 10,000 of ${size.toLocaleString('en-US')} items`);
    });

    it(`keeps every item once in NDJSON files of at most ${REPORT_ITEMS_PER_FILE.toLocaleString('en-US')}, beside the report`, () => {
      const { report, objects } = result;
      const files = report.itemsSummarized!.files;
      expect(files).to.deep.equal([
        `reports/2026/11/24/emptied-${size}.items/000001.ndjson`,
        `reports/2026/11/24/emptied-${size}.items/000002.ndjson`,
      ]);
      const items = files.flatMap((key) => ndjson(objects, key));
      expect(ndjson(objects, files[0]!)).to.have.length(REPORT_ITEMS_PER_FILE);
      expect(items).to.have.length(size);
      expect(new Set(items.map((i) => i.scheduleName)).size).to.equal(size);
      expect(items.every((i) => i.kind === 'MISSING_IN_STORE' && !('live' in i))).to.equal(true);
    });

    it('keeps the execution output small (ten drift lines, no item list)', () => {
      const { summary } = result;
      expect(summary.topDrift).to.have.length(10);
      expect(Buffer.byteLength(JSON.stringify(summary))).to.be.below(4_096);
    });
  });
});
