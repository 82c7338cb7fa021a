/**
 * Property 2 of issue 5: whatever CloudTrail lost (and whatever one-time schedules deleted silently), one
 * repair run brings the store back to the truth. The run starts after the history, at least one second later:
 * store versions have CloudTrail's one-second resolution, so an item of the run's own second is NOT_CHECKED
 * by design (functions/core/drift.ts, `storeChangedAfter`).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { mulberry32 } from '../../local/cloudtrail-delivery';
import { compareStoreWithTruth } from '../../local/truth';
import { MemoryObjects } from '../support/memory-objects';
import { deliveryArbitrary, historyArbitrary } from '../support/property/histories';
import { explain, playObserved } from '../support/property/observed-history';
import { runReconciler } from '../support/property/reconcile-run';
import { propertyParameters } from '../support/property/store-vs-truth';

describe('repair properties', function () {
  this.timeout(600_000);

  it('brings the store to the truth in one repair run, for every history with loss', async () => {
    const params = propertyParameters(0x5eed02);
    await fc.assert(
      fc.asyncProperty(
        historyArbitrary(),
        deliveryArbitrary('some'),
        fc.record({
          throttleSeed: fc.integer({ min: 1, max: 0x7fffffff }),
          throttleRate: fc.constantFrom(0, 0.3),
          pauseMs: fc.integer({ min: 1_000, max: 5_000 }),
          // Tiny batches exercise every continuation loop of the state machine.
          limits: fc.option(fc.record({ pagesPerBatch: fc.constant(1), sweepItemsPerBatch: fc.constant(1), scanItemsPerBatch: fc.constant(1) }), { nil: undefined }),
        }),
        async (history, faults, run) => {
          const random = mulberry32(run.throttleSeed);
          const { clock, pipeline } = await playObserved(history, faults, () => random() < run.throttleRate);
          clock.advance(run.pauseMs);
          const report = await runReconciler('repair', 'property-repair', {
            scheduler: pipeline.scheduler.lister(),
            store: pipeline.store,
            objects: new MemoryObjects(),
            clock,
            ...(run.limits ? { limits: run.limits } : {}),
          });
          const why = explain(history, faults, { run, report: { counts: report.counts, items: report.items, repairs: report.repairs } });
          expect(compareStoreWithTruth(pipeline.store.scan(), pipeline.scheduler.snapshot()), why).to.deep.equal([]);
        },
      ),
      params,
    );
  });
});
