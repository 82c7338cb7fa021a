/**
 * An in-process model of an Amazon EventBridge event bus: rules with event patterns, and targets.
 * The sandbox and the integration tests route events through the very pattern object that infra/ deploys
 * (infra/event-pattern.ts), so a pattern that would not match in AWS does not match here either.
 *
 * Matching follows the documented content filtering
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html):
 * - every field named in the pattern must match (AND); the values listed for a field are alternatives (OR);
 * - a pattern value matches a scalar, or any element of an array value;
 * - nested objects recurse; fields the pattern does not name are ignored;
 * - operators (prefix, suffix, anything-but, exists, numeric, equals-ignore-case, wildcard, $or) work on leaf
 *   values only: an object is not a leaf, so it matches no operator but `exists: false`.
 * Patterns are validated and compiled once (InvalidEventPatternError, as PutRule rejects them).
 * Rules have a state (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html#eventbridge-PutRule-request-State):
 * a DISABLED rule matches nothing, and an ENABLED one is not shown read-only management events delivered via
 * CloudTrail, which only ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS rules receive
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html#eb-service-event-cloudtrail-management).
 * Targets are either anonymous functions given to `putRule` (the in-process wiring of local/pipeline.ts), or
 * identified ones managed like PutTargets / RemoveTargets do (`putTargets`, `removeTargets`; the HTTP API of
 * ./eventbridge-server.ts).
 * Not modelled: `cidr`, input transformers, target retries and target dead-letter queues.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import type { LocalQueue } from './sqs';

/** An event pattern as PutRule takes it (parsed JSON); `as const` objects are accepted. */
export type EventPattern = { readonly [field: string]: unknown };

/** Any event on the bus: the EventBridge envelope with an arbitrary detail. */
export type BusEvent = EventBridgeEvent<string, unknown>;

/** PutRule's InvalidEventPatternException. */
export class InvalidEventPatternError extends Error {
  override name = 'InvalidEventPatternError';
}

/** PutRule's ValidationException for a bad rule name, or a malformed event given to the bus. */
export class EventBusValidationError extends Error {
  override name = 'EventBusValidationError';
}

// ---------------------------------------------------------------------------------- compiled pattern

type Scalar = string | number | boolean | null;
type LeafTest = (value: Scalar) => boolean;

/** A field's list of alternatives, split by how they treat presence. */
interface LeafNode {
  kind: 'leaf';
  /** Alternatives tested against each leaf value of the field. */
  tests: LeafTest[];
  /** `exists: true` present among the alternatives. */
  matchesPresent: boolean;
  /** `exists: false` present among the alternatives. */
  matchesAbsent: boolean;
}

interface ObjectNode {
  kind: 'object';
  fields: Array<[string, LeafNode | ObjectNode]>;
  /** `$or`: at least one alternative must match, in addition to `fields`. */
  anyOf: ObjectNode[];
}

/** Numeric matching is documented for values from -5.0e9 to +5.0e9 inclusive. */
const NUMERIC_LIMIT = 5e9;
const NUMERIC_OPERATORS = new Set(['<', '<=', '=', '>', '>=']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function fail(path: string, message: string): never {
  throw new InvalidEventPatternError(`Event pattern is not valid at "${path}": ${message}`);
}

function requireString(path: string, operator: string, value: unknown): string {
  if (typeof value !== 'string') fail(path, `"${operator}" takes a string, got ${show(value)}`);
  return value;
}

/** A string, or `{ "equals-ignore-case": string }`, as prefix and suffix accept. */
function stringOrIgnoreCase(path: string, operator: string, value: unknown): { text: string; ignoreCase: boolean } {
  if (typeof value === 'string') return { text: value, ignoreCase: false };
  if (isPlainObject(value) && Object.keys(value).length === 1 && 'equals-ignore-case' in value) {
    return { text: requireString(path, `${operator}.equals-ignore-case`, value['equals-ignore-case']), ignoreCase: true };
  }
  return fail(path, `"${operator}" takes a string or {"equals-ignore-case": string}, got ${show(value)}`);
}

/** One string or a non-empty list of strings (anything-but's equals-ignore-case and wildcard). */
function stringList(path: string, operator: string, value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[];
  return fail(path, `"${operator}" takes a string or a non-empty list of strings, got ${show(value)}`);
}

function lower(text: string): string {
  return text.toLowerCase();
}

/**
 * Wildcard: `*` matches any run of characters; `\*` is a literal star and `\\` a literal backslash; other
 * escapes and consecutive wildcards are rejected, as the service does.
 */
function compileWildcard(path: string, pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') fail(path, `invalid escape in wildcard ${show(pattern)} at position ${i}`);
      source += next === '*' ? '\\*' : '\\\\';
      i++;
    } else if (c === '*') {
      if (pattern[i + 1] === '*') fail(path, `consecutive wildcard characters in ${show(pattern)} at position ${i}`);
      source += '.*';
    } else {
      source += c.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
}

function compileNumeric(path: string, spec: unknown): LeafTest {
  if (!Array.isArray(spec) || spec.length === 0 || spec.length % 2 !== 0 || spec.length > 4) {
    fail(path, `"numeric" takes [op, number] or [op, number, op, number], got ${show(spec)}`);
  }
  const checks: Array<(n: number) => boolean> = [];
  let lowerBound = false;
  let upperBound = false;
  for (let i = 0; i < spec.length; i += 2) {
    const op: unknown = spec[i];
    const bound: unknown = spec[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPERATORS.has(op)) fail(path, `unknown numeric operator ${show(op)}`);
    if (typeof bound !== 'number' || !Number.isFinite(bound) || Math.abs(bound) > NUMERIC_LIMIT) {
      fail(path, `numeric bound ${show(bound)} must be a number between -5e9 and 5e9`);
    }
    if (op === '=') {
      if (spec.length !== 2) fail(path, '"=" cannot be combined with another numeric condition');
      checks.push((n) => n === bound);
    } else if (op === '>' || op === '>=') {
      if (lowerBound) fail(path, 'numeric range has two lower bounds');
      lowerBound = true;
      checks.push(op === '>' ? (n) => n > bound : (n) => n >= bound);
    } else {
      if (upperBound) fail(path, 'numeric range has two upper bounds');
      upperBound = true;
      checks.push(op === '<' ? (n) => n < bound : (n) => n <= bound);
    }
  }
  return (value) => typeof value === 'number' && checks.every((check) => check(value));
}

/** anything-but: the field has a leaf value that is none of what is listed. */
function compileAnythingBut(path: string, spec: unknown): LeafTest {
  if (typeof spec === 'string' || typeof spec === 'number') {
    return (value) => value !== spec;
  }
  if (Array.isArray(spec)) {
    const allStrings = spec.every((v) => typeof v === 'string');
    const allNumbers = spec.every((v) => typeof v === 'number');
    if (spec.length === 0 || !(allStrings || allNumbers)) {
      fail(path, `"anything-but" takes a list of only strings or only numbers, got ${show(spec)}`);
    }
    const excluded = new Set<unknown>(spec);
    return (value) => !excluded.has(value);
  }
  if (isPlainObject(spec) && Object.keys(spec).length === 1) {
    const [operator, operand] = Object.entries(spec)[0]!;
    switch (operator) {
      case 'prefix': {
        const prefix = requireString(path, 'anything-but.prefix', operand);
        return (value) => !(typeof value === 'string' && value.startsWith(prefix));
      }
      case 'suffix': {
        const suffix = requireString(path, 'anything-but.suffix', operand);
        return (value) => !(typeof value === 'string' && value.endsWith(suffix));
      }
      case 'equals-ignore-case': {
        const excluded = new Set(stringList(path, 'anything-but.equals-ignore-case', operand).map(lower));
        return (value) => !(typeof value === 'string' && excluded.has(lower(value)));
      }
      case 'wildcard': {
        const patterns = stringList(path, 'anything-but.wildcard', operand).map((w) => compileWildcard(path, w));
        return (value) => !(typeof value === 'string' && patterns.some((re) => re.test(value)));
      }
    }
  }
  return fail(path, `"anything-but" does not accept ${show(spec)}`);
}

function compileAlternatives(path: string, alternatives: readonly unknown[]): LeafNode {
  if (alternatives.length === 0) fail(path, 'empty arrays are not allowed');
  const node: LeafNode = { kind: 'leaf', tests: [], matchesPresent: false, matchesAbsent: false };
  for (const alternative of alternatives) {
    if (alternative === null || typeof alternative === 'string' || typeof alternative === 'boolean') {
      node.tests.push((value) => value === alternative);
      continue;
    }
    if (typeof alternative === 'number') {
      if (!Number.isFinite(alternative)) fail(path, `${show(alternative)} is not a JSON number`);
      node.tests.push((value) => value === alternative);
      continue;
    }
    if (!isPlainObject(alternative) || Object.keys(alternative).length !== 1) {
      fail(path, `each value must be a string, number, boolean, null or a one-key operator object, got ${show(alternative)}`);
    }
    const [operator, operand] = Object.entries(alternative)[0]!;
    switch (operator) {
      case 'exists':
        if (typeof operand !== 'boolean') fail(path, `"exists" takes true or false, got ${show(operand)}`);
        if (operand) node.matchesPresent = true;
        else node.matchesAbsent = true;
        break;
      case 'prefix': {
        const { text, ignoreCase } = stringOrIgnoreCase(path, 'prefix', operand);
        const wanted = ignoreCase ? lower(text) : text;
        node.tests.push((value) => typeof value === 'string' && (ignoreCase ? lower(value) : value).startsWith(wanted));
        break;
      }
      case 'suffix': {
        const { text, ignoreCase } = stringOrIgnoreCase(path, 'suffix', operand);
        const wanted = ignoreCase ? lower(text) : text;
        node.tests.push((value) => typeof value === 'string' && (ignoreCase ? lower(value) : value).endsWith(wanted));
        break;
      }
      case 'equals-ignore-case': {
        const wanted = lower(requireString(path, 'equals-ignore-case', operand));
        node.tests.push((value) => typeof value === 'string' && lower(value) === wanted);
        break;
      }
      case 'wildcard': {
        const re = compileWildcard(path, requireString(path, 'wildcard', operand));
        node.tests.push((value) => typeof value === 'string' && re.test(value));
        break;
      }
      case 'anything-but':
        node.tests.push(compileAnythingBut(path, operand));
        break;
      case 'numeric':
        node.tests.push(compileNumeric(path, operand));
        break;
      case 'cidr':
        fail(path, '"cidr" is not supported by the local EventBridge model');
        break;
      default:
        fail(path, `unknown operator "${operator}"`);
    }
  }
  return node;
}

function compileObject(path: string, pattern: unknown): ObjectNode {
  if (!isPlainObject(pattern)) fail(path, `expected an object, got ${show(pattern)}`);
  const entries = Object.entries(pattern);
  if (entries.length === 0) fail(path, 'an empty object matches nothing and is not allowed');
  const node: ObjectNode = { kind: 'object', fields: [], anyOf: [] };
  for (const [key, value] of entries) {
    const childPath = path === '$' ? key : `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) fail(childPath, '"$or" takes a list of at least two patterns');
      value.forEach((alternative, i) => node.anyOf.push(compileObject(`${childPath}[${i}]`, alternative)));
    } else if (Array.isArray(value)) {
      node.fields.push([key, compileAlternatives(childPath, value)]);
    } else if (isPlainObject(value)) {
      node.fields.push([key, compileObject(childPath, value)]);
    } else {
      fail(childPath, `a field must be a list of values or a nested object, got ${show(value)}`);
    }
  }
  return node;
}

// ------------------------------------------------------------------------------------------ matching

/** The scalars found at a field: its value, or the scalar elements of an array (nested arrays flattened). */
function leafValues(value: unknown, out: Scalar[] = []): Scalar[] {
  if (Array.isArray(value)) {
    for (const element of value) leafValues(element, out);
  } else if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    out.push(value);
  }
  return out;
}

function matchLeaf(node: LeafNode, value: unknown): boolean {
  const values = value === undefined ? [] : leafValues(value);
  if (values.length === 0) return node.matchesAbsent;
  if (node.matchesPresent) return true;
  return values.some((v) => node.tests.some((test) => test(v)));
}

function matchObject(node: ObjectNode, value: unknown): boolean {
  // An array of objects matches when one element matches the whole sub-pattern (fields from one element).
  if (Array.isArray(value)) {
    return value.some((element) => isPlainObject(element) && matchObject(node, element));
  }
  const record = isPlainObject(value) ? value : undefined;
  for (const [key, child] of node.fields) {
    const fieldValue = record?.[key];
    const matched = child.kind === 'leaf' ? matchLeaf(child, fieldValue) : matchObject(child, fieldValue);
    if (!matched) return false;
  }
  return node.anyOf.length === 0 || node.anyOf.some((alternative) => matchObject(alternative, value));
}

const compiledPatterns = new WeakMap<object, ObjectNode>();

/** Validates a pattern as PutRule does; throws InvalidEventPatternError naming the offending path. */
export function validateEventPattern(pattern: unknown): asserts pattern is EventPattern {
  compile(pattern);
}

function compile(pattern: unknown): ObjectNode {
  if (isPlainObject(pattern)) {
    const cached = compiledPatterns.get(pattern);
    if (cached) return cached;
  }
  const node = compileObject('$', pattern);
  compiledPatterns.set(pattern as object, node);
  return node;
}

/**
 * Whether an event matches a pattern. The pattern is validated and compiled on first use and cached by
 * object identity: do not mutate a pattern object after using it.
 */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return matchObject(compile(pattern), event);
}

// ----------------------------------------------------------------------------------------------- bus

export type RuleTarget = (event: BusEvent) => void;

/** PutRule's State values (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html#eventbridge-PutRule-request-State). */
export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface PutRuleInput {
  name: string;
  eventPattern: EventPattern;
  targets: RuleTarget[];
  /** Default ENABLED, as PutRule's. */
  state?: RuleState;
  description?: string;
}

/** A rule's definition as PutRule sets it (no targets: PutTargets manages those). */
export interface RuleDefinition {
  name: string;
  eventPattern: EventPattern;
  /**
   * The pattern as the JSON text PutRule received, which DescribeRule and ListRules return as sent; default
   * `JSON.stringify(eventPattern)`.
   */
  eventPatternText?: string;
  /** Default ENABLED. */
  state?: RuleState;
  description?: string;
}

/** A target as PutTargets adds it: an Id unique within its rule, a delivery, and what ListTargetsByRule echoes. */
export interface IdentifiedTarget {
  id: string;
  deliver: RuleTarget;
  /** The target as it was put (Arn, Input, RetryPolicy, ...), opaque to the bus. */
  definition: Readonly<Record<string, unknown>>;
}

/** What DescribeRule and ListTargetsByRule read from a rule. */
export interface RuleDescription {
  name: string;
  eventPattern: EventPattern;
  eventPatternText: string;
  state: RuleState;
  description?: string;
  /** Targets put by Id, in the order they were first put. */
  targets: IdentifiedTarget[];
  /** Function targets given to `putRule`, which have no Id. */
  anonymousTargets: number;
}

/** A rule operation named a rule the bus does not hold (the API's ResourceNotFoundException). */
export class RuleNotFoundError extends Error {
  override name = 'RuleNotFoundError';
}

export interface RuleStats {
  name: string;
  /** Events that matched the rule (CloudWatch metric MatchedEvents). */
  matched: number;
  unmatched: number;
  /** Target calls that threw (CloudWatch metric FailedInvocations); the model does not retry them. */
  failedInvocations: number;
}

export interface PutEventsResult {
  /** Target calls made, and those that threw. */
  deliveries: number;
  failedDeliveries: number;
}

interface Rule {
  name: string;
  match: ObjectNode;
  targets: RuleTarget[];
  stats: RuleStats;
  eventPattern: EventPattern;
  eventPatternText: string;
  state: RuleState;
  description?: string;
  identified: Map<string, IdentifiedTarget>;
}

/**
 * A read-only management event delivered via CloudTrail: only rules in state
 * ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS receive those
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html#eb-service-event-cloudtrail-management).
 */
function isReadOnlyManagementEvent(event: BusEvent): boolean {
  return event['detail-type'] === 'AWS API Call via CloudTrail' && isPlainObject(event.detail) && event.detail.readOnly === true;
}

function receives(rule: Rule, event: BusEvent): boolean {
  if (rule.state === 'DISABLED') return false;
  return rule.state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' || !isReadOnlyManagementEvent(event);
}

const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

/** The default event bus: rules, in creation order, each with its pattern and targets. */
export class LocalEventBus {
  private readonly rules = new Map<string, Rule>();

  /** PutRule + PutTargets: creates the rule, or replaces one with the same name (its counters restart). */
  putRule(input: PutRuleInput): void {
    if (!RULE_NAME.test(input.name)) {
      throw new EventBusValidationError(`Rule name "${input.name}" must be 1-64 characters of [.-_A-Za-z0-9].`);
    }
    const match = compile(input.eventPattern);
    this.rules.set(input.name, {
      name: input.name,
      match,
      targets: [...input.targets],
      stats: { name: input.name, matched: 0, unmatched: 0, failedInvocations: 0 },
      eventPattern: input.eventPattern,
      eventPatternText: JSON.stringify(input.eventPattern),
      state: input.state ?? 'ENABLED',
      ...(input.description === undefined ? {} : { description: input.description }),
      identified: new Map(),
    });
  }

  /**
   * PutRule as the API does it: creates the rule without targets, or replaces an existing rule's pattern, state
   * and description, keeping its targets and counters ("If you are updating an existing rule, the rule is replaced
   * with what you specify"; targets are PutTargets' business:
   * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html).
   */
  putRuleDefinition(definition: RuleDefinition): void {
    if (!RULE_NAME.test(definition.name)) {
      throw new EventBusValidationError(`Rule name "${definition.name}" must be 1-64 characters of [.-_A-Za-z0-9].`);
    }
    const match = compile(definition.eventPattern);
    const existing = this.rules.get(definition.name);
    this.rules.set(definition.name, {
      name: definition.name,
      match,
      targets: existing?.targets ?? [],
      stats: existing?.stats ?? { name: definition.name, matched: 0, unmatched: 0, failedInvocations: 0 },
      eventPattern: definition.eventPattern,
      eventPatternText: definition.eventPatternText ?? JSON.stringify(definition.eventPattern),
      state: definition.state ?? 'ENABLED',
      ...(definition.description === undefined ? {} : { description: definition.description }),
      identified: existing?.identified ?? new Map(),
    });
  }

  /** EnableRule / DisableRule; false when there is no such rule. */
  setRuleState(name: string, state: RuleState): boolean {
    const rule = this.rules.get(name);
    if (rule) rule.state = state;
    return rule !== undefined;
  }

  describeRule(name: string): RuleDescription | undefined {
    const rule = this.rules.get(name);
    if (!rule) return undefined;
    return {
      name: rule.name,
      eventPattern: rule.eventPattern,
      eventPatternText: rule.eventPatternText,
      state: rule.state,
      ...(rule.description === undefined ? {} : { description: rule.description }),
      targets: [...rule.identified.values()],
      anonymousTargets: rule.targets.length,
    };
  }

  /** The names of every rule, in creation order. */
  ruleNames(): string[] {
    return [...this.rules.keys()];
  }

  /** PutTargets: adds each target, or replaces the one with the same Id. */
  putTargets(ruleName: string, targets: readonly IdentifiedTarget[]): void {
    const rule = this.rules.get(ruleName);
    if (!rule) throw new RuleNotFoundError(`Rule ${ruleName} does not exist.`);
    for (const target of targets) rule.identified.set(target.id, target);
  }

  /** RemoveTargets: removes the targets with these Ids; returns the Ids that were there. */
  removeTargets(ruleName: string, ids: readonly string[]): string[] {
    const rule = this.rules.get(ruleName);
    if (!rule) throw new RuleNotFoundError(`Rule ${ruleName} does not exist.`);
    return ids.filter((id) => rule.identified.delete(id));
  }

  removeRule(name: string): boolean {
    return this.rules.delete(name);
  }

  /**
   * Routes each event to every target of every matching rule, synchronously and in order. The events are
   * complete envelopes, as AWS services (here, CloudTrail) put them on the default bus; so the PutEvents API's
   * 10-entries-per-call limit, which applies to custom events, does not apply.
   */
  putEvents(events: readonly BusEvent[]): PutEventsResult {
    for (const event of events) {
      if (!isPlainObject(event) || typeof event.source !== 'string' || typeof event['detail-type'] !== 'string') {
        throw new EventBusValidationError(`An event needs a string "source" and "detail-type": ${show(event)}`);
      }
    }
    const result: PutEventsResult = { deliveries: 0, failedDeliveries: 0 };
    for (const event of events) {
      for (const rule of this.rules.values()) {
        // A rule that does not receive the event does not evaluate it: it counts neither way.
        if (!receives(rule, event)) continue;
        if (!matchObject(rule.match, event)) {
          rule.stats.unmatched++;
          continue;
        }
        rule.stats.matched++;
        const targets = rule.identified.size === 0 ? rule.targets : [...rule.targets, ...[...rule.identified.values()].map((t) => t.deliver)];
        for (const target of targets) {
          result.deliveries++;
          try {
            target(event);
          } catch {
            result.failedDeliveries++;
            rule.stats.failedInvocations++;
          }
        }
      }
    }
    return result;
  }

  ruleStats(name: string): RuleStats | undefined {
    const rule = this.rules.get(name);
    return rule ? { ...rule.stats } : undefined;
  }

  allRuleStats(): RuleStats[] {
    return [...this.rules.values()].map((rule) => ({ ...rule.stats }));
  }
}

/**
 * An SQS target: the message body is the whole event as JSON, which is what EventBridge sends to an SQS
 * queue when the target has no input transformer
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html).
 */
export function sqsTarget(queue: Pick<LocalQueue, 'sendMessage'>, options: { mayDeliver?: boolean; queueArn?: string } = {}): RuleTarget {
  return (event) => {
    if (options.mayDeliver === false) {
      throw new Error(`AccessDenied: events.amazonaws.com may not sqs:SendMessage to ${options.queueArn ?? 'the queue'}`);
    }
    queue.sendMessage(JSON.stringify(event));
  };
}

/**
 * An SQS target whose deliveries the queue's policy must allow: EventBridge sends as the service principal
 * events.amazonaws.com with aws:SourceArn the rule's ARN, and a queue target needs a queue policy that allows it
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions).
 * The decision does not depend on the event, so it is made once; a denied delivery counts as a failed invocation.
 */
export async function authorizedSqsTarget(
  queue: Pick<LocalQueue, 'sendMessage' | 'arn' | 'accountId'>,
  ruleArn: string,
  authorize: (request: { action: string; resource: string; context: Record<string, string> }) => Promise<boolean>,
): Promise<RuleTarget> {
  const mayDeliver = await authorize({
    action: 'sqs:SendMessage',
    resource: queue.arn,
    context: { 'aws:SourceArn': ruleArn, 'aws:SourceAccount': queue.accountId, 'aws:SecureTransport': 'true' },
  });
  return sqsTarget(queue, { mayDeliver, queueArn: queue.arn });
}
