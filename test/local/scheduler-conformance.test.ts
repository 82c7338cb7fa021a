/**
 * The local Scheduler model against the official API model (../shared/aws-models/scheduler.service-2.json, the
 * service definition AWS publishes for its SDKs), generated, not re-typed: for every operation the model serves,
 * every input member's constraint (required, length, pattern, enum, range, list size) is broken once, from a
 * request that succeeds, through the real SDK client; the model must answer ValidationException (400), an error
 * the operation declares, naming the member. Where the model deliberately does less, DELIBERATE_GAPS says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as scheduler from '@aws-sdk/client-scheduler';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { expect } from 'chai';
import { startSchedulerModel, type SchedulerModel } from '../../local/scheduler';

const MODEL_PATH = path.resolve(__dirname, '..', '..', '..', 'shared', 'aws-models', 'scheduler.service-2.json');

interface Shape {
  type: string;
  required?: string[];
  members?: Record<string, { shape: string; location?: string }>;
  member?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
}
interface ApiModel {
  operations: Record<string, { input?: { shape: string }; errors?: Array<{ shape: string }> }>;
  shapes: Record<string, Shape>;
}

if (!existsSync(MODEL_PATH)) throw new Error(`the official Scheduler API model is missing at ${MODEL_PATH} (shared/aws-models beside the repository)`);
const API: ApiModel = JSON.parse(readFileSync(MODEL_PATH, 'utf8'));

const ACCOUNT = '123456789012';
const TARGET = { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:q`, RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`, RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 }, DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq` }, Input: '{}' };
const SCHEDULE = { ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 5 }, Target: TARGET, Description: 'd', State: 'ENABLED', ActionAfterCompletion: 'NONE', ScheduleExpressionTimezone: 'UTC' };

/** A request of each served operation that succeeds on a model holding the schedule `existing` in group `g`. */
const BASELINES: Record<string, (n: number) => Record<string, unknown>> = {
  CreateSchedule: (n) => ({ Name: `new-${n}`, GroupName: 'g', ClientToken: `token-${n}`, ...SCHEDULE }),
  UpdateSchedule: () => ({ Name: 'existing', GroupName: 'g', ClientToken: 'update-token', ...SCHEDULE }),
  GetSchedule: () => ({ Name: 'existing', GroupName: 'g' }),
  DeleteSchedule: (n) => ({ Name: `doomed-${n}`, GroupName: 'g', ClientToken: `delete-${n}` }),
  ListSchedules: () => ({ GroupName: 'g', NamePrefix: 'e', State: 'ENABLED', MaxResults: 10 }),
  CreateScheduleGroup: (n) => ({ Name: `group-${n}`, ClientToken: `group-token-${n}`, Tags: [{ Key: 'team', Value: 'platform' }] }),
  GetScheduleGroup: () => ({ Name: 'g' }),
  DeleteScheduleGroup: (n) => ({ Name: `doomed-group-${n}`, ClientToken: `delete-group-${n}` }),
  ListScheduleGroups: () => ({ NamePrefix: 'g', MaxResults: 10 }),
};

/**
 * Constraints the model does not enforce, each on purpose, by `Operation.path constraint`. Checked both ways: a
 * listed gap that the model does enforce fails this test too.
 */
const DELIBERATE_GAPS: Record<string, string> = {};

interface Case {
  operation: string;
  path: string[];
  constraint: string;
  /** Breaks the member in a (deep) copy of the baseline. */
  breakIt: (input: Record<string, unknown>) => void;
}

/** A string within the length bounds that the pattern refuses, or undefined when none of the candidates does. */
function violating(shape: Shape): string | undefined {
  const pattern = new RegExp(shape.pattern!);
  const length = Math.max(shape.min ?? 1, 1);
  return [' ', '!', '%', '\u00e9', '/'].map((c) => c.repeat(length)).find((s) => !pattern.test(s) && s.length <= (shape.max ?? Infinity));
}

function setAt(input: Record<string, unknown>, at: string[], value: unknown): void {
  let node = input;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[at.at(-1)!];
  else node[at.at(-1)!] = value;
}

/** Every constraint of every member present in the baseline (structures walked), as a case. */
function casesFor(operation: string): Case[] {
  const cases: Case[] = [];
  const baseline = BASELINES[operation]!(0);
  const walk = (shapeName: string, value: Record<string, unknown>, at: string[]) => {
    const shape = API.shapes[shapeName]!;
    for (const [member, ref] of Object.entries(shape.members ?? {})) {
      const memberShape = API.shapes[ref.shape]!;
      const where = [...at, member];
      const add = (constraint: string, breakIt: (input: Record<string, unknown>) => void) => cases.push({ operation, path: where, constraint, breakIt });
      // A URI member cannot be sent empty or missing: the SDK refuses before any request.
      const inUri = ref.location === 'uri';
      if (shape.required?.includes(member) && !inUri) add('required', (input) => setAt(input, where, undefined));
      if (!(member in value)) continue;
      if (memberShape.type === 'structure') {
        walk(ref.shape, value[member] as Record<string, unknown>, where);
        continue;
      }
      if (memberShape.type === 'string' && memberShape.enum) add('enum', (input) => setAt(input, where, 'NOT_A_MEMBER_OF_THE_ENUM'));
      if (memberShape.type === 'string' && memberShape.max !== undefined) add(`length ≤ ${memberShape.max}`, (input) => setAt(input, where, 'a'.repeat(memberShape.max! + 1)));
      if (memberShape.type === 'string' && (memberShape.min ?? 0) > 0 && !inUri) add(`length ≥ ${memberShape.min}`, (input) => setAt(input, where, ''));
      if (memberShape.type === 'string' && memberShape.pattern) {
        const bad = violating(memberShape);
        if (bad !== undefined) add(`pattern ${memberShape.pattern}`, (input) => setAt(input, where, bad));
      }
      if (memberShape.type === 'integer' && memberShape.max !== undefined) add(`≤ ${memberShape.max}`, (input) => setAt(input, where, memberShape.max! + 1));
      if (memberShape.type === 'integer' && memberShape.min !== undefined) add(`≥ ${memberShape.min}`, (input) => setAt(input, where, memberShape.min! - 1));
      if (memberShape.type === 'list' && memberShape.max !== undefined) {
        add(`at most ${memberShape.max} entries`, (input) => setAt(input, where, Array.from({ length: memberShape.max! + 1 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }))));
      }
    }
  };
  walk(API.operations[operation]!.input!.shape, baseline, []);
  return cases;
}

describe('local Scheduler model conforms to the official API model', function () {
  this.timeout(60_000);
  let model: SchedulerModel;
  let client: SchedulerClient;
  let n = 0;

  before(async () => {
    model = await startSchedulerModel();
    client = new SchedulerClient(model.clientConfig({ maxAttempts: 1 }));
    await client.send(new scheduler.CreateScheduleGroupCommand({ Name: 'g' }));
    await client.send(new scheduler.CreateScheduleCommand({ Name: 'existing', GroupName: 'g', ...(SCHEDULE as object) } as scheduler.CreateScheduleCommandInput));
  });
  after(async () => {
    client.destroy();
    await model.close();
  });

  /** Sends `operation` with `input` through the real SDK command of that name. */
  async function send(operation: string, input: Record<string, unknown>): Promise<unknown> {
    const Command = (scheduler as unknown as Record<string, new (input: unknown) => scheduler.GetScheduleCommand>)[`${operation}Command`]!;
    return client.send(new Command(input));
  }

  async function prepare(operation: string, i: number): Promise<Record<string, unknown>> {
    const input = structuredClone(BASELINES[operation]!(i));
    if (operation === 'DeleteSchedule') await client.send(new scheduler.CreateScheduleCommand({ Name: input.Name as string, GroupName: 'g', ...(SCHEDULE as object) } as scheduler.CreateScheduleCommandInput));
    if (operation === 'DeleteScheduleGroup') await client.send(new scheduler.CreateScheduleGroupCommand({ Name: input.Name as string }));
    return input;
  }

  for (const operation of Object.keys(BASELINES)) {
    it(`accepts the baseline ${operation} request the cases below break`, async () => {
      await send(operation, await prepare(operation, ++n));
    });

    for (const c of casesFor(operation)) {
      const key = `${operation}.${c.path.join('.')} ${c.constraint}`;
      const gap = DELIBERATE_GAPS[key];
      it(gap ? `does not enforce ${key} (deliberate: ${gap})` : `answers ValidationException naming ${c.path.at(-1)} when ${operation}.${c.path.join('.')} breaks ${c.constraint}`, async () => {
        // Prepare
        const input = await prepare(operation, ++n);
        c.breakIt(input);
        // Act
        const outcome = await send(operation, input).then(
          () => undefined,
          (error: Error & { $metadata?: { httpStatusCode?: number } }) => error,
        );
        // Assess
        if (gap) {
          expect(outcome, `${key} is listed as a deliberate gap but the model enforces it: remove it from DELIBERATE_GAPS`).to.equal(undefined);
          return;
        }
        expect(outcome, `${key} was accepted`).to.not.equal(undefined);
        expect(outcome!.name).to.equal('ValidationException');
        expect(outcome!.$metadata?.httpStatusCode).to.equal(400);
        expect(API.operations[operation]!.errors!.map((e) => e.shape)).to.include(outcome!.name);
        expect(outcome!.message.toLowerCase()).to.include(c.path.at(-1)!.toLowerCase());
      });
    }
  }

  it('generates a case for every constrained member of every served operation (the generator is not empty)', () => {
    expect(Object.keys(BASELINES).flatMap(casesFor).length).to.be.greaterThan(60);
  });
});
