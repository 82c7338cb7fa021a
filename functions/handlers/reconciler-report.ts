/** Lambda entry: "Write drift report" and "Record failure". */
import { createReportHandler } from './reconciler-handlers';
import { reconcileStore, reportObjects } from './reconciler-clients';
import { logger, metrics } from './observability';

export const handler = createReportHandler({ objects: reportObjects(), store: reconcileStore(), logger, metrics });
