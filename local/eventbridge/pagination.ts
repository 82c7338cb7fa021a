/** Paging of ListRules and ListTargetsByRule: NextToken and Limit as their references define them. */
import { createHmac, randomBytes } from 'node:crypto';
import { EventBridgeApiError } from './errors';
import { isObject } from './wire';

/**
 * NextToken: the offset of the next page, bound to the operation and the arguments that define the list (the
 * references say "Keep all other arguments unchanged"), signed with a key of this server's life so that a token
 * it did not issue, or issued for other arguments, answers InvalidToken as the NextToken member documents
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html#eventbridge-ListTargetsByRule-request-NextToken).
 */
export class PageTokens {
  private readonly key = randomBytes(32);

  issue(scope: string, offset: number): string {
    const payload = Buffer.from(JSON.stringify({ scope, offset })).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  offsetOf(scope: string, token: string | undefined): number {
    if (token === undefined) return 0;
    const [payload, signature, ...rest] = token.split('.');
    if (payload && signature && rest.length === 0 && signature === this.sign(payload)) {
      const decoded: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (isObject(decoded) && decoded.scope === scope && typeof decoded.offset === 'number') return decoded.offset;
    }
    throw new EventBridgeApiError('InvalidToken', 'The NextToken is invalid, expired, or was issued for other arguments.');
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/** One page of `items` from `offset`; Limit defaults to 100, the documented page maximum. */
export function page<T>(items: readonly T[], offset: number, limit: number | undefined, next: (offset: number) => string): { items: T[]; nextToken?: string } {
  const end = offset + (limit ?? 100);
  return { items: items.slice(offset, end), ...(end < items.length ? { nextToken: next(end) } : {}) };
}
