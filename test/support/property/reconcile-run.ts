/**
 * One reconciler execution, step by step in the order statemachines/reconciler.asl.json runs them:
 * "Start run" → "Find groups only in the store" while more → per group "Reconcile a batch of the group" until
 * done → (repair mode) "Apply repairs" until done → "Write drift report" (finishRun, with the change-log re-check).
 * The groups are reconciled one after another (the Map runs 4 at once; the order of their batches is one of
 * the interleavings the Map allows). test/statemachine/reconciler.test.ts runs the ASL itself.
 */
import type { DriftReport } from '../../../functions/core/report';
import { finishRun } from '../../../functions/core/finish-run';
import { findStoreOnlyGroups, reconcileBatch, startRun, type BatchCursor, type SchedulerReadPort } from '../../../functions/core/reconcile';
import { applyRepairs, type RepairCursor } from '../../../functions/core/repair';
import type { ReconcileMode } from '../../../functions/core/drift-types';
import type { MemoryObjects } from '../memory-objects';
import type { MemoryReconcileStore } from '../memory-reconcile-store';
import type { VirtualClock } from './virtual-clock';

export interface ReconcileRunDeps {
  scheduler: SchedulerReadPort;
  store: MemoryReconcileStore;
  objects: MemoryObjects;
  clock: VirtualClock;
  /** Small batches exercise the continuation loops. */
  limits?: { pagesPerBatch?: number; sweepItemsPerBatch?: number; scanItemsPerBatch?: number };
  /** Called before "Write drift report" (the observer catching up, or not). */
  beforeReport?: () => Promise<void>;
}

export async function runReconciler(mode: ReconcileMode, runId: string, deps: ReconcileRunDeps): Promise<DriftReport> {
  const scanDeps = { scheduler: deps.scheduler, store: deps.store, objects: deps.objects, now: () => deps.clock.nowMs(), ...(deps.limits ? { limits: deps.limits } : {}) };
  let state = await startRun({ input: { mode }, runId, startedAt: deps.clock.now().toISOString() }, scanDeps);
  while (state.storeScan.more) state = await findStoreOnlyGroups(state, scanDeps);
  for (const group of state.groups) {
    let cursor: BatchCursor | null = null;
    for (;;) {
      const step = await reconcileBatch({ run: state.run, group, cursor }, scanDeps);
      if (step.done) break;
      cursor = step.cursor;
    }
  }
  if (mode === 'repair') {
    let cursor: RepairCursor | null = null;
    for (;;) {
      const step = await applyRepairs({ run: state.run, cursor }, { objects: deps.objects, store: deps.store, tombstoneTtlDays: 30, now: () => deps.clock.now() });
      if (step.done) break;
      cursor = step.cursor;
    }
  }
  await deps.beforeReport?.();
  let report: DriftReport | undefined;
  await finishRun({ run: state.run }, { objects: deps.objects, store: deps.store, now: () => deps.clock.now(), onReport: (r) => (report = r) });
  if (!report) throw new Error('finishRun wrote no report');
  return report;
}
