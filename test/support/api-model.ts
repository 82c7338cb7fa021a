/**
 * The official AWS API models (../shared/aws-models/<service>.service-2.json, the service definitions AWS publishes
 * for its SDKs) as test input: the conformance tests of the local engines are generated from them, not re-typed.
 * For an operation and a request that succeeds (the baseline), `constraintCases` yields one case per constraint of
 * every member the baseline carries (required, length, pattern, enum, range, list size), each breaking exactly that
 * constraint in a copy of the baseline; `itRejectsEachBrokenConstraint` turns those cases into one test each.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';

export type Service = 'scheduler' | 'sqs' | 'events' | 'sts' | 's3' | 'dynamodb';

export interface MemberRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
}

export interface Shape {
  type: string;
  required?: string[];
  members?: Record<string, MemberRef>;
  member?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  error?: { code?: string; httpStatusCode?: number };
  exception?: boolean;
}

export interface ApiModel {
  metadata: { protocol: string; targetPrefix?: string; serviceId: string };
  operations: Record<string, { name: string; input?: { shape: string }; output?: { shape: string }; errors?: Array<{ shape: string }> }>;
  shapes: Record<string, Shape>;
}

const MODELS_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'aws-models');
const loaded = new Map<Service, ApiModel>();

export function loadApiModel(service: Service): ApiModel {
  const cached = loaded.get(service);
  if (cached) return cached;
  const file = path.join(MODELS_DIR, `${service}.service-2.json`);
  if (!existsSync(file)) throw new Error(`the official ${service} API model is missing at ${file} (shared/aws-models beside the repository)`);
  const model = JSON.parse(readFileSync(file, 'utf8')) as ApiModel;
  loaded.set(service, model);
  return model;
}

/** The error shapes the operation declares it may return. */
export function declaredErrors(api: ApiModel, operation: string): string[] {
  const op = api.operations[operation];
  if (!op) throw new Error(`${api.metadata.serviceId} has no operation ${operation}`);
  return (op.errors ?? []).map((e) => e.shape);
}

export type Path = Array<string | number>;

export interface ConstraintCase {
  operation: string;
  path: Path;
  /** Human-readable, e.g. `length ≤ 64`, `pattern [a-z]+`, `required`. */
  constraint: string;
  /** `Operation.A.0.B constraint`, the key of DELIBERATE_GAPS tables. */
  key: string;
  /** Breaks the member in a (deep) copy of the baseline. */
  breakIt(input: Record<string, unknown>): void;
}

export interface CaseOptions {
  /**
   * Whether a constraint of a member can be broken on the wire at all: an HTTP label (`location: uri`) cannot be
   * sent empty or missing (the SDK refuses before any request), so those two cases are never generated.
   */
  skip?(member: string, ref: MemberRef, constraint: 'required' | 'min-length'): boolean;
}

/** A string within the length bounds that the pattern refuses, or undefined when none of the candidates does. */
export function violatingString(shape: Shape): string | undefined {
  const pattern = new RegExp(`^(?:${shape.pattern!})$`);
  const length = Math.max(shape.min ?? 1, 1);
  return [' ', '!', '%', '\u00e9', '/', '#'].map((c) => c.repeat(length)).find((s) => !pattern.test(s) && s.length <= (shape.max ?? Infinity));
}

/** Sets (or with `undefined`, deletes) the value at `at` in `input`. */
export function setAt(input: Record<string, unknown>, at: Path, value: unknown): void {
  let node = input as Record<string | number, unknown>;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = at.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** n distinct entries for a list, copied from its first entry (an `Id` or `Key` member made unique). */
function entries(first: unknown, n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => {
    if (typeof first !== 'object' || first === null) return first;
    const copy = structuredClone(first) as Record<string, unknown>;
    for (const unique of ['Id', 'Key']) if (typeof copy[unique] === 'string') copy[unique] = `${copy[unique] as string}${i}`;
    return copy;
  });
}

function isDefaultSkip(_member: string, ref: MemberRef): boolean {
  return ref.location === 'uri';
}

/** Every constraint of every member present in `baseline` (structures and the first entry of lists walked), as a case. */
export function constraintCases(api: ApiModel, operation: string, baseline: Record<string, unknown>, options: CaseOptions = {}): ConstraintCase[] {
  const skip = options.skip ?? isDefaultSkip;
  const cases: ConstraintCase[] = [];
  const walk = (shapeName: string, value: Record<string, unknown>, at: Path) => {
    const shape = api.shapes[shapeName]!;
    for (const [member, ref] of Object.entries(shape.members ?? {})) {
      const memberShape = api.shapes[ref.shape]!;
      const where = [...at, member];
      const add = (constraint: string, breakIt: (input: Record<string, unknown>) => void) =>
        cases.push({ operation, path: where, constraint, key: `${operation}.${where.join('.')} ${constraint}`, breakIt });
      if (shape.required?.includes(member) && !skip(member, ref, 'required')) add('required', (input) => setAt(input, where, undefined));
      if (!(member in value)) continue;
      const present = value[member];
      const { type, min, max } = memberShape;
      if (type === 'structure') {
        walk(ref.shape, present as Record<string, unknown>, where);
        continue;
      }
      if (type === 'string') {
        if (memberShape.enum) add('enum', (input) => setAt(input, where, 'NOT_A_MEMBER_OF_THE_ENUM'));
        if (max !== undefined) add(`length ≤ ${max}`, (input) => setAt(input, where, 'a'.repeat(max + 1)));
        if ((min ?? 0) > 0 && !skip(member, ref, 'min-length')) add(`length ≥ ${min}`, (input) => setAt(input, where, min! > 1 ? 'a'.repeat(min! - 1) : ''));
        if (memberShape.pattern) {
          const bad = violatingString(memberShape);
          if (bad !== undefined) add(`pattern ${memberShape.pattern}`, (input) => setAt(input, where, bad));
        }
      }
      if (type === 'integer' || type === 'long') {
        if (max !== undefined) add(`≤ ${max}`, (input) => setAt(input, where, max + 1));
        if (min !== undefined) add(`≥ ${min}`, (input) => setAt(input, where, min - 1));
      }
      if (type === 'list' && Array.isArray(present) && present.length > 0) {
        if (max !== undefined) add(`at most ${max} entries`, (input) => setAt(input, where, entries(present[0], max + 1)));
        if ((min ?? 0) > 0) add(`at least ${min} entries`, (input) => setAt(input, where, entries(present[0], min! - 1)));
        const entryShape = api.shapes[memberShape.member!.shape]!;
        if (entryShape.type === 'structure') walk(memberShape.member!.shape, present[0] as Record<string, unknown>, [...where, 0]);
      }
    }
  };
  const input = api.operations[operation]?.input;
  if (!input) throw new Error(`${api.metadata.serviceId} operation ${operation} has no input shape`);
  walk(input.shape, baseline, []);
  return cases;
}

/** What a conformance check needs of an error: the SDK's name for it and the HTTP status. */
export type SdkError = Error & { $metadata?: { httpStatusCode?: number }; Code?: string };

/** The error `promise` rejects with, or undefined when it resolves. */
export async function outcomeOf(promise: Promise<unknown>): Promise<SdkError | undefined> {
  return promise.then(
    () => undefined,
    (error: SdkError) => error,
  );
}

type Input = Record<string, unknown>;

/** A constraint an engine does not enforce, known by case key: the title of its test and the answer it still gives. */
export interface Gap {
  title: string;
  /** Fails, saying to update the gaps table, once the answer to the broken request is no longer the gap's. */
  expectAnswer(outcome: SdkError | undefined): void;
}

/**
 * A DELIBERATE_GAPS table (case key → reason) as gaps whose broken request is accepted; `enforcer` names the engine
 * in the failure of a gap it does enforce (`the model`, `the server`), `table` the table to remove the gap from.
 */
export function deliberateGaps(reasons: Readonly<Record<string, string>>, enforcer: string, table = 'DELIBERATE_GAPS'): Record<string, Gap> {
  return Object.fromEntries(
    Object.entries(reasons).map(([key, reason]) => [
      key,
      {
        title: `does not enforce ${key} (deliberate: ${reason})`,
        expectAnswer: (outcome: SdkError | undefined) =>
          expect(outcome, `${key} is listed as a deliberate gap but ${enforcer} enforces it: remove it from ${table}`).to.equal(undefined),
      },
    ]),
  );
}

export interface BrokenConstraintTests {
  cases: readonly ConstraintCase[];
  /** By case key; a case listed here is tested as its gap instead. */
  gaps: Readonly<Record<string, Gap>>;
  /** A fresh request of the case's operation that succeeds (what it acts on created first); the case then breaks it. */
  prepare(c: ConstraintCase): Input | Promise<Input>;
  /** Sends the broken request through the real SDK client. */
  send(input: Input, c: ConstraintCase): Promise<unknown>;
  /** The title of an enforced case; by default `answers ValidationException naming <member> when <Operation.path> breaks <constraint>`. */
  title?(c: ConstraintCase): string;
  /**
   * Assesses an enforced case: `outcome` is the error the request failed with (undefined when it succeeded), `sent`
   * the request itself, for an answer that succeeds and reports the failure inside (a batch's failed entries).
   */
  expectRejection(outcome: SdkError | undefined, c: ConstraintCase, sent: Promise<unknown>): void | Promise<void>;
}

const answersValidationException = (c: ConstraintCase) =>
  `answers ValidationException naming ${String(c.path.at(-1))} when ${c.operation}.${c.path.join('.')} breaks ${c.constraint}`;

/** One `it` per case: prepare a request that succeeds, break the case's constraint, send it, and assess the answer. */
export function itRejectsEachBrokenConstraint(tests: BrokenConstraintTests): void {
  const title = tests.title ?? answersValidationException;
  for (const c of tests.cases) {
    const gap = tests.gaps[c.key];
    it(gap ? gap.title : title(c), async () => {
      // Prepare
      const input = await tests.prepare(c);
      c.breakIt(input);
      // Act
      const sent = tests.send(input, c);
      const outcome = await outcomeOf(sent);
      // Assess
      if (gap) gap.expectAnswer(outcome);
      else await tests.expectRejection(outcome, c, sent);
    });
  }
}

export interface Refusal {
  /** The error's name (`err.name`), when the case calls for one. */
  name?: string;
  /** The names the operation may answer: those it declares, and the service's common errors. */
  allowed: readonly string[];
}

/** The request failed: with `refusal.name` (if given), one of the allowed errors, HTTP 400, and a message naming the broken member. */
export function expectRefusalNaming(outcome: SdkError | undefined, c: ConstraintCase, refusal: Refusal): void {
  expect(outcome, `${c.key} was accepted`).to.not.equal(undefined);
  if (refusal.name !== undefined) expect(outcome!.name).to.equal(refusal.name);
  expect(refusal.allowed).to.include(outcome!.name);
  expect(outcome!.$metadata?.httpStatusCode).to.equal(400);
  expect(outcome!.message.toLowerCase()).to.include(String(c.path.at(-1)).toLowerCase());
}
