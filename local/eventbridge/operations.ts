/**
 * The EventBridge operations the bus model backs, on the default event bus only (the bus model holds one bus), each
 * as its API reference page says (cited on each), answering the errors ERRORS_BY_OPERATION lists for it. Inputs
 * reach them validated (./validation.ts). Targets are the SQS queues the server was started with; a queue target
 * delivers the event envelope (or the target's constant Input) to the LocalQueue.
 */
import { randomUUID } from 'node:crypto';
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
} from '../eventbridge';
import type { LocalAuthorizer } from '../iam/authorizer';
import type { LocalQueue } from '../sqs';
import { EventBridgeApiError, type EventBridgeErrorName, invalid } from './errors';
import { page, PageTokens } from './pagination';
import { TARGET_MEMBERS } from './validation';
import { isObject, type JsonObject } from './wire';

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

export const isServed = (operation: string): operation is ServedOperation => (SERVED_OPERATIONS as readonly string[]).includes(operation);

/** Every call can fail validation or IAM, and answers InternalException for a defect of the model itself. */
const ANY_CALL = ['ValidationException', 'AccessDeniedException', 'UnrecognizedClientException', 'InternalException'] as const;

/** The errors each operation can answer; answering any other is a defect (see ./server.ts), checked by the tests. */
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

export interface Scope {
  region: string;
  accountId: string;
}

export const DEFAULT_BUS = 'default';

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

export class Operations {
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
