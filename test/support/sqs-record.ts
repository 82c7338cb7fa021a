/** An SQS record as Lambda's SQS event source delivers it (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html). */
import type { SQSRecord } from 'aws-lambda';

export function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'events.amazonaws.com', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:scheduler-observer-events',
    awsRegion: 'us-east-1',
  };
}
