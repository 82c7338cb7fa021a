/**
 * The CloudTrail record of one Scheduler write call, as EventBridge receives it. Only write calls: EventBridge
 * does not receive read-only management events (Get*, List*)
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html). Failed calls are
 * recorded too, with errorCode and errorMessage and no responseElements
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 */
import {
  toCloudTrailRequestParameters,
  toCloudTrailResponseElements,
  toEventBridgeEvent,
  type CloudTrailEventBridgeEvent,
} from '../cloudtrail-record';
import type { JsonObject, WriteOperation } from './operations';

export interface ServedCall {
  operation: WriteOperation;
  uriName: string;
  /** The input by member name: the JSON body, or the query members of the DELETE operations. */
  input: JsonObject;
  eventTime: Date;
  region: string;
  accountId: string;
  requestId: string;
  output?: JsonObject;
  error?: { name: string; message: string };
}

export function cloudTrailEventFor(call: ServedCall): CloudTrailEventBridgeEvent {
  return toEventBridgeEvent({
    eventName: call.operation,
    eventTime: call.eventTime,
    region: call.region,
    accountId: call.accountId,
    requestId: call.requestId,
    requestParameters: toCloudTrailRequestParameters(call.operation, call.uriName, call.input),
    responseElements: call.error ? null : toCloudTrailResponseElements(call.output),
    ...(call.error ? { errorCode: call.error.name, errorMessage: call.error.message } : {}),
  });
}
