/**
 * The PutObject payload: reading it (plain, or `aws-chunked` as the SDK sends stream bodies) and checking every
 * integrity value the writer sent, as S3 does before it stores anything.
 * - aws-chunked with trailing checksums: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 * - x-amz-checksum-*: https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 * - Content-MD5 and x-amz-content-sha256: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { crc32 } from 'node:zlib';
import type { StoredChecksum } from './buckets';
import { S3ApiError, notImplemented } from './errors';

export interface Payload {
  body: Buffer;
  checksum?: StoredChecksum;
}

const DIGESTS: Record<string, (body: Buffer) => string> = {
  crc32: (body) => {
    const value = Buffer.alloc(4);
    value.writeUInt32BE(crc32(body));
    return value.toString('base64');
  },
  sha1: (body) => createHash('sha1').update(body).digest('base64'),
  sha256: (body) => createHash('sha256').update(body).digest('base64'),
};
/**
 * Algorithms S3 accepts (the ChecksumAlgorithm enum of API_PutObject.html) that the model does not check: CRC32C and
 * CRC64NVME need a dependency; SHA512, MD5 and the XXHASH family are newer and not modelled. Refused (NotImplemented)
 * rather than stored unchecked, or answered InvalidArgument as if S3 did not know them.
 */
const UNVERIFIABLE = ['crc32c', 'crc64nvme', 'sha512', 'md5', 'xxhash64', 'xxhash3', 'xxhash128'];

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Decodes `hex-size[;chunk-signature=...]\r\n data \r\n ... 0\r\n trailer-name:value\r\n \r\n`. */
export function decodeAwsChunked(raw: Buffer): { body: Buffer; trailers: Map<string, string> } {
  const chunks: Buffer[] = [];
  const trailers = new Map<string, string>();
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new S3ApiError('IncompleteBody');
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!Number.isInteger(size) || size < 0) throw new S3ApiError('IncompleteBody', 'An aws-chunked chunk header is malformed.');
    offset = lineEnd + 2;
    if (size === 0) break;
    if (offset + size + 2 > raw.length) throw new S3ApiError('IncompleteBody');
    chunks.push(raw.subarray(offset, offset + size));
    offset += size + 2;
  }
  for (const line of raw.subarray(offset).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { body: Buffer.concat(chunks), trailers };
}

function checkedChecksum(body: Buffer, values: Map<string, string>): StoredChecksum | undefined {
  const sent = [...values].filter(([name]) => name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-type' && name !== 'x-amz-checksum-mode');
  if (sent.length > 1) throw new S3ApiError('InvalidArgument', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  if (sent.length === 0) return undefined;
  const [name, value] = sent[0]!;
  const algorithm = name.slice('x-amz-checksum-'.length);
  if (UNVERIFIABLE.includes(algorithm)) throw notImplemented(`the ${algorithm.toUpperCase()} checksum (use CRC32, SHA1 or SHA256)`);
  const digest = DIGESTS[algorithm];
  if (!digest) throw new S3ApiError('InvalidArgument', `Unknown checksum header '${name}'.`);
  if (digest(body) !== value) throw new S3ApiError('BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`);
  return { algorithm: algorithm.toUpperCase(), value };
}

function checkContentMd5(body: Buffer, contentMd5: string | undefined): void {
  if (contentMd5 === undefined) return;
  if (Buffer.from(contentMd5, 'base64').length !== 16) throw new S3ApiError('InvalidDigest');
  if (createHash('md5').update(body).digest('base64') !== contentMd5) throw new S3ApiError('BadDigest');
}

/** A hex `x-amz-content-sha256` is the SigV4 payload hash; the `UNSIGNED-PAYLOAD` and `STREAMING-*` forms carry none. */
function checkPayloadHash(body: Buffer, contentSha256: string | undefined): void {
  if (contentSha256 === undefined || !/^[0-9a-f]{64}$/.test(contentSha256)) return;
  if (createHash('sha256').update(body).digest('hex') !== contentSha256) throw new S3ApiError('XAmzContentSHA256Mismatch');
}

/** The ChecksumAlgorithm enum of API_PutObject.html: the values `x-amz-sdk-checksum-algorithm` may take. */
const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'SHA1', 'SHA256', 'CRC64NVME', 'SHA512', 'MD5', 'XXHASH64', 'XXHASH3', 'XXHASH128'];

/**
 * `x-amz-sdk-checksum-algorithm` names the algorithm of the checksum sent with it (API_PutObject.html,
 * ChecksumAlgorithm): a name outside the enum is refused (InvalidRequest, the 400 the operation declares), and "if
 * the individual checksum value you provide through x-amz-checksum-algorithm doesn't match the checksum algorithm
 * you set through x-amz-sdk-checksum-algorithm, Amazon S3 fails the request with a BadDigest error".
 */
function checkSdkAlgorithm(sdkAlgorithm: string | undefined, checksum: StoredChecksum | undefined): void {
  if (sdkAlgorithm === undefined) return;
  if (!CHECKSUM_ALGORITHMS.includes(sdkAlgorithm)) throw new S3ApiError('InvalidRequest', 'Value for x-amz-sdk-checksum-algorithm header is invalid.');
  if (checksum && checksum.algorithm !== sdkAlgorithm) {
    throw new S3ApiError('BadDigest', `x-amz-sdk-checksum-algorithm is ${sdkAlgorithm} but the checksum sent is ${checksum.algorithm}.`);
  }
}

export function readPayload(raw: Buffer, headers: IncomingHttpHeaders): Payload {
  const contentEncoding = header(headers, 'content-encoding') ?? '';
  const values = new Map(Object.keys(headers).map((name) => [name, header(headers, name)!]));
  let body = raw;
  if (contentEncoding.split(',').map((token) => token.trim()).includes('aws-chunked')) {
    const decoded = decodeAwsChunked(raw);
    body = decoded.body;
    const declared = header(headers, 'x-amz-decoded-content-length');
    if (declared !== undefined && Number(declared) !== body.length) throw new S3ApiError('IncompleteBody');
    for (const [name, value] of decoded.trailers) values.set(name, value);
  } else {
    // S3 refuses a plain PutObject without Content-Length (chunked transfer encoding is only for aws-chunked).
    if (header(headers, 'content-length') === undefined) throw new S3ApiError('MissingContentLength');
    checkPayloadHash(body, header(headers, 'x-amz-content-sha256'));
  }
  checkContentMd5(body, header(headers, 'content-md5'));
  const checksum = checkedChecksum(body, values);
  checkSdkAlgorithm(header(headers, 'x-amz-sdk-checksum-algorithm'), checksum);
  return { body, checksum };
}
