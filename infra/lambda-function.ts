/**
 * One bundled TypeScript Lambda with its own role, its own log group and nothing else: the monitor, the demo
 * seed and the reconciler's functions are all this shape.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { physicalName } from './physical-names';
import { bundleFunction } from './bundle';
import { lambdaAssumeRolePolicy, type PolicyDocument } from './policies';

export interface BundledFunctionArgs {
  /** Handler source relative to the project root, exporting `handler`. */
  entry: string;
  /** The function's permissions, given the ARN of the log group this component creates for it. */
  policy: (logGroupArn: pulumi.Output<string>) => pulumi.Input<PolicyDocument>;
  timeoutSeconds: number;
  memoryMb?: number;
  environment?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  logRetentionDays: number;
}

/** Lambda function names are at most 64 characters:
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-FunctionName */
const MAX_FUNCTION_NAME = 64;

export class BundledFunction extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly functionName: pulumi.Output<string>;
  readonly functionArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: BundledFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('scheduler-observer:index:BundledFunction', name, {}, opts);

    // A fixed physical name, because the log group must be named after the function before the function exists
    // (so that Lambda never creates it without retention). The stack name keeps two stacks in one account apart.
    const functionName = physicalName('lambda', name, pulumi.getStack());
    if (functionName.length > MAX_FUNCTION_NAME) {
      throw new Error(`Lambda function name ${functionName} is longer than ${MAX_FUNCTION_NAME} characters`);
    }

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays },
      { parent: this },
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: JSON.stringify(lambdaAssumeRolePolicy()) },
      { parent: this },
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-policy`,
      { role: role.id, policy: pulumi.output(args.policy(logGroup.arn)).apply((doc) => JSON.stringify(doc)) },
      { parent: this },
    );

    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        name: functionName,
        code: bundleFunction(args.entry),
        handler: 'index.handler',
        runtime: aws.lambda.Runtime.NodeJS22dX,
        architectures: ['arm64'],
        role: role.arn,
        timeout: args.timeoutSeconds,
        memorySize: args.memoryMb ?? 256,
        tracingConfig: { mode: 'Active' },
        // JSON so that Powertools' structured lines stay structured. No applicationLogLevel: the handlers' LOG_LEVEL
        // decides, and Powertools warns when the two disagree.
        loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
        environment: {
          variables: pulumi.output(args.environment ?? {}).apply((variables) => ({
            NODE_OPTIONS: '--enable-source-maps',
            ...variables,
          })),
        },
      },
      // The role policy first, or the first invocations (and an event source mapping's validation) fail on IAM.
      { parent: this, dependsOn: [logGroup, rolePolicy] },
    );

    this.functionName = this.function.name;
    this.functionArn = this.function.arn;
    this.logGroupName = logGroup.name;
    this.registerOutputs({ functionName: this.functionName, functionArn: this.functionArn });
  }
}
