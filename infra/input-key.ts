/**
 * The key of config `targetInput: hash` (functions/core/target-input.ts): a Secrets Manager secret the stack
 * creates with a random value once (GetRandomPassword, https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html)
 * and never overwrites (`ignoreChanges`), so `pulumi up` does not rotate it by accident. Only the monitor and the
 * reconciler's scan may read it (GetSecretValue on this secret's ARN). Rotation is by hand: README, "Target inputs".
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export function targetInputKey(name: string, opts: pulumi.CustomResourceOptions): pulumi.Output<string> {
  const secret = new aws.secretsmanager.Secret(
    name,
    {
      description: 'scheduler-observer: the HMAC key that hashes schedule target inputs (config targetInput hash). Rotate by putting a new value of at least 32 bytes, then run a repair run.',
      recoveryWindowInDays: 7,
    },
    opts,
  );
  // 64 characters of letters and digits: about 380 bits, over the 32 bytes functions/core/target-input.ts requires.
  const random = aws.secretsmanager.getRandomPasswordOutput({ passwordLength: 64, excludePunctuation: true }, { parent: opts.parent });
  new aws.secretsmanager.SecretVersion(
    `${name}-value`,
    { secretId: secret.id, secretString: pulumi.secret(random.randomPassword.apply((value) => value ?? '')) },
    { ...opts, ignoreChanges: ['secretString'] },
  );
  return secret.arn;
}
