/**
 * A local model of Amazon EventBridge Scheduler: the real `@aws-sdk/client-scheduler` talks to it over HTTP
 * (`new SchedulerClient(model.clientConfig())`). No emulator exists for Scheduler; this one keeps the routes,
 * validation, errors and pagination of the API reference, and emits the CloudTrail event of every write call.
 */
import { randomUUID } from 'node:crypto';
import type { SchedulerClientConfig } from '@aws-sdk/client-scheduler';
import type { ScheduleSpec } from '../../functions/core/types';
import type { CloudTrailEventBridgeEvent } from '../cloudtrail-record';
import type { LocalAuthorizer } from '../iam/authorizer';
import { LOCAL_CREDENTIALS } from '../dynamodb';
import { authorizeSchedulerCall } from './authorize';
import { SchedulerApiError, type SchedulerErrorName } from './errors';
import { cloudTrailEventFor } from './events';
import { SchedulerOperations, WRITE_OPERATIONS, type OperationName, type WriteOperation } from './operations';
import { listen } from './server';
import { toScheduleSpec } from './spec';
import type { StoredSchedule } from './store';
import { FaultInjector, type ThrottleRule } from './throttle';

export type { CloudTrailEventBridgeEvent } from '../cloudtrail-record';
export type { ThrottleRule } from './throttle';
export type { OperationName, WriteOperation } from './operations';
export type { StoredSchedule } from './store';
export type { WireSchedule } from './validation';

export interface SchedulerModelOptions {
  /** Default `us-east-1`. */
  region?: string;
  /** Default `123456789012`. */
  accountId?: string;
  /** The clock for CreationDate, LastModificationDate and eventTime; inject one to put two calls in one second. */
  now?: () => Date;
  /** Called with the CloudTrail event of every write call served, successful or failed. */
  onEvent?: (event: CloudTrailEventBridgeEvent) => void;
  /** A token bucket per operation name (`CreateSchedule`, ...) answering ThrottlingException when empty. */
  throttle?: Record<string, ThrottleRule>;
  /** Account quotas; defaults 1,000,000 schedules and 500 groups (the default group counts). */
  quotas?: { schedules?: number; groups?: number };
  /** See OperationsOptions.groupDeletion; default `immediate`. */
  groupDeletion?: 'immediate' | 'deferred';
  /**
   * IAM in the loop: every call is authorized for the principal its access key belongs to (./authorize.ts) and
   * a denied one answers AccessDeniedException, as Scheduler does. Without it, every call is served.
   */
  authorizer?: LocalAuthorizer;
}

export interface SchedulerModel {
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  /** Calls per operation name, throttled and failed calls included. */
  readonly calls: Record<string, number>;
  /** Calls answered ThrottlingException, per operation name (a rule's bucket ran dry, or throttleNext). */
  readonly throttled: Record<string, number>;
  /** Errors thrown while building or delivering an event (the API call itself still answered). */
  readonly eventErrors: Error[];
  close(): Promise<void>;
  resetCalls(): void;
  /** The next `count` calls of `operation` answer ThrottlingException. */
  throttleNext(operation: OperationName, count: number): void;
  /** The next `count` calls of `operation` answer `error` (default InternalServerException). */
  failNext(operation: OperationName, count: number, error?: SchedulerErrorName): void;
  /**
   * A one-time `at()` schedule with ActionAfterCompletion DELETE has run: it vanishes without an API call and
   * so without a CloudTrail event (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html#scheduler-CreateSchedule-request-ActionAfterCompletion).
   * Throws when the schedule is not such a schedule.
   */
  completeOneTimeSchedule(groupName: string, name: string): void;
  /** Finishes deletions of groups left DELETING (option groupDeletion `deferred`); returns their names. */
  completeGroupDeletions(): string[];
  /**
   * Inserts or replaces schedules directly in the store the API serves, creating missing groups (dated as their
   * first schedule): no API call, no validation, no CloudTrail event. For the benchmark, which seeds 100,000
   * schedules (~80 s through HTTP) and changes schedules "behind the observer's back" with chosen dates.
   */
  seed(schedules: Iterable<StoredSchedule>): void;
  /** The truth, in (group, name) order, in the project's ScheduleSpec shape. */
  snapshot(): ScheduleSpec[];
  /**
   * Config for the real SDK client: endpoint, region, the operator's static fake credentials (LOCAL_CREDENTIALS)
   * unless overridden, maxAttempts 3 unless overridden.
   */
  clientConfig(overrides?: Partial<SchedulerClientConfig>): SchedulerClientConfig;
}

const isWrite = (operation: OperationName): operation is WriteOperation =>
  (WRITE_OPERATIONS as readonly string[]).includes(operation);

export async function startSchedulerModel(options: SchedulerModelOptions = {}): Promise<SchedulerModel> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const now = options.now ?? (() => new Date());
  const operations = new SchedulerOperations({
    region,
    accountId,
    now,
    quotas: { schedules: options.quotas?.schedules ?? 1_000_000, groups: options.quotas?.groups ?? 500 },
    groupDeletion: options.groupDeletion ?? 'immediate',
  });
  const faults = new FaultInjector(options.throttle);
  const calls: Record<string, number> = {};
  const throttled: Record<string, number> = {};
  const eventErrors: Error[] = [];

  const iamScope = {
    region,
    accountId,
    keyOf: (groupName: string, name: string) => {
      const key = operations.store.schedule(groupName, name)?.spec.KmsKeyArn;
      return typeof key === 'string' ? key : undefined;
    },
  };
  const { server, endpoint } = await listen(async (route, bodyError, request) => {
    const requestId = randomUUID();
    if (!route) return { requestId, error: new SchedulerApiError('UnknownOperationException', 'The model does not serve this route.') };
    const { operation, uriName, input } = route;
    calls[operation] = (calls[operation] ?? 0) + 1;
    const denied = options.authorizer ? await authorizeSchedulerCall(options.authorizer, request, route, iamScope) : undefined;
    const eventTime = now();
    let output: Record<string, unknown> | undefined;
    let error: SchedulerApiError | undefined;
    try {
      if (denied) throw denied;
      const injected = faults.take(operation);
      if (injected === 'ThrottlingException') throttled[operation] = (throttled[operation] ?? 0) + 1;
      if (injected) throw new SchedulerApiError(injected, injected === 'ThrottlingException' ? 'Rate exceeded' : 'Injected failure.');
      if (bodyError) throw bodyError;
      output = operations.execute(operation, uriName, input);
    } catch (caught) {
      if (!(caught instanceof SchedulerApiError)) throw caught;
      error = caught;
    }
    if (options.onEvent && isWrite(operation)) {
      try {
        options.onEvent(cloudTrailEventFor({
          operation, uriName: uriName ?? '', input, eventTime, region, accountId, requestId, output,
          ...(error ? { error: { name: error.name, message: error.message } } : {}),
        }));
      } catch (eventError) {
        eventErrors.push(eventError instanceof Error ? eventError : new Error(String(eventError)));
      }
    }
    return { requestId, output, error };
  });

  return {
    endpoint,
    region,
    accountId,
    calls,
    throttled,
    eventErrors,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
    resetCalls: () => {
      for (const key of Object.keys(calls)) delete calls[key];
      for (const key of Object.keys(throttled)) delete throttled[key];
    },
    throttleNext: (operation, count) => faults.failNext(operation, count, 'ThrottlingException'),
    failNext: (operation, count, error = 'InternalServerException') => faults.failNext(operation, count, error),
    completeOneTimeSchedule: (groupName, name) => {
      const schedule = operations.store.schedule(groupName, name);
      if (!schedule) throw new Error(`No schedule ${groupName}/${name} to complete.`);
      if (!schedule.spec.ScheduleExpression.startsWith('at(') || schedule.spec.ActionAfterCompletion !== 'DELETE') {
        throw new Error(`Schedule ${groupName}/${name} is not a one-time at() schedule with ActionAfterCompletion DELETE.`);
      }
      operations.store.removeSchedule(groupName, name);
    },
    completeGroupDeletions: () => operations.completeGroupDeletions(),
    seed: (schedules) => {
      for (const schedule of schedules) {
        const groupName = schedule.spec.GroupName;
        const group = operations.store.group(groupName) ?? operations.store.addGroup(groupName, [], schedule.creationDate);
        operations.store.putSchedule(group, schedule);
      }
    },
    snapshot: () =>
      [...operations.store.allSchedules()].map(({ group, schedule }) =>
        toScheduleSpec(group.name, operations.scheduleArn(group.name, schedule.name), schedule)),
    clientConfig: (overrides = {}) => ({
      endpoint,
      region,
      // A copy per client: the SDK writes a `$source` marker into the object it is given.
      credentials: { ...LOCAL_CREDENTIALS },
      maxAttempts: 3,
      ...overrides,
    }),
  };
}
