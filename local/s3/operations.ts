/**
 * The six operations, each from a route and request to a reply (status, headers, body). Response headers follow
 * the API reference pages: API_CreateBucket.html, API_PutObject.html, API_GetObject.html, API_HeadObject.html,
 * API_DeleteObject.html, API_ListObjectsV2.html (https://docs.aws.amazon.com/AmazonS3/latest/API/).
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { checkKey, type BucketRegistry, type StoredObject } from './buckets';
import { notImplemented } from './errors';
import { listObjectsV2, parseListObjectsV2 } from './list-objects-v2';
import { readPayload } from './payload';
import type { Route } from './routes';
import { xmlDocument } from './xml';

export interface Reply {
  status: number;
  headers: Record<string, string | number>;
  body?: Buffer | string;
}

export interface Request {
  route: Route;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** What S3 records when a writer sends no Content-Type. */
const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

function userMetadata(headers: IncomingHttpHeaders): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-amz-meta-') && typeof value === 'string') metadata[name.slice('x-amz-meta-'.length)] = value;
  }
  return metadata;
}

function checksumHeaders(object: StoredObject): Record<string, string> {
  if (!object.checksum) return {};
  return { [`x-amz-checksum-${object.checksum.algorithm.toLowerCase()}`]: object.checksum.value, 'x-amz-checksum-type': 'FULL_OBJECT' };
}

/**
 * GetObject and HeadObject return the same headers. The stored checksum is returned only when asked for
 * (`x-amz-checksum-mode: ENABLED`, which the SDK sends by default and then validates the body against).
 * Every new object is encrypted with SSE-S3 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html).
 */
function objectHeaders(object: StoredObject, headers: IncomingHttpHeaders): Record<string, string | number> {
  return {
    'content-type': object.contentType,
    'content-length': object.body.length,
    etag: object.etag,
    'last-modified': object.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
    ...Object.fromEntries(Object.entries(object.metadata).map(([name, value]) => [`x-amz-meta-${name}`, value])),
    ...(headers['x-amz-checksum-mode'] === 'ENABLED' ? checksumHeaders(object) : {}),
  };
}

export class S3Operations {
  constructor(
    private readonly buckets: BucketRegistry,
    private readonly now: () => Date,
  ) {}

  serve(request: Request): Reply {
    const { route } = request;
    switch (route.operation) {
      case 'CreateBucket':
        return this.createBucket(request);
      case 'ListObjectsV2': {
        const result = listObjectsV2(this.buckets.get(route.bucket), parseListObjectsV2(route.query));
        return { status: 200, headers: { 'content-type': 'application/xml' }, body: xmlDocument('ListBucketResult', result, S3_NAMESPACE) };
      }
      case 'PutObject':
        return this.putObject(request);
      case 'GetObject': {
        const object = this.buckets.get(route.bucket).get(route.key);
        return { status: 200, headers: objectHeaders(object, request.headers), body: object.body };
      }
      case 'HeadObject':
        return { status: 200, headers: objectHeaders(this.buckets.get(route.bucket).get(route.key), request.headers) };
      case 'DeleteObject':
        // "If there isn't a null version, Amazon S3 does not remove any objects but will still respond that the command was successful."
        this.buckets.get(route.bucket).delete(route.key);
        return { status: 204, headers: {} };
    }
  }

  /** The model serves us-east-1, where a CreateBucketConfiguration is not needed; other Regions are not modelled. */
  private createBucket({ route, body }: Request): Reply {
    if (/<LocationConstraint>\s*[^<\s]/.test(body.toString('utf8'))) throw notImplemented('a LocationConstraint (the model is us-east-1 only)');
    this.buckets.create(route.bucket);
    return { status: 200, headers: { location: `/${route.bucket}` } };
  }

  private putObject({ route, headers, body: raw }: Request): Reply {
    const bucket = this.buckets.get(route.bucket);
    checkKey(route.key);
    const { body, checksum } = readPayload(raw, headers);
    const lastModified = this.now();
    lastModified.setUTCMilliseconds(0);
    const object: StoredObject = {
      key: route.key,
      body,
      contentType: typeof headers['content-type'] === 'string' ? headers['content-type'] : DEFAULT_CONTENT_TYPE,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified,
      metadata: userMetadata(headers),
      checksum,
    };
    bucket.put(object);
    return { status: 200, headers: { etag: object.etag, 'x-amz-server-side-encryption': 'AES256', ...checksumHeaders(object) } };
  }
}
