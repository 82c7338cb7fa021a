/**
 * Builds the EventBridge event that CloudTrail puts on the default bus for one EventBridge Scheduler API call,
 * in the shape of test/fixtures/cloudtrail/*.json (see SOURCES.md there for where each field comes from).
 * The local Scheduler model calls it for every write call it serves.
 *
 * Envelope: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 * Record:   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import { randomUUID } from 'node:crypto';
import { camelCaseKeys } from '../functions/core/camel-case';

export interface ApiCallRecordInput {
  eventName: string;
  eventTime: Date;
  region: string;
  accountId: string;
  /** The request as CloudTrail records it (camelCase keys, URI parameters included): see toCloudTrailRequestParameters. */
  requestParameters: Record<string, unknown> | null;
  /** The response as CloudTrail records it (`{ scheduleArn }`), or null: see toCloudTrailResponseElements. */
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  eventId?: string;
  requestId?: string;
  /** The caller; defaults to an assumed-role session in `accountId`. */
  userIdentity?: Record<string, unknown>;
  sourceIPAddress?: string;
  userAgent?: string;
  /** A call made with console credentials: CloudTrail adds `sessionCredentialFromConsole: "true"`. */
  fromConsole?: boolean;
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

/** The record format version the fixtures carry (the current one on the record contents page). */
const EVENT_VERSION = '1.11';

export function toEventBridgeEvent(input: ApiCallRecordInput): CloudTrailEventBridgeEvent {
  const eventTime = toCloudTrailTime(input.eventTime);
  const failed = input.errorCode !== undefined;
  // Key order follows the documented records: errorCode/errorMessage sit between userAgent and requestParameters.
  const detail: Record<string, unknown> = {
    eventVersion: EVENT_VERSION,
    userIdentity: input.userIdentity ?? defaultIdentity(input.accountId, eventTime),
    eventTime,
    eventSource: 'scheduler.amazonaws.com',
    eventName: input.eventName,
    awsRegion: input.region,
    sourceIPAddress: input.sourceIPAddress ?? (input.fromConsole ? '198.51.100.7' : '192.0.2.1'),
    userAgent: input.userAgent ?? (input.fromConsole ? 'AWS Internal' : 'aws-cli/2.33.13'),
    ...(failed ? { errorCode: input.errorCode, errorMessage: input.errorMessage ?? input.errorCode } : {}),
    requestParameters: input.requestParameters,
    // A failed call has no response.
    responseElements: failed ? null : input.responseElements,
    requestID: input.requestId ?? randomUUID(),
    eventID: input.eventId ?? randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: input.accountId,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `scheduler.${input.region}.amazonaws.com`,
    },
    ...(input.fromConsole ? { sessionCredentialFromConsole: 'true' } : {}),
  };
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.scheduler',
    account: input.accountId,
    // EventBridge stamps the envelope with the record's eventTime.
    time: eventTime,
    region: input.region,
    resources: [],
    detail,
  };
}

/** CloudTrail's eventTime has one-second resolution: `2026-03-07T00:51:07Z`. */
export function toCloudTrailTime(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The Scheduler write operations whose URI carries a name (`/schedules/{Name}`, `/schedule-groups/{Name}`). */
export type SchedulerWriteOperation =
  | 'CreateSchedule'
  | 'UpdateSchedule'
  | 'DeleteSchedule'
  | 'CreateScheduleGroup'
  | 'DeleteScheduleGroup'
  | 'TagResource'
  | 'UntagResource';

/**
 * Turns a REST-JSON request into CloudTrail's `requestParameters`: the URI label joins the body under its
 * camelCase member name (`name`; `resourceArn` for the tag operations) and every structure member is
 * camelCased, as CloudTrail records the EventBridge API family (see SOURCES.md).
 *
 * `body` is the JSON body in PascalCase (`{ ScheduleExpression, Target: { Arn, RoleArn }, ClientToken }`);
 * for the DELETE operations, whose only inputs besides the name travel in the query string, pass the query
 * parameters (`{ groupName, clientToken }`). Undefined members are left out, as the SDK leaves them out.
 */
export function toCloudTrailRequestParameters(
  operation: SchedulerWriteOperation,
  uriName: string,
  body: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const uriMember = operation === 'TagResource' || operation === 'UntagResource' ? 'resourceArn' : 'name';
  const members = camelCaseKeys(body ?? {}) as Record<string, unknown>;
  return { [uriMember]: uriName, ...members };
}

/** CloudTrail's `responseElements`: the camelCased response (`{ scheduleArn }`), or null when it is empty. */
export function toCloudTrailResponseElements(output: Record<string, unknown> | undefined): Record<string, unknown> | null {
  const members = camelCaseKeys(output ?? {}) as Record<string, unknown>;
  return Object.keys(members).length === 0 ? null : members;
}

function defaultIdentity(accountId: string, eventTime: string): Record<string, unknown> {
  return {
    type: 'AssumedRole',
    principalId: 'AROA3XFRBF23EXAMPLE:local-session',
    arn: `arn:aws:sts::${accountId}:assumed-role/LocalRole/local-session`,
    accountId,
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROA3XFRBF23EXAMPLE',
        arn: `arn:aws:iam::${accountId}:role/LocalRole`,
        accountId,
        userName: 'LocalRole',
      },
      attributes: { creationDate: eventTime, mfaAuthenticated: 'false' },
    },
  };
}
