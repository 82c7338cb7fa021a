/**
 * IAM in the loop: each routed request is decided by a LocalAuthorizer before it is served, with the action,
 * resource and condition keys S3 uses for that operation
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html), and the bucket's
 * policy (held by the authorizer under the bucket ARN) applied to bucket and object requests alike.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { accessKeyOf, type LocalAuthorizer, type LocalPrincipal } from '../iam/authorizer';
import { S3ApiError } from './errors';
import type { Route } from './routes';

export interface S3Authorization {
  authorizer: LocalAuthorizer;
  /** The value of `aws:SecureTransport` every request carries. */
  secureTransport: boolean;
}

export interface S3Permission {
  action: string;
  resource: string;
  context: Record<string, string>;
}

const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;

function transportContext(authorization: S3Authorization): Record<string, string> {
  return { 'aws:SecureTransport': authorization.secureTransport ? 'true' : 'false' };
}

/** The action, resource ARN and request context S3 authorizes one operation with. */
export function permissionOf(route: Route, authorization: S3Authorization): S3Permission {
  const context = transportContext(authorization);
  const objectArn = `${bucketArn(route.bucket)}/${route.key}`;
  switch (route.operation) {
    case 'CreateBucket':
      return { action: 's3:CreateBucket', resource: bucketArn(route.bucket), context };
    case 'ListObjectsV2': {
      const prefix = route.query.get('prefix');
      // s3:prefix is present only when the request names a prefix: a StringLike condition on it then fails.
      return { action: 's3:ListBucket', resource: bucketArn(route.bucket), context: prefix === undefined ? context : { ...context, 's3:prefix': prefix } };
    }
    case 'PutObject':
      return { action: 's3:PutObject', resource: objectArn, context };
    // HeadObject has no action of its own: it needs s3:GetObject.
    case 'GetObject':
    case 'HeadObject':
      return { action: 's3:GetObject', resource: objectArn, context };
    case 'DeleteObject':
      return { action: 's3:DeleteObject', resource: objectArn, context };
  }
}

/**
 * The caller behind the request's access key, or InvalidAccessKeyId (403) for a key the authorizer has not given
 * to any principal.
 */
export function callerOf(headers: IncomingHttpHeaders, authorization: S3Authorization): LocalPrincipal {
  const accessKeyId = accessKeyOf(headers.authorization);
  const caller = authorization.authorizer.principalOf(accessKeyId);
  if (!caller) throw new S3ApiError('InvalidAccessKeyId', undefined, accessKeyId === undefined ? {} : { AWSAccessKeyId: accessKeyId });
  return caller;
}

/** Answers AccessDenied (403) unless the caller may perform the route's operation. */
export async function authorizeRoute(caller: LocalPrincipal, route: Route, authorization: S3Authorization): Promise<void> {
  await demand(caller, route.bucket, permissionOf(route, authorization), authorization);
}

/**
 * For a GetObject or HeadObject of a missing key: S3 reveals the absence (404 NoSuchKey) only to a caller with
 * s3:ListBucket on the bucket, and answers 403 AccessDenied to anyone else
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Permissions").
 *
 * The check is made with no `s3:prefix` key, as for a listing of the whole bucket: a ListBucket grant narrowed by
 * an s3:prefix condition does not count. The documentation only says "s3:ListBucket permission"; a GetObject
 * request has no prefix to match the condition against, and reading a prefix-conditioned grant as enough would
 * let a role confined to `runs/` listings learn about keys elsewhere. The stricter reading keeps the model from
 * answering 404 where S3 may answer 403.
 */
export async function authorizeAbsence(caller: LocalPrincipal, bucket: string, authorization: S3Authorization): Promise<void> {
  await demand(caller, bucket, { action: 's3:ListBucket', resource: bucketArn(bucket), context: transportContext(authorization) }, authorization);
}

async function demand(caller: LocalPrincipal, bucket: string, permission: S3Permission, authorization: S3Authorization): Promise<void> {
  // An AuthorizationModelError thrown here propagates: the server answers it as InternalError (500).
  const decision = await authorization.authorizer.authorize({ caller, ...permission, resourcePolicyOf: bucketArn(bucket) });
  if (!decision.allowed) throw new S3ApiError('AccessDenied');
}
