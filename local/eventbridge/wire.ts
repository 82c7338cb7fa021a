/**
 * AWS JSON 1.1 on the wire (https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html), as
 * `@aws-sdk/client-eventbridge` speaks it (node_modules/@aws-sdk/client-eventbridge/dist-cjs/index.js,
 * AwsJson1_1Protocol with serviceTarget AWSEvents): every call is `POST /` with `X-Amz-Target: AWSEvents.<Operation>`
 * and `Content-Type: application/x-amz-json-1.1`; timestamps travel as epoch seconds; an error is
 * `{"__type": "<Name>", "message": ...}`, the SDK taking the name from `__type` (@smithy/core loadJsonRpcErrorCode).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

export const TARGET_PREFIX = 'AWSEvents.';

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function send(response: ServerResponse, status: number, body: JsonObject): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
}
