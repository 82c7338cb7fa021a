/**
 * The one Pulumi mocks module of the test suite (mocks are global per process: the last setMocks wins).
 * Records every resource the program registers, answers the few invokes the program makes, and throws on any
 * other invoke so that a new data source cannot slip into the program untested.
 * Pattern: pulumi/examples testing-unit-ts, https://www.pulumi.com/docs/iac/guides/testing/unit/
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';

export const PROJECT = 'scheduler-observer';
export const STACK = 'dev';
export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';

export interface CreatedResource {
  type: string;
  name: string;
  /** Inputs as the program passed them, resolved (JSON strings stay strings). */
  inputs: Record<string, any>;
  custom: boolean;
}

/** Every resource registered by the last loaded program, in registration order. */
export const registry: CreatedResource[] = [];
/** Every invoke token the last loaded program called. */
export const invokes: string[] = [];

const INVOKES: Record<string, Record<string, string>> = {
  'aws:index/getCallerIdentity:getCallerIdentity': {
    accountId: ACCOUNT_ID,
    arn: `arn:aws:iam::${ACCOUNT_ID}:user/test`,
    id: ACCOUNT_ID,
    userId: 'AIDATEST',
  },
  'aws:index/getRegion:getRegion': { region: REGION, name: REGION, id: REGION, endpoint: `ec2.${REGION}.amazonaws.com`, description: 'US East (N. Virginia)' },
  'aws:index/getPartition:getPartition': { partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws', reverseDnsPrefix: 'com.amazonaws' },
  // GetRandomPassword's shape: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html
  'aws:secretsmanager/getRandomPassword:getRandomPassword': { randomPassword: 'MockRandomPassword0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ', id: 'random' },
};

/** The key id the mocks give a KMS key: a stable UUID-shaped sha256 of its logical name. */
export function mockKeyId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join('-');
}

/** Plausible physical identity for a resource: its id and the attributes other resources read from it. */
function physical(type: string, name: string, inputs: Record<string, any>): { id: string; state: Record<string, any> } {
  const physicalName: string = inputs.name ?? name;
  const regional = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${resource}`;
  switch (type) {
    case 'aws:sqs/queue:Queue': {
      const url = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/${physicalName}`;
      return { id: url, state: { arn: regional('sqs', physicalName), url, name: physicalName } };
    }
    case 'aws:dynamodb/table:Table':
      return { id: physicalName, state: { arn: regional('dynamodb', `table/${physicalName}`), name: physicalName } };
    case 'aws:lambda/function:Function':
      return { id: physicalName, state: { arn: regional('lambda', `function:${physicalName}`), name: physicalName } };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { id: physicalName, state: { arn: regional('logs', `log-group:${physicalName}`), name: physicalName } };
    case 'aws:cloudwatch/eventRule:EventRule':
      return { id: physicalName, state: { arn: regional('events', `rule/${physicalName}`), name: physicalName } };
    case 'aws:iam/role:Role':
      return { id: physicalName, state: { arn: `arn:aws:iam::${ACCOUNT_ID}:role/${physicalName}`, name: physicalName } };
    case 'aws:s3/bucket:Bucket':
      return { id: physicalName, state: { arn: `arn:aws:s3:::${physicalName}`, bucket: physicalName } };
    case 'aws:cloudtrail/trail:Trail':
      return { id: physicalName, state: { arn: regional('cloudtrail', `trail/${physicalName}`), name: physicalName } };
    case 'aws:sfn/stateMachine:StateMachine': {
      const arn = regional('states', `stateMachine:${physicalName}`);
      return { id: arn, state: { arn, name: physicalName } };
    }
    case 'aws:sns/topic:Topic':
      return { id: regional('sns', physicalName), state: { arn: regional('sns', physicalName), name: physicalName } };
    case 'aws:kms/key:Key': {
      const keyId = mockKeyId(name);
      return { id: keyId, state: { arn: regional('kms', `key/${keyId}`), keyId } };
    }
    case 'aws:secretsmanager/secret:Secret':
      return { id: regional('secretsmanager', `secret:${name}-AbCdEf`), state: { arn: regional('secretsmanager', `secret:${name}-AbCdEf`) } };
    case 'aws:scheduler/scheduleGroup:ScheduleGroup':
      return { id: physicalName, state: { arn: regional('scheduler', `schedule-group/${physicalName}`), name: physicalName } };
    case 'aws:scheduler/schedule:Schedule': {
      const group: string = inputs.groupName ?? 'default';
      return { id: `${group}/${physicalName}`, state: { arn: regional('scheduler', `schedule/${group}/${physicalName}`), name: physicalName } };
    }
    default: {
      const service = type.split(':')[1]?.split('/')[0] ?? 'unknown';
      return { id: `${name}-id`, state: { arn: regional(service, name) } };
    }
  }
}

const mocks: pulumi.runtime.Mocks = {
  newResource(args) {
    registry.push({ type: args.type, name: args.name, inputs: args.inputs, custom: args.custom ?? true });
    const { id, state } = physical(args.type, args.name, args.inputs);
    return { id, state: { ...args.inputs, ...state } };
  },
  call(args) {
    invokes.push(args.token);
    const result = INVOKES[args.token];
    if (!result) {
      const message = `unmocked invoke ${args.token}: add it to test/support/pulumi-mocks.ts`;
      // The SDK rebuilds invoke errors from a gRPC error's `details`; without it the message is lost.
      throw Object.assign(new Error(message), { details: message });
    }
    return result;
  },
};

export interface LoadedProgram {
  /** The program's stack exports (index.ts). */
  outputs: Record<string, unknown>;
  resources: CreatedResource[];
}

const PROGRAM = path.resolve(__dirname, '..', '..', 'index.ts');

/**
 * Runs index.ts once with the given `scheduler-observer:*` config (keys without the project prefix) and waits
 * until every resource is registered. Each call starts from an empty registry.
 */
export async function loadProgram(config: Record<string, string> = {}, options: { stack?: string } = {}): Promise<LoadedProgram> {
  registry.length = 0;
  invokes.length = 0;
  await pulumi.runtime.setMocks(mocks, PROJECT, options.stack ?? STACK, false);
  pulumi.runtime.setAllConfig({
    'aws:region': REGION,
    ...Object.fromEntries(Object.entries(config).map(([key, value]) => [`${PROJECT}:${key}`, value])),
  });
  delete require.cache[require.resolve(PROGRAM)];
  const outputs = require(PROGRAM) as Record<string, unknown>;
  // Drains every pending registration and apply; the next loadProgram installs a fresh mock monitor.
  await pulumi.runtime.disconnect();
  return { outputs, resources: [...registry] };
}

/** Resolves an Output (or a plain value) in a test. */
export function outputOf<T>(output: pulumi.Input<T> | undefined): Promise<T | undefined> {
  return new Promise((resolve) => pulumi.output(output).apply((value) => resolve(value as T | undefined)));
}

export function ofType(resources: readonly CreatedResource[], type: string): CreatedResource[] {
  return resources.filter((r) => r.type === type);
}

export function oneOfType(resources: readonly CreatedResource[], type: string, nameSuffix = ''): CreatedResource {
  const matches = ofType(resources, type).filter((r) => r.name.endsWith(nameSuffix));
  if (matches.length !== 1) {
    throw new Error(`expected one ${type}${nameSuffix ? ` named *${nameSuffix}` : ''}, found ${matches.length}`);
  }
  return matches[0]!;
}
