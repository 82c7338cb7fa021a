/**
 * What the CLI tells a user when something goes wrong: one line on stderr and exit 1, never a stack trace
 * (`--debug` adds it). AWS SDK errors are recognised by `name`, as the SDK documents
 * (https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/handling-exceptions.html).
 */

/** Exit codes, as `terraform plan -detailed-exitcode` and driftctl use them. */
export const EXIT = { ok: 0, error: 1, drift: 2 } as const;

/** A failure the user can act on; its message is the whole story. */
export class CliError extends Error {
  override name = 'CliError';
}

/** A setting the command needs was neither passed as a flag nor found in the Pulumi stack outputs. */
export class MissingSettingError extends CliError {
  override name = 'MissingSettingError';
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottledException',
  'SlowDown',
]);

/** The error and its causes, outermost first (adapters wrap SDK errors with `cause`). */
function chain(error: unknown): Error[] {
  const errors: Error[] = [];
  let current: unknown = error;
  while (current instanceof Error && errors.length < 10) {
    errors.push(current);
    current = current.cause;
  }
  return errors;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** The one line printed for `error` (without the "error: " prefix). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const errors = chain(error);
  const named = (names: (n: string) => boolean) => errors.find((e) => names(e.name));

  if (error instanceof CliError) return firstLine(error.message);
  const credentials = named((n) => n === 'CredentialsProviderError');
  if (credentials) {
    return `no AWS credentials found (${firstLine(credentials.message)}): pass --profile, set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run 'aws sso login'`;
  }
  const expired = named((n) => n === 'ExpiredTokenException' || n === 'ExpiredToken' || n === 'TokenRefreshRequired');
  if (expired) return `AWS credentials expired (${expired.name}): refresh them (e.g. 'aws sso login') and try again`;
  if (/region is missing/i.test(error.message)) return 'no AWS region: pass --region, set AWS_REGION, or set a region in your AWS profile';
  const throttled = named((n) => THROTTLING.has(n));
  if (throttled) {
    const context = throttled === error ? '' : ` while trying to: ${firstLine(error.message)}`;
    return `AWS is throttling requests (${throttled.name}) even after the SDK's retries${context}; wait a minute and try again`;
  }
  const denied = named((n) => n === 'AccessDenied' || n === 'AccessDeniedException' || n === 'UnauthorizedOperation');
  if (denied && denied === error) return `access denied (${denied.name}): ${firstLine(denied.message)}`;
  // Named project errors (ReportSchemaError, ObjectStoreError, ...) carry a complete message already.
  if (error.name !== 'Error' && !firstLine(error.message).startsWith(error.name)) return `${error.name}: ${firstLine(error.message)}`;
  return firstLine(error.message);
}
