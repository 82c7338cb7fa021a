/**
 * A local Amazon S3 for tests and the sandbox: the real `@aws-sdk/client-s3` talks to it over HTTP
 * (`new S3Client(s3.clientConfig())`), path-style, in us-east-1, in memory.
 *
 * Why a model and not s3rver 3.7.1: s3rver signs its ListObjectsV2 continuation tokens with single DES, which
 * OpenSSL 3 (Node ≥ 17) disables, so every truncated listing answers InternalError (ERR_OSSL_EVP_UNSUPPORTED)
 * unless the whole process runs with --openssl-legacy-provider.
 *
 * Served: CreateBucket, PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2 (prefix, max-keys,
 * continuation-token, start-after, fetch-owner) with S3's XML shapes, error codes, UTF-8 binary key order,
 * MD5 ETags and checksum validation (see s3/*.ts). Anything else answers NotImplemented. Signatures are not
 * verified; there are no versions, multipart uploads, ACLs or policies.
 */
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS } from './dynamodb';
import { BucketRegistry } from './s3/buckets';
import { S3Operations } from './s3/operations';
import { listen } from './s3/server';

export interface LocalS3Options {
  /** The clock for LastModified; inject one to control it. */
  now?: () => Date;
}

export interface LocalS3 {
  readonly endpoint: string;
  /** endpoint, us-east-1, path-style, static fake credentials. */
  clientConfig(): S3ClientConfig;
  /** Creates the bucket directly in the model (as CreateBucket does; creating an existing one is a no-op). */
  createBucket(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const now = options.now ?? (() => new Date());
  const buckets = new BucketRegistry(now);
  const { server, endpoint } = await listen(new S3Operations(buckets, now));
  return {
    endpoint,
    // A fresh credentials object per client, copied field by field: the SDK writes a `$source` marker into the
    // object it is given, and LOCAL_CREDENTIALS is shared with the DynamoDB clients.
    clientConfig: () => ({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: LOCAL_CREDENTIALS.accessKeyId, secretAccessKey: LOCAL_CREDENTIALS.secretAccessKey },
    }),
    async createBucket(name) {
      buckets.create(name);
    },
    async close() {
      server.closeIdleConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
