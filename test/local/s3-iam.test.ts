import { expect } from 'chai';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { REPORT_PREFIXES, reportBucketPolicy, type Statement } from '../../infra/policies';
import { LOCAL_CREDENTIALS } from '../../local/dynamodb';
import { LocalAuthorizer, type PolicyDocumentLike } from '../../local/iam/authorizer';
import { startLocalS3, type LocalS3 } from '../../local/s3';
import { errorOf } from '../support/error-of';
import { principal } from '../support/principals';

const ACCOUNT = '123456789012';
const BUCKET = 'drift-reports-iam';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
/** A bucket whose policy iam-simulate cannot evaluate (an Effect that is neither Allow nor Deny). */
const BROKEN_BUCKET = 'broken-policy-iam';
const RUNS = REPORT_PREFIXES.runs;

const readRuns: Statement = { Sid: 'ReadRunChunks', Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET_ARN}/${RUNS}*` };
const writeRuns: Statement = { Sid: 'WriteRunChunks', Effect: 'Allow', Action: 's3:PutObject', Resource: `${BUCKET_ARN}/${RUNS}*` };
const deleteRuns: Statement = { Sid: 'DeleteRunChunks', Effect: 'Allow', Action: 's3:DeleteObject', Resource: `${BUCKET_ARN}/${RUNS}*` };
/** As infra/policies.ts runChunkStatements with list: true. */
const listRunsOnly: Statement = {
  Sid: 'ListRunChunks',
  Effect: 'Allow',
  Action: 's3:ListBucket',
  Resource: BUCKET_ARN,
  Condition: { StringLike: { 's3:prefix': `${RUNS}*` } },
};
const listBucket: Statement = { Sid: 'ListBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: BUCKET_ARN };
const createBuckets: Statement = { Sid: 'CreateBuckets', Effect: 'Allow', Action: 's3:CreateBucket', Resource: 'arn:aws:s3:::*' };
const readBroken: Statement = { Sid: 'ReadBroken', Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BROKEN_BUCKET}/*` };

/** Read, write and delete under runs/, list only runs/ (the reconciler's run-chunk access). */
const chunkWriter = principal('chunk-writer', 1, [readRuns, writeRuns, deleteRuns, listRunsOnly]);
/** Reads runs/ and may list the whole bucket. */
const bucketLister = principal('bucket-lister', 2, [readRuns, listBucket]);
/** Reads runs/, no listing at all. */
const chunkReader = principal('chunk-reader', 3, [readRuns, readBroken]);
const bucketMaker = principal('bucket-maker', 4, [createBuckets]);

const brokenPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Perhaps', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${BROKEN_BUCKET}/*` }] };

describe('local S3 with IAM in the loop', () => {
  let authorizer: LocalAuthorizer;
  let s3: LocalS3;
  let insecure: LocalS3;
  const clients: S3Client[] = [];

  /** A client signing with `who`'s access key, on the TLS-standing endpoint unless `on` says otherwise. */
  function clientOf(who: { accessKeyId: string; secretAccessKey: string }, on: LocalS3 = s3): S3Client {
    const client = new S3Client({ ...on.clientConfig(who), maxAttempts: 1 });
    clients.push(client);
    return client;
  }

  /** The decisions made since `from` (an index into authorizer.log). */
  const decisionsSince = (from: number) => authorizer.log.slice(from);

  before(async () => {
    authorizer = new LocalAuthorizer({
      accountId: ACCOUNT,
      principals: [chunkWriter, bucketLister, chunkReader, bucketMaker],
      resourcePolicies: new Map<string, PolicyDocumentLike>([
        [BUCKET_ARN, reportBucketPolicy(BUCKET_ARN)],
        [`arn:aws:s3:::${BROKEN_BUCKET}`, brokenPolicy],
      ]),
    });
    [s3, insecure] = await Promise.all([startLocalS3({ authorizer }), startLocalS3({ authorizer, secureTransport: false })]);
    await Promise.all([s3.createBucket(BUCKET), s3.createBucket(BROKEN_BUCKET), insecure.createBucket(BUCKET)]);
    await clientOf(chunkWriter).send(new PutObjectCommand({ Bucket: BUCKET, Key: `${RUNS}seeded.json`, Body: '{"seeded":true}' }));
  });

  after(async () => {
    for (const client of clients) client.destroy();
    await Promise.all([s3?.close(), insecure?.close()]);
  });

  describe('clientConfig', () => {
    it('signs with the given credentials, copied, and with LOCAL_CREDENTIALS by default', () => {
      const given = { accessKeyId: chunkWriter.accessKeyId, secretAccessKey: chunkWriter.secretAccessKey };
      const config = s3.clientConfig(given);
      expect(config.credentials).to.deep.equal(given);
      expect(config.credentials).to.not.equal(given);
      const fallback = s3.clientConfig().credentials;
      expect(fallback).to.deep.equal({ accessKeyId: LOCAL_CREDENTIALS.accessKeyId, secretAccessKey: LOCAL_CREDENTIALS.secretAccessKey });
      expect(fallback).to.not.equal(LOCAL_CREDENTIALS);
    });
  });

  describe('allowed and denied operations', () => {
    it('puts and gets back an object under the granted prefix', async () => {
      const client = clientOf(chunkWriter);
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${RUNS}run-1/page-0.json`, Body: '[1,2,3]' }));
      const output = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${RUNS}run-1/page-0.json` }));
      expect(await output.Body!.transformToString()).to.equal('[1,2,3]');
      const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${RUNS}run-1/page-0.json` }));
      expect(head.ContentLength).to.equal(7);
      await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${RUNS}run-1/page-0.json` }));
    });

    const denied = [
      { what: 'PutObject outside the granted prefix', who: chunkWriter, send: (c: S3Client) => c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'reports/latest.json', Body: '{}' })) },
      { what: 'GetObject outside the granted prefix', who: chunkWriter, send: (c: S3Client) => c.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'reports/latest.json' })) },
      { what: 'DeleteObject outside the granted prefix', who: chunkWriter, send: (c: S3Client) => c.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'reports/latest.json' })) },
      { what: 'PutObject without s3:PutObject', who: bucketLister, send: (c: S3Client) => c.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${RUNS}x.json`, Body: '{}' })) },
      { what: 'DeleteObject without s3:DeleteObject', who: chunkReader, send: (c: S3Client) => c.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${RUNS}seeded.json` })) },
      { what: 'CreateBucket without s3:CreateBucket', who: chunkWriter, send: (c: S3Client) => c.send(new CreateBucketCommand({ Bucket: 'not-for-writers' })) },
    ];
    for (const { what, who, send } of denied) {
      it(`answers AccessDenied to ${what}`, async () => {
        const error = await errorOf(send(clientOf(who)));
        expect(error.name).to.equal('AccessDenied');
        expect(error.$metadata?.httpStatusCode).to.equal(403);
      });
    }

    it('creates a bucket for a caller with s3:CreateBucket', async () => {
      const output = await clientOf(bucketMaker).send(new CreateBucketCommand({ Bucket: 'made-by-maker' }));
      expect(output.Location).to.equal('/made-by-maker');
      const record = authorizer.log.findLast((r) => r.action === 's3:CreateBucket' && r.caller === 'bucket-maker');
      expect(record).to.include({ resource: 'arn:aws:s3:::made-by-maker', allowed: true });
    });
  });

  describe('ListObjectsV2 and s3:prefix', () => {
    const cases: Array<{ prefix?: string; allowed: boolean }> = [
      { prefix: RUNS, allowed: true },
      { prefix: `${RUNS}run-7/`, allowed: true },
      { prefix: 'reports/', allowed: false },
      { prefix: '', allowed: false },
      { allowed: false },
    ];
    for (const { prefix, allowed } of cases) {
      const label = prefix === undefined ? 'no prefix' : `prefix '${prefix}'`;
      it(`${allowed ? 'lists' : 'answers AccessDenied'} with ${label} for a ListBucket conditioned on s3:prefix '${RUNS}*'`, async () => {
        const from = authorizer.log.length;
        const request = clientOf(chunkWriter).send(new ListObjectsV2Command({ Bucket: BUCKET, ...(prefix === undefined ? {} : { Prefix: prefix }) }));
        if (allowed) {
          const output = await request;
          expect(output.Name).to.equal(BUCKET);
          if (prefix === RUNS) expect((output.Contents ?? []).map((o) => o.Key)).to.include(`${RUNS}seeded.json`);
        } else {
          const error = await errorOf(request);
          expect(error.name).to.equal('AccessDenied');
          expect(error.$metadata?.httpStatusCode).to.equal(403);
        }
        const [record] = decisionsSince(from);
        expect(record).to.include({ action: 's3:ListBucket', resource: BUCKET_ARN, allowed });
        expect(record!.context).to.deep.equal({ 'aws:SecureTransport': 'true', ...(prefix === undefined ? {} : { 's3:prefix': prefix }) });
      });
    }

    it('lists the whole bucket for an unconditioned ListBucket', async () => {
      const output = await clientOf(bucketLister).send(new ListObjectsV2Command({ Bucket: BUCKET }));
      expect((output.Contents ?? []).map((o) => o.Key)).to.include(`${RUNS}seeded.json`);
    });
  });

  describe('a missing key', () => {
    const cases = [
      { who: bucketLister, listing: 'an unconditioned ListBucket', status: 404, code: 'NoSuchKey' },
      { who: chunkWriter, listing: 'only a prefix-conditioned ListBucket', status: 403, code: 'AccessDenied' },
      { who: chunkReader, listing: 'no ListBucket', status: 403, code: 'AccessDenied' },
    ];
    for (const { who, listing, status, code } of cases) {
      it(`answers GetObject ${status} ${code} to a role with ${listing}`, async () => {
        const error = await errorOf(clientOf(who).send(new GetObjectCommand({ Bucket: BUCKET, Key: `${RUNS}missing.json` })));
        expect(error.name).to.equal(code);
        expect(error.$metadata?.httpStatusCode).to.equal(status);
      });

      it(`answers HeadObject ${status} to a role with ${listing}`, async () => {
        const from = authorizer.log.length;
        const error = await errorOf(clientOf(who).send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${RUNS}missing-head.json` })));
        // A HEAD error has no body: the SDK names it after the status (NotFound, Forbidden).
        expect(error.$metadata?.httpStatusCode).to.equal(status);
        const decisions = decisionsSince(from).map((r) => ({ action: r.action, allowed: r.allowed, context: r.context }));
        expect(decisions).to.deep.equal([
          { action: 's3:GetObject', allowed: true, context: { 'aws:SecureTransport': 'true' } },
          // The absence check: ListBucket with no s3:prefix key.
          { action: 's3:ListBucket', allowed: status === 404, context: { 'aws:SecureTransport': 'true' } },
        ]);
      });
    }

    it('answers AccessDenied, not NoSuchKey, when GetObject itself is not allowed', async () => {
      const error = await errorOf(clientOf(bucketLister).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'reports/missing.json' })));
      expect(error.name).to.equal('AccessDenied');
    });
  });

  describe('secureTransport: false', () => {
    const requests = [
      { operation: 'PutObject', send: (c: S3Client) => c.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${RUNS}plain.json`, Body: '{}' })) },
      { operation: 'GetObject', send: (c: S3Client) => c.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${RUNS}seeded.json` })) },
      { operation: 'HeadObject', send: (c: S3Client) => c.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${RUNS}seeded.json` })) },
      { operation: 'DeleteObject', send: (c: S3Client) => c.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${RUNS}seeded.json` })) },
      { operation: 'ListObjectsV2', send: (c: S3Client) => c.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: RUNS })) },
    ];
    for (const { operation, send } of requests) {
      it(`denies ${operation} explicitly by the bucket policy's TLS-only statement`, async () => {
        const from = authorizer.log.length;
        const error = await errorOf(send(clientOf(chunkWriter, insecure)));
        expect(error.$metadata?.httpStatusCode).to.equal(403);
        if (operation !== 'HeadObject') expect(error.name).to.equal('AccessDenied');
        const decisions = decisionsSince(from);
        expect(decisions).to.have.lengthOf(1);
        expect(decisions[0]).to.include({ caller: 'chunk-writer', allowed: false, result: 'ExplicitlyDenied' });
        expect(decisions[0]!.context).to.include({ 'aws:SecureTransport': 'false' });
      });
    }

    it('allows the same requests over the TLS-standing endpoint', async () => {
      const client = clientOf(chunkWriter);
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${RUNS}tls.json`, Body: '{}' }));
      await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${RUNS}tls.json` }));
      await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: RUNS }));
    });
  });

  describe('callers and defects', () => {
    it('answers InvalidAccessKeyId to an access key no principal was given', async () => {
      const error = await errorOf(clientOf({ accessKeyId: 'AKIANOBODY0000000000', secretAccessKey: 'nope' }).send(new GetObjectCommand({ Bucket: BUCKET, Key: `${RUNS}seeded.json` })));
      expect(error.name).to.equal('InvalidAccessKeyId');
      expect(error.$metadata?.httpStatusCode).to.equal(403);
    });

    it('answers InvalidAccessKeyId to the default LOCAL_CREDENTIALS when an authorizer is given', async () => {
      const client = new S3Client({ ...s3.clientConfig(), maxAttempts: 1 });
      clients.push(client);
      const error = await errorOf(client.send(new ListObjectsV2Command({ Bucket: BUCKET })));
      expect(error.name).to.equal('InvalidAccessKeyId');
    });

    it('answers InternalError, and keeps serving, when the authorizer cannot evaluate a policy', async () => {
      const client = clientOf(chunkReader);
      const error = await errorOf(client.send(new GetObjectCommand({ Bucket: BROKEN_BUCKET, Key: 'anything.json' })));
      expect(error.name).to.equal('InternalError');
      expect(error.$metadata?.httpStatusCode).to.equal(500);
      expect(error.message).to.include('AuthorizationModelError');
      const output = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${RUNS}seeded.json` }));
      expect(await output.Body!.transformToString()).to.equal('{"seeded":true}');
    });
  });
});
