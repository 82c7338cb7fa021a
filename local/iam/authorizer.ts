/**
 * AWS's request authorization for the local engines: who is calling (an access key per role, as Lambda gives each
 * function the credentials of its execution role), and whether that caller may perform this action on this
 * resource, from its identity policies and the resource's policy, evaluated by @cloud-copilot/iam-simulate (AGPL,
 * a devDependency: never bundled into a Lambda). The policy evaluation logic it implements:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 *
 * Every engine the handlers reach asks `authorize` before serving and answers a denial with its own service's
 * error (see ../../shared/LOCAL-ENGINES.md-style notes in docs/local-iam.md). Decisions are cached per exact
 * request (principal, action, resource, context): policies do not change during one authorizer's life.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

export type PolicyDocumentLike = { Version: string; Statement: unknown[] };

export interface LocalPrincipal {
  /** A short name for logs and tests: `monitor`, `reconciler-scan`, ... */
  name: string;
  /** The IAM role ARN (`arn:aws:iam::<account>:role/<name>`). */
  roleArn: string;
  /** The session ARN a Lambda function's requests carry: `arn:aws:sts::<account>:assumed-role/<role>/<function>`. */
  sessionArn: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The role's identity policies, by name. */
  policies: ReadonlyArray<{ name: string; policy: PolicyDocumentLike }>;
}

/** A service principal acting on its own behalf, such as EventBridge delivering to a queue (`events.amazonaws.com`). */
export interface ServicePrincipal {
  service: string;
}

export type Caller = LocalPrincipal | ServicePrincipal;

export interface AuthorizationRequest {
  caller: Caller;
  /** `service:Action`, e.g. `dynamodb:PutItem`. */
  action: string;
  /** The resource ARN, or `*` for an action with no resource type. */
  resource: string;
  /** Request context keys as AWS fills them (`aws:SecureTransport`, `s3:prefix`, `kms:ViaService`, ...). */
  context?: Record<string, string | string[]>;
}

export interface Decision {
  allowed: boolean;
  /** `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`. */
  result: string;
}

export interface AuthorizationRecord extends Omit<AuthorizationRequest, 'caller'>, Decision {
  /** The principal's name, or the service principal. */
  caller: string;
}

export interface LocalAuthorizerOptions {
  accountId: string;
  principals: readonly LocalPrincipal[];
  /** Resource policies by the ARN of the resource they are attached to (bucket, queue, KMS key). */
  resourcePolicies?: ReadonlyMap<string, PolicyDocumentLike>;
}

/** Thrown for a request no policy decision could be made about: an engine defect, never an AccessDenied. */
export class AuthorizationModelError extends Error {
  override readonly name = 'AuthorizationModelError';
}

const isService = (caller: Caller): caller is ServicePrincipal => 'service' in caller;

/**
 * kms:EncryptionContext:<key> is a key pattern with colons in the variable part, which iam-simulate 0.1 does not
 * match as a context key of kms:Decrypt (it reports the key as ignored). Such keys are checked here instead: see
 * `matchesEncryptionContext`.
 */
const ENCRYPTION_CONTEXT_KEY = /^kms:EncryptionContext:/i;

export class LocalAuthorizer {
  readonly accountId: string;
  private readonly byAccessKey = new Map<string, LocalPrincipal>();
  private readonly resourcePolicies: Map<string, PolicyDocumentLike>;
  private readonly cache = new Map<string, Promise<Decision>>();
  /** Every decision made, in order (cached decisions included): the evidence for tests and the sandbox's tally. */
  readonly log: AuthorizationRecord[] = [];

  constructor(options: LocalAuthorizerOptions) {
    this.accountId = options.accountId;
    for (const principal of options.principals) {
      if (this.byAccessKey.has(principal.accessKeyId)) throw new AuthorizationModelError(`Access key ${principal.accessKeyId} is given to two principals.`);
      this.byAccessKey.set(principal.accessKeyId, principal);
    }
    this.resourcePolicies = new Map(options.resourcePolicies ?? []);
  }

  /** Adds a principal, or replaces the one with the same access key (its policies changed). */
  register(principal: LocalPrincipal): LocalPrincipal {
    this.byAccessKey.set(principal.accessKeyId, principal);
    this.cache.clear();
    return principal;
  }

  /** Attaches (or replaces) the resource policy of `arn`: a bucket, a queue, a KMS key. */
  attachResourcePolicy(arn: string, policy: PolicyDocumentLike): void {
    this.resourcePolicies.set(arn, policy);
    this.cache.clear();
  }

  principals(): LocalPrincipal[] {
    return [...this.byAccessKey.values()];
  }

  /** The principal an access key belongs to; undefined for a key nobody was given (the service's invalid-key error). */
  principalOf(accessKeyId: string | undefined): LocalPrincipal | undefined {
    return accessKeyId === undefined ? undefined : this.byAccessKey.get(accessKeyId);
  }

  /**
   * The caller of a request, named by the access key of its SigV4 `Authorization` header; undefined without the
   * header or for a key nobody was given (each engine answers that with its service's invalid-key error).
   */
  callerOf(authorizationHeader: string | undefined): LocalPrincipal | undefined {
    return this.principalOf(accessKeyOf(authorizationHeader));
  }

  principalNamed(name: string): LocalPrincipal {
    for (const principal of this.byAccessKey.values()) if (principal.name === name) return principal;
    throw new AuthorizationModelError(`No local principal named ${name}.`);
  }

  /** Counts of decisions so far: allowed, and denied (implicitly or explicitly). */
  tally(): { allowed: number; denied: number } {
    let allowed = 0;
    for (const record of this.log) if (record.allowed) allowed++;
    return { allowed, denied: this.log.length - allowed };
  }

  denials(): AuthorizationRecord[] {
    return this.log.filter((record) => !record.allowed);
  }

  /**
   * Decides one request as AWS would for a same-account caller: allowed when an identity policy or the resource's
   * policy allows it and nothing denies it. `resourcePolicyOf` names the resource whose policy applies when it
   * differs from `resource` (an object's bucket).
   */
  async authorize(request: AuthorizationRequest & { resourcePolicyOf?: string }): Promise<Decision> {
    const context = request.context ?? {};
    const callerName = isService(request.caller) ? request.caller.service : request.caller.name;
    const key = JSON.stringify([callerName, request.action, request.resource, request.resourcePolicyOf ?? '', Object.entries(context).sort()]);
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.evaluate(request, context);
      this.cache.set(key, pending);
    }
    const decision = await pending;
    this.log.push({ caller: callerName, action: request.action, resource: request.resource, context, ...decision });
    return decision;
  }

  /**
   * Undefined when `caller` may make the request (see `authorize`); else the message AWS gives the denial
   * (`deniedMessage`), for the engine to answer with its service's access-denied error.
   */
  async denialOf(request: AuthorizationRequest & { caller: LocalPrincipal; resourcePolicyOf?: string }): Promise<string | undefined> {
    const decision = await this.authorize(request);
    return decision.allowed ? undefined : deniedMessage(request.caller, request.action, request.resource, decision);
  }

  private async evaluate(request: AuthorizationRequest & { resourcePolicyOf?: string }, context: Record<string, string | string[]>): Promise<Decision> {
    const resourcePolicy = this.resourcePolicies.get(request.resourcePolicyOf ?? request.resource);
    const encryptionContext = Object.entries(context).filter(([name]) => ENCRYPTION_CONTEXT_KEY.test(name));
    const simulation: Simulation = {
      request: {
        principal: isService(request.caller) ? request.caller.service : request.caller.sessionArn,
        action: request.action,
        resource: { resource: request.resource, accountId: this.accountId },
        contextVariables: {
          ...Object.fromEntries(Object.entries(context).filter(([name]) => !ENCRYPTION_CONTEXT_KEY.test(name))),
          ...(isService(request.caller) ? {} : { 'aws:PrincipalArn': request.caller.roleArn, 'aws:PrincipalAccount': this.accountId }),
        },
      },
      identityPolicies: isService(request.caller)
        ? []
        : request.caller.policies.map(({ name, policy }) => ({ name, policy: withEncryptionContext(policy, encryptionContext) })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy: withEncryptionContext(resourcePolicy, encryptionContext) } : {}),
    };
    const result = await runSimulation(simulation, {});
    if (result.resultType === 'error') {
      throw new AuthorizationModelError(`Cannot evaluate ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
    }
    if (result.resultType === 'single' && (result.result.ignoredContextKeys ?? []).length > 0) {
      // A context key the Service Authorization Reference does not list for this action: a defect in the engine
      // that filled it, which would otherwise make a condition silently fail or pass.
      throw new AuthorizationModelError(`${request.action} does not take context keys ${result.result.ignoredContextKeys!.join(', ')}.`);
    }
    return { allowed: result.overallResult === 'Allowed', result: result.overallResult };
  }
}

/**
 * Evaluates `kms:EncryptionContext:<key>` conditions here (iam-simulate ignores them, see above): each statement
 * whose condition names such a key keeps its other conditions, and the encryption-context ones are replaced by
 * their outcome (kept as an always-true condition, or the statement dropped), using the request's context values.
 * Only StringEquals / StringLike / ArnEquals / ArnLike (the operators this project's policies use) are handled;
 * any other operator on such a key is an AuthorizationModelError.
 */
function withEncryptionContext(policy: PolicyDocumentLike, context: Array<[string, string | string[]]>): PolicyDocumentLike {
  const statements = policy.Statement as Array<Record<string, unknown>>;
  if (!statements.some((s) => conditionsOn(s).length > 0)) return policy;
  const values = new Map(context.map(([name, value]) => [name.toLowerCase(), [value].flat()]));
  const kept: unknown[] = [];
  for (const statement of statements) {
    const onContext = conditionsOn(statement);
    if (onContext.length === 0) {
      kept.push(statement);
      continue;
    }
    const condition: Record<string, Record<string, unknown>> = {};
    for (const [operator, entries] of Object.entries((statement.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
      const rest = Object.fromEntries(Object.entries(entries).filter(([name]) => !ENCRYPTION_CONTEXT_KEY.test(name)));
      if (Object.keys(rest).length > 0) condition[operator] = rest;
    }
    const holds = onContext.every(({ operator, name, expected }) => {
      const actual = values.get(name.toLowerCase());
      if (!actual) return false;
      return actual.some((value) => expected.some((pattern) => compare(operator, value, pattern)));
    });
    // A Deny whose encryption-context condition fails does not apply; neither does an Allow.
    if (holds) kept.push({ ...statement, ...(Object.keys(condition).length > 0 ? { Condition: condition } : { Condition: undefined }) });
  }
  return { ...policy, Statement: kept.map((s) => JSON.parse(JSON.stringify(s))) };
}

function conditionsOn(statement: Record<string, unknown>): Array<{ operator: string; name: string; expected: string[] }> {
  const found: Array<{ operator: string; name: string; expected: string[] }> = [];
  for (const [operator, entries] of Object.entries((statement.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [name, expected] of Object.entries(entries)) {
      if (ENCRYPTION_CONTEXT_KEY.test(name)) found.push({ operator, name, expected: [expected as string | string[]].flat() });
    }
  }
  return found;
}

function compare(operator: string, value: string, pattern: string): boolean {
  switch (operator) {
    case 'StringEquals':
    case 'ArnEquals':
      return value === pattern;
    case 'StringLike':
    case 'ArnLike':
      return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);
    default:
      throw new AuthorizationModelError(`Condition operator ${operator} on an encryption-context key is not modelled.`);
  }
}

/**
 * The message AWS services give a denied request, for the engines' AccessDenied errors:
 * `User: <arn> is not authorized to perform: <action> on resource: <arn> because no identity-based policy allows the
 * <action> action` (or `with an explicit deny in a policy`).
 */
export function deniedMessage(caller: LocalPrincipal, action: string, resource: string, decision: Decision): string {
  const because = decision.result === 'ExplicitlyDenied' ? 'with an explicit deny in a policy' : `because no identity-based policy allows the ${action} action`;
  return `User: ${caller.sessionArn} is not authorized to perform: ${action} on resource: ${resource} ${because}`;
}

/** The access key id of a SigV4 `Authorization` header (`AWS4-HMAC-SHA256 Credential=<key>/<date>/...`). */
export function accessKeyOf(authorization: string | undefined): string | undefined {
  const match = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\//.exec(authorization ?? '');
  return match?.[1];
}
