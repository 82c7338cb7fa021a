/**
 * The six operations, each from a route and request to a reply (status, headers, body). Response headers follow
 * the API reference pages: API_CreateBucket.html, API_PutObject.html, API_GetObject.html, API_HeadObject.html,
 * API_DeleteObject.html, API_ListObjectsV2.html (https://docs.aws.amazon.com/AmazonS3/latest/API/).
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { checkKey, type BucketRegistry, type StoredObject } from './buckets';
import { S3ApiError, notImplemented } from './errors';
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

/**
 * The headers S3 stores with an object and returns on GetObject and HeadObject (API_PutObject.html, "Request
 * syntax"; API_GetObject.html, "Response syntax"). `aws-chunked` is how the payload was sent, not how the object is
 * encoded: S3 drops it from the stored Content-Encoding (sigv4-streaming.html).
 */
const REPRESENTATION_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];

function representationOf(headers: IncomingHttpHeaders): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const name of REPRESENTATION_HEADERS) {
    const value = headers[name];
    if (typeof value !== 'string') continue;
    const kept = name === 'content-encoding' ? value.split(',').map((token) => token.trim()).filter((token) => token !== '' && token !== 'aws-chunked').join(',') : value;
    if (kept !== '') stored[name] = kept;
  }
  return stored;
}

/**
 * The storage classes of the StorageClass enum (API_PutObject.html). The model stores every object as STANDARD, so
 * another valid class is NotImplemented, and a name outside the enum is InvalidStorageClass, as S3 answers it.
 */
const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'OUTPOSTS',
  'GLACIER_IR',
  'SNOW',
  'EXPRESS_ONEZONE',
  'FSX_OPENZFS',
  'FSX_ONTAP',
  'AWS_BACKUP_WARM',
  'AWS_BACKUP_LOW_COST_WARM',
];

function checkStorageClass(headers: IncomingHttpHeaders): void {
  const storageClass = headers['x-amz-storage-class'];
  if (storageClass === undefined || storageClass === 'STANDARD') return;
  if (typeof storageClass !== 'string' || !STORAGE_CLASSES.includes(storageClass)) throw new S3ApiError('InvalidStorageClass', undefined, { StorageClassRequested: String(storageClass) });
  throw notImplemented(`the ${storageClass} storage class (every object is STANDARD)`);
}

/**
 * A CreateBucket body is empty or a `<CreateBucketConfiguration>` (API_CreateBucket.html); anything else is
 * MalformedXML, as S3 answers it. That matters beyond CreateBucket: a PutObject with an empty Key goes out as
 * `PUT /<bucket>/` with the object as its body, and must not pass for a successful CreateBucket.
 */
function checkCreateBucketBody(body: Buffer): void {
  const text = body.toString('utf8').trim();
  if (text === '') return;
  const document = /^(?:<\?xml[^>]*\?>\s*)?<CreateBucketConfiguration(?:\s[^>]*)?(?:\/>|>([\s\S]*)<\/CreateBucketConfiguration>)$/.exec(text);
  if (!document) throw new S3ApiError('MalformedXML');
  // The model serves us-east-1 general purpose buckets without tags: LocationConstraint, Location, Bucket (directory
  // buckets) and Tags are each refused rather than ignored.
  const element = /<([A-Za-z]+)[\s>/]/.exec(document[1] ?? '');
  if (element) throw notImplemented(`<${element[1]}> in a CreateBucketConfiguration (the model is us-east-1, general purpose buckets, no tags)`);
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
    ...object.representation,
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
    checkCreateBucketBody(body);
    this.buckets.create(route.bucket);
    return { status: 200, headers: { location: `/${route.bucket}` } };
  }

  private putObject({ route, headers, body: raw }: Request): Reply {
    const bucket = this.buckets.get(route.bucket);
    checkKey(route.key);
    checkStorageClass(headers);
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
      representation: representationOf(headers),
      checksum,
    };
    bucket.put(object);
    return { status: 200, headers: { etag: object.etag, 'x-amz-server-side-encryption': 'AES256', ...checksumHeaders(object) } };
  }
}
