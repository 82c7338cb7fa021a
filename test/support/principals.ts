/**
 * A Lambda-like caller for the local engines' IAM tests: the role `name` in the test account, its session as a
 * function's requests carry it, an access key of its own (`keyIndex` must differ between the principals one
 * authorizer holds), and one identity policy holding `statements`.
 */
import type { LocalPrincipal } from '../../local/iam/authorizer';

export function principal(name: string, keyIndex: number, statements: readonly unknown[], account = '123456789012'): LocalPrincipal {
  return {
    name,
    roleArn: `arn:aws:iam::${account}:role/${name}`,
    sessionArn: `arn:aws:sts::${account}:assumed-role/${name}/${name}-function`,
    accessKeyId: `AKIALOCAL${String(keyIndex).padStart(11, '0')}`,
    secretAccessKey: `secret-${name}`,
    policies: [{ name: `${name}-policy`, policy: { Version: '2012-10-17', Statement: [...statements] } }],
  };
}
