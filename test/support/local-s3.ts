/**
 * One local S3 per mocha suite with a real S3Client on it; `freshBucket()` gives each test its own bucket.
 */
import { randomUUID } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { startLocalS3, type LocalS3 } from '../../local/s3';

export interface S3Harness {
  readonly s3: LocalS3;
  readonly client: S3Client;
  freshBucket(): Promise<string>;
}

/** Registers before/after hooks in the calling `describe`. Retries are off so an error surfaces on the first answer. */
export function useLocalS3(): S3Harness {
  let s3: LocalS3 | undefined;
  let client: S3Client | undefined;
  before(async () => {
    s3 = await startLocalS3();
    client = new S3Client({ ...s3.clientConfig(), maxAttempts: 1 });
  });
  after(async () => {
    client?.destroy();
    await s3?.close();
  });
  return {
    get s3() {
      return s3!;
    },
    get client() {
      return client!;
    },
    async freshBucket() {
      const bucket = `reports-${randomUUID().slice(0, 8)}`;
      await s3!.createBucket(bucket);
      return bucket;
    },
  };
}
