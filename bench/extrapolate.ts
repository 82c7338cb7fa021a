/**
 * From the measured 100,000-schedule runs to 1,000,000 schedules (100 groups of 10,000), linearly per unit of
 * work, and priced with bench/prices.ts.
 *
 * State transitions follow the ASL's shape, which the benchmark checks against every measured run:
 *   transitions = base + groupsChecked (each Map iteration's "Group reconciled") + 2 · batches ("Reconcile a
 *   batch" + "Group done?") + 2 · storeScanCalls ("More of the store to scan?" + "Find groups only in the store")
 * with batches per group (the listing in batches of 50 pages, then the merge of listing and store in batches of
 * 5,000) and registry calls predicted from the batch limits in functions/core/reconcile.ts.
 * History events scale with transitions at the measured events-per-transition ratio.
 */
import { PAGES_PER_BATCH, SCAN_ITEMS_PER_BATCH, SWEEP_ITEMS_PER_BATCH } from '../functions/core/reconcile';
import { naiveBatchesOf } from './naive';
import { PRICES, type LambdaMemory } from './prices';
import type { RunRow } from './scenario';

export const HISTORY_EVENT_LIMIT = 25_000;
/** Runs per month of the default reconcile schedule, rate(1 hour). */
export const RUNS_PER_MONTH = 730;

/** "Reconcile a batch" calls for one group: listing batches of 50 pages, the merge in batches of 5,000 entries (the first in the last listing call). */
export function batchesPerGroup(schedules: number, mergeEntries = schedules): number {
  const liveCalls = Math.ceil(Math.max(1, Math.ceil(schedules / 100)) / PAGES_PER_BATCH);
  const mergeCalls = Math.max(1, Math.ceil(mergeEntries / SWEEP_ITEMS_PER_BATCH));
  return liveCalls + mergeCalls - 1;
}

/** "Find groups only in the store" calls: "Start run" reads the first SCAN_ITEMS_PER_BATCH entries of the group registry (one per group). */
export const storeScanCalls = (registeredGroups: number) => Math.floor(registeredGroups / SCAN_ITEMS_PER_BATCH);

/** The transitions a run has beyond the per-group, per-batch and per-scan ones (start, choices, report, repairs). */
export const transitionBase = (row: RunRow) => row.stateTransitions - (row.groupsChecked ?? 0) - 2 * row.batches - 2 * row.storeScanCalls;

export interface Projection {
  schedules: number;
  groups: number;
  mode: string;
  schedulerCalls: number;
  stateTransitions: number;
  historyEvents: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  readRequestUnits: number;
  writeRequestUnits: number;
  cost: { stepFunctions: number; lambda: number; dynamodb: number; scheduler: number; total: number; perMonthHourly: number };
  assumedShape: boolean;
}

function priced(p: Omit<Projection, 'cost'>): Projection {
  const stepFunctions = p.stateTransitions * PRICES.stepFunctionsPerTransition;
  const lambda = p.lambdaGbSeconds * PRICES.lambdaPerGbSecond + p.lambdaInvocations * PRICES.lambdaPerRequest;
  const dynamodb = p.readRequestUnits * PRICES.dynamoPerReadRequestUnit + p.writeRequestUnits * PRICES.dynamoPerWriteRequestUnit;
  const scheduler = p.schedulerCalls * PRICES.schedulerPerApiCall;
  const total = stepFunctions + lambda + dynamodb + scheduler;
  return { ...p, cost: { stepFunctions, lambda, dynamodb, scheduler, total, perMonthHourly: total * RUNS_PER_MONTH } };
}

/** Lambda GB-s of a measured row: handler time (local) × configured memory. */
export function gbSeconds(row: RunRow, memory: LambdaMemory): number {
  const gb = (mb: number) => mb / 1024;
  return (
    ((row.handlerMs.scan ?? 0) / 1000) * gb(memory.scan) +
    ((row.handlerMs.report ?? 0) / 1000) * gb(memory.report) +
    ((row.handlerMs.repair ?? 0) / 1000) * gb(memory.repair) +
    // The naive reconciler's work, as if it ran in functions the size of scan.
    ((row.handlerMs.naive ?? 0) / 1000) * gb(memory.scan)
  );
}

/** The measured row as priced (no extrapolation). */
export function priceMeasured(row: RunRow, memory: LambdaMemory): Projection {
  return priced({
    schedules: row.size, groups: row.groups, mode: row.mode, schedulerCalls: row.schedulerTotal, stateTransitions: row.stateTransitions,
    historyEvents: row.historyEvents, lambdaInvocations: row.lambdaInvocations, lambdaGbSeconds: gbSeconds(row, memory),
    readRequestUnits: row.store.readRequestUnits, writeRequestUnits: row.store.writeRequestUnits, assumedShape: row.assumedShape,
  });
}

export function extrapolate(row: RunRow, memory: LambdaMemory, target = { schedules: 1_000_000, groups: 100 }): Projection {
  const factor = target.schedules / row.size;
  const perGroup = Math.ceil(target.schedules / target.groups);
  // The measured groups besides the benchmark's (the empty default group) keep their one batch each.
  const otherGroups = (row.groupsChecked ?? row.groups) - row.groups;
  if (row.mode === 'naive') {
    // The same batched state machine (bench/naive.ts): a batch per 50 listed pages of each group.
    const batches = naiveBatchesOf(target.schedules, target.groups) + otherGroups;
    const transitions = transitionBase(row) + target.groups + otherGroups + 2 * batches;
    return priced({
      schedules: target.schedules, groups: target.groups, mode: row.mode, schedulerCalls: Math.round(row.schedulerTotal * factor),
      stateTransitions: transitions, historyEvents: Math.round((transitions * row.historyEvents) / row.stateTransitions),
      lambdaInvocations: 2 + batches, lambdaGbSeconds: gbSeconds(row, memory) * factor,
      readRequestUnits: row.store.readRequestUnits * factor, writeRequestUnits: row.store.writeRequestUnits * factor, assumedShape: true,
    });
  }
  const batches = target.groups * batchesPerGroup(perGroup) + otherGroups;
  const scans = storeScanCalls(target.groups);
  const transitions = transitionBase(row) + target.groups + otherGroups + 2 * batches + 2 * scans;
  const scanInvocations = 1 + row.storeScanCalls + row.batches;
  // One report invocation per run; repair invocations grow with the drift, so with the schedules.
  const repairInvocations = row.lambdaInvocations - scanInvocations - 1;
  return priced({
    schedules: target.schedules, groups: target.groups, mode: row.mode, schedulerCalls: Math.round(row.schedulerTotal * factor),
    stateTransitions: transitions, historyEvents: Math.round((transitions * row.historyEvents) / row.stateTransitions),
    lambdaInvocations: 1 + scans + batches + 1 + Math.ceil(Math.max(0, repairInvocations) * factor), lambdaGbSeconds: gbSeconds(row, memory) * factor,
    readRequestUnits: row.store.readRequestUnits * factor, writeRequestUnits: row.store.writeRequestUnits * factor, assumedShape: false,
  });
}
