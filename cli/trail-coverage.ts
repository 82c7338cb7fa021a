/**
 * Does a CloudTrail trail's event selection include Scheduler's management write events? Pure, over the
 * GetEventSelectors response shapes (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html):
 * basic EventSelectors (ReadWriteType, IncludeManagementEvents, ExcludeManagementEventSources) or
 * AdvancedEventSelectors (FieldSelectors on eventCategory, readOnly, eventSource, eventName, ...).
 */
import type { AdvancedFieldSelector, GetEventSelectorsCommandOutput } from '@aws-sdk/client-cloudtrail';

export const SCHEDULER_SOURCE = 'scheduler.amazonaws.com';
/** The calls the observer's rule matches (infra/event-pattern.ts). */
export const OBSERVED_CALLS = ['CreateSchedule', 'UpdateSchedule', 'DeleteSchedule', 'CreateScheduleGroup', 'DeleteScheduleGroup'];

export type Coverage =
  | { covered: true }
  | { covered: false; why: string }
  /** A selector on fields this tool does not evaluate (userIdentity.arn, ...): it may or may not cover. */
  | { covered: 'partly'; why: string };

export function managementWriteCoverage(selectors: Pick<GetEventSelectorsCommandOutput, 'EventSelectors' | 'AdvancedEventSelectors'>): Coverage {
  const advanced = selectors.AdvancedEventSelectors ?? [];
  if (advanced.length > 0) {
    let partly: string | undefined;
    for (const selector of advanced) {
      const verdict = advancedCovers(selector.FieldSelectors ?? []);
      if (verdict === true) return { covered: true };
      if (verdict !== false) partly ??= `selector "${selector.Name ?? 'unnamed'}" also filters on ${verdict}`;
    }
    return partly ? { covered: 'partly', why: partly } : { covered: false, why: 'no advanced event selector includes management write events from scheduler.amazonaws.com' };
  }
  for (const selector of selectors.EventSelectors ?? []) {
    const readWrite = selector.ReadWriteType ?? 'All';
    const management = selector.IncludeManagementEvents ?? true;
    const excluded = (selector.ExcludeManagementEventSources ?? []).includes(SCHEDULER_SOURCE);
    if (management && readWrite !== 'ReadOnly' && !excluded) return { covered: true };
  }
  return { covered: false, why: 'its event selectors log no management write events (ReadWriteType ReadOnly or IncludeManagementEvents false)' };
}

/** true, false, or the name of a field that narrows the selector in a way not evaluated here. */
function advancedCovers(fields: AdvancedFieldSelector[]): boolean | string {
  const byField = new Map(fields.map((f) => [f.Field, f]));
  const category = byField.get('eventCategory');
  if (!category || !matches(category, 'Management')) return false;
  const readOnly = byField.get('readOnly');
  if (readOnly && !matches(readOnly, 'false')) return false;
  const source = byField.get('eventSource');
  if (source && !matches(source, SCHEDULER_SOURCE)) return false;
  const name = byField.get('eventName');
  if (name && !OBSERVED_CALLS.every((call) => matches(name, call))) return false;
  const other = fields.find((f) => !['eventCategory', 'readOnly', 'eventSource', 'eventName'].includes(f.Field ?? ''));
  return other ? (other.Field ?? 'an unnamed field') : true;
}

/** A field selector's conditions are ANDed; within one condition, the values are ORed. */
function matches(selector: AdvancedFieldSelector, value: string): boolean {
  const any = (list: string[] | undefined, test: (v: string) => boolean) => list === undefined || list.length === 0 || list.some(test);
  const none = (list: string[] | undefined, test: (v: string) => boolean) => !(list ?? []).some(test);
  return (
    any(selector.Equals, (v) => v === value) &&
    any(selector.StartsWith, (v) => value.startsWith(v)) &&
    any(selector.EndsWith, (v) => value.endsWith(v)) &&
    none(selector.NotEquals, (v) => v === value) &&
    none(selector.NotStartsWith, (v) => value.startsWith(v)) &&
    none(selector.NotEndsWith, (v) => value.endsWith(v))
  );
}
