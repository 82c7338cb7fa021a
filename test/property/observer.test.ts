/**
 * Properties of the observer (issue 5, "Property-based fault tests" 1 and 4), over generated histories on the
 * in-process engines (test/support/property/in-process-pipeline.ts says what stands for what).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { mulberry32 } from '../../local/cloudtrail-delivery';
import { compareStoreWithTruth } from '../../local/truth';
import { clockFaultsArbitrary, deliveryArbitrary, historyArbitrary } from '../support/property/histories';
import { explain, playObserved } from '../support/property/observed-history';
import { propertyParameters } from '../support/property/store-vs-truth';

describe('observer properties', function () {
  this.timeout(600_000);

  it('ends with the store equal to the truth for every history without loss, once the queue drains', async () => {
    const params = propertyParameters(0x5eed01);
    await fc.assert(
      fc.asyncProperty(
        historyArbitrary({ completions: false }),
        deliveryArbitrary('none'),
        // At most two throttled GetSchedule calls per history: no message can fail its 3 receives, so none may
        // reach the DLQ, and the retried ones must still land.
        fc.uniqueArray(fc.nat(40), { maxLength: 2 }),
        async (history, faults, throttledCalls) => {
          const throttled = new Set(throttledCalls);
          const { pipeline } = await playObserved(history, faults, (call) => throttled.has(call));
          const why = explain(history, faults, { throttledCalls });
          expect(pipeline.ledger().deadLettered, why).to.equal(0);
          expect(compareStoreWithTruth(pipeline.store.scan(), pipeline.scheduler.snapshot()), why).to.deep.equal([]);
        },
      ),
      params,
    );
  });

  it('ends with the store equal to the truth when clocks disagree, events are replayed with false times, and groups are deleted asynchronously', async () => {
    const params = propertyParameters(0x5eed06);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('immediate' as const, 'deferred' as const).chain((groupDeletion) =>
          fc.record({ groupDeletion: fc.constant(groupDeletion), history: historyArbitrary({ completions: false, deferredDeletion: groupDeletion === 'deferred' }) })),
        deliveryArbitrary('none'),
        clockFaultsArbitrary(),
        async ({ groupDeletion, history }, faults, clocks) => {
          const { pipeline } = await playObserved(history, faults, undefined, { clocks, groupDeletion });
          // Scheduler finishes what it was still deleting; no event comes of it.
          pipeline.scheduler.operations.completeGroupDeletions();
          const why = explain(history, faults, { groupDeletion, clocks });
          expect(pipeline.ledger().deadLettered, why).to.equal(0);
          expect(compareStoreWithTruth(pipeline.store.scan(), pipeline.scheduler.snapshot()), why).to.deep.equal([]);
        },
      ),
      params,
    );
  });

  it('accounts for every message: applied, rejected as stale or duplicate, ignored, or in the DLQ', async () => {
    const params = propertyParameters(0x5eed04);
    await fc.assert(
      fc.asyncProperty(
        historyArbitrary(),
        deliveryArbitrary('some'),
        fc.record({ seed: fc.integer({ min: 1, max: 0x7fffffff }), rate: fc.constantFrom(0, 0.3, 0.6, 0.9) }),
        async (history, faults, throttling) => {
          const random = mulberry32(throttling.seed);
          const { pipeline } = await playObserved(history, faults, () => random() < throttling.rate);
          const ledger = pipeline.ledger();
          const why = explain(history, faults, { throttling, ledger });
          expect(ledger.inconsistencies, why).to.deep.equal([]);
          expect(ledger.applied + ledger.stale + ledger.duplicate + ledger.ignored, why).to.equal(ledger.succeeded);
          expect(ledger.succeeded + ledger.deadLettered, why).to.equal(ledger.sent);
          expect(pipeline.queue.stats.approximateNumberOfMessages + pipeline.queue.stats.approximateNumberOfMessagesNotVisible, why).to.equal(0);
        },
      ),
      params,
    );
  });
});
