/**
 * The object store adapter: drift reports (JSON and Markdown) and the reconciler's scratch chunks in one S3
 * bucket, behind the small ObjectStore port the reconciler and the CLI use.
 */
import { GetObjectCommand, PutObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';

export interface ObjectSummary {
  key: string;
  size: number;
  lastModified?: Date;
}

export interface ObjectStore {
  /** Stores `JSON.stringify(value)` as `application/json`. */
  putJson(key: string, value: unknown): Promise<void>;
  putText(key: string, body: string, contentType: string): Promise<void>;
  /** `undefined` when no object has the key. */
  getJson<T = unknown>(key: string): Promise<T | undefined>;
  /** `undefined` when no object has the key. */
  getText(key: string): Promise<string | undefined>;
  /** Every object under the prefix, in S3's listing order (UTF-8 binary order of the keys), across all pages. */
  list(prefix: string): AsyncIterable<ObjectSummary>;
  /** `s3://bucket/key`. */
  uri(key: string): string;
}

/** An S3 call failed for a reason other than a missing key; the message names the bucket (and key). */
export class ObjectStoreError extends Error {
  override readonly name = 'ObjectStoreError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  uri(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  async putJson(key: string, value: unknown): Promise<void> {
    const body = JSON.stringify(value);
    if (body === undefined) throw new TypeError(`Cannot store ${typeof value} as JSON at ${this.uri(key)}.`);
    await this.putText(key, body, 'application/json');
  }

  async putText(key: string, body: string, contentType: string): Promise<void> {
    try {
      // An explicit length: the SDK cannot measure an empty string body and would stream it (aws-chunked) with a warning.
      const length = Buffer.byteLength(body, 'utf8');
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ContentLength: length }));
    } catch (error) {
      throw this.wrap('write', key, error);
    }
  }

  async getJson<T = unknown>(key: string): Promise<T | undefined> {
    const text = await this.getText(key);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new ObjectStoreError(`${this.uri(key)} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * S3 answers NoSuchKey only to a caller allowed s3:ListBucket on the bucket; without it a missing key is
   * AccessDenied (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Permissions"), which
   * surfaces here as an ObjectStoreError rather than `undefined`.
   */
  async getText(key: string): Promise<string | undefined> {
    try {
      const output = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await output.Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      if (errorName(error) === 'NoSuchKey') return undefined;
      throw this.wrap('read', key, error);
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectSummary> {
    try {
      for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: prefix })) {
        for (const object of page.Contents ?? []) {
          yield { key: object.Key!, size: object.Size ?? 0, ...(object.LastModified ? { lastModified: object.LastModified } : {}) };
        }
      }
    } catch (error) {
      throw this.wrap('list', `${prefix}*`, error);
    }
  }

  private wrap(action: 'read' | 'write' | 'list', key: string, error: unknown): ObjectStoreError {
    if (error instanceof ObjectStoreError) return error;
    const name = errorName(error) ?? 'Error';
    if (name === 'NoSuchBucket') {
      return new ObjectStoreError(`S3 bucket '${this.bucket}' does not exist (NoSuchBucket) — could not ${action} ${this.uri(key)}.`, { cause: error });
    }
    const detail = error instanceof Error ? error.message : String(error);
    return new ObjectStoreError(`Could not ${action} ${this.uri(key)}: ${name}: ${detail}`, { cause: error });
  }
}
