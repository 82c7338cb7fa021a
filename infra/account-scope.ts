/**
 * The partition, region and account the stack deploys to, for ARNs that must be known before their resource
 * exists (a trail's ARN in its own bucket policy, Scheduler ARN patterns in IAM policies).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { AccountScope } from './policies';

export function accountScope(parent: pulumi.Resource): pulumi.Output<AccountScope> {
  const opts = { parent };
  return pulumi
    .all([aws.getPartitionOutput({}, opts), aws.getRegionOutput({}, opts), aws.getCallerIdentityOutput({}, opts)])
    .apply(([partition, region, identity]) => ({
      partition: partition.partition,
      region: region.region,
      accountId: identity.accountId,
    }));
}
