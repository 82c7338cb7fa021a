/**
 * The semantics of each EventBridge Scheduler operation the model serves: input (by Smithy member name) in,
 * response body (REST-JSON, dates as epoch seconds) out, SchedulerApiError thrown with the documented name.
 * Pages: https://docs.aws.amazon.com/scheduler/latest/APIReference/API_Operations.html.
 */
import { createHash } from 'node:crypto';
import { conflict, notFound, SchedulerApiError, validationError } from './errors';
import { ScheduleStore, type ListPosition, type StoredGroup, type StoredSchedule } from './store';
import {
  DEFAULT_GROUP_NAME,
  validateClientToken,
  validateGroupName,
  validateListGroupsInput,
  validateListSchedulesInput,
  validateName,
  validateScheduleBody,
  validateTags,
} from './validation';

/**
 * The write calls the model serves, each recorded by CloudTrail. Deliberately not infra/event-pattern.ts's
 * OBSERVED_EVENT_NAMES: that list is what the observer chooses to match, this one is what the service emits;
 * tests need the two to be able to differ.
 */
export const WRITE_OPERATIONS = [
  'CreateSchedule',
  'UpdateSchedule',
  'DeleteSchedule',
  'CreateScheduleGroup',
  'DeleteScheduleGroup',
] as const;
export const READ_OPERATIONS = ['GetSchedule', 'ListSchedules', 'GetScheduleGroup', 'ListScheduleGroups'] as const;
export type WriteOperation = (typeof WRITE_OPERATIONS)[number];
export type OperationName = WriteOperation | (typeof READ_OPERATIONS)[number];

export type JsonObject = Record<string, unknown>;

export interface OperationsOptions {
  region: string;
  accountId: string;
  now: () => Date;
  /**
   * Account quotas answered with ServiceQuotaExceededException
   * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html).
   */
  quotas: { schedules: number; groups: number };
  /**
   * `immediate` (default): DeleteScheduleGroup removes the group and its schedules at once. `deferred`: the group
   * stays in state DELETING, as AWS documents the deletion to be asynchronous
   * (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_DeleteScheduleGroup.html), until
   * `completeGroupDeletions()`; meanwhile writes into it answer ConflictException.
   */
  groupDeletion: 'immediate' | 'deferred';
}

const IDEMPOTENCY_MEMORY = 10_000;

const toSeconds = (ms: number) => ms / 1000;

function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function encodeToken(position: ListPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeToken(token: string | undefined): ListPosition | undefined {
  if (token === undefined) return undefined;
  try {
    const position: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(position) && position.length === 2 && position.every((part) => typeof part === 'string')) {
      return [position[0], position[1]];
    }
  } catch {
    // fall through to the service's answer for a token it did not issue
  }
  throw validationError('Invalid NextToken.');
}

export class SchedulerOperations {
  readonly store = new ScheduleStore();
  /** ClientToken → the answer already given, so an SDK retry of a call that succeeded is not a conflict. */
  private readonly idempotent = new Map<string, { fingerprint: string; response: JsonObject }>();

  constructor(private readonly options: OperationsOptions) {
    this.store.addGroup(DEFAULT_GROUP_NAME, [], options.now().getTime());
  }

  scheduleArn(groupName: string, name: string): string {
    const { region, accountId } = this.options;
    return `arn:${partition(region)}:scheduler:${region}:${accountId}:schedule/${groupName}/${name}`;
  }

  groupArn(name: string): string {
    const { region, accountId } = this.options;
    return `arn:${partition(region)}:scheduler:${region}:${accountId}:schedule-group/${name}`;
  }

  execute(operation: OperationName, uriName: string | undefined, input: JsonObject): JsonObject {
    switch (operation) {
      case 'CreateSchedule':
        return this.idempotently(operation, uriName, input, () => this.createSchedule(validateName(uriName), input));
      case 'UpdateSchedule':
        return this.updateSchedule(validateName(uriName), input);
      case 'GetSchedule':
        return this.getSchedule(validateName(uriName), input);
      case 'DeleteSchedule':
        return this.idempotently(operation, uriName, input, () => this.deleteSchedule(validateName(uriName), input));
      case 'ListSchedules':
        return this.listSchedules(input);
      case 'CreateScheduleGroup':
        return this.idempotently(operation, uriName, input, () => this.createGroup(validateName(uriName), input));
      case 'GetScheduleGroup':
        return this.getGroup(validateName(uriName));
      case 'DeleteScheduleGroup':
        return this.idempotently(operation, uriName, input, () => this.deleteGroup(validateName(uriName)));
      case 'ListScheduleGroups':
        return this.listGroups(input);
    }
  }

  /** Finishes the deletions of groups left in state DELETING (groupDeletion `deferred`). */
  completeGroupDeletions(): string[] {
    const deleting = [...this.store.listGroups({ limit: Number.MAX_SAFE_INTEGER }).items].filter((g) => g.state === 'DELETING');
    for (const group of deleting) this.store.removeGroup(group.name);
    return deleting.map((group) => group.name);
  }

  /** The wire form GetSchedule answers. */
  describeSchedule(groupName: string, schedule: StoredSchedule): JsonObject {
    return {
      ...schedule.spec,
      Arn: this.scheduleArn(groupName, schedule.name),
      Name: schedule.name,
      GroupName: groupName,
      CreationDate: toSeconds(schedule.creationDate),
      LastModificationDate: toSeconds(schedule.lastModificationDate),
    };
  }

  /**
   * Replays the answer to a repeated ClientToken (the SDK reuses the token when it retries), so a retried
   * CreateSchedule whose first attempt succeeded does not answer ConflictException. Only the most recent
   * IDEMPOTENCY_MEMORY tokens are kept: retries come within seconds, and the benchmark makes 100,000 calls.
   */
  private idempotently(operation: OperationName, uriName: string | undefined, input: JsonObject, run: () => JsonObject): JsonObject {
    const token = validateClientToken(input.ClientToken);
    if (token === undefined) return run();
    const key = `${operation}\u0000${token}`;
    const fingerprint = createHash('sha1').update(JSON.stringify([uriName, input])).digest('base64');
    const previous = this.idempotent.get(key);
    if (previous?.fingerprint === fingerprint) return previous.response;
    const response = run();
    this.idempotent.set(key, { fingerprint, response });
    if (this.idempotent.size > IDEMPOTENCY_MEMORY) this.idempotent.delete(this.idempotent.keys().next().value!);
    return response;
  }

  private writableGroup(groupName: string): StoredGroup {
    const group = this.store.group(groupName);
    if (!group) throw notFound(`Schedule group ${groupName} does not exist.`);
    if (group.state === 'DELETING') throw conflict(`Schedule group ${groupName} is being deleted.`);
    return group;
  }

  private existingSchedule(groupName: string, name: string): StoredSchedule {
    const schedule = this.store.schedule(groupName, name);
    if (!schedule) throw notFound(`Schedule ${name} does not exist.`);
    return schedule;
  }

  private createSchedule(name: string, input: JsonObject): JsonObject {
    const spec = validateScheduleBody(input);
    const group = this.writableGroup(spec.GroupName);
    if (group.schedules.has(name)) throw conflict(`Schedule ${name} already exists.`);
    if (this.store.scheduleCount >= this.options.quotas.schedules) {
      throw new SchedulerApiError('ServiceQuotaExceededException', 'Schedules per account quota exceeded.');
    }
    const now = this.options.now().getTime();
    this.store.putSchedule(group, { name, spec, creationDate: now, lastModificationDate: now });
    return { ScheduleArn: this.scheduleArn(group.name, name) };
  }

  /** A full replacement that keeps CreationDate (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_UpdateSchedule.html). */
  private updateSchedule(name: string, input: JsonObject): JsonObject {
    const spec = validateScheduleBody(input);
    const group = this.writableGroup(spec.GroupName);
    const existing = this.existingSchedule(group.name, name);
    const now = this.options.now().getTime();
    this.store.putSchedule(group, { name, spec, creationDate: existing.creationDate, lastModificationDate: now });
    return { ScheduleArn: this.scheduleArn(group.name, name) };
  }

  private getSchedule(name: string, input: JsonObject): JsonObject {
    const groupName = validateGroupName(input.GroupName);
    if (!this.store.group(groupName)) throw notFound(`Schedule group ${groupName} does not exist.`);
    const schedule = this.existingSchedule(groupName, name);
    return this.describeSchedule(groupName, schedule);
  }

  private deleteSchedule(name: string, input: JsonObject): JsonObject {
    const groupName = validateGroupName(input.GroupName);
    if (!this.store.group(groupName)) throw notFound(`Schedule group ${groupName} does not exist.`);
    this.existingSchedule(groupName, name);
    this.store.removeSchedule(groupName, name);
    return {};
  }

  private listSchedules(input: JsonObject): JsonObject {
    const query = validateListSchedulesInput(input);
    if (query.groupName !== undefined && !this.store.group(query.groupName)) {
      throw notFound(`Schedule group ${query.groupName} does not exist.`);
    }
    const page = this.store.listSchedules({
      groupName: query.groupName,
      namePrefix: query.namePrefix,
      state: query.state,
      limit: query.maxResults,
      after: decodeToken(query.nextToken),
    });
    return {
      Schedules: page.items.map(({ group, schedule }) => ({
        Arn: this.scheduleArn(group.name, schedule.name),
        Name: schedule.name,
        GroupName: group.name,
        State: schedule.spec.State,
        CreationDate: toSeconds(schedule.creationDate),
        LastModificationDate: toSeconds(schedule.lastModificationDate),
        Target: { Arn: schedule.spec.Target.Arn },
      })),
      ...(page.last ? { NextToken: encodeToken(page.last) } : {}),
    };
  }

  private createGroup(name: string, input: JsonObject): JsonObject {
    const tags = validateTags(input.Tags);
    const existing = this.store.group(name);
    if (existing?.state === 'DELETING') throw conflict(`Schedule group ${name} is being deleted.`);
    if (existing) throw conflict(`Schedule group ${name} already exists.`);
    if (this.store.groupCount >= this.options.quotas.groups) {
      throw new SchedulerApiError('ServiceQuotaExceededException', 'Schedule groups per account quota exceeded.');
    }
    this.store.addGroup(name, tags, this.options.now().getTime());
    return { ScheduleGroupArn: this.groupArn(name) };
  }

  private describeGroup(group: StoredGroup): JsonObject {
    return {
      Arn: this.groupArn(group.name),
      Name: group.name,
      State: group.state,
      CreationDate: toSeconds(group.creationDate),
      LastModificationDate: toSeconds(group.lastModificationDate),
    };
  }

  private getGroup(name: string): JsonObject {
    const group = this.store.group(name);
    if (!group) throw notFound(`Schedule group ${name} does not exist.`);
    return this.describeGroup(group);
  }

  /** Deletes the group's schedules with it (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_DeleteScheduleGroup.html). */
  private deleteGroup(name: string): JsonObject {
    if (name === DEFAULT_GROUP_NAME) throw validationError('The default schedule group cannot be deleted.');
    const group = this.store.group(name);
    if (!group) throw notFound(`Schedule group ${name} does not exist.`);
    if (group.state === 'DELETING') throw conflict(`Schedule group ${name} is being deleted.`);
    if (this.options.groupDeletion === 'deferred') {
      group.state = 'DELETING';
      group.lastModificationDate = this.options.now().getTime();
    } else {
      this.store.removeGroup(name);
    }
    return {};
  }

  private listGroups(input: JsonObject): JsonObject {
    const query = validateListGroupsInput(input);
    const page = this.store.listGroups({
      namePrefix: query.namePrefix,
      limit: query.maxResults,
      after: decodeToken(query.nextToken)?.[0],
    });
    return {
      ScheduleGroups: page.items.map((group) => this.describeGroup(group)),
      ...(page.last ? { NextToken: encodeToken(page.last) } : {}),
    };
  }
}
