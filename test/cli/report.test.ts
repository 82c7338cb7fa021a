/**
 * `report list` and `report show` against the local S3 (local/s3.ts, the S3 REST model the real S3Client talks
 * to): reports are written exactly as the report Lambda writes them, then read back through the CLI.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../functions/adapters/objects';
import type { DriftItem } from '../../functions/core/drift-types';
import { buildReport, reportKeys } from '../../functions/core/report';
import { useLocalS3 } from '../support/local-s3';
import { CLEAN_RUN, DRIFT_RUN, REPAIR_RUN, writeReports } from './support/reports';
import { runCli } from './support/run-cli';
import { matchSnapshot } from './support/snapshot';

describe('scheduler-observer report', () => {
  const harness = useLocalS3();
  let bucket: string;
  let objects: S3ObjectStore;
  const cli = (...argv: string[]) => runCli([...argv, '--bucket', bucket], { clients: { s3: harness.client } });

  beforeEach(async () => {
    bucket = await harness.freshBucket();
    objects = new S3ObjectStore(harness.client, bucket);
  });

  /** Snapshots name the bucket: these tests use a fixed one (CreateBucket of an existing bucket changes nothing). */
  async function fixedBucket(): Promise<void> {
    bucket = 'scheduler-observer-reports';
    await harness.s3.createBucket(bucket);
    objects = new S3ObjectStore(harness.client, bucket);
    await writeReports(objects, [CLEAN_RUN, REPAIR_RUN, DRIFT_RUN]);
  }

  describe('list', () => {
    beforeEach(fixedBucket);

    it('lists every report newest first with counts per kind when the bucket holds reports', async () => {
      const result = await cli('report', 'list');
      expect(result).to.include({ code: 0, stderr: '' });
      matchSnapshot('report-list.table', result.stdout);
      const order = [DRIFT_RUN, REPAIR_RUN, CLEAN_RUN].map((r) => result.stdout.indexOf(r.runId));
      expect(order).to.deep.equal([...order].sort((a, b) => a - b));
    });

    it('prints the summaries without items as JSON when --format json', async () => {
      const result = await cli('report', 'list', '--format', 'json');
      const list = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
      expect(list.map((r) => r.runId)).to.deep.equal([DRIFT_RUN.runId, REPAIR_RUN.runId, CLEAN_RUN.runId]);
      expect(list[0]).to.not.have.property('items');
      expect(list[0]).to.deep.include({ counts: DRIFT_RUN.counts, driftCount: 4 });
    });

    it('shows the newest N and says how many there are when --limit is below the count', async () => {
      const result = await cli('report', 'list', '--limit', '1');
      expect(result.stdout).to.include(DRIFT_RUN.runId).and.not.include(CLEAN_RUN.runId);
      expect(result.stdout).to.include('(1 newest of 3 reports; --limit 3 shows all)');
    });
  });

  describe('terminal safety', () => {
    it('lists a corrupt object as UNREADABLE, warns on stderr, and still shows every readable report', async () => {
      // Prepare: one object under reports/ that is no drift report (a partial upload, a hand edit).
      await writeReports(objects, [CLEAN_RUN, REPAIR_RUN, DRIFT_RUN]);
      await objects.putText('reports/2026/11/25/corrupt-run.json', '{"runId": "corrupt-run", "status": ', 'application/json');
      // Act
      const result = await cli('report', 'list');
      // Assess
      expect(result.code).to.equal(0);
      for (const run of [DRIFT_RUN, REPAIR_RUN, CLEAN_RUN]) expect(result.stdout).to.include(run.runId);
      expect(result.stdout).to.match(/corrupt-run\s*│\s*2026\/11\/25 \(day of key\)[^\n]*UNREADABLE/);
      expect(result.stderr).to.include(`warning: unreadable report s3://${bucket}/reports/2026/11/25/corrupt-run.json`);
    });

    it('escapes control characters and bidi overrides read from the bucket, in every format that prints them', async () => {
      // Prepare: a report whose names and failure cause carry ESC, CSI, CR and RLO (a hostile or careless writer).
      const hostile = buildReport({
        runId: 'hostile-run', mode: 'report', startedAt: '2026-11-24T20:00:00.000Z', finishedAt: '2026-11-24T20:00:01.000Z', inSync: 0,
        items: [{ kind: 'MISSING_IN_STORE', groupName: 'g\u001b[2J', scheduleName: 'name\u009b31m\r\u202e', live: undefined } as unknown as DriftItem],
      });
      hostile.status = 'FAILED';
      hostile.failure = { error: 'States.TaskFailed', cause: 'boom\u001b]0;pwned\u0007' };
      await writeReports(objects, [hostile]);
      for (const argv of [['report', 'show', '--latest'], ['report', 'show', '--latest', '--format', 'md'], ['report', 'list']]) {
        // Act
        const result = await cli(...argv);
        // Assess
        const output = result.stdout + result.stderr;
        expect(output, argv.join(' ')).to.not.match(/[\u001b\u009b\r\u202e\u0007]/);
        if (argv[1] === 'show') expect(output, argv.join(' ')).to.include('u001b').and.include('pwned').and.include('u0007');
      }
    });
  });

  describe('show', () => {
    beforeEach(fixedBucket);

    const snapshots = [
      { format: 'table', reason: 'a terminal table with the details of each item' },
      { format: 'json', reason: 'the stored report' },
      { format: 'md', reason: 'the Markdown the reconciler uploads' },
    ];
    for (const { format, reason } of snapshots) {
      it(`prints ${reason} and exits 2 when the latest report has drift (--format ${format})`, async () => {
        const result = await cli('report', 'show', '--latest', '--format', format);
        expect(result).to.include({ code: 2, stderr: '' });
        matchSnapshot(`report-show.${format}`, result.stdout);
      });
    }

    it('shows the latest report when neither RUN_ID nor --latest is given', async () => {
      const result = await cli('report', 'show');
      expect(result.code).to.equal(2);
      expect(result.stdout).to.include(`Drift report ${DRIFT_RUN.runId}`);
    });

    it('exits 0 when the report of the given run id has no drift', async () => {
      const result = await cli('report', 'show', CLEAN_RUN.runId);
      expect(result).to.include({ code: 0, stderr: '' });
      expect(result.stdout).to.include('No drift found.');
      expect(result.stdout).to.include(`Report: s3://${bucket}/reports/2026/11/22/${CLEAN_RUN.runId}.json`);
    });

    const kinds = [
      { kinds: ['MODIFIED'], code: 2, shows: ['hourly-sync'], hides: ['dropped-event', 'campaign'], reason: 'a drift kind the report has' },
      { kinds: ['NOT_CHECKED'], code: 0, shows: ['campaign'], hides: ['hourly-sync'], reason: 'only NOT_CHECKED, which is never drift' },
      { kinds: ['missing_in_store,deleted_live'], code: 2, shows: ['dropped-event', 'reminder'], hides: ['hourly-sync'], reason: 'two kinds comma-separated, in lower case' },
    ];
    for (const { kinds: args, code, shows, hides, reason } of kinds) {
      it(`lists only the selected items and exits ${code} when --kind is ${reason}`, async () => {
        const result = await cli('report', 'show', DRIFT_RUN.runId, ...args.flatMap((k) => ['--kind', k]), '--format', 'json');
        expect(result.code).to.equal(code);
        const names = (JSON.parse(result.stdout) as typeof DRIFT_RUN).items.map((i) => i.scheduleName);
        for (const name of shows) expect(names).to.include(name);
        for (const name of hides) expect(names).to.not.include(name);
      });
    }

    it('renders the self-contained HTML report when --format html and the renderer exists', async function () {
      if (!existsSync(join(__dirname, '../../functions/core/report-html.ts'))) this.skip();
      const result = await cli('report', 'show', DRIFT_RUN.runId, '--format', 'html');
      expect(result.code).to.equal(2);
      expect(result.stdout).to.match(/^<!doctype html>/i);
      expect(result.stdout).to.include('hourly-sync');
    });
  });

  describe('bad input', () => {
    const oneLine = (stderr: string) => {
      expect(stderr.trimEnd().split('\n'), stderr).to.have.length(1);
      expect(stderr).to.match(/^error: /).and.not.match(/\n\s+at /);
    };

    it('says no report has that run id, in one line, exit 1, when the run id is unknown', async () => {
      await writeReports(objects, [DRIFT_RUN]);
      const result = await cli('report', 'show', 'no-such-run');
      expect(result.code).to.equal(1);
      oneLine(result.stderr);
      expect(result.stderr).to.include('no report for run id no-such-run').and.include(`s3://${bucket}/reports/`);
    });

    it('refuses a run id that cannot be an execution name when it holds a slash', async () => {
      const result = await cli('report', 'show', '../etc/passwd');
      expect(result.code).to.equal(1);
      oneLine(result.stderr);
      expect(result.stderr).to.include('invalid run id');
    });

    for (const argv of [['report', 'list'], ['report', 'show', '--latest'], ['report', 'show', 'any-run']]) {
      it(`says the reconciler has not written a report yet, exit 1, when the bucket is empty (${argv.join(' ')})`, async () => {
        const result = await cli(...argv);
        expect(result.code).to.equal(1);
        oneLine(result.stderr);
        expect(result.stderr).to.include(`no drift reports in s3://${bucket}/reports/ yet`);
      });
    }

    it('names ReportSchemaError, exit 1, when the report has a newer schema version', async () => {
      await objects.putJson(reportKeys('future-run', DRIFT_RUN.startedAt).latest, { ...DRIFT_RUN, schemaVersion: 2 });
      const result = await cli('report', 'show', '--latest');
      expect(result.code).to.equal(1);
      oneLine(result.stderr);
      expect(result.stderr).to.equal('error: ReportSchemaError: report schema version 2 is newer than this tool understands (1)\n');
    });

    it('prints the stack trace too when --debug is given', async () => {
      await objects.putJson(reportKeys('future-run', DRIFT_RUN.startedAt).latest, { ...DRIFT_RUN, schemaVersion: 2 });
      const result = await cli('report', 'show', '--latest', '--debug');
      expect(result.code).to.equal(1);
      expect(result.stderr).to.match(/^error: ReportSchemaError/).and.match(/\n\s+at /);
    });

    it('names the bucket, exit 1, when the bucket does not exist', async () => {
      const result = await runCli(['report', 'list', '--bucket', 'no-such-bucket'], { clients: { s3: harness.client } });
      expect(result.code).to.equal(1);
      oneLine(result.stderr);
      expect(result.stderr).to.include("S3 bucket 'no-such-bucket' does not exist");
    });

    it('names the --bucket flag, exit 1, when no bucket is given and pulumi is not on PATH', async () => {
      const result = await runCli(['report', 'list'], { clients: { s3: harness.client } });
      expect(result).to.deep.equal({
        code: 1,
        stdout: '',
        stderr: 'error: no report bucket: pass --bucket NAME (the pulumi CLI is not on PATH to read the stack outputs)\n',
      });
    });

    it('says credentials are missing, in one line, when the SDK chain finds none', async () => {
      const client = new S3Client({
        ...harness.s3.clientConfig(),
        credentials: async () => {
          const error = new Error('Could not load credentials from any providers');
          error.name = 'CredentialsProviderError';
          throw error;
        },
      });
      try {
        const result = await runCli(['report', 'list', '--bucket', bucket], { clients: { s3: client } });
        expect(result.code).to.equal(1);
        oneLine(result.stderr);
        expect(result.stderr).to.match(/^error: no AWS credentials found \(Could not load credentials from any providers\): pass --profile/);
      } finally {
        client.destroy();
      }
    });
  });
});
