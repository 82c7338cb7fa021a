/**
 * Request validation as the service does it, against each served operation's input constraints re-stated from the
 * official API model, with the service's "Value ... at ... failed to satisfy constraint" messages; request members
 * the model cannot back (scheduled rules, tags, input paths and transformers, target-type parameters) are refused
 * with a ValidationException naming them (UNSERVED).
 */
import { invalid, type EventBridgeApiError } from './errors';
import type { ServedOperation } from './operations';
import { isObject, type JsonObject } from './wire';

/**
 * A member's constraints, re-stated from the official API model (shared/aws-models/events.service-2.json) for the
 * members the served operations take; the conformance test generates its cases from the model itself, so a
 * constraint mistyped here fails there. `unserved` marks a member the model refuses (see UNSERVED).
 */
type MemberSpec =
  | { type: 'string'; min?: number; max?: number; pattern?: string; enum?: readonly string[] }
  | { type: 'integer'; min?: number; max?: number }
  | { type: 'boolean' }
  | { type: 'timestamp' }
  | { type: 'list'; member: MemberSpec; min?: number; max?: number }
  | { type: 'structure'; members: Readonly<Record<string, MemberSpec>>; required?: readonly string[] }
  | { type: 'unserved'; reason: string };

/**
 * Members the local model refuses with a ValidationException naming them, where EventBridge would act on them:
 * the tests list each as a deliberate gap.
 */
export const UNSERVED = {
  ScheduleExpression: 'scheduled rules need a clock the bus model does not have',
  Tags: 'the model keeps no tags (TagResource, ListTagsForResource are not served)',
  RuleRoleArn: 'a rule role only serves cross-account event bus targets, which the model does not have',
  InputPath: 'the model delivers the whole event or a constant Input, not JSONPath extracts',
  InputTransformer: 'the model delivers the whole event or a constant Input, not templates',
  TargetParameters: 'target-type parameters (Kinesis, ECS, Batch, HTTP, Redshift, SageMaker, AppSync, Run Command, FIFO SQS) are for targets the model does not deliver to',
  EndpointId: 'global endpoints are not modelled',
} as const;

const unserved = (reason: keyof typeof UNSERVED): MemberSpec => ({ type: 'unserved', reason: UNSERVED[reason] });

const RULE_NAME: MemberSpec = { type: 'string', min: 1, max: 64, pattern: '[\\.\\-_A-Za-z0-9]+' };
const EVENT_BUS_NAME_OR_ARN: MemberSpec = {
  type: 'string', min: 1, max: 1600,
  pattern: '(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+',
};
const NON_PARTNER_EVENT_BUS_NAME_OR_ARN: MemberSpec = {
  type: 'string', min: 1, max: 1600,
  pattern: '(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[\\.\\-_A-Za-z0-9]+',
};
const NEXT_TOKEN: MemberSpec = { type: 'string', min: 1, max: 2048 };
const LIMIT: MemberSpec = { type: 'integer', min: 1, max: 100 };
const TARGET_ID: MemberSpec = { type: 'string', min: 1, max: 64, pattern: '[\\.\\-_A-Za-z0-9]+' };
const ARN_1600: MemberSpec = { type: 'string', min: 1, max: 1600 };

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html */
export const TARGET_MEMBERS: Readonly<Record<string, MemberSpec>> = {
  Id: TARGET_ID,
  Arn: ARN_1600,
  RoleArn: ARN_1600,
  Input: { type: 'string', max: 8192 },
  InputPath: unserved('InputPath'),
  InputTransformer: unserved('InputTransformer'),
  KinesisParameters: unserved('TargetParameters'),
  RunCommandParameters: unserved('TargetParameters'),
  EcsParameters: unserved('TargetParameters'),
  BatchParameters: unserved('TargetParameters'),
  SqsParameters: unserved('TargetParameters'),
  HttpParameters: unserved('TargetParameters'),
  RedshiftDataParameters: unserved('TargetParameters'),
  SageMakerPipelineParameters: unserved('TargetParameters'),
  AppSyncParameters: unserved('TargetParameters'),
  DeadLetterConfig: { type: 'structure', members: { Arn: ARN_1600 } },
  RetryPolicy: {
    type: 'structure',
    members: { MaximumRetryAttempts: { type: 'integer', min: 0, max: 185 }, MaximumEventAgeInSeconds: { type: 'integer', min: 60, max: 86_400 } },
  },
};
const TARGET: MemberSpec = { type: 'structure', required: ['Id', 'Arn'], members: TARGET_MEMBERS };

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html */
const PUT_EVENTS_ENTRY: MemberSpec = {
  type: 'structure',
  members: {
    Time: { type: 'timestamp' },
    Source: { type: 'string' },
    Resources: { type: 'list', member: { type: 'string', max: 2048 } },
    DetailType: { type: 'string' },
    Detail: { type: 'string' },
    EventBusName: NON_PARTNER_EVENT_BUS_NAME_OR_ARN,
    TraceHeader: { type: 'string', min: 1, max: 500 },
  },
};

const RULE_STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'] as const;

/** Each operation's input, as in its API reference page (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_<Operation>.html). */
const INPUTS: Readonly<Record<ServedOperation, MemberSpec & { type: 'structure' }>> = {
  PutRule: {
    type: 'structure',
    required: ['Name'],
    members: {
      Name: RULE_NAME,
      ScheduleExpression: unserved('ScheduleExpression'),
      EventPattern: { type: 'string', max: 4096 },
      State: { type: 'string', enum: RULE_STATES },
      Description: { type: 'string', max: 512 },
      RoleArn: unserved('RuleRoleArn'),
      Tags: unserved('Tags'),
      EventBusName: EVENT_BUS_NAME_OR_ARN,
    },
  },
  DescribeRule: { type: 'structure', required: ['Name'], members: { Name: RULE_NAME, EventBusName: EVENT_BUS_NAME_OR_ARN } },
  DeleteRule: { type: 'structure', required: ['Name'], members: { Name: RULE_NAME, EventBusName: EVENT_BUS_NAME_OR_ARN, Force: { type: 'boolean' } } },
  EnableRule: { type: 'structure', required: ['Name'], members: { Name: RULE_NAME, EventBusName: EVENT_BUS_NAME_OR_ARN } },
  DisableRule: { type: 'structure', required: ['Name'], members: { Name: RULE_NAME, EventBusName: EVENT_BUS_NAME_OR_ARN } },
  ListRules: { type: 'structure', members: { NamePrefix: RULE_NAME, EventBusName: EVENT_BUS_NAME_OR_ARN, NextToken: NEXT_TOKEN, Limit: LIMIT } },
  PutTargets: {
    type: 'structure',
    required: ['Rule', 'Targets'],
    members: { Rule: RULE_NAME, EventBusName: EVENT_BUS_NAME_OR_ARN, Targets: { type: 'list', member: TARGET, min: 1, max: 100 } },
  },
  ListTargetsByRule: {
    type: 'structure',
    required: ['Rule'],
    members: { Rule: RULE_NAME, EventBusName: EVENT_BUS_NAME_OR_ARN, NextToken: NEXT_TOKEN, Limit: LIMIT },
  },
  RemoveTargets: {
    type: 'structure',
    required: ['Rule', 'Ids'],
    members: { Rule: RULE_NAME, EventBusName: EVENT_BUS_NAME_OR_ARN, Ids: { type: 'list', member: TARGET_ID, min: 1, max: 100 }, Force: { type: 'boolean' } },
  },
  PutEvents: {
    type: 'structure',
    required: ['Entries'],
    members: { Entries: { type: 'list', member: PUT_EVENTS_ENTRY, min: 1, max: 10 }, EndpointId: unserved('EndpointId') },
  },
};

/** The wire path of a member as the service's validation messages write it: `targets.1.member.id`. */
const wirePath = (parent: string, member: string) => `${parent === '' ? '' : `${parent}.`}${member.charAt(0).toLowerCase()}${member.slice(1)}`;

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

interface Findings {
  violations: string[];
  unserved: string[];
}

/**
 * Checks `value` against `spec` the way the service's request validation does: every violation is reported as
 * `Value '<value>' at '<path>' failed to satisfy constraint: Member must ...`, pattern before length, members in
 * model order (message forms as AWS answers them, e.g. "1 validation error detected: Value '!@#$@!#$' at
 * 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+"
 * in LocalStack's AWS-validated snapshot test_events.snapshot.json, test_put_target_id_validation).
 */
function check(spec: MemberSpec, value: unknown, path: string, member: string, findings: Findings): void {
  const fail = (constraint: string): void => {
    findings.violations.push(`Value '${shown(value)}' at '${path}' failed to satisfy constraint: Member must ${constraint}`);
  };
  switch (spec.type) {
    case 'unserved':
      findings.unserved.push(`Parameter ${member} is not supported by the local EventBridge model: ${spec.reason}.`);
      return;
    case 'string':
      if (typeof value !== 'string') return fail('be a string');
      if (spec.enum && !spec.enum.includes(value)) fail(`satisfy enum value set: [${spec.enum.join(', ')}]`);
      if (spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(value)) fail(`satisfy regular expression pattern: ${spec.pattern}`);
      if (spec.max !== undefined && value.length > spec.max) fail(`have length less than or equal to ${spec.max}`);
      if (spec.min !== undefined && value.length < spec.min) fail(`have length greater than or equal to ${spec.min}`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail('be an integer');
      if (spec.max !== undefined && value > spec.max) fail(`have value less than or equal to ${spec.max}`);
      if (spec.min !== undefined && value < spec.min) fail(`have value greater than or equal to ${spec.min}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('be a boolean');
      return;
    case 'timestamp':
      if (typeof value !== 'number' && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) fail('be a timestamp');
      return;
    case 'list':
      if (!Array.isArray(value)) return fail('be a list');
      if (spec.max !== undefined && value.length > spec.max) fail(`have length less than or equal to ${spec.max}`);
      if (spec.min !== undefined && value.length < spec.min) fail(`have length greater than or equal to ${spec.min}`);
      value.forEach((entry, i) => check(spec.member, entry, `${path}.${i + 1}.member`, member, findings));
      return;
    case 'structure':
      if (!isObject(value)) return fail('be a structure');
      for (const [name, memberSpec] of Object.entries(spec.members)) {
        const at = wirePath(path, name);
        const present = value[name] !== undefined && value[name] !== null;
        if (!present) {
          if (spec.required?.includes(name)) findings.violations.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
          continue;
        }
        check(memberSpec, value[name], at, name, findings);
      }
  }
}

/** The request's ValidationException, or undefined when the input satisfies the operation's constraints. */
export function validateInput(operation: ServedOperation, input: JsonObject): EventBridgeApiError | undefined {
  const findings: Findings = { violations: [], unserved: [] };
  check(INPUTS[operation], input, '', operation, findings);
  const { violations } = findings;
  if (violations.length > 0) {
    return invalid(`${violations.length} validation error${violations.length === 1 ? '' : 's'} detected: ${violations.join('; ')}`);
  }
  return findings.unserved.length > 0 ? invalid(findings.unserved.join(' ')) : undefined;
}

