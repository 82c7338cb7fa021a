/**
 * Runs statemachines/reconciler.asl.json, the file that ships, on aws-local-stepfunctions with its Task
 * states bound to in-process functions (the real handlers in tests, the sandbox and the benchmark).
 *
 * Engine notes (../shared/LOCAL-ENGINES.md): it targets Node 22, so Node 20 needs Promise.withResolvers;
 * Task overrides are keyed by state name; a lambda:invoke handler receives { FunctionName, Payload } and
 * returns { Payload }, as the optimized Lambda integration does
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html).
 */
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { readDefinitionTemplate, substituteDefinition } from '../infra/asl';

// aws-local-stepfunctions 3 calls Promise.withResolvers (Node ≥ 22); give Node 20 the standard shape.
const promiseCtor = Promise as unknown as { withResolvers?: () => unknown };
if (typeof promiseCtor.withResolvers !== 'function') {
  promiseCtor.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

export const LOCAL_ARNS = {
  ScanFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:scheduler-observer-reconciler-scan',
  ReportFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:scheduler-observer-reconciler-report',
  RepairFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:scheduler-observer-reconciler-repair',
  AlertTopicArn: 'arn:aws:sns:us-east-1:123456789012:scheduler-observer-alerts',
};

/** The reconciler definition exactly as deployed, with local ARNs for its placeholders. */
export function reconcilerDefinition(): Record<string, unknown> {
  return JSON.parse(substituteDefinition(readDefinitionTemplate('reconciler.asl.json'), LOCAL_ARNS));
}

export type LambdaFunction = (payload: any) => Promise<unknown>;

export interface ReconcilerFunctions {
  scan: LambdaFunction;
  report: LambdaFunction;
  repair: LambdaFunction;
  /** sns:Publish with { TopicArn, Subject, Message }. */
  publish: (params: { TopicArn: string; Subject?: string; Message: string }) => Promise<unknown>;
}

/** Which function each Task state invokes (the FunctionName placeholder it names). */
const TASK_FUNCTIONS: Record<string, keyof Omit<ReconcilerFunctions, 'publish'>> = {
  'Start run': 'scan',
  'Find groups only in the store': 'scan',
  'Reconcile a batch of the group': 'scan',
  'Apply repairs': 'repair',
  'Write drift report': 'report',
  'Record failure': 'report',
};

export interface ExecutionRecord {
  executionName: string;
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: { name: string; message: string };
  /** States entered: what Step Functions Standard bills as state transitions. */
  stateTransitions: number;
  /** History events of the execution (states entered and exited, task events), to compare with the 25,000 limit. */
  historyEvents: number;
  /** Largest JSON payload seen passing into or out of a state, in bytes. */
  peakPayloadBytes: number;
  invocations: Record<string, number>;
}

/**
 * IAM in the loop for the state machine's own calls, made with its execution role: whether that role may perform
 * `action` on `resource` (lambda:InvokeFunction on a function, sns:Publish on the topic, the topic key's
 * kms:GenerateDataKey/kms:Decrypt through SNS).
 */
export type StateMachineAuthorize = (action: string, resource: string, context?: Record<string, string>) => Promise<boolean>;

/** An error the way Step Functions reports a failed service call to the state's Retry and Catch. */
function taskError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** An event of aws-local-stepfunctions' execution log (StateEntered, StateExited, MapIterationStarted, ...). */
interface EngineEvent {
  type: string;
  state?: { type?: string };
}

/**
 * How many events Step Functions writes to a Standard execution's history for one engine event
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html): a Lambda Task state
 * writes TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded and TaskStateExited (five), a Choice two,
 * a Map MapStateEntered, MapStateStarted, MapStateSucceeded and MapStateExited plus two per iteration
 * (MapIterationStarted, MapIterationSucceeded), the execution ExecutionStarted and ExecutionSucceeded. A retried
 * Task writes TaskFailed, TaskScheduled and TaskStarted again; a failed one TaskFailed.
 */
export function awsHistoryEvents(event: EngineEvent): number {
  const task = event.state?.type === 'Task';
  const map = event.state?.type === 'Map';
  switch (event.type) {
    case 'StateEntered':
      return task ? 3 : map ? 2 : 1;
    case 'StateExited':
      return task ? 2 : map ? 2 : 1;
    case 'StateRetried':
      return 3;
    case 'StateFailed':
    case 'StateCaught':
      return task ? 1 : 0;
    default:
      // ExecutionStarted/Succeeded/Failed, MapIterationStarted/Succeeded/Failed.
      return 1;
  }
}

export async function runReconcilerExecution(
  input: unknown,
  functions: ReconcilerFunctions,
  options: { executionName?: string; startTime?: Date; retryWaitMs?: number; authorize?: StateMachineAuthorize; topicKeyArn?: string } = {},
): Promise<ExecutionRecord> {
  const executionName = options.executionName ?? randomUUID();
  const invocations: Record<string, number> = {};
  let peakPayloadBytes = 0;
  const measure = (value: unknown) => {
    peakPayloadBytes = Math.max(peakPayloadBytes, Buffer.byteLength(JSON.stringify(value ?? null)));
  };

  const handlers: Record<string, (request: any) => Promise<unknown>> = {};
  for (const [stateName, fn] of Object.entries(TASK_FUNCTIONS)) {
    handlers[stateName] = async (request: { FunctionName: string; Payload: unknown }) => {
      if (options.authorize && !(await options.authorize('lambda:InvokeFunction', request.FunctionName))) {
        // As the lambda:invoke integration reports Lambda's 403 (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html).
        throw taskError('Lambda.AWSLambdaException', `The state machine's role is not authorized to perform: lambda:InvokeFunction on resource: ${request.FunctionName} (Service: Lambda, Status Code: 403, Error Code: AccessDeniedException)`);
      }
      invocations[fn] = (invocations[fn] ?? 0) + 1;
      measure(request.Payload);
      const Payload = await functions[fn](request.Payload);
      measure(Payload);
      return { Payload, StatusCode: 200, ExecutedVersion: '$LATEST' };
    };
  }
  handlers['Notify drift'] = async (params: { TopicArn: string; Subject?: string; Message: string }) => {
    if (options.authorize) {
      // sns:Publish on the topic, then the topic's customer managed key through SNS
      // (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse).
      if (!(await options.authorize('sns:Publish', params.TopicArn))) {
        throw taskError('SNS.AuthorizationErrorException', `The state machine's role is not authorized to perform: sns:Publish on resource: ${params.TopicArn}`);
      }
      if (options.topicKeyArn) {
        const viaSns = { 'kms:ViaService': `sns.${params.TopicArn.split(':')[3]}.amazonaws.com` };
        for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
          if (!(await options.authorize(action, options.topicKeyArn, viaSns))) {
            throw taskError('SNS.KMSAccessDeniedException', `The state machine's role is not authorized to perform: ${action} on the topic's key ${options.topicKeyArn}`);
          }
        }
      }
    }
    invocations.publish = (invocations.publish ?? 0) + 1;
    return functions.publish(params);
  };

  const retryIntervalOverrides: Record<string, number> = {};
  for (const stateName of [...Object.keys(TASK_FUNCTIONS), 'Notify drift']) retryIntervalOverrides[stateName] = options.retryWaitMs ?? 0;

  const machine = new StateMachine(reconcilerDefinition() as any, { validationOptions: { checkArn: true, checkPaths: true } });
  const execution = machine.run(input as any, {
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides },
    context: {
      Execution: {
        Id: `arn:aws:states:us-east-1:123456789012:execution:scheduler-observer-reconciler:${executionName}`,
        Name: executionName,
        Input: input,
        StartTime: (options.startTime ?? new Date()).toISOString(),
      },
    },
  } as any);

  let stateTransitions = 0;
  let historyEvents = 0;
  const counting = (async () => {
    for await (const event of execution.eventLogs as AsyncGenerator<EngineEvent>) {
      historyEvents += awsHistoryEvents(event);
      if (event.type === 'StateEntered') stateTransitions++;
    }
  })();

  try {
    const output = await execution.result;
    await counting;
    measure(output);
    return { executionName, status: 'SUCCEEDED', output, stateTransitions, historyEvents, peakPayloadBytes, invocations };
  } catch (error) {
    await counting.catch(() => undefined);
    // The engine wraps the Fail state's error (Error / Cause) as `cause` of an ExecutionError.
    const e = error as Error & { cause?: Error };
    const failure = e.cause ?? e;
    return { executionName, status: 'FAILED', error: { name: failure.name, message: failure.message }, stateTransitions, historyEvents, peakPayloadBytes, invocations };
  }
}
