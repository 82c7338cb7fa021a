/**
 * Powertools Logger, Metrics and Tracer, created once per execution environment and shared by the
 * handlers (https://docs.powertools.aws.dev/lambda/typescript/latest/core/logger/). Service name and
 * metrics namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE, set by infra/.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'scheduler-observer';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'SchedulerObserver' });
export const tracer = new Tracer({ serviceName });
