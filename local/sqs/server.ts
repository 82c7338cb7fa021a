/**
 * The HTTP edge: a node:http server on 127.0.0.1 (ephemeral port) speaking the AWS JSON 1.0 protocol as
 * @aws-sdk/client-sqs sends it (https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html): every request is a
 * `POST /` whose `X-Amz-Target: AmazonSQS.<Operation>` names the operation, with an
 * `application/x-amz-json-1.0` body of the operation's input (the SDK also sends `x-amzn-query-mode: true`, asking
 * for the query-compatible error code). Answers: 200 with the output as JSON, or an error as ./errors.ts describes.
 *
 * Order of checks, as a request meets them in SQS: the operation (InvalidAction, UnsupportedOperation), the
 * caller (with IAM: MissingAuthenticationToken, InvalidClientTokenId), the queue the request names (MissingParameter,
 * InvalidAddress), IAM's decision on it (AccessDenied), then the operation's own validation and work.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorizeCall, type SqsAuthorization } from './authorize';
import { SqsApiError } from './errors';
import { isServed, OPERATION_ERRORS, SQS_API_OPERATIONS, type Output, type SqsOperations } from './operations';
import { isObject, type JsonObject } from './wire';

const TARGET_PREFIX = 'AmazonSQS.';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseInput(text: string): JsonObject {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  // SQS answers coral's SerializationException here; the SDK cannot send such a body (see ./wire.ts).
  if (!isObject(parsed)) throw new SqsApiError('InvalidParameterValue', 'The request body is not a JSON object.');
  return parsed;
}

function send(response: ServerResponse, requestId: string, status: number, body: Output, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    ...headers,
  });
  response.end(text);
}

function sendError(response: ServerResponse, requestId: string, error: SqsApiError): void {
  const { spec } = error;
  send(response, requestId, spec.status, { __type: spec.type, message: error.message }, { 'x-amzn-query-error': `${spec.queryCode};Sender` });
}

/** Serves one request; returns the output of a served operation, throws an SqsApiError otherwise. */
async function serve(operations: SqsOperations, request: IncomingMessage, text: string, authorization: SqsAuthorization | undefined): Promise<Output> {
  const target = request.headers['x-amz-target'];
  const operation = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  if (operation === undefined || !(SQS_API_OPERATIONS as readonly string[]).includes(operation)) {
    throw new SqsApiError('InvalidAction', `The action ${operation ?? String(target)} is not valid for this endpoint.`);
  }
  if (!isServed(operation)) {
    throw new SqsApiError('UnsupportedOperation', `The local SQS model does not serve ${operation}; it serves ${Object.keys(OPERATION_ERRORS).join(', ')}.`);
  }
  try {
    const input = parseInput(text);
    if (authorization) await authorizeCall(authorization, request.headers, operation, operations.queueArnOf(operation, input));
    return operations.execute(operation, input);
  } catch (error) {
    if (!(error instanceof SqsApiError)) throw error;
    // A defect check: every error an operation answers must be one its table lists (and the tests check that table
    // against the API model), so an unlisted one is answered as the model's own failure, never silently.
    if (!OPERATION_ERRORS[operation].request.includes(error.name)) {
      throw new SqsApiError('InternalFailure', `Model defect: ${operation} answered ${error.name} (${error.message}), which OPERATION_ERRORS does not list for it.`);
    }
    throw error;
  }
}

/** `authorization()` is read per request: IAM can be put in or taken out while the endpoint runs. */
export async function listen(operations: SqsOperations, authorization: () => SqsAuthorization | undefined): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((request, response) => {
    const requestId = randomUUID();
    void (async () => {
      const text = await readBody(request);
      try {
        send(response, requestId, 200, await serve(operations, request, text, authorization()));
      } catch (error) {
        // Anything else, an AuthorizationModelError included, is a defect of the model: InternalFailure, not a crash.
        sendError(response, requestId, error instanceof SqsApiError ? error : new SqsApiError('InternalFailure', String(error)));
      }
    })().catch((error: unknown) => {
      if (!response.headersSent) sendError(response, requestId, new SqsApiError('InternalFailure', String(error)));
    });
  });
  // The SDK keeps connections alive; do not let an idle socket hold close() for the default 5 s.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${port}` };
}
