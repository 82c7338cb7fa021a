/**
 * In-memory buckets and objects, and the listing order. Keys are listed "in ascending order based on their UTF-8
 * binary representation" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ListingKeysUsingAPIs.html), which
 * is code-point order — not JavaScript's UTF-16 `<`, which puts U+E000..U+FFFF after astral characters.
 */
import { S3ApiError, noSuchBucket, noSuchKey } from './errors';

export interface StoredChecksum {
  /** `CRC32`, `SHA1` or `SHA256`: the algorithm the writer sent, returned in listings and on request. */
  algorithm: string;
  /** Base64, as sent in `x-amz-checksum-<algorithm>`. */
  value: string;
}

export interface StoredObject {
  key: string;
  body: Buffer;
  contentType: string;
  /** Quoted hex MD5 of the body: the ETag of a single-part, non-KMS upload (API_Object.html "ETag"). */
  etag: string;
  /** Second precision: S3 keeps Last-Modified as an HTTP date, and listings show `.000Z`. */
  lastModified: Date;
  /** `x-amz-meta-*` headers, lower-cased names without the prefix. */
  metadata: Record<string, string>;
  /** Cache-Control, Content-Disposition, Content-Encoding, Content-Language and Expires as the writer sent them. */
  representation: Record<string, string>;
  checksum?: StoredChecksum;
}

export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** General-purpose bucket naming rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html */
export function checkBucketName(name: string): void {
  const valid =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) &&
    !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name);
  if (!valid) throw new S3ApiError('InvalidBucketName', undefined, { BucketName: name });
}

/** "The name for a key is a sequence of Unicode characters whose UTF-8 encoding is at most 1,024 bytes long." (object-keys.html) */
export function checkKey(key: string): void {
  if (key.length === 0) throw new S3ApiError('InvalidArgument', 'The key must not be empty.');
  if (Buffer.byteLength(key, 'utf8') > 1024) throw new S3ApiError('KeyTooLongError', undefined, { Size: String(Buffer.byteLength(key)), MaxSizeAllowed: '1024' });
}

export class Bucket {
  readonly objects = new Map<string, StoredObject>();
  private sorted: string[] | undefined;

  constructor(
    readonly name: string,
    readonly creationDate: Date,
  ) {}

  put(object: StoredObject): void {
    if (!this.objects.has(object.key)) this.sorted = undefined;
    this.objects.set(object.key, object);
  }

  get(key: string): StoredObject {
    const object = this.objects.get(key);
    if (!object) throw noSuchKey(key);
    return object;
  }

  delete(key: string): void {
    if (this.objects.delete(key)) this.sorted = undefined;
  }

  /** All keys in listing order (cached until a key is added or removed). */
  keys(): readonly string[] {
    this.sorted ??= [...this.objects.keys()].sort(compareUtf8);
    return this.sorted;
  }
}

export class BucketRegistry {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => Date) {}

  /**
   * Creating a bucket you already own succeeds in us-east-1 ("Amazon S3 returns 200 OK and resets the bucket
   * access control lists", ErrorResponses.html, BucketAlreadyOwnedByYou); the model serves us-east-1 only.
   */
  create(name: string): Bucket {
    checkBucketName(name);
    let bucket = this.buckets.get(name);
    if (!bucket) {
      bucket = new Bucket(name, this.now());
      this.buckets.set(name, bucket);
    }
    return bucket;
  }

  get(name: string): Bucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw noSuchBucket(name);
    return bucket;
  }
}
