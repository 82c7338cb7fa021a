/**
 * The HTTP edge: a node:http server on 127.0.0.1 (ephemeral port). Errors go out as S3's REST error document
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses); a HEAD error has no
 * body, as in S3, so the SDK names it after the status (`NotFound` for 404).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorizeAbsence, authorizeRoute, callerOf, type S3Authorization } from './authorize';
import { S3ApiError } from './errors';
import type { Reply, S3Operations } from './operations';
import { resolveRoute } from './routes';
import { xmlDocument } from './xml';

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** S3 refuses anonymous requests to a private bucket; the model checks a SigV4 header is present, not its signature. */
function checkSigned(request: IncomingMessage): void {
  if (!request.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ')) {
    throw new S3ApiError('AccessDenied', 'Access Denied (the local S3 model serves SigV4-signed requests only).');
  }
}

function errorReply(error: S3ApiError, resource: string, requestId: string, hostId: string): Reply {
  const body = xmlDocument('Error', { Code: error.name, Message: error.message, ...error.details, Resource: resource, RequestId: requestId, HostId: hostId });
  return { status: error.status, headers: { 'content-type': 'application/xml' }, body };
}

function send(request: IncomingMessage, response: ServerResponse, reply: Reply, ids: { requestId: string; hostId: string }): void {
  const body = request.method === 'HEAD' ? undefined : reply.body;
  const headers: Record<string, string | number> = { 'x-amz-request-id': ids.requestId, 'x-amz-id-2': ids.hostId, server: 'AmazonS3', ...reply.headers };
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
  else if (request.method !== 'HEAD') headers['content-length'] = 0;
  response.writeHead(reply.status, headers);
  response.end(body);
}

/**
 * Serves one routed request. With an authorization, the caller (from the SigV4 access key) must be known and
 * allowed the operation; a GetObject or HeadObject of a missing key answers NoSuchKey only to a caller that may
 * list the bucket, AccessDenied to anyone else (see ./authorize.ts).
 */
async function serve(operations: S3Operations, request: IncomingMessage, body: Buffer, authorization: S3Authorization | undefined): Promise<Reply> {
  const route = resolveRoute(request.method ?? 'GET', request.url ?? '/', request.headers);
  if (!authorization) return operations.serve({ route, headers: request.headers, body });
  const caller = callerOf(request.headers, authorization);
  await authorizeRoute(caller, route, authorization);
  try {
    return operations.serve({ route, headers: request.headers, body });
  } catch (error) {
    if (error instanceof S3ApiError && error.name === 'NoSuchKey' && (route.operation === 'GetObject' || route.operation === 'HeadObject')) {
      await authorizeAbsence(caller, route.bucket, authorization);
    }
    throw error;
  }
}

/** `authorization`: decide every request with IAM before serving it (returns undefined: every signed request is served). */
export async function listen(operations: S3Operations, authorization: () => S3Authorization | undefined = () => undefined): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((request, response) => {
    const ids = { requestId: randomBytes(8).toString('hex').toUpperCase(), hostId: randomBytes(32).toString('base64') };
    const rawUrl = request.url ?? '/';
    void (async () => {
      const body = await readBody(request);
      let reply: Reply;
      try {
        checkSigned(request);
        reply = await serve(operations, request, body, authorization());
      } catch (error) {
        // Anything else, an AuthorizationModelError included, is a defect of the model: InternalError, not a crash.
        const s3Error = error instanceof S3ApiError ? error : new S3ApiError('InternalError', String(error));
        reply = errorReply(s3Error, rawUrl.split('?')[0]!, ids.requestId, ids.hostId);
      }
      send(request, response, reply, ids);
    })().catch((error: unknown) => {
      if (!response.headersSent) send(request, response, errorReply(new S3ApiError('InternalError', String(error)), rawUrl, ids.requestId, ids.hostId), ids);
    });
  });
  // The SDK keeps connections alive; do not let an idle socket hold close() for the default 5 s.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${port}` };
}
