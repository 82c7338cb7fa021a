/**
 * The reconciler's Lambda handlers, built from their dependencies so that the Lambda entries
 * (reconciler-scan.ts, reconciler-report.ts, reconciler-repair.ts), the local Step Functions runs, the
 * sandbox and the benchmark run the very same code. Each function serves the Task states of
 * statemachines/reconciler.asl.json that name it, told apart by the payload's `action`.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { DRIFT_KINDS, type DriftKind } from '../core/drift-types';
import { finishRun, recordFailure, type ReportDeps } from '../core/finish-run';
import { findStoreOnlyGroups, reconcileBatch, startRun, type ScanDeps } from '../core/reconcile';
import { applyRepairs, type RepairStorePort, type RunObjects } from '../core/repair';

export class UnknownActionError extends Error {
  override name = 'UnknownActionError';
}

type Action = (payload: any) => Promise<unknown>;

function dispatch(functionName: string, actions: Record<string, Action>, logger?: Logger) {
  return async (payload: { action?: string; run?: { runId?: string } } & Record<string, unknown>) => {
    const action = actions[payload?.action ?? ''];
    if (!action) {
      throw new UnknownActionError(`${functionName} has no action "${payload?.action}": expected one of ${Object.keys(actions).join(', ')}`);
    }
    logger?.appendKeys({ runId: payload.run?.runId ?? payload.runId, action: payload.action });
    try {
      return await action(payload);
    } finally {
      logger?.removeKeys(['runId', 'action']);
    }
  };
}

export function createScanHandler(deps: ScanDeps & { logger?: Logger }) {
  return dispatch(
    'reconciler-scan',
    {
      startRun: (payload) => startRun(payload, deps),
      findStoreOnlyGroups: (payload) => findStoreOnlyGroups(payload, deps),
      reconcileBatch: (payload) => reconcileBatch(payload, deps),
    },
    deps.logger,
  );
}

/** One metric per drift kind per run, in the observer's namespace (one dashboard reads them all). */
export const DRIFT_METRICS: Record<DriftKind, string> = {
  IN_SYNC: 'DriftInSync',
  MISSING_IN_STORE: 'DriftMissingInStore',
  MODIFIED: 'DriftModified',
  DELETED_LIVE: 'DriftDeletedLive',
  NOT_CHECKED: 'DriftNotChecked',
};

export function createReportHandler(deps: Omit<ReportDeps, 'onReport'> & { logger?: Logger; metrics?: Metrics }) {
  const withMetrics: ReportDeps = {
    ...deps,
    onReport: (report) => {
      if (!deps.metrics) return;
      if (report.status === 'FAILED') deps.metrics.addMetric('ReconcileRunsFailed', MetricUnit.Count, 1);
      else if (report.mode === 'backfill') {
        // A backfill fills a store that was never populated: what it wrote is no drift (the repair step counted it,
        // BackfillSchedulesWritten), and the drift alarm, which sums the drift metrics, must not see it.
        deps.metrics.addMetric('ReconcileRunsSucceeded', MetricUnit.Count, 1);
      } else {
        for (const kind of DRIFT_KINDS) deps.metrics.addMetric(DRIFT_METRICS[kind], MetricUnit.Count, report.counts[kind]);
        // Part of DriftDeletedLive, expected: the drift alarm subtracts it.
        deps.metrics.addMetric('DriftExpectedDeletions', MetricUnit.Count, report.expectedDeletions);
        deps.metrics.addMetric('ReconcileRunsSucceeded', MetricUnit.Count, 1);
      }
      deps.metrics.publishStoredMetrics();
    },
  };
  return dispatch(
    'reconciler-report',
    {
      writeReport: (payload) => finishRun(payload, withMetrics),
      recordFailure: (payload) => recordFailure(payload, withMetrics),
    },
    deps.logger,
  );
}

export function createRepairHandler(deps: { objects: RunObjects; store: RepairStorePort; tombstoneTtlDays: number; logger?: Logger; metrics?: Metrics }) {
  return dispatch(
    'reconciler-repair',
    {
      applyRepairs: async (payload) => {
        const result = await applyRepairs(payload, deps);
        // Per batch, so that a long backfill's progress shows while it runs (logs, and the metric on the dashboard).
        deps.logger?.info('repair batch applied', { mode: payload.run.mode, repaired: result.repaired, skipped: result.skipped, done: result.done });
        if (deps.metrics && payload.run.mode === 'backfill') {
          deps.metrics.addMetric('BackfillSchedulesWritten', MetricUnit.Count, result.repaired);
          deps.metrics.publishStoredMetrics();
        }
        return result;
      },
    },
    deps.logger,
  );
}
