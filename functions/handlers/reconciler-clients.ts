/**
 * AWS clients and adapters of the reconciler's Lambdas, created once per execution environment, with the
 * configuration read and checked at cold start.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3ObjectStore } from '../adapters/objects';
import { SchedulerLister } from '../adapters/scheduler';
import { ReconcileStore } from '../adapters/store';
import { requireEnv } from './env';
import { inputPolicyFromEnv } from './input-policy';
import { tracer } from './observability';

export function reportObjects(): S3ObjectStore {
  return new S3ObjectStore(tracer.captureAWSv3Client(new S3Client({})), requireEnv('REPORT_BUCKET'));
}

export function reconcileStore(): ReconcileStore {
  const dynamo = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return new ReconcileStore(dynamo, requireEnv('TABLE_NAME'));
}

/** Standard retries with more attempts: Scheduler's List/Get quotas are per account and shared. */
export function schedulerLister(): SchedulerLister {
  return new SchedulerLister(tracer.captureAWSv3Client(new SchedulerClient({ maxAttempts: 8 })), inputPolicyFromEnv());
}
