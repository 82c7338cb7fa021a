/** Lambda entry: "Start run", "Find groups only in the store", "Reconcile a batch of the group". */
import { createScanHandler } from './reconciler-handlers';
import { reconcileStore, reportObjects, schedulerLister } from './reconciler-clients';
import { logger } from './observability';

export const handler = createScanHandler({
  scheduler: schedulerLister(),
  store: reconcileStore(),
  objects: reportObjects(),
  logger,
  log: (message, details) => logger.info(message, details ?? {}),
});
