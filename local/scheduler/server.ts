/**
 * The HTTP edge of the model: a node:http server on 127.0.0.1 (ephemeral port) speaking REST-JSON. Errors go
 * out the way the SDK's REST-JSON protocol reads them: the `x-amzn-errortype` header names the error and the
 * body is `{"message": ...}` (https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html#operation-error-serialization).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SchedulerApiError } from './errors';
import type { JsonObject } from './operations';
import { resolveRoute, type ResolvedRoute } from './routes';

export interface Reply {
  requestId: string;
  output?: JsonObject;
  error?: SchedulerApiError;
}

/** Serves one call; `route` is undefined for a path or method the model does not serve. */
export type CallHandler = (route: ResolvedRoute | undefined, bodyError: SchedulerApiError | undefined, request: IncomingMessage) => Reply | Promise<Reply>;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonObject(text: string): JsonObject | SchedulerApiError {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as JsonObject;
  } catch {
    // answered below
  }
  return new SchedulerApiError('ValidationException', 'The request body is not a JSON object.');
}

function send(response: ServerResponse, reply: Reply): void {
  const status = reply.error ? reply.error.status : 200;
  const body = JSON.stringify(reply.error ? { message: reply.error.message } : (reply.output ?? {}));
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': reply.requestId,
    ...(reply.error ? { 'x-amzn-errortype': reply.error.name } : {}),
  });
  response.end(body);
}

export async function listen(handle: CallHandler): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((request, response) => {
    void (async () => {
      const text = await readBody(request);
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const route = resolveRoute(request.method ?? 'GET', url);
      let bodyError: SchedulerApiError | undefined;
      if (route?.body) {
        const parsed = parseJsonObject(text);
        if (parsed instanceof SchedulerApiError) bodyError = parsed;
        else route.input = { ...parsed, ...route.input };
      }
      send(response, await handle(route, bodyError, request));
    })().catch((error: unknown) => {
      if (!response.headersSent) {
        send(response, { requestId: 'internal', error: new SchedulerApiError('InternalServerException', String(error)) });
      }
    });
  });
  // The SDK keeps connections alive; do not let an idle socket hold close() for the default 5 s.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${port}` };
}
