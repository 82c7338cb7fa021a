/**
 * The HTTP edge of the local EventBridge endpoint: a node:http server on 127.0.0.1 (ephemeral port) that reads each
 * call's operation from X-Amz-Target, authorizes it (./authorize.ts), validates it (./validation.ts), executes it
 * (./operations.ts) and answers in AWS JSON 1.1 (./wire.ts). Another operation answers UnknownOperationException.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalAuthorizer } from '../iam/authorizer';
import { authorizeCall } from './authorize';
import { EventBridgeApiError, type EventBridgeErrorName, invalid } from './errors';
import { ERRORS_BY_OPERATION, isServed, type Operations, type Scope } from './operations';
import { validateInput } from './validation';
import { isObject, type JsonObject, readBody, send, TARGET_PREFIX } from './wire';

export interface AnsweredError {
  operation: string;
  error: EventBridgeErrorName;
}

/** What the edge serves with. */
export interface ServerParts {
  operations: Operations;
  scope: Scope;
  /** IAM in the loop when given; without it, every call is served. */
  authorizer?: LocalAuthorizer;
  /** Where every error answered is recorded, in order. */
  answered: AnsweredError[];
}

/** Serves one call; an error the operation does not list is a defect of the model, answered as one. */
async function serve(parts: ServerParts, request: IncomingMessage, text: string): Promise<{ status: number; body: JsonObject }> {
  const { operations, scope, authorizer, answered } = parts;
  const target = String(request.headers['x-amz-target'] ?? '');
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
  const answer = (error: EventBridgeApiError) => {
    const listed = isServed(operation) ? (ERRORS_BY_OPERATION[operation] as readonly string[]).includes(error.name) : error.name === 'UnknownOperationException';
    const sent = listed ? error : new EventBridgeApiError('InternalException', `Local model defect: ${operation} answered ${error.name} (${error.message}), which it does not list.`);
    answered.push({ operation, error: sent.name });
    return { status: sent.status, body: { __type: sent.name, message: sent.message } };
  };
  if (!isServed(operation)) return answer(new EventBridgeApiError('UnknownOperationException', `The local EventBridge model does not serve ${target || 'this request'}.`));
  try {
    let input: unknown = {};
    try {
      input = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      input = undefined;
    }
    if (!isObject(input)) throw invalid('The request body is not a JSON object.');
    if (authorizer) {
      const denied = await authorizeCall(authorizer, request, operation, input, operations, scope);
      if (denied) throw denied;
    }
    const invalidInput = validateInput(operation, input);
    if (invalidInput) throw invalidInput;
    return { status: 200, body: await operations.execute(operation, input) };
  } catch (error) {
    if (error instanceof EventBridgeApiError) return answer(error);
    // Anything else (an AuthorizationModelError, a bug) is the model's own failure: InternalException, not a crash.
    return answer(new EventBridgeApiError('InternalException', String(error)));
  }
}

export async function listen(parts: ServerParts): Promise<{ server: Server; endpoint: string }> {
  const server: Server = createServer((request, response) => {
    void (async () => {
      const { status, body } = await serve(parts, request, await readBody(request));
      send(response, status, body);
    })().catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { __type: 'InternalException', message: String(error) });
    });
  });
  // The SDK keeps connections alive; do not let an idle socket hold close() for the default 5 s.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${port}` };
}
