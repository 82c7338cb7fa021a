/**
 * IAM in front of the Scheduler model: each call is authorized for the caller its SigV4 access key names, before
 * validation, as AWS does. Actions, resource types and condition keys from the Service Authorization Reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridgescheduler.html
 * - schedule operations act on `schedule/<group>/<name>` (group `default` when the request names none),
 *   group operations on `schedule-group/<name>`, ListSchedules and ListScheduleGroups on `*` (no resource type);
 * - CreateSchedule and UpdateSchedule pass the target's role: the caller needs iam:PassRole on it, to Scheduler
 *   (https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role);
 * - GetSchedule of a schedule encrypted with a customer managed key decrypts its payload with the caller's
 *   permissions, through Scheduler, under the encryption context `aws:scheduler:schedule:arn`
 *   (https://docs.aws.amazon.com/scheduler/latest/UserGuide/encryption-rest.html); a denied key is an
 *   AccessDeniedException naming kms:Decrypt.
 */
import type { IncomingMessage } from 'node:http';
import type { LocalAuthorizer, LocalPrincipal } from '../iam/authorizer';
import { SchedulerApiError } from './errors';
import type { JsonObject, OperationName } from './operations';

export interface SchedulerCall {
  operation: OperationName;
  uriName?: string;
  input: JsonObject;
}

export interface SchedulerIamScope {
  region: string;
  accountId: string;
  /** The customer managed key of a stored schedule, if any. */
  keyOf(groupName: string, name: string): string | undefined;
}

const SCHEDULE_OPERATIONS = new Set<OperationName>(['CreateSchedule', 'UpdateSchedule', 'GetSchedule', 'DeleteSchedule']);
const GROUP_OPERATIONS = new Set<OperationName>(['CreateScheduleGroup', 'GetScheduleGroup', 'DeleteScheduleGroup']);

/** The error to answer, or undefined when the caller may make the call. */
export async function authorizeSchedulerCall(
  authorizer: LocalAuthorizer,
  request: IncomingMessage,
  call: SchedulerCall,
  scope: SchedulerIamScope,
): Promise<SchedulerApiError | undefined> {
  const caller = authorizer.callerOf(request.headers.authorization);
  if (!caller) return new SchedulerApiError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const arn = (resource: string) => `arn:aws:scheduler:${scope.region}:${scope.accountId}:${resource}`;
  const groupName = typeof call.input.GroupName === 'string' ? call.input.GroupName : 'default';
  const name = call.uriName ?? '';
  const resource = SCHEDULE_OPERATIONS.has(call.operation)
    ? arn(`schedule/${groupName}/${name}`)
    : GROUP_OPERATIONS.has(call.operation)
      ? arn(`schedule-group/${name}`)
      : '*';
  const secure = { 'aws:SecureTransport': 'true' };
  const denied = await deny(authorizer, caller, `scheduler:${call.operation}`, resource, secure);
  if (denied) return denied;

  if (call.operation === 'CreateSchedule' || call.operation === 'UpdateSchedule') {
    const roleArn = (call.input.Target as JsonObject | undefined)?.RoleArn;
    if (typeof roleArn === 'string') {
      const passDenied = await deny(authorizer, caller, 'iam:PassRole', roleArn, { ...secure, 'iam:PassedToService': 'scheduler.amazonaws.com' });
      if (passDenied) return passDenied;
    }
  }
  if (call.operation === 'GetSchedule') {
    const keyArn = scope.keyOf(groupName, name);
    if (keyArn !== undefined) {
      return deny(authorizer, caller, 'kms:Decrypt', keyArn, {
        ...secure,
        'kms:ViaService': `scheduler.${scope.region}.amazonaws.com`,
        'kms:CallerAccount': scope.accountId,
        'kms:EncryptionContext:aws:scheduler:schedule:arn': resource,
      });
    }
  }
  return undefined;
}

async function deny(
  authorizer: LocalAuthorizer,
  caller: LocalPrincipal,
  action: string,
  resource: string,
  context: Record<string, string>,
): Promise<SchedulerApiError | undefined> {
  const denied = await authorizer.denialOf({ caller, action, resource, context });
  return denied === undefined ? undefined : new SchedulerApiError('AccessDeniedException', denied);
}
