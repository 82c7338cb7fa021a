/** Lambda entry: "Apply repairs" (store writes only; no Scheduler client at all). */
import { intEnv } from './env';
import { createRepairHandler } from './reconciler-handlers';
import { reconcileStore, reportObjects } from './reconciler-clients';
import { logger, metrics } from './observability';

export const handler = createRepairHandler({
  objects: reportObjects(),
  store: reconcileStore(),
  tombstoneTtlDays: intEnv('TOMBSTONE_TTL_DAYS', { min: 1, max: 3650, fallback: 30 }),
  logger,
  metrics,
});
