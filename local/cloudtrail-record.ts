/**
 * CONTRACT STUB (owned by the CloudTrail/parser helper, who replaces the body with the documented shape).
 * Builds the EventBridge event that CloudTrail puts on the default bus for one Scheduler API call.
 */
export interface ApiCallRecordInput {
  eventName: string;
  eventTime: Date;
  region: string;
  accountId: string;
  /** The request as CloudTrail records it (camelCase keys, URI parameters included). */
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  eventId?: string;
  requestId?: string;
}

export interface CloudTrailEventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': 'AWS API Call via CloudTrail';
  source: 'aws.scheduler';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export function toEventBridgeEvent(input: ApiCallRecordInput): CloudTrailEventBridgeEvent {
  throw new Error('not implemented yet: ' + input.eventName);
}
