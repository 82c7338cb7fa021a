/**
 * The local Scheduler model without its HTTP server, for property runs (≥ 1,000 histories per property; the
 * HTTP round trips would cost ~30 ms per history).
 *
 * Stands for: local/scheduler (startSchedulerModel). The semantics are the model's own `SchedulerOperations`
 * (local/scheduler/operations.ts, the very object the HTTP server calls), and the CloudTrail event of every
 * write call is built by the model's own `cloudTrailEventFor`, exactly as local/scheduler/index.ts does. What is
 * replaced is only the transport: `client()` is a real `SchedulerClient` whose middleware stack answers at the
 * initialize step from `SchedulerOperations.execute`, with the wire JSON turned into the shapes the SDK's
 * deserializer returns (epoch-second dates → Date). So the real adapters (functions/adapters/scheduler.ts:
 * ScheduleReader, SchedulerLister, their ResourceNotFoundException → null mapping and the paginator) run
 * unchanged on it. test/property/stand-ins.test.ts proves both transports answer the same for the same calls;
 * test/local/scheduler-model.test.ts proves the model against the API reference.
 */
import { randomUUID } from 'node:crypto';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SchedulerLister } from '../../../functions/adapters/scheduler';
import type { ScheduleSpec } from '../../../functions/core/types';
import type { CloudTrailEventBridgeEvent } from '../../../local/cloudtrail-record';
import { SchedulerApiError } from '../../../local/scheduler/errors';
import { cloudTrailEventFor } from '../../../local/scheduler/events';
import { SchedulerOperations, type JsonObject, type OperationName, type WriteOperation } from '../../../local/scheduler/operations';
import { toScheduleSpec } from '../../../local/scheduler/spec';

const REGION = 'us-east-1';
const ACCOUNT_ID = '123456789012';

/** Command class name → the operation the model serves and how its input maps to (uriName, input by member name). */
const COMMANDS: Record<string, { operation: OperationName; uriName: (input: JsonObject) => string | undefined }> = {
  GetScheduleCommand: { operation: 'GetSchedule', uriName: (input) => input.Name as string },
  GetScheduleGroupCommand: { operation: 'GetScheduleGroup', uriName: (input) => input.Name as string },
  ListSchedulesCommand: { operation: 'ListSchedules', uriName: () => undefined },
  ListScheduleGroupsCommand: { operation: 'ListScheduleGroups', uriName: () => undefined },
};

/** Members of type timestamp in the Scheduler Smithy model: the SDK turns their epoch seconds into Dates. */
const TIMESTAMPS = new Set(['CreationDate', 'LastModificationDate', 'StartDate', 'EndDate']);

/** The wire JSON (what the HTTP server would send) as the SDK's deserializer returns it. */
function asSdkOutput(wire: JsonObject): JsonObject {
  return JSON.parse(JSON.stringify(wire), (key, value: unknown) =>
    TIMESTAMPS.has(key) && typeof value === 'number' ? new Date(Math.round(value * 1000)) : value) as JsonObject;
}

export interface WriteCallResult {
  output?: JsonObject;
  error?: SchedulerApiError;
}

export class InProcessScheduler {
  readonly operations: SchedulerOperations;
  /** Calls per operation name, as SchedulerModel.calls counts them. */
  readonly calls: Record<string, number> = {};

  constructor(
    private readonly clock: { now(): Date },
    private readonly onEvent: (event: CloudTrailEventBridgeEvent) => void,
    options: { groupDeletion?: 'immediate' | 'deferred' } = {},
  ) {
    this.operations = new SchedulerOperations({
      region: REGION,
      accountId: ACCOUNT_ID,
      now: () => clock.now(),
      quotas: { schedules: 1_000_000, groups: 500 },
      groupDeletion: options.groupDeletion ?? 'immediate',
    });
  }

  /** One write call, served and recorded by CloudTrail as local/scheduler/index.ts does for the HTTP route. */
  write(operation: WriteOperation, uriName: string, input: JsonObject): WriteCallResult {
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
    const requestId = randomUUID();
    const eventTime = this.clock.now();
    let output: JsonObject | undefined;
    let error: SchedulerApiError | undefined;
    try {
      output = this.operations.execute(operation, uriName, input);
    } catch (caught) {
      if (!(caught instanceof SchedulerApiError)) throw caught;
      error = caught;
    }
    this.onEvent(cloudTrailEventFor({
      operation, uriName, input, eventTime, region: REGION, accountId: ACCOUNT_ID, requestId, output,
      ...(error ? { error: { name: error.name, message: error.message } } : {}),
    }));
    return { ...(output ? { output } : {}), ...(error ? { error } : {}) };
  }

  /** SchedulerModel.completeOneTimeSchedule: the schedule ran and removed itself, no API call, no event. */
  completeOneTimeSchedule(groupName: string, name: string): void {
    const schedule = this.operations.store.schedule(groupName, name);
    if (!schedule) throw new Error(`No schedule ${groupName}/${name} to complete.`);
    if (!schedule.spec.ScheduleExpression.startsWith('at(') || schedule.spec.ActionAfterCompletion !== 'DELETE') {
      throw new Error(`Schedule ${groupName}/${name} is not a one-time at() schedule with ActionAfterCompletion DELETE.`);
    }
    this.operations.store.removeSchedule(groupName, name);
  }

  /** SchedulerModel.snapshot: the truth in (group, name) order, in the project's ScheduleSpec shape. */
  snapshot(): ScheduleSpec[] {
    return [...this.operations.store.allSchedules()].map(({ group, schedule }) =>
      toScheduleSpec(group.name, this.operations.scheduleArn(group.name, schedule.name), schedule));
  }

  /** A real SchedulerClient served in process (read operations only: the observer and reconciler only read). */
  client(): SchedulerClient {
    const client = new SchedulerClient({
      region: REGION,
      credentials: { accessKeyId: 'AKIDINPROCESS', secretAccessKey: 'in-process-scheduler' },
    });
    client.middlewareStack.add(
      (_next, context) => async (args) => {
        const command = COMMANDS[context.commandName ?? ''];
        if (!command) throw new Error(`The in-process Scheduler does not serve ${context.commandName}.`);
        this.calls[command.operation] = (this.calls[command.operation] ?? 0) + 1;
        const input = { ...(args.input as JsonObject) };
        const output = this.operations.execute(command.operation, command.uriName(input), input);
        return { output: { ...asSdkOutput(output), $metadata: { httpStatusCode: 200 } }, response: {} };
      },
      { step: 'initialize', name: 'inProcessScheduler', priority: 'high' },
    );
    return client;
  }

  /** The reconciler's and the monitor's reads, through the real adapter. */
  lister(): SchedulerLister {
    return new SchedulerLister(this.client());
  }
}
