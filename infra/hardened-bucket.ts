/**
 * A private S3 bucket: encrypted at rest, public access blocked, ACLs disabled, and a bucket policy built from
 * the bucket's ARN (each caller's policy includes policies.ts `tlsOnlyBucketStatement`).
 *
 * A function, not a ComponentResource: a component would become the parent of these resources and change
 * the URNs of buckets that are already deployed. Children are named `${name}-sse`, `${name}-public-access`,
 * `${name}-ownership` and `${name}-policy`.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { PolicyDocument } from './policies';

export interface HardenedBucketArgs {
  /** The bucket policy for a bucket ARN. It may wait for other values (an Output), such as a trail's ARN. */
  policy: (bucketArn: string) => pulumi.Input<PolicyDocument>;
  /** `pulumi destroy` deletes the bucket's objects first (config `forceDestroyBuckets`). */
  forceDestroy?: boolean;
}

export interface HardenedBucket {
  bucket: aws.s3.Bucket;
  /** Resources that need the policy in place use `policy.bucket` as the bucket name, which waits for it. */
  policy: aws.s3.BucketPolicy;
}

export function hardenedBucket(name: string, args: HardenedBucketArgs, parent: pulumi.Resource): HardenedBucket {
  const opts = { parent };
  const bucket = new aws.s3.Bucket(name, { forceDestroy: args.forceDestroy ?? false }, opts);
  // Inline serverSideEncryptionConfiguration is deprecated on aws.s3.Bucket in @pulumi/aws v7.
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-sse`,
    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
    opts,
  );
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    opts,
  );
  // ACLs disabled: the account owns every object. Writers that still send bucket-owner-full-control (CloudTrail
  // does) are accepted: https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
  new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, opts);
  const policy = new aws.s3.BucketPolicy(
    `${name}-policy`,
    {
      bucket: bucket.id,
      policy: bucket.arn.apply((arn) => pulumi.output(args.policy(arn)).apply((document) => JSON.stringify(document))),
    },
    // S3 rejects concurrent changes to a bucket's policy and public access block.
    { parent, dependsOn: [publicAccessBlock] },
  );
  return { bucket, policy };
}
