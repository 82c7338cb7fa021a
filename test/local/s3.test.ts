import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { errorOf } from '../support/error-of';
import { useLocalS3 } from '../support/local-s3';

const md5 = (text: string) => `"${createHash('md5').update(text).digest('hex')}"`;

async function putAll(client: S3Client, bucket: string, keys: string[]): Promise<void> {
  // Batches of 50: enough concurrency to seed 1,050 keys quickly without exhausting sockets.
  for (let index = 0; index < keys.length; index += 50) {
    await Promise.all(keys.slice(index, index + 50).map((key) => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }))));
  }
}

async function listedKeys(client: S3Client, input: { Bucket: string; Prefix?: string; StartAfter?: string }): Promise<string[]> {
  const output = await client.send(new ListObjectsV2Command(input));
  return (output.Contents ?? []).map((object) => object.Key!);
}

describe('local S3', () => {
  const harness = useLocalS3();

  describe('startLocalS3', () => {
    it('gives a path-style us-east-1 client config with static credentials when started', () => {
      const config = harness.s3.clientConfig();
      expect(config).to.include({ endpoint: harness.s3.endpoint, region: 'us-east-1', forcePathStyle: true });
      expect(harness.s3.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(config.credentials).to.have.all.keys('accessKeyId', 'secretAccessKey').and.not.equal(harness.s3.clientConfig().credentials);
    });
  });

  describe('CreateBucket', () => {
    it('creates a bucket that can be listed when the name is valid', async () => {
      await harness.client.send(new CreateBucketCommand({ Bucket: 'drift-reports' }));
      const output = await harness.client.send(new ListObjectsV2Command({ Bucket: 'drift-reports' }));
      expect(output).to.include({ Name: 'drift-reports', KeyCount: 0, IsTruncated: false });
    });

    it('succeeds when the bucket already exists, as S3 does in us-east-1', async () => {
      await harness.client.send(new CreateBucketCommand({ Bucket: 'twice-created' }));
      const output = await harness.client.send(new CreateBucketCommand({ Bucket: 'twice-created' }));
      expect(output.Location).to.equal('/twice-created');
    });

    const invalid = [
      { name: 'ab', reason: 'is shorter than 3 characters' },
      { name: 'Reports', reason: 'has upper-case letters' },
      { name: 'reports-', reason: 'ends with a hyphen' },
      { name: 'my..reports', reason: 'has two adjacent periods' },
      { name: '192.168.5.4', reason: 'is formatted as an IP address' },
    ];
    for (const { name, reason } of invalid) {
      it(`answers InvalidBucketName when the name ${reason}`, async () => {
        const error = await errorOf(harness.client.send(new CreateBucketCommand({ Bucket: name })));
        expect(error.name).to.equal('InvalidBucketName');
        expect(error.$metadata?.httpStatusCode).to.equal(400);
      });
    }
  });

  describe('PutObject, GetObject and HeadObject', () => {
    it('returns the body, Content-Type, Content-Length and a quoted-MD5 ETag when an object was put', async () => {
      // Prepare
      const bucket = await harness.freshBucket();
      const body = JSON.stringify({ drift: ['schedule é'] });
      // Act
      const put = await harness.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'reports/r1.json', Body: body, ContentType: 'application/json' }));
      const got = await harness.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'reports/r1.json' }));
      // Assess
      expect(put.ETag).to.equal(md5(body));
      expect(got).to.include({ ContentType: 'application/json', ContentLength: Buffer.byteLength(body), ETag: md5(body) });
      expect(await got.Body!.transformToString()).to.equal(body);
    });

    it('returns the same headers without a body when the object is headed', async () => {
      const bucket = await harness.freshBucket();
      await harness.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'r.md', Body: '# Drift', ContentType: 'text/markdown', Metadata: { run: 'r1' } }));
      const head = await harness.client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'r.md' }));
      expect(head).to.include({ ContentType: 'text/markdown', ContentLength: 7, ETag: md5('# Drift') });
      expect(head.Metadata).to.deep.equal({ run: 'r1' });
      expect(head.LastModified!.getUTCMilliseconds()).to.equal(0);
    });

    it('stores the decoded bytes when the SDK streams the body aws-chunked with a trailing checksum', async () => {
      const bucket = await harness.freshBucket();
      await harness.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'chunk', Body: Readable.from([Buffer.from('abc'), Buffer.from('def')]), ContentLength: 6 }));
      const got = await harness.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'chunk' }));
      expect(await got.Body!.transformToString()).to.equal('abcdef');
      expect(got.ETag).to.equal(md5('abcdef'));
    });

    it('returns the stored CRC32 checksum when the reader asks for checksums', async () => {
      const bucket = await harness.freshBucket();
      await harness.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: '{"x":1}' }));
      const got = await harness.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', ChecksumMode: 'ENABLED' }));
      expect(got.ChecksumCRC32).to.equal('O+tZXA==');
      await got.Body!.transformToString();
    });

    it('keeps the key byte for byte when it contains spaces, plus signs, dots and non-ASCII characters', async () => {
      const bucket = await harness.freshBucket();
      const key = 'runs/a b+c/../日本 ~%2F.json';
      await harness.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
      expect(await listedKeys(harness.client, { Bucket: bucket })).to.deep.equal([key]);
      const got = await harness.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(await got.Body!.transformToString()).to.equal('x');
    });
  });

  describe('DeleteObject', () => {
    it('removes the object when it exists', async () => {
      const bucket = await harness.freshBucket();
      await harness.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
      const output = await harness.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
      expect(output.$metadata.httpStatusCode).to.equal(204);
      expect((await errorOf(harness.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })))).name).to.equal('NoSuchKey');
    });

    it('succeeds when the key does not exist, as S3 does in an unversioned bucket', async () => {
      const bucket = await harness.freshBucket();
      const output = await harness.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'never-written' }));
      expect(output.$metadata.httpStatusCode).to.equal(204);
    });
  });

  describe('errors', () => {
    const cases: Array<{ reason: string; call: (bucket: string) => unknown; name: string; status: number }> = [
      { reason: 'GetObject of a missing key', call: (b) => new GetObjectCommand({ Bucket: b, Key: 'missing' }), name: 'NoSuchKey', status: 404 },
      // A HEAD response has no body, so the SDK can only name the status.
      { reason: 'HeadObject of a missing key', call: (b) => new HeadObjectCommand({ Bucket: b, Key: 'missing' }), name: 'NotFound', status: 404 },
      { reason: 'GetObject in a missing bucket', call: () => new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' }), name: 'NoSuchBucket', status: 404 },
      { reason: 'PutObject in a missing bucket', call: () => new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'x' }), name: 'NoSuchBucket', status: 404 },
      { reason: 'ListObjectsV2 of a missing bucket', call: () => new ListObjectsV2Command({ Bucket: 'no-such-bucket' }), name: 'NoSuchBucket', status: 404 },
      { reason: 'DeleteObject in a missing bucket', call: () => new DeleteObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' }), name: 'NoSuchBucket', status: 404 },
      {
        reason: 'PutObject with a Content-MD5 that does not match the body',
        call: (b) => new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x', ContentMD5: createHash('md5').update('y').digest('base64') }),
        name: 'BadDigest',
        status: 400,
      },
      { reason: 'PutObject with a CRC32 that does not match the body', call: (b) => new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x', ChecksumCRC32: 'AAAAAA==' }), name: 'BadDigest', status: 400 },
      { reason: 'PutObject with a key over 1,024 UTF-8 bytes', call: (b) => new PutObjectCommand({ Bucket: b, Key: 'é'.repeat(513), Body: 'x' }), name: 'KeyTooLongError', status: 400 },
      { reason: 'ListObjectsV2 with a made-up continuation token', call: (b) => new ListObjectsV2Command({ Bucket: b, ContinuationToken: 'bm90LWEtdG9rZW4=' }), name: 'InvalidArgument', status: 400 },
      { reason: 'ListObjectsV2 with a Delimiter, which the model does not serve', call: (b) => new ListObjectsV2Command({ Bucket: b, Delimiter: '/' }), name: 'NotImplemented', status: 501 },
      { reason: 'GetObject with a Range, which the model does not serve', call: (b) => new GetObjectCommand({ Bucket: b, Key: 'k', Range: 'bytes=0-1' }), name: 'NotImplemented', status: 501 },
    ];
    for (const { reason, call, name, status } of cases) {
      it(`answers ${name} (${status}) for ${reason}`, async () => {
        const bucket = await harness.freshBucket();
        const error = await errorOf(harness.client.send(call(bucket) as GetObjectCommand));
        expect(error.name).to.equal(name);
        expect(error.$metadata?.httpStatusCode).to.equal(status);
      });
    }
  });

  describe('ListObjectsV2', () => {
    const KEY_COUNT = 1_050;
    const chunkKeys = Array.from({ length: KEY_COUNT }, (_, index) => `runs/r1/chunk-${String(index).padStart(4, '0')}.json`);
    let bucket: string;
    before(async () => {
      bucket = await harness.freshBucket();
      // Put in reverse so the order of the listing cannot come from the order of the writes.
      await putAll(harness.client, bucket, [...chunkKeys].reverse());
      await putAll(harness.client, bucket, ['runs/r10/chunk-0000.json', 'runs/r2/chunk-0000.json', 'reports/r1.json', 'reports/r1.md']);
    });

    it('pages through every key with MaxKeys 100, chaining continuation tokens, when 1,050 keys match', async () => {
      // Act
      const pages: ListObjectsV2CommandOutput[] = [];
      let token: string | undefined;
      do {
        const page = await harness.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'runs/r1/', MaxKeys: 100, ContinuationToken: token }));
        pages.push(page);
        token = page.NextContinuationToken;
      } while (token);
      // Assess
      expect(pages.map((page) => page.KeyCount)).to.deep.equal([100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 50]);
      expect(pages.map((page) => page.IsTruncated)).to.deep.equal([...Array(10).fill(true), false]);
      expect(pages.every((page) => page.MaxKeys === 100 && page.Prefix === 'runs/r1/')).to.equal(true);
      expect(pages[0]!.ContinuationToken).to.equal(undefined);
      expect(pages[1]!.ContinuationToken).to.equal(pages[0]!.NextContinuationToken);
      expect(pages.flatMap((page) => page.Contents!.map((object) => object.Key))).to.deep.equal(chunkKeys);
    });

    it('returns at most 1,000 keys and IsTruncated when MaxKeys is not given', async () => {
      const page = await harness.client.send(new ListObjectsV2Command({ Bucket: bucket }));
      expect(page).to.include({ KeyCount: 1000, MaxKeys: 1000, IsTruncated: true });
      expect(page.NextContinuationToken).to.be.a('string');
    });

    it('describes each object with its size, ETag, LastModified and storage class', async () => {
      const page = await harness.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'reports/r1.json', FetchOwner: true }));
      const [object] = page.Contents!;
      expect(object).to.include({ Key: 'reports/r1.json', Size: 'reports/r1.json'.length, ETag: md5('reports/r1.json'), StorageClass: 'STANDARD' });
      expect(object!.LastModified).to.be.instanceOf(Date);
      expect(object!.Owner?.ID).to.match(/^[0-9a-f]{64}$/);
    });

    const prefixes = [
      { prefix: 'runs/r1/', count: 1_050, reason: 'the trailing slash excludes runs/r10/' },
      { prefix: 'runs/r1', count: 1_051, reason: 'without the slash, runs/r10/ matches too' },
      { prefix: 'runs/r2/', count: 1, reason: 'another run' },
      { prefix: 'reports/', count: 2, reason: 'reports sit beside the scratch chunks' },
      { prefix: 'nothing/', count: 0, reason: 'no key has it' },
    ];
    for (const { prefix, count, reason } of prefixes) {
      it(`lists ${count} keys when the prefix is '${prefix}' (${reason})`, async () => {
        let total = 0;
        let token: string | undefined;
        do {
          const page = await harness.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
          expect((page.Contents ?? []).every((object) => object.Key!.startsWith(prefix))).to.equal(true);
          total += page.KeyCount!;
          token = page.NextContinuationToken;
        } while (token);
        expect(total).to.equal(count);
      });
    }

    const startAfter = [
      { startAfter: 'runs/r1/chunk-1047.json', prefix: 'runs/r1/', expected: ['runs/r1/chunk-1048.json', 'runs/r1/chunk-1049.json'], reason: 'an existing key' },
      { startAfter: 'runs/r1/chunk-1047.jsonz', prefix: 'runs/r1/', expected: ['runs/r1/chunk-1048.json', 'runs/r1/chunk-1049.json'], reason: 'a key that does not exist' },
      { startAfter: 'runs/r1/chunk-1049.json', prefix: 'runs/r1/', expected: [], reason: 'the last key' },
      { startAfter: 'a', prefix: 'reports/', expected: ['reports/r1.json', 'reports/r1.md'], reason: 'a key before the prefix' },
    ];
    for (const { startAfter: after, prefix, expected, reason } of startAfter) {
      it(`lists the keys after StartAfter and echoes it when StartAfter is ${reason}`, async () => {
        const page = await harness.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, StartAfter: after }));
        expect((page.Contents ?? []).map((object) => object.Key)).to.deep.equal(expected);
        expect(page.StartAfter).to.equal(after);
      });
    }

    it('lists keys in UTF-8 binary order, not JavaScript string order, when keys mix scripts and cases', async () => {
      // Prepare: '～' (U+FF5E, UTF-8 EF BD 9E) sorts before '😀' (U+1F600, F0 9F 98 80) in UTF-8, after it in UTF-16.
      const sortBucket = await harness.freshBucket();
      const expected = ['a-b', 'a/b', 'a0', 'aB', 'ab', 'é', '日本', '～', '😀'];
      await putAll(harness.client, sortBucket, [...expected].reverse());
      // Act
      const keys = await listedKeys(harness.client, { Bucket: sortBucket });
      // Assess
      expect(keys).to.deep.equal(expected);
      expect([...expected].sort()).to.not.deep.equal(expected);
    });
  });
});
