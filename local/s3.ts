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
 * verified; there are no versions, multipart uploads or ACLs. Policies are evaluated only when an `authorizer` is
 * given (see `LocalS3Options.authorizer` and s3/authorize.ts).
 */
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS } from './dynamodb';
import type { LocalAuthorizer } from './iam/authorizer';
import { BucketRegistry } from './s3/buckets';
import { S3Operations } from './s3/operations';
import { listen } from './s3/server';

export interface LocalS3Options {
  /** The clock for LastModified; inject one to control it. */
  now?: () => Date;
  /**
   * Puts IAM in the loop: every request is then authorized as S3 would before it is served. The SigV4 access key
   * names the caller (`authorizer.principalOf`; a key nobody was given answers 403 InvalidAccessKeyId), and the
   * caller's identity policies plus the bucket's policy (held by the authorizer under `arn:aws:s3:::<bucket>`,
   * for object requests too) decide the operation's action: PutObject → s3:PutObject, GetObject and HeadObject →
   * s3:GetObject, DeleteObject → s3:DeleteObject (on `arn:aws:s3:::<bucket>/<key>`), ListObjectsV2 →
   * s3:ListBucket with `s3:prefix` when the request has a prefix, CreateBucket → s3:CreateBucket (on the bucket
   * ARN). A denial answers 403 AccessDenied. A GetObject or HeadObject of a missing key answers 404 NoSuchKey only
   * to a caller with s3:ListBucket on the bucket (a grant conditioned on s3:prefix does not count), 403
   * AccessDenied to anyone else, as S3 does. A policy the authorizer cannot evaluate answers 500 InternalError.
   * Without an authorizer every SigV4-signed request is served, whoever signed it.
   */
  authorizer?: LocalAuthorizer;
  /**
   * The `aws:SecureTransport` every request carries when an `authorizer` is given. Default true: the local
   * endpoint is plain HTTP, but it stands for the HTTPS endpoint the Lambdas use. With false, requests count as
   * plain HTTP, so a TLS-only bucket policy (a Deny on `aws:SecureTransport` = false) denies every one of them.
   */
  secureTransport?: boolean;
}

export interface LocalS3 {
  readonly endpoint: string;
  /**
   * endpoint, us-east-1, path-style, and `credentials` (default: static fake credentials, LOCAL_CREDENTIALS).
   * With an authorizer, pass a principal's access key to call as that principal.
   */
  clientConfig(credentials?: { accessKeyId: string; secretAccessKey: string }): S3ClientConfig;
  /** Creates the bucket directly in the model (as CreateBucket does; creating an existing one is a no-op). */
  createBucket(name: string): Promise<void>;
  /**
   * Puts IAM in the loop from now on (see LocalS3Options.authorizer), or takes it out (undefined): for a suite that
   * shares one local S3 between stacks, each with its own IAM.
   */
  enforce(authorizer: LocalAuthorizer | undefined): void;
  close(): Promise<void>;
}

export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const now = options.now ?? (() => new Date());
  const buckets = new BucketRegistry(now);
  const secureTransport = options.secureTransport ?? true;
  let authorization = options.authorizer ? { authorizer: options.authorizer, secureTransport } : undefined;
  const { server, endpoint } = await listen(new S3Operations(buckets, now), () => authorization);
  return {
    endpoint,
    // A fresh credentials object per client, copied field by field: the SDK writes a `$source` marker into the
    // object it is given, and LOCAL_CREDENTIALS is shared with the DynamoDB clients (and a principal's with others).
    clientConfig: (credentials = LOCAL_CREDENTIALS) => ({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    }),
    enforce(authorizer) {
      authorization = authorizer ? { authorizer, secureTransport } : undefined;
    },
    async createBucket(name) {
      buckets.create(name);
    },
    async close() {
      server.closeIdleConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
