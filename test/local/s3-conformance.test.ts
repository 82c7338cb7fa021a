/**
 * The local S3 (local/s3.ts) against the official API model (../shared/aws-models/s3.service-2.json, the service
 * definition AWS publishes for its SDKs), generated, not re-typed, through the real S3Client:
 * - every request member of the six served operations is either served (sent in a baseline that succeeds, or by a
 *   named test) or refused with NotImplemented, never silently ignored;
 * - every constraint the model gives a member of a baseline is broken once (S3's model has few: enums, Key min 1);
 *   the answer must be an error the operation declares or one of S3's common errors, with its documented status;
 * - every error the local S3 answers is provoked by a named situation, with a name the operation declares or a
 *   common error (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList);
 * - ListObjectsV2 pagination as API_ListObjectsV2.html describes it.
 * Where the local S3 deliberately does less, DELIBERATE_GAPS says so, checked both ways.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import * as s3sdk from '@aws-sdk/client-s3';
import { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { LocalAuthorizer, type LocalPrincipal } from '../../local/iam/authorizer';
import { startLocalS3, type LocalS3 } from '../../local/s3';
import { S3_ERRORS } from '../../local/s3/errors';
import type { Operation } from '../../local/s3/routes';
import {
  constraintCases,
  declaredErrors,
  deliberateGaps,
  itRejectsEachBrokenConstraint,
  loadApiModel,
  outcomeOf,
  type MemberRef,
  type SdkError,
} from '../support/api-model';

const API = loadApiModel('s3');

type Input = Record<string, unknown>;

/**
 * The S3 error codes the local S3 answers, with the HTTP status of each in the ErrorCodeList of
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html. S3 declares few errors per operation in its
 * model; any operation may answer these.
 */
const COMMON_ERRORS: Record<string, number> = {
  AccessDenied: 403,
  BadDigest: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidDigest: 400,
  InvalidRequest: 400,
  InvalidStorageClass: 400,
  KeyTooLongError: 400,
  MalformedXML: 400,
  MissingContentLength: 411,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NotImplemented: 501,
  XAmzContentSHA256Mismatch: 400,
};

const BUCKET = 'conformance';
const EXISTING = 'existing.txt';
const BODY = 'body';
const base64 = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('base64');
/** The x-amz-checksum-crc32 encoding: the CRC32 big-endian, in base64. */
const crc32Of = (text: string) => {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(crc32(text));
  return value.toString('base64');
};
const EXPIRES = new Date('2030-01-01T00:00:00.000Z');
const LATER = new Date('2031-01-01T00:00:00.000Z');

/** A request of each served operation that succeeds, carrying every member the local S3 serves on it. */
const BASELINES: Record<Operation, (n: number) => Input> = {
  CreateBucket: (n) => ({ Bucket: `conformance-new-${n}` }),
  ListObjectsV2: () => ({ Bucket: BUCKET, Prefix: 'e', MaxKeys: 10, StartAfter: 'a', FetchOwner: true }),
  PutObject: (n) => ({
    Bucket: BUCKET,
    Key: `put/${n}`,
    Body: BODY,
    ContentLength: BODY.length,
    ContentMD5: base64('md5', BODY),
    ContentType: 'text/plain',
    CacheControl: 'no-cache',
    ContentDisposition: 'attachment; filename="report.txt"',
    ContentEncoding: 'gzip',
    ContentLanguage: 'en',
    Expires: EXPIRES,
    ChecksumAlgorithm: 'SHA256',
    ChecksumSHA256: base64('sha256', BODY),
    Metadata: { team: 'platform' },
    StorageClass: 'STANDARD',
  }),
  GetObject: () => ({ Bucket: BUCKET, Key: EXISTING, ChecksumMode: 'ENABLED' }),
  HeadObject: () => ({ Bucket: BUCKET, Key: EXISTING, ChecksumMode: 'ENABLED' }),
  DeleteObject: (n) => ({ Bucket: BUCKET, Key: `doomed/${n}` }),
};

/** Served members a baseline cannot carry, with the test that serves them. */
const SERVED_ELSEWHERE: Record<string, string> = {
  'ListObjectsV2.ContinuationToken': 'the pagination tests',
  'PutObject.ChecksumCRC32': 'the checksum test (one checksum per request)',
  'PutObject.ChecksumSHA1': 'the checksum test (one checksum per request)',
};

/**
 * Members the local S3 refuses with NotImplemented (501), each with a valid value to send and why it is not served.
 * Every member of a served operation is in its baseline, in SERVED_ELSEWHERE or here.
 */
const acl = { value: 'private', reason: 'no ACLs (buckets are BucketOwnerEnforced)' };
const grant = { value: 'id=0123456789abcdef', reason: 'no ACLs (buckets are BucketOwnerEnforced)' };
const payer = { value: 'requester', reason: 'no Requester Pays' };
const owner = { value: '123456789012', reason: 'one account' };
const conditional = (value: unknown) => ({ value, reason: 'no conditional requests' });
const ssec = (value: string) => ({ value, reason: 'no SSE-C (objects are SSE-S3)' });
const unverified = (value: string) => ({ value, reason: 'a checksum the model does not compute' });
const overrides = (value: unknown) => ({ value, reason: 'no response header overrides' });
const version = { value: 'null', reason: 'no versioning' };
const part = { value: 1, reason: 'no multipart uploads' };
const range = { value: 'bytes=0-1', reason: 'no ranged reads' };
const objectRead: Record<string, { value: unknown; reason: string }> = {
  IfMatch: conditional('"0"'),
  IfModifiedSince: conditional(EXPIRES),
  IfNoneMatch: conditional('"0"'),
  IfUnmodifiedSince: conditional(EXPIRES),
  Range: range,
  ResponseCacheControl: overrides('no-store'),
  ResponseContentDisposition: overrides('inline'),
  ResponseContentEncoding: overrides('identity'),
  ResponseContentLanguage: overrides('fr'),
  ResponseContentType: overrides('text/csv'),
  ResponseExpires: overrides(EXPIRES),
  VersionId: version,
  SSECustomerAlgorithm: ssec('AES256'),
  SSECustomerKey: ssec('k'.repeat(32)),
  SSECustomerKeyMD5: ssec(base64('md5', 'k'.repeat(32))),
  RequestPayer: payer,
  PartNumber: part,
  ExpectedBucketOwner: owner,
};
const REFUSED: Record<Operation, Record<string, { value: unknown; reason: string }>> = {
  CreateBucket: {
    ACL: acl,
    CreateBucketConfiguration: { value: { LocationConstraint: 'eu-west-1' }, reason: 'us-east-1 general purpose buckets only, no tags' },
    GrantFullControl: grant,
    GrantRead: grant,
    GrantReadACP: grant,
    GrantWrite: grant,
    GrantWriteACP: grant,
    ObjectLockEnabledForBucket: { value: true, reason: 'no Object Lock' },
    ObjectOwnership: { value: 'ObjectWriter', reason: 'no ACLs (buckets are BucketOwnerEnforced)' },
    BucketNamespace: { value: 'account-regional', reason: 'the global namespace only' },
  },
  ListObjectsV2: {
    Delimiter: { value: '/', reason: 'no CommonPrefixes' },
    EncodingType: { value: 'url', reason: 'keys are returned as they are' },
    RequestPayer: payer,
    ExpectedBucketOwner: owner,
    OptionalObjectAttributes: { value: ['RestoreStatus'], reason: 'no archived objects' },
  },
  PutObject: {
    ACL: acl,
    ChecksumCRC32C: unverified('AAAAAA=='),
    ChecksumCRC64NVME: unverified('AAAAAAAAAAA='),
    ChecksumSHA512: unverified(base64('sha512', BODY)),
    ChecksumMD5: unverified(base64('md5', BODY)),
    ChecksumXXHASH64: unverified('AAAAAAAAAAA='),
    ChecksumXXHASH3: unverified('AAAAAAAAAAA='),
    ChecksumXXHASH128: unverified('AAAAAAAAAAAAAAAAAAAAAA=='),
    IfMatch: conditional('"0"'),
    IfNoneMatch: conditional('*'),
    GrantFullControl: grant,
    GrantRead: grant,
    GrantReadACP: grant,
    GrantWriteACP: grant,
    WriteOffsetBytes: { value: 0, reason: 'no appends (directory buckets)' },
    ServerSideEncryption: { value: 'aws:kms', reason: 'objects are SSE-S3 whatever is asked' },
    WebsiteRedirectLocation: { value: '/elsewhere', reason: 'no website hosting' },
    SSECustomerAlgorithm: ssec('AES256'),
    SSECustomerKey: ssec('k'.repeat(32)),
    SSECustomerKeyMD5: ssec(base64('md5', 'k'.repeat(32))),
    SSEKMSKeyId: { value: 'alias/reports', reason: 'no SSE-KMS' },
    SSEKMSEncryptionContext: { value: Buffer.from('{}').toString('base64'), reason: 'no SSE-KMS' },
    BucketKeyEnabled: { value: true, reason: 'no SSE-KMS' },
    RequestPayer: payer,
    Tagging: { value: 'team=platform', reason: 'no object tags' },
    ObjectLockMode: { value: 'GOVERNANCE', reason: 'no Object Lock' },
    ObjectLockRetainUntilDate: { value: LATER, reason: 'no Object Lock' },
    ObjectLockLegalHoldStatus: { value: 'ON', reason: 'no Object Lock' },
    ExpectedBucketOwner: owner,
  },
  GetObject: objectRead,
  HeadObject: objectRead,
  DeleteObject: {
    MFA: { value: 'arn:aws:iam::123456789012:mfa/root 123456', reason: 'no versioning, so no MFA delete' },
    VersionId: version,
    RequestPayer: payer,
    BypassGovernanceRetention: { value: true, reason: 'no Object Lock' },
    ExpectedBucketOwner: owner,
    IfMatch: conditional('"0"'),
    IfMatchLastModifiedTime: conditional(EXPIRES),
    IfMatchSize: conditional(4),
  },
};

/** The smallest request of each operation that succeeds, to which a refused member is added alone. */
const MINIMAL: Record<Operation, (n: number) => Input> = {
  CreateBucket: (n) => ({ Bucket: `conformance-refused-${n}` }),
  ListObjectsV2: () => ({ Bucket: BUCKET }),
  PutObject: (n) => ({ Bucket: BUCKET, Key: `refused/${n}`, Body: BODY }),
  GetObject: () => ({ Bucket: BUCKET, Key: EXISTING }),
  HeadObject: () => ({ Bucket: BUCKET, Key: EXISTING }),
  DeleteObject: (n) => ({ Bucket: BUCKET, Key: `refused/${n}` }),
};

/**
 * An HTTP label (`location: uri`) cannot be left out: the SDK refuses before sending ("No value provided for input
 * HTTP label"), which a test below proves for each. An empty Key can be sent (it is a greedy label, `{Key+}`), so the
 * `Key length ≥ 1` cases are generated and sent. They arrive as requests on the bucket, which S3 would serve as
 * other operations (`GET /<bucket>/` is ListObjects, `HEAD` HeadBucket, `DELETE` DeleteBucket): the local S3 serves
 * none of those and answers NotImplemented; PutObject's arrives as a CreateBucket whose body is the object, refused
 * with MalformedXML.
 */
const sdkCannotSend = (_member: string, ref: MemberRef, constraint: 'required' | 'min-length') => ref.location === 'uri' && constraint === 'required';

/**
 * Constraints the local S3 does not enforce, on purpose, by `Operation.path constraint`. Checked both ways: a listed
 * gap the local S3 in fact enforces fails its test.
 */
const DELIBERATE_GAPS: Record<string, string> = {
  'GetObject.ChecksumMode enum':
    'S3 documents only ENABLED and not its answer to another value; the local S3 treats any other value as not ENABLED (no checksum returned), so a caller is never refused here that S3 might serve',
  'HeadObject.ChecksumMode enum': 'as GetObject.ChecksumMode: any value other than ENABLED is read as not ENABLED',
};

const casesFor = (operation: Operation) => constraintCases(API, operation, BASELINES[operation](0), { skip: sdkCannotSend });
const OPERATIONS = Object.keys(BASELINES) as Operation[];

/** The HTTP status S3 answers `code` with: the ErrorCodeList's, or the model's for an error only the model lists. */
function statusOf(code: string): number | undefined {
  return COMMON_ERRORS[code] ?? API.shapes[code]?.error?.httpStatusCode;
}

function allowedCodes(operation: Operation): string[] {
  return [...declaredErrors(API, operation), ...Object.keys(COMMON_ERRORS)];
}

/**
 * The answer is `code` (or, without one, any allowed code), declared by the operation or common, with its status. A
 * HEAD response has no body (RFC 9110 §9.3.2) in S3 as here, so the SDK names a HeadObject error after the status
 * alone (`NotFound`, `Forbidden`, ...): for HeadObject only the status can be checked.
 */
function expectAllowedError(operation: Operation, outcome: SdkError | undefined, code?: string): void {
  expect(outcome, `${operation} succeeded`).to.not.equal(undefined);
  const status = outcome!.$metadata?.httpStatusCode;
  if (code !== undefined) {
    expect(allowedCodes(operation), `${code} is neither declared by ${operation} nor a common S3 error`).to.include(code);
    expect(status, `${code} is answered with ${statusOf(code)}`).to.equal(statusOf(code));
    if (operation !== 'HeadObject') expect(outcome!.name).to.equal(code);
    return;
  }
  if (operation === 'HeadObject') {
    expect(allowedCodes(operation).map(statusOf)).to.include(status);
    return;
  }
  expect(allowedCodes(operation), `${outcome!.name} (${outcome!.message})`).to.include(outcome!.name);
  expect(status).to.equal(statusOf(outcome!.name));
}

interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

function isWireRequest(request: unknown): request is WireRequest {
  return typeof request === 'object' && request !== null && 'headers' in request && 'path' in request;
}

describe('local S3 conforms to the official API model', function () {
  this.timeout(20_000);
  let s3: LocalS3;
  let client: S3Client;
  let n = 0;
  /** Requests the client put on the wire (counted after signing). */
  let sent = 0;

  /**
   * Runs `observe` on every request `through` puts on the wire: last of the finalizeRequest step, so after signing
   * (the unsigned and XAmzContentSHA256Mismatch situations below fail if it ever ran before).
   */
  function onWire(through: S3Client, name: string, observe: (request: WireRequest) => void): void {
    through.middlewareStack.add(
      (next) => async (args) => {
        if (isWireRequest(args.request)) observe(args.request);
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name },
    );
  }

  /**
   * A client whose signed requests `tamper` changes on their way out: for faults the SDK never makes itself. Its
   * logger is silent: the SDK warns when a PutObject leaves without Content-Length, which is the point of one of them.
   */
  function tampering(tamper: (request: WireRequest) => void): S3Client {
    const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
    const tampered = new S3Client({ ...s3.clientConfig(), maxAttempts: 1, logger: silent });
    onWire(tampered, 'tamper', tamper);
    return tampered;
  }

  before(async () => {
    s3 = await startLocalS3();
    client = new S3Client({ ...s3.clientConfig(), maxAttempts: 1 });
    onWire(client, 'countSent', () => {
      sent += 1;
    });
    await s3.createBucket(BUCKET);
    await client.send(new s3sdk.PutObjectCommand({ Bucket: BUCKET, Key: EXISTING, Body: BODY, ChecksumAlgorithm: 'SHA256' }));
  });
  after(async () => {
    client.destroy();
    await s3.close();
  });

  /** Sends `operation` with `input` through the real SDK command of that name. */
  function send(operation: Operation, input: Input, through: S3Client = client): Promise<unknown> {
    const Command = (s3sdk as unknown as Record<string, new (input: unknown) => s3sdk.GetObjectCommand>)[`${operation}Command`]!;
    return through.send(new Command(input));
  }

  /** A fresh request from `requests`, with the object a DeleteObject removes put first. */
  async function prepare(operation: Operation, requests: Record<Operation, (n: number) => Input>): Promise<Input> {
    const input = structuredClone(requests[operation](++n));
    if (operation === 'DeleteObject') await client.send(new s3sdk.PutObjectCommand({ Bucket: BUCKET, Key: input.Key as string, Body: BODY }));
    return input;
  }

  describe('request members', () => {
    for (const operation of OPERATIONS) {
      it(`accepts the baseline ${operation}, which carries every member it serves`, async () => {
        await send(operation, await prepare(operation, BASELINES));
      });

      it(`classifies every request member of ${operation} in the model as served or refused`, () => {
        const members = Object.keys(API.shapes[API.operations[operation]!.input!.shape]!.members!);
        const served = [...Object.keys(BASELINES[operation](0)), ...Object.keys(SERVED_ELSEWHERE).filter((k) => k.startsWith(`${operation}.`)).map((k) => k.split('.')[1]!)];
        const refused = Object.keys(REFUSED[operation]);
        expect(served.filter((member) => refused.includes(member)), 'both served and refused').to.deep.equal([]);
        expect([...served, ...refused]).to.have.members(members);
      });

      for (const [member, { value, reason }] of Object.entries(REFUSED[operation])) {
        it(`answers NotImplemented to ${operation}.${member} (${reason})`, async () => {
          const input = await prepare(operation, MINIMAL);
          input[member] = value;
          expectAllowedError(operation, await outcomeOf(send(operation, input)), 'NotImplemented');
        });
      }
    }

    it('stores and returns what the baseline PutObject sends (representation headers, metadata, checksum, storage class)', async () => {
      // Prepare
      const input = BASELINES.PutObject(++n);
      // Act
      await send('PutObject', input);
      const head = await client.send(new s3sdk.HeadObjectCommand({ Bucket: BUCKET, Key: input.Key as string, ChecksumMode: 'ENABLED' }));
      const listed = await client.send(new s3sdk.ListObjectsV2Command({ Bucket: BUCKET, Prefix: input.Key as string }));
      // Assess
      expect(head).to.include({
        ContentType: 'text/plain',
        CacheControl: 'no-cache',
        ContentDisposition: 'attachment; filename="report.txt"',
        ContentEncoding: 'gzip',
        ContentLanguage: 'en',
        ChecksumSHA256: base64('sha256', BODY),
        ContentLength: BODY.length,
      });
      expect(head.Expires?.toISOString()).to.equal(EXPIRES.toISOString());
      expect(head.Metadata).to.deep.equal({ team: 'platform' });
      expect(listed.Contents?.map((object) => object.StorageClass)).to.deep.equal(['STANDARD']);
    });

    const checksums = [
      { member: 'ChecksumCRC32', value: crc32Of(BODY) },
      { member: 'ChecksumSHA1', value: base64('sha1', BODY) },
    ];
    for (const { member, value } of checksums) {
      it(`stores and returns ${member} when a PutObject sends it (and refuses a wrong one with BadDigest)`, async () => {
        const key = `checksum/${member}`;
        await send('PutObject', { Bucket: BUCKET, Key: key, Body: BODY, [member]: value });
        const head = await client.send(new s3sdk.HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
        expect((head as unknown as Input)[member]).to.equal(value);
        expectAllowedError('PutObject', await outcomeOf(send('PutObject', { Bucket: BUCKET, Key: key, Body: 'other', [member]: value })), 'BadDigest');
      });
    }

    it('stores no Content-Encoding when the only encoding is aws-chunked (how the payload travelled, not the object)', async () => {
      // A stream body of unknown length goes out aws-chunked with a trailing checksum.
      await client.send(new s3sdk.PutObjectCommand({ Bucket: BUCKET, Key: 'chunked', Body: Readable.from([Buffer.from(BODY)]), ContentLength: BODY.length, ChecksumAlgorithm: 'CRC32' }));
      const head = await client.send(new s3sdk.HeadObjectCommand({ Bucket: BUCKET, Key: 'chunked' }));
      expect(head.ContentEncoding).to.equal(undefined);
      expect(head.ContentLength).to.equal(BODY.length);
    });

    const storageClasses = API.shapes.StorageClass!.enum!.filter((storageClass) => storageClass !== 'STANDARD');
    it(`answers NotImplemented, not InvalidStorageClass, to each of the model's ${storageClasses.length} other storage classes`, async () => {
      for (const storageClass of storageClasses) {
        const outcome = await outcomeOf(send('PutObject', { Bucket: BUCKET, Key: `class/${storageClass}`, Body: BODY, StorageClass: storageClass }));
        expect(outcome?.name, storageClass).to.equal('NotImplemented');
      }
    });
  });

  describe('constraints of the model', () => {
    for (const operation of OPERATIONS) {
      itRejectsEachBrokenConstraint({
        cases: casesFor(operation),
        gaps: deliberateGaps(DELIBERATE_GAPS, 'the local S3'),
        prepare: () => prepare(operation, BASELINES),
        send: (input) => send(operation, input),
        title: (c) => `answers an error ${operation} declares, or a common one, when ${operation}.${c.path.join('.')} breaks ${c.constraint}`,
        expectRejection: (outcome) => expectAllowedError(operation, outcome),
      });

      const labels = Object.entries(API.shapes[API.operations[operation]!.input!.shape]!.members!).filter(([, ref]) => ref.location === 'uri');
      for (const [member] of labels) {
        it(`cannot send ${operation} without ${member}: the SDK refuses before any request (so no case is generated)`, async () => {
          const input = await prepare(operation, BASELINES);
          delete input[member];
          const sentBefore = sent;
          const outcome = await outcomeOf(send(operation, input));
          expect(outcome?.message).to.match(new RegExp(`No value provided for input HTTP label: ${member}`));
          expect(sent).to.equal(sentBefore);
        });
      }
    }

    it('generates a case for every constrained member the baselines carry (the generator is not empty)', () => {
      expect(OPERATIONS.flatMap(casesFor).map((c) => c.key)).to.include.members([
        'PutObject.Key length ≥ 1',
        'PutObject.StorageClass enum',
        'PutObject.ChecksumAlgorithm enum',
        'GetObject.Key length ≥ 1',
        'GetObject.ChecksumMode enum',
        'HeadObject.Key length ≥ 1',
        'DeleteObject.Key length ≥ 1',
      ]);
    });
  });

  describe('errors', () => {
    const nobody: LocalPrincipal = {
      name: 'nobody',
      roleArn: 'arn:aws:iam::123456789012:role/nobody',
      sessionArn: 'arn:aws:sts::123456789012:assumed-role/nobody/nobody',
      accessKeyId: 'AKIANOBODY0000000001',
      secretAccessKey: 'secret-nobody',
      policies: [],
    };
    // An Effect that is neither Allow nor Deny: iam-simulate cannot evaluate it, the authorizer's defect case.
    const broken: LocalPrincipal = {
      ...nobody,
      name: 'broken',
      accessKeyId: 'AKIABROKEN0000000001',
      policies: [{ name: 'broken', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Perhaps', Action: 's3:*', Resource: '*' }] } }],
    };
    const stranger = { accessKeyId: 'AKIASTRANGER00000001', secretAccessKey: 'secret' };

    /** Each error the local S3 answers, by the situation that causes it, sent through the real client. */
    const SITUATIONS: Array<{ operation: Operation; situation: string; input: Input; error: string; via?: () => S3Client }> = [
      { operation: 'CreateBucket', situation: 'the name breaks the naming rules', input: { Bucket: 'ab' }, error: 'InvalidBucketName' },
      { operation: 'ListObjectsV2', situation: 'the bucket does not exist', input: { Bucket: 'absent-bucket' }, error: 'NoSuchBucket' },
      { operation: 'ListObjectsV2', situation: 'MaxKeys is negative', input: { Bucket: BUCKET, MaxKeys: -1 }, error: 'InvalidArgument' },
      { operation: 'PutObject', situation: 'the bucket does not exist', input: { Bucket: 'absent-bucket', Key: 'k', Body: BODY }, error: 'NoSuchBucket' },
      {
        operation: 'PutObject',
        situation: 'the Key is empty (it goes out as `PUT /<bucket>/`, a CreateBucket with the object as its body, and must not pass for one)',
        input: { Bucket: BUCKET, Key: '', Body: BODY },
        error: 'MalformedXML',
      },
      { operation: 'PutObject', situation: 'the key is over 1,024 UTF-8 bytes', input: { Bucket: BUCKET, Key: 'é'.repeat(513), Body: BODY }, error: 'KeyTooLongError' },
      { operation: 'PutObject', situation: 'Content-MD5 is not the body’s', input: { Bucket: BUCKET, Key: 'k', Body: BODY, ContentMD5: base64('md5', 'other') }, error: 'BadDigest' },
      { operation: 'PutObject', situation: 'Content-MD5 is not an MD5', input: { Bucket: BUCKET, Key: 'k', Body: BODY, ContentMD5: 'abc=' }, error: 'InvalidDigest' },
      {
        operation: 'PutObject',
        situation: 'two checksums are sent',
        input: { Bucket: BUCKET, Key: 'k', Body: BODY, ChecksumCRC32: crc32Of(BODY), ChecksumSHA1: base64('sha1', BODY) },
        error: 'InvalidArgument',
      },
      {
        operation: 'PutObject',
        situation: 'x-amz-sdk-checksum-algorithm names no algorithm',
        input: { Bucket: BUCKET, Key: 'k', Body: BODY, ChecksumAlgorithm: 'ROT13', ChecksumSHA256: base64('sha256', BODY) },
        error: 'InvalidRequest',
      },
      {
        operation: 'PutObject',
        situation: 'x-amz-sdk-checksum-algorithm names another algorithm than the checksum sent (as the model documents)',
        input: { Bucket: BUCKET, Key: 'k', Body: BODY, ChecksumAlgorithm: 'SHA1', ChecksumSHA256: base64('sha256', BODY) },
        error: 'BadDigest',
      },
      { operation: 'PutObject', situation: 'the storage class is not one', input: { Bucket: BUCKET, Key: 'k', Body: BODY, StorageClass: 'PLATINUM' }, error: 'InvalidStorageClass' },
      {
        operation: 'PutObject',
        situation: 'the body is not the one x-amz-content-sha256 was computed over',
        input: { Bucket: BUCKET, Key: 'k', Body: BODY },
        error: 'XAmzContentSHA256Mismatch',
        via: () =>
          tampering((request) => {
            request.body = 'bodx';
          }),
      },
      {
        operation: 'PutObject',
        situation: 'an aws-chunked body ends inside a chunk',
        input: { Bucket: BUCKET, Key: 'k', Body: BODY },
        error: 'IncompleteBody',
        via: () =>
          tampering((request) => {
            request.body = '10\r\nshort';
            request.headers['content-encoding'] = 'aws-chunked';
            request.headers['content-length'] = String('10\r\nshort'.length);
          }),
      },
      {
        operation: 'PutObject',
        situation: 'there is no Content-Length and the body is not aws-chunked',
        input: { Bucket: BUCKET, Key: 'k', Body: BODY },
        error: 'MissingContentLength',
        via: () =>
          tampering((request) => {
            delete request.headers['content-length'];
            request.body = Readable.from([Buffer.from(BODY)]);
          }),
      },
      { operation: 'PutObject', situation: 'a member it does not serve is sent (Tagging)', input: { Bucket: BUCKET, Key: 'k', Body: BODY, Tagging: 'a=b' }, error: 'NotImplemented' },
      { operation: 'GetObject', situation: 'the bucket does not exist', input: { Bucket: 'absent-bucket', Key: 'k' }, error: 'NoSuchBucket' },
      { operation: 'GetObject', situation: 'the key does not exist', input: { Bucket: BUCKET, Key: 'absent' }, error: 'NoSuchKey' },
      { operation: 'HeadObject', situation: 'the bucket does not exist', input: { Bucket: 'absent-bucket', Key: 'k' }, error: 'NoSuchBucket' },
      { operation: 'HeadObject', situation: 'the key does not exist', input: { Bucket: BUCKET, Key: 'absent' }, error: 'NoSuchKey' },
      { operation: 'DeleteObject', situation: 'the bucket does not exist', input: { Bucket: 'absent-bucket', Key: 'k' }, error: 'NoSuchBucket' },
      {
        operation: 'GetObject',
        situation: 'the request is not signed (S3 refuses anonymous requests to a private bucket)',
        input: { Bucket: BUCKET, Key: EXISTING },
        error: 'AccessDenied',
        via: () =>
          tampering((request) => {
            delete request.headers.authorization;
          }),
      },
    ];

    for (const { operation, situation, input, error, via } of SITUATIONS) {
      it(`answers ${error} to ${operation} when ${situation}`, async () => {
        const through = via?.();
        try {
          expectAllowedError(operation, await outcomeOf(send(operation, structuredClone(input), through)), error);
        } finally {
          through?.destroy();
        }
      });
    }

    /** The IAM answers (local/s3/authorize.ts), for every operation: a caller with no grant, an unknown key, a policy the authorizer cannot evaluate. */
    const IAM = [
      { error: 'AccessDenied', caller: nobody },
      { error: 'InvalidAccessKeyId', caller: stranger },
      { error: 'InternalError', caller: broken },
    ];
    for (const operation of OPERATIONS) {
      it(`answers AccessDenied, InvalidAccessKeyId and InternalError to ${operation} as S3 answers them with IAM in the loop`, async () => {
        const inputs = [];
        for (let i = 0; i < IAM.length; i++) inputs.push(await prepare(operation, MINIMAL));
        s3.enforce(new LocalAuthorizer({ accountId: '123456789012', principals: [nobody, broken] }));
        try {
          for (const [i, { error, caller }] of IAM.entries()) {
            const as = new S3Client({ ...s3.clientConfig(caller), maxAttempts: 1 });
            try {
              expectAllowedError(operation, await outcomeOf(send(operation, inputs[i]!, as)), error);
            } finally {
              as.destroy();
            }
          }
        } finally {
          s3.enforce(undefined);
        }
      });
    }

    it('answers only documented S3 error codes, each with the documented status', () => {
      for (const [code, { status }] of Object.entries(S3_ERRORS)) expect(COMMON_ERRORS[code], code).to.equal(status);
    });

    it('provokes every error code the local S3 can answer in a situation above (none untested)', () => {
      const provoked = new Set([...SITUATIONS.map((s) => s.error), ...IAM.map((i) => i.error)]);
      expect([...provoked]).to.include.members(Object.keys(S3_ERRORS));
    });
  });

  describe('ListObjectsV2 pagination', () => {
    /** Keys whose UTF-8 order differs from JavaScript's UTF-16 order (U+E000 sorts before an astral character in UTF-8). */
    const KEYS = ['a', 'B', 'b/1', 'b/2', '~', 'é', '\u{E000}', '😀', 'z z', 'a/deep/key'];
    const utf8Order = [...KEYS].sort((x, y) => Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8')));
    const PAGED = 'conformance-paged';
    const THOUSAND = 'conformance-thousand';

    before(async () => {
      await s3.createBucket(PAGED);
      await s3.createBucket(THOUSAND);
      await Promise.all(KEYS.map((key) => client.send(new s3sdk.PutObjectCommand({ Bucket: PAGED, Key: key, Body: key }))));
      const thousand = Array.from({ length: 1001 }, (_, i) => `k${String(i).padStart(4, '0')}`);
      // Batches of 50: quick without exhausting sockets.
      for (let i = 0; i < thousand.length; i += 50) {
        await Promise.all(thousand.slice(i, i + 50).map((key) => client.send(new s3sdk.PutObjectCommand({ Bucket: THOUSAND, Key: key, Body: key }))));
      }
    });

    async function everyKey(input: s3sdk.ListObjectsV2CommandInput): Promise<{ keys: string[]; pages: number }> {
      const keys: string[] = [];
      let pages = 0;
      let token: string | undefined;
      do {
        const page = await client.send(new s3sdk.ListObjectsV2Command({ ...input, ContinuationToken: token }));
        pages += 1;
        keys.push(...(page.Contents ?? []).map((object) => object.Key!));
        expect(page.KeyCount).to.equal(page.Contents?.length ?? 0);
        expect(page.IsTruncated).to.equal(page.NextContinuationToken !== undefined);
        token = page.NextContinuationToken;
      } while (token !== undefined);
      return { keys, pages };
    }

    for (const maxKeys of [1, 3, 1000]) {
      it(`visits every key once, in UTF-8 binary order, following ContinuationToken with MaxKeys ${maxKeys}`, async () => {
        const { keys, pages } = await everyKey({ Bucket: PAGED, MaxKeys: maxKeys });
        expect(keys).to.deep.equal(utf8Order);
        expect(pages).to.equal(Math.ceil(KEYS.length / maxKeys));
      });
    }

    it('lists only the keys after StartAfter, and echoes it', async () => {
      const page = await client.send(new s3sdk.ListObjectsV2Command({ Bucket: PAGED, StartAfter: 'b/1' }));
      expect(page.Contents?.map((object) => object.Key)).to.deep.equal(utf8Order.slice(utf8Order.indexOf('b/1') + 1));
      expect(page.StartAfter).to.equal('b/1');
    });

    it('starts after a StartAfter that is no key in the bucket, within a Prefix', async () => {
      const { keys } = await everyKey({ Bucket: PAGED, Prefix: 'b/', StartAfter: 'b/10', MaxKeys: 1 });
      expect(keys).to.deep.equal(['b/2']);
    });

    it('answers MaxKeys 0 with no keys, not truncated, no token', async () => {
      const page = await client.send(new s3sdk.ListObjectsV2Command({ Bucket: PAGED, MaxKeys: 0 }));
      expect(page).to.include({ KeyCount: 0, IsTruncated: false, MaxKeys: 0 });
      expect(page.Contents).to.equal(undefined);
      expect(page.NextContinuationToken).to.equal(undefined);
    });

    it('returns at most 1,000 keys, truncated, when MaxKeys asks for more (or is left out)', async () => {
      for (const MaxKeys of [5000, undefined]) {
        const first = await client.send(new s3sdk.ListObjectsV2Command({ Bucket: THOUSAND, MaxKeys }));
        expect(first.KeyCount, String(MaxKeys)).to.equal(1000);
        expect(first.IsTruncated).to.equal(true);
        const rest = await client.send(new s3sdk.ListObjectsV2Command({ Bucket: THOUSAND, MaxKeys, ContinuationToken: first.NextContinuationToken }));
        expect(rest.Contents?.map((object) => object.Key)).to.deep.equal(['k1000']);
        expect(rest.IsTruncated).to.equal(false);
      }
    });

    it('refuses MaxKeys above the 32-bit integer range with InvalidArgument', async () => {
      expectAllowedError('ListObjectsV2', await outcomeOf(client.send(new s3sdk.ListObjectsV2Command({ Bucket: PAGED, MaxKeys: 2 ** 31 }))), 'InvalidArgument');
    });

    const forged = [
      { token: async () => 'forged', reason: 'is not one the local S3 issued' },
      {
        token: async () => (await client.send(new s3sdk.ListObjectsV2Command({ Bucket: THOUSAND, MaxKeys: 1 }))).NextContinuationToken!,
        reason: 'was issued for another bucket',
      },
    ];
    for (const { token, reason } of forged) {
      it(`answers InvalidArgument, as S3 does, to a ContinuationToken that ${reason}`, async () => {
        const outcome = await outcomeOf(client.send(new s3sdk.ListObjectsV2Command({ Bucket: PAGED, ContinuationToken: await token() })));
        expectAllowedError('ListObjectsV2', outcome, 'InvalidArgument');
        expect(outcome!.message).to.equal('The continuation token provided is incorrect');
      });
    }

    it('visits every key once with the SDK paginator (MaxKeys as pageSize)', async () => {
      const keys: string[] = [];
      for await (const page of s3sdk.paginateListObjectsV2({ client, pageSize: 2 }, { Bucket: PAGED })) keys.push(...(page.Contents ?? []).map((object) => object.Key!));
      expect(keys).to.deep.equal(utf8Order);
    });
  });
});
