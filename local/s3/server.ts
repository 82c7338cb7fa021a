/**
 * The HTTP edge: a node:http server on 127.0.0.1 (ephemeral port). Errors go out as S3's REST error document
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses); a HEAD error has no
 * body, as in S3, so the SDK names it after the status (`NotFound` for 404).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

export async function listen(operations: S3Operations): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((request, response) => {
    const ids = { requestId: randomBytes(8).toString('hex').toUpperCase(), hostId: randomBytes(32).toString('base64') };
    const rawUrl = request.url ?? '/';
    void (async () => {
      const body = await readBody(request);
      let reply: Reply;
      try {
        checkSigned(request);
        const route = resolveRoute(request.method ?? 'GET', rawUrl, request.headers);
        reply = operations.serve({ route, headers: request.headers, body });
      } catch (error) {
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
