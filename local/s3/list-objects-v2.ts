/**
 * ListObjectsV2 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html): query parameters in,
 * `<ListBucketResult>` out. Served: `list-type=2`, `prefix`, `max-keys`, `continuation-token`, `start-after`,
 * `fetch-owner`. Not served (answered NotImplemented, so nobody relies on them by accident): `delimiter`
 * (CommonPrefixes), `encoding-type`, and the request-payer / expected-owner / optional-attributes headers.
 */
import type { Bucket } from './buckets';
import { compareUtf8 } from './buckets';
import { S3ApiError, notImplemented } from './errors';
import type { XmlElements } from './xml';

/** "By default the action returns up to 1,000 key names. The response might contain fewer keys but will never contain more." */
const MAX_KEYS_LIMIT = 1000;
const MAX_KEYS_ARGUMENT = 2_147_483_647;

/** The canonical user of the local account, returned with `fetch-owner=true`. */
export const LOCAL_OWNER = { ID: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a', DisplayName: 'local' };

const SERVED = new Set(['list-type', 'prefix', 'max-keys', 'continuation-token', 'start-after', 'fetch-owner', 'x-id']);

export interface ListObjectsV2Input {
  prefix: string;
  maxKeys: number;
  continuationToken?: string;
  startAfter?: string;
  fetchOwner: boolean;
}

export function parseListObjectsV2(query: Map<string, string>): ListObjectsV2Input {
  for (const name of query.keys()) {
    if (!SERVED.has(name)) throw notImplemented(`the ListObjectsV2 parameter '${name}'`);
  }
  return {
    prefix: query.get('prefix') ?? '',
    maxKeys: parseMaxKeys(query.get('max-keys')),
    continuationToken: query.get('continuation-token'),
    startAfter: query.get('start-after'),
    fetchOwner: query.get('fetch-owner') === 'true',
  };
}

function parseMaxKeys(text: string | undefined): number {
  if (text === undefined) return MAX_KEYS_LIMIT;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new S3ApiError('InvalidArgument', 'Provided max-keys not an integer or within integer range', { ArgumentName: 'max-keys', ArgumentValue: text });
  }
  if (value < 0 || value > MAX_KEYS_ARGUMENT) {
    throw new S3ApiError('InvalidArgument', `Argument maxKeys must be an integer between 0 and ${MAX_KEYS_ARGUMENT}`, { ArgumentName: 'maxKeys', ArgumentValue: text });
  }
  return value;
}

/**
 * "ContinuationToken is obfuscated and is not a real key" (API_ListObjectsV2.html): the model's token is opaque
 * base64 naming the bucket and the last key returned, so a token from another bucket is refused as S3 refuses it.
 */
function encodeToken(bucket: string, lastKey: string): string {
  return Buffer.from(JSON.stringify({ b: bucket, k: lastKey }), 'utf8').toString('base64');
}

function decodeToken(bucket: string, token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { b?: unknown; k?: unknown };
    if (parsed.b === bucket && typeof parsed.k === 'string') return parsed.k;
  } catch {
    // refused below
  }
  throw new S3ApiError('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
}

/** The first index in `keys` (sorted) whose key compares above `bound` (or at it, when `inclusive`). */
function lowerBound(keys: readonly string[], bound: string, inclusive: boolean): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = compareUtf8(keys[middle]!, bound);
    if (order < 0 || (order === 0 && !inclusive)) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function listObjectsV2(bucket: Bucket, input: ListObjectsV2Input): XmlElements {
  const keys = bucket.keys();
  // "StartAfter can be any key in the bucket"; a continuation token resumes after the last key of the previous page.
  const after = input.continuationToken !== undefined ? decodeToken(bucket.name, input.continuationToken) : input.startAfter;
  let index = lowerBound(keys, input.prefix, true);
  if (after !== undefined) index = Math.max(index, lowerBound(keys, after, false));

  const limit = Math.min(input.maxKeys, MAX_KEYS_LIMIT);
  const page: string[] = [];
  while (index < keys.length && keys[index]!.startsWith(input.prefix) && page.length < limit) page.push(keys[index++]!);
  const isTruncated = page.length > 0 && index < keys.length && keys[index]!.startsWith(input.prefix);

  return {
    Name: bucket.name,
    Prefix: input.prefix,
    MaxKeys: input.maxKeys,
    KeyCount: page.length,
    IsTruncated: isTruncated,
    ContinuationToken: input.continuationToken,
    NextContinuationToken: isTruncated ? encodeToken(bucket.name, page[page.length - 1]!) : undefined,
    // "If StartAfter was sent with the request, it is included in the response."
    StartAfter: input.startAfter,
    Contents: page.map((key) => {
      const object = bucket.get(key);
      return {
        Key: key,
        LastModified: object.lastModified.toISOString(),
        ETag: object.etag,
        ChecksumAlgorithm: object.checksum?.algorithm,
        ChecksumType: object.checksum ? 'FULL_OBJECT' : undefined,
        Size: object.body.length,
        Owner: input.fetchOwner ? LOCAL_OWNER : undefined,
        StorageClass: 'STANDARD',
      };
    }),
  };
}
