/**
 * The S3 error codes the local model answers, with the HTTP status and message of
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList. The SDK surfaces `Code`
 * as `err.name`.
 */
export const S3_ERRORS = {
  AccessDenied: { status: 403, message: 'Access Denied' },
  BadDigest: { status: 400, message: 'The Content-MD5 or checksum value that you specified did not match what the server received.' },
  IncompleteBody: { status: 400, message: 'You did not provide the number of bytes specified by the Content-Length HTTP header.' },
  InternalError: { status: 500, message: 'An internal error occurred. Try again.' },
  InvalidAccessKeyId: { status: 403, message: 'The AWS access key ID you provided does not exist in our records.' },
  InvalidArgument: { status: 400, message: 'Invalid Argument' },
  InvalidBucketName: { status: 400, message: 'The specified bucket is not valid.' },
  InvalidDigest: { status: 400, message: 'The Content-MD5 or checksum value that you specified is not valid.' },
  InvalidRequest: { status: 400, message: 'A parameter or header in your request is not valid.' },
  InvalidStorageClass: { status: 400, message: 'The storage class that you specified is not valid.' },
  KeyTooLongError: { status: 400, message: 'Your key is too long.' },
  MalformedXML: { status: 400, message: 'The XML that you provided was not well formed or did not validate against our published schema.' },
  MissingContentLength: { status: 411, message: 'You must provide the Content-Length HTTP header.' },
  NoSuchBucket: { status: 404, message: 'The specified bucket does not exist.' },
  NoSuchKey: { status: 404, message: 'The specified key does not exist.' },
  NotImplemented: { status: 501, message: 'A header that you provided implies functionality that is not implemented.' },
  XAmzContentSHA256Mismatch: { status: 400, message: "The provided 'x-amz-content-sha256' header does not match what was computed." },
} as const;

export type S3ErrorCode = keyof typeof S3_ERRORS;

/** An error the model answers as an `<Error>` document; `details` become extra elements (`<BucketName>`, `<Key>`). */
export class S3ApiError extends Error {
  override readonly name: S3ErrorCode;
  readonly status: number;

  constructor(
    code: S3ErrorCode,
    message: string = S3_ERRORS[code].message,
    readonly details: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
    this.status = S3_ERRORS[code].status;
  }
}

export const noSuchBucket = (bucket: string) => new S3ApiError('NoSuchBucket', undefined, { BucketName: bucket });
export const noSuchKey = (key: string) => new S3ApiError('NoSuchKey', undefined, { Key: key });
/** For every header, parameter or sub-resource outside the operations the model serves (see ../s3.ts). */
export const notImplemented = (what: string) =>
  new S3ApiError('NotImplemented', `${S3_ERRORS.NotImplemented.message} The local S3 model does not serve ${what}.`);
