/**
 * Lambda entry point of the heartbeat (infra/heartbeat.ts): started every `heartbeatMinutes` by the heartbeat
 * schedule itself, it checks the store's copy and writes the next beat.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ScheduleStore } from '../adapters/store';
import { intEnv, requireEnv } from './env';
import { beat } from './heartbeat-beat';
import { logger, metrics, tracer } from './observability';

const store = new ScheduleStore(DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))), requireEnv('TABLE_NAME'));
const groupName = requireEnv('HEARTBEAT_GROUP');
const heartbeatMinutes = intEnv('HEARTBEAT_MINUTES', { min: 1, max: 1440 });
const scheduler = tracer.captureAWSv3Client(new SchedulerClient({ maxAttempts: 5 }));

export async function handler(): Promise<void> {
  try {
    const result = await beat({ scheduler, store, groupName, heartbeatMinutes, metrics });
    if (result.blind) logger.error('observer blind: the store has recorded no heartbeat for too long', { ...result });
    else logger.info('heartbeat', { ...result });
  } finally {
    metrics.publishStoredMetrics();
  }
}
