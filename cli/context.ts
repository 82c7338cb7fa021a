/**
 * What a command runs with: where it writes, its environment, the stack it acts on, and the AWS clients
 * (created on first use from the standard SDK credential and region chain, or injected by tests).
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StackSettings } from './stack';

export interface Output {
  write(text: string): unknown;
  /** Progress lines are redrawn in place only on a terminal. */
  isTTY?: boolean;
}

export interface Clients {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  sfn: SFNClient;
  scheduler: SchedulerClient;
  cloudtrail: CloudTrailClient;
  eventbridge: EventBridgeClient;
  sqs: SQSClient;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  stdout?: Output;
  stderr?: Output;
  /** Clients to use instead of creating them (tests point them at the local engines or mocks). */
  clients?: Partial<Clients>;
  /** The clock (audit ages, reconcile elapsed time). */
  now?: () => Date;
  /** How `reconcile --wait` waits between polls. */
  sleep?: (ms: number) => Promise<void>;
}

export interface Context {
  env: NodeJS.ProcessEnv;
  stdout: Output;
  stderr: Output;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  stack: StackSettings;
  clients: Clients;
}

/** Creates each client on first use, so a command that needs only S3 never builds (or fails on) the others. */
export function lazyClients(injected: Partial<Clients>, config: { region?: string; profile?: string }, created: Array<{ destroy(): void }>): Clients {
  const base = {
    ...(config.region === undefined ? {} : { region: config.region }),
    ...(config.profile === undefined ? {} : { profile: config.profile }),
  };
  const make = <T extends { destroy(): void }>(build: () => T): T => {
    const client = build();
    created.push(client);
    return client;
  };
  const factories: { [K in keyof Clients]: () => Clients[K] } = {
    s3: () => make(() => new S3Client(base)),
    dynamo: () => {
      const raw = make(() => new DynamoDBClient(base));
      return DynamoDBDocumentClient.from(raw);
    },
    sfn: () => make(() => new SFNClient(base)),
    scheduler: () => make(() => new SchedulerClient(base)),
    cloudtrail: () => make(() => new CloudTrailClient(base)),
    eventbridge: () => make(() => new EventBridgeClient(base)),
    sqs: () => make(() => new SQSClient(base)),
  };
  const cache: Partial<Clients> = { ...injected };
  const clients = {} as Clients;
  for (const key of Object.keys(factories) as (keyof Clients)[]) {
    Object.defineProperty(clients, key, {
      enumerable: true,
      get: () => (cache[key] ??= factories[key]() as never),
    });
  }
  return clients;
}
