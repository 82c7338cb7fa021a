/**
 * "Record failure" (functions/core/finish-run.ts recordFailure) must write a FAILED report whatever step failed,
 * including "Start run" before it wrote the run's manifest (ListScheduleGroups denied, or throttled past its
 * retries). In AWS the report role may list only under runs/, so S3 answers a read of the missing manifest with
 * 403 AccessDenied; MemoryObjects answers so with `missing: 'AccessDenied'`.
 */
import { expect } from 'chai';
import { recordFailure } from '../../functions/core/finish-run';
import { parseReport } from '../../functions/core/report';
import { runKeys } from '../../functions/core/reconcile';
import { MemoryObjects } from '../support/memory-objects';

const RUN_ID = 'f00dfeed-0000-4000-8000-000000000001';
const STARTED_AT = '2026-11-24T20:00:00.000Z';

describe('recordFailure', () => {
  it('writes a FAILED report when the run failed before its manifest existed, though S3 answers that read with AccessDenied', async () => {
    // Prepare: nothing under runs/<runId>/ (Start run failed on ListScheduleGroups).
    const objects = new MemoryObjects({ missing: 'AccessDenied' });
    const state = { input: { mode: 'report' }, error: { Error: 'AccessDeniedException', Cause: 'not authorized to perform: scheduler:ListScheduleGroups' } };
    // Act
    const { reportUri } = await recordFailure({ state, runId: RUN_ID, startedAt: STARTED_AT }, { objects, now: () => new Date('2026-11-24T20:00:05Z') });
    // Assess
    const report = parseReport(await objects.getJson('reports/latest.json'));
    expect(reportUri).to.equal(`s3://memory/reports/2026/11/24/${RUN_ID}.json`);
    expect(report).to.deep.include({ runId: RUN_ID, status: 'FAILED', driftCount: 0, failure: { error: 'AccessDeniedException', cause: state.error.Cause } });
    expect(report).to.not.have.property('groupsChecked');
  });

  it('still counts the groups of the manifest when the run failed after writing it', async () => {
    const objects = new MemoryObjects({ missing: 'AccessDenied' });
    const run = { runId: RUN_ID, startedAt: STARTED_AT, startedAtMs: Date.parse(STARTED_AT), mode: 'report' as const, scope: 'ALL' as const };
    await objects.putJson(runKeys.manifest(RUN_ID), { run, groups: [{ name: 'default', live: true }, { name: 'billing', live: true }] });
    await recordFailure({ state: { run, error: { Error: 'States.TaskFailed', Cause: 'boom' } }, runId: RUN_ID, startedAt: STARTED_AT }, { objects });
    expect(parseReport(await objects.getJson('reports/latest.json'))).to.include({ status: 'FAILED', groupsChecked: 2 });
  });
});
