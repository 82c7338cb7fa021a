/**
 * Path-style REST routes (`/{bucket}` and `/{bucket}/{key}`, https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html#path-style-access)
 * to the six operations the model serves. Everything else — other operations, sub-resources (`?acl`,
 * `?uploads`, `?versionId=`), and headers that change what an operation does (Range, conditional requests,
 * copy, SSE-KMS and SSE-C, tagging, object lock, MFA delete, object ownership, website redirects) — is answered
 * NotImplemented instead of being silently ignored.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { S3ApiError, notImplemented } from './errors';

export type Operation = 'CreateBucket' | 'ListObjectsV2' | 'PutObject' | 'GetObject' | 'HeadObject' | 'DeleteObject';

export interface Route {
  operation: Operation;
  bucket: string;
  /** '' for bucket operations. */
  key: string;
  query: Map<string, string>;
}

const OBJECT_OPERATIONS: Record<string, Operation> = { PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' };

/**
 * Names ending in `-` are prefixes. Each header is one of the request members of the six operations in the official
 * API model (s3.service-2.json) that the model does not serve; test/local/s3-conformance.test.ts sends every member
 * of every served operation and fails on one that is neither served nor refused here.
 */
const UNSERVED_HEADERS = [
  'range',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  // Conditional DeleteObject (API_DeleteObject.html): refused like If-Match, not ignored.
  'x-amz-if-match-last-modified-time',
  'x-amz-if-match-size',
  'x-amz-copy-source',
  'x-amz-tagging',
  'x-amz-acl',
  'x-amz-grant-',
  // SSE-S3 (the default) is what the model does; SSE-KMS and SSE-C headers are all `x-amz-server-side-encryption-*`.
  'x-amz-server-side-encryption',
  'x-amz-server-side-encryption-',
  'x-amz-object-lock-',
  'x-amz-bucket-object-lock-enabled',
  'x-amz-bypass-governance-retention',
  'x-amz-mfa',
  'x-amz-object-ownership',
  'x-amz-bucket-namespace',
  'x-amz-website-redirect-location',
  'x-amz-optional-object-attributes',
  'x-amz-request-payer',
  'x-amz-expected-bucket-owner',
  'x-amz-write-offset-bytes',
];

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new S3ApiError('InvalidArgument', `The request path or query is not valid percent-encoding: ${text}`);
  }
}

/** Splits on `&` and the first `=` and percent-decodes; no WHATWG normalisation, so keys like `a/../b` survive. */
export function parseQuery(search: string): Map<string, string> {
  const query = new Map<string, string>();
  for (const part of search.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    query.set(decode(equals < 0 ? part : part.slice(0, equals)), equals < 0 ? '' : decode(part.slice(equals + 1)));
  }
  return query;
}

function rejectUnservedHeaders(headers: IncomingHttpHeaders): void {
  for (const name of Object.keys(headers)) {
    if (UNSERVED_HEADERS.some((unserved) => (unserved.endsWith('-') ? name.startsWith(unserved) : name === unserved))) {
      throw notImplemented(`the '${name}' header`);
    }
  }
}

function rejectQuery(query: Map<string, string>, operation: string): void {
  for (const name of query.keys()) if (name !== 'x-id') throw notImplemented(`'${name}' on ${operation}`);
}

export function resolveRoute(method: string, rawUrl: string, headers: IncomingHttpHeaders): Route {
  const queryStart = rawUrl.indexOf('?');
  const path = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
  const query = parseQuery(queryStart < 0 ? '' : rawUrl.slice(queryStart + 1));
  const slash = path.indexOf('/', 1);
  const bucket = decode(slash < 0 ? path.slice(1) : path.slice(1, slash));
  const key = slash < 0 ? '' : decode(path.slice(slash + 1));
  if (bucket === '') throw notImplemented(`${method} on the service (ListBuckets)`);
  rejectUnservedHeaders(headers);

  if (key === '') {
    if (method === 'PUT') {
      rejectQuery(query, 'CreateBucket');
      return { operation: 'CreateBucket', bucket, key, query };
    }
    if (method === 'GET' && query.get('list-type') === '2') return { operation: 'ListObjectsV2', bucket, key, query };
    throw notImplemented(`${method} on a bucket${query.size > 0 ? ` with '${[...query.keys()].join("', '")}'` : ''} (only CreateBucket and ListObjectsV2)`);
  }
  const operation = OBJECT_OPERATIONS[method];
  if (!operation) throw notImplemented(`${method} on an object`);
  rejectQuery(query, operation);
  return { operation, bucket, key, query };
}
