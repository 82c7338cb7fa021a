/**
 * Lambda entry point of the monitor: SQS batches of Scheduler CloudTrail events → state store.
 * Configuration is read and checked at cold start; clients are created once per execution environment.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monitorBucket, rateLimitedTruth } from '../adapters/rate-limit';
import { ScheduleReader } from '../adapters/scheduler';
import { ScheduleStore } from '../adapters/store';
import { intEnv, requireEnv } from './env';
import { inputPolicyFromEnv } from './input-policy';
import { createMonitorHandler } from './monitor-handler';
import { logger, metrics, tracer } from './observability';

const tableName = requireEnv('TABLE_NAME');
const tombstoneTtlDays = intEnv('TOMBSTONE_TTL_DAYS', { min: 1, max: 3650, fallback: 30 });
const getScheduleRate = intEnv('GET_SCHEDULE_RATE', { min: 1, max: 10_000, fallback: 100 });
const maxConcurrency = intEnv('MAX_CONCURRENCY', { min: 2, max: 1000, fallback: 5 });

// Standard retry with a few more attempts than the default 3: GetSchedule is throttled per account
// (https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html).
const scheduler = tracer.captureAWSv3Client(new SchedulerClient({ maxAttempts: 5 }));
const dynamo = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});

const store = new ScheduleStore(dynamo, tableName);

export const handler = createMonitorHandler({
  store,
  changeLog: store,
  // This environment's share of the stack's GetSchedule rate (monitorGetScheduleRate / monitorMaxConcurrency).
  truth: rateLimitedTruth(new ScheduleReader(scheduler, inputPolicyFromEnv()), monitorBucket(getScheduleRate, maxConcurrency)),
  tombstoneTtlDays,
  logger,
  metrics,
});
