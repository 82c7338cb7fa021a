/**
 * The observer queue's delivery settings, as data: infra/observer.ts deploys them and local/pipeline.ts
 * builds the local queue with the same numbers, so the tests exercise the redrive that ships.
 * Pure: no Pulumi import.
 */

/** Lambda's recommendation for an SQS source: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html */
export const VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT = 6;

/** Receives before a message moves to the DLQ (a poison message costs three attempts, then waits there). */
export const MAX_RECEIVE_COUNT = 3;

/** The SQS maximum. A message keeps its original enqueue time when it moves to the DLQ, so the DLQ must keep
 * messages longer than the source queue (4 days by default):
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 60 * 60;
