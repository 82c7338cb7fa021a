import { expect } from 'chai';
import type { DriftItem } from '../../functions/core/drift-types';
import {
  REPORT_SCHEMA_VERSION,
  ReportSchemaError,
  actionableDrift,
  buildReport,
  driftMessage,
  escapeCell,
  executionSummary,
  parseReport,
  renderMarkdown,
  reportKeys,
  type BuildReportInput,
  type DriftReport,
} from '../../functions/core/report';
import type { ScheduleSpec } from '../../functions/core/types';

const OLD = 'arn:aws:lambda:us-east-1:123456789012:function:invoice-old';
const NEW = 'arn:aws:lambda:us-east-1:123456789012:function:invoice-new';
const URI = 's3://scheduler-observer-reports/reports/2026/11/24/run-1.json';

const LIVE: ScheduleSpec = {
  groupName: 'billing', name: 'invoice', scheduleExpression: 'rate(1 hour)', state: 'ENABLED',
  flexibleTimeWindow: { mode: 'OFF' }, target: { arn: NEW, roleArn: 'arn:aws:iam::123456789012:role/r' },
};

const modified: DriftItem = {
  kind: 'MODIFIED', groupName: 'billing', scheduleName: 'invoice', live: LIVE,
  differences: [{ path: 'target.arn', expected: NEW, actual: OLD }],
  storeRead: { version: 1, lastEventId: 'e1', status: 'PRESENT' },
};
const missing: DriftItem = { kind: 'MISSING_IN_STORE', groupName: 'ops', scheduleName: 'nightly', live: { ...LIVE, groupName: 'ops', name: 'nightly' } };
const completed: DriftItem = { kind: 'DELETED_LIVE', groupName: 'billing', scheduleName: 'reminder-once', reason: 'COMPLETED', expected: true };
const lost: DriftItem = { kind: 'DELETED_LIVE', groupName: 'billing', scheduleName: 'audit', reason: 'UNKNOWN' };
const busy: DriftItem = { kind: 'NOT_CHECKED', groupName: 'billing', scheduleName: 'busy', reason: 'LIVE_CHANGED_AFTER_START' };

function input(overrides: Partial<BuildReportInput> = {}): BuildReportInput {
  return {
    runId: 'run-1', mode: 'report', startedAt: '2026-11-24T10:00:00.000Z', finishedAt: '2026-11-24T10:02:00.000Z',
    inSync: 40, items: [busy, lost, modified, completed, missing], ...overrides,
  };
}

describe('buildReport', () => {
  it('lists items by kind, then group, then name, without the live spec', () => {
    // Act
    const report = buildReport(input());
    // Assess
    expect(report.items.map((i) => `${i.kind} ${i.groupName}/${i.scheduleName}`)).to.deep.equal([
      'MISSING_IN_STORE ops/nightly',
      'MODIFIED billing/invoice',
      'DELETED_LIVE billing/audit',
      'DELETED_LIVE billing/reminder-once',
      'NOT_CHECKED billing/busy',
    ]);
    expect(report.items.every((i) => !('live' in i))).to.equal(true);
    expect(report.items[1]?.differences).to.deep.equal(modified.differences);
  });

  const cases: { reason: string; input: BuildReportInput; expected: Partial<DriftReport> }[] = [
    {
      reason: 'drift includes an expected deletion',
      input: input(),
      expected: {
        schemaVersion: REPORT_SCHEMA_VERSION,
        counts: { IN_SYNC: 40, MISSING_IN_STORE: 1, MODIFIED: 1, DELETED_LIVE: 2, NOT_CHECKED: 1 },
        driftCount: 4, expectedDeletions: 1, scope: { groups: 'ALL' }, status: 'COMPLETED',
      },
    },
    {
      reason: 'the store is clean',
      input: input({ items: [], inSync: 7, groups: ['ops', 'billing'] }),
      expected: { counts: { IN_SYNC: 7, MISSING_IN_STORE: 0, MODIFIED: 0, DELETED_LIVE: 0, NOT_CHECKED: 0 }, driftCount: 0, expectedDeletions: 0, scope: { groups: ['billing', 'ops'] } },
    },
    {
      reason: 'only NOT_CHECKED items were found',
      input: input({ items: [busy] }),
      expected: { driftCount: 0, counts: { IN_SYNC: 40, MISSING_IN_STORE: 0, MODIFIED: 0, DELETED_LIVE: 0, NOT_CHECKED: 1 } },
    },
    {
      reason: 'the run repaired the store',
      input: input({ mode: 'repair', items: [{ ...modified, repair: 'REPAIRED' }, { ...missing, repair: 'SKIPPED_STORE_CHANGED' }, { ...lost, repair: 'REPAIRED' }] }),
      expected: { mode: 'repair', repairs: { repaired: 2, skipped: 1 } },
    },
  ];
  for (const c of cases) {
    it(`counts per kind when ${c.reason}`, () => {
      // Act
      const report = buildReport(c.input);
      // Assess
      expect(report).to.deep.include(c.expected);
      if (c.input.mode === 'report') expect(report).not.to.have.property('repairs');
    });
  }
});

describe('parseReport', () => {
  it('reads back a report written as JSON', () => {
    // Prepare
    const report = buildReport(input({ mode: 'repair', items: [{ ...modified, repair: 'REPAIRED' }, completed] }));
    // Act
    const parsed = parseReport(JSON.parse(JSON.stringify(report)));
    // Assess
    expect(parsed).to.deep.equal(JSON.parse(JSON.stringify(report)));
  });

  it('reads back a failed run with its failure', () => {
    // Prepare
    const report = { ...buildReport(input()), status: 'FAILED' as const, failure: { error: 'Lambda.Unknown', cause: 'boom' }, groupsChecked: 2 };
    // Act
    const parsed = parseReport(JSON.parse(JSON.stringify(report)));
    // Assess
    expect(parsed).to.deep.include({ status: 'FAILED', failure: { error: 'Lambda.Unknown', cause: 'boom' }, groupsChecked: 2 });
  });

  it('refuses a newer schema version by name', () => {
    // Prepare
    const newer = { ...JSON.parse(JSON.stringify(buildReport(input()))), schemaVersion: 2, somethingNew: true };
    // Act
    const act = () => parseReport(newer);
    // Assess
    expect(act).to.throw(ReportSchemaError, 'report schema version 2 is newer than this tool understands (1)');
  });

  const valid = () => JSON.parse(JSON.stringify(buildReport(input()))) as Record<string, unknown>;
  const malformed: { reason: string; json: unknown; mentions: string }[] = [
    { reason: 'it is not an object', json: 'report', mentions: '(root)' },
    { reason: 'it is null', json: null, mentions: '(root)' },
    { reason: 'the schema version is missing', json: { ...valid(), schemaVersion: undefined }, mentions: 'schemaVersion' },
    { reason: 'the schema version is older than any', json: { ...valid(), schemaVersion: 0 }, mentions: 'schemaVersion' },
    { reason: 'the schema version is a string', json: { ...valid(), schemaVersion: '2' }, mentions: 'schemaVersion' },
    { reason: 'the run id is missing', json: { ...valid(), runId: undefined }, mentions: 'runId' },
    { reason: 'the mode is unknown', json: { ...valid(), mode: 'fix' }, mentions: 'mode' },
    { reason: 'the status is unknown', json: { ...valid(), status: 'RUNNING' }, mentions: 'status' },
    { reason: 'a date is not ISO-8601', json: { ...valid(), startedAt: 'yesterday' }, mentions: 'startedAt' },
    { reason: 'a count is negative', json: { ...valid(), counts: { ...(valid().counts as object), MODIFIED: -1 } }, mentions: 'counts.MODIFIED' },
    { reason: 'an item has an unknown kind', json: { ...valid(), items: [{ kind: 'IN_SYNC', groupName: 'g', scheduleName: 's' }] }, mentions: 'items.0.kind' },
    { reason: 'a difference has no path', json: { ...valid(), items: [{ kind: 'MODIFIED', groupName: 'g', scheduleName: 's', differences: [{ expected: 1 }] }] }, mentions: 'items.0.differences.0.path' },
  ];
  for (const c of malformed) {
    it(`refuses a malformed report when ${c.reason}`, () => {
      // Act
      const act = () => parseReport(c.json);
      // Assess
      expect(act).to.throw(ReportSchemaError, /^malformed drift report: /).with.property('message').that.includes(c.mentions);
    });
  }
});

describe('reportKeys', () => {
  const cases = [
    { reason: 'the run started in UTC', runId: 'run-1', startedAt: '2026-11-24T10:00:00.000Z', day: '2026/11/24' },
    { reason: 'the start time carries an offset that is the previous UTC day', runId: 'run-2', startedAt: '2026-01-01T01:30:00+02:00', day: '2025/12/31' },
    { reason: 'the run started just before UTC midnight', runId: 'a1b2c3d4-e5f6-4711-8899-aabbccddeeff', startedAt: '2026-02-28T23:59:59.999Z', day: '2026/02/28' },
  ];
  for (const c of cases) {
    it(`files the report under ${c.day} when ${c.reason}`, () => {
      // Act
      const keys = reportKeys(c.runId, c.startedAt);
      // Assess
      expect(keys).to.deep.equal({
        json: `reports/${c.day}/${c.runId}.json`,
        markdown: `reports/${c.day}/${c.runId}.md`,
        html: `reports/${c.day}/${c.runId}.html`,
        latest: 'reports/latest.json',
      });
    });
  }

  const invalid = [
    { reason: 'the run id has a slash', runId: '../../etc', startedAt: '2026-11-24T10:00:00Z' },
    { reason: 'the run id is empty', runId: '', startedAt: '2026-11-24T10:00:00Z' },
    { reason: 'the start time is not a date', runId: 'run-1', startedAt: 'soon' },
  ];
  for (const c of invalid) {
    it(`throws when ${c.reason}`, () => {
      expect(() => reportKeys(c.runId, c.startedAt)).to.throw(RangeError);
    });
  }
});

describe('escapeCell', () => {
  const cases = [
    { reason: 'a pipe would start a new column', text: 'a|b', expected: 'a\\|b' },
    { reason: 'a newline would end the row', text: 'line 1\nline 2\r\nline 3', expected: 'line 1<br>line 2<br>line 3' },
    { reason: 'a backtick would open a code span', text: 'run `rm`', expected: 'run \\`rm\\`' },
    { reason: 'a backslash could undo an escape', text: 'a\\|b', expected: 'a\\\\\\|b' },
    { reason: 'HTML would be rendered', text: '<img src=x>', expected: '&lt;img src=x&gt;' },
    { reason: 'a link would be rendered', text: '[click](https://example.com)', expected: '\\[click\\](https://example.com)' },
    { reason: 'a control character is invisible', text: 'a\tb\u0000c', expected: 'a b c' },
    { reason: 'the text is plain', text: 'arn:aws:lambda:us-east-1:123456789012:function:f', expected: 'arn:aws:lambda:us-east-1:123456789012:function:f' },
  ];
  for (const c of cases) {
    it(`escapes when ${c.reason}`, () => {
      expect(escapeCell(c.text)).to.equal(c.expected);
    });
  }
});

describe('renderMarkdown', () => {
  /** Cell separators of a table row: pipes not escaped by a backslash. */
  const columns = (row: string) => row.split(/(?<!\\)\|/).length - 2;

  it('says "No drift found." when the store is clean', () => {
    // Act
    const md = renderMarkdown(buildReport(input({ items: [] })));
    // Assess
    expect(md).to.match(/^# Scheduler drift report run-1$/m);
    expect(md).to.include('No drift found.');
    expect(md).to.include('| IN_SYNC | 40 |');
    expect(md).not.to.include('## ');
  });

  it('renders a section per drift kind with property differences and reasons', () => {
    // Act
    const md = renderMarkdown(buildReport(input()));
    // Assess
    expect(md).not.to.include('No drift found.');
    expect(md).to.include('| MODIFIED | 1 |');
    const headings = md.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.split(':')[0]);
    expect(headings).to.deep.equal(['## Missing in store', '## Modified', '## Deleted live', '## Not checked']);
    expect(md).to.include(`| billing | invoice | target.arn: ${OLD} → ${NEW} |`);
    expect(md).to.include('| billing | reminder-once | COMPLETED (expected deletion) |');
    expect(md).to.include('| billing | audit | UNKNOWN |');
    expect(md).to.include('| billing | busy | LIVE_CHANGED_AFTER_START |');
    expect(md).to.include('| ops | nightly | no store item |');
  });

  it('keeps each row in its three columns when values hold Markdown metacharacters', () => {
    // Prepare: a description and an input written by whoever created the schedule.
    const hostile: DriftItem = {
      kind: 'MODIFIED', groupName: 'billing', scheduleName: 'invoice',
      differences: [
        { path: 'description', expected: 'new | evil\n| injected | row |', actual: 'old `code`' },
        { path: 'target.input', expected: '{"a":"<b>x</b>"}', actual: undefined },
      ],
    };
    // Act
    const md = renderMarkdown(buildReport(input({ items: [hostile] })));
    // Assess
    const rows = md.split('\n').filter((l) => l.startsWith('| billing |'));
    expect(rows).to.have.length(1);
    expect(columns(rows[0] ?? '')).to.equal(3);
    expect(rows[0]).to.include('description: old \\`code\\` → new \\| evil<br>\\| injected \\| row \\|');
    expect(rows[0]).to.include('target.input: (absent) → {"a":"&lt;b&gt;x&lt;/b&gt;"}');
  });

  it('says the run failed and claims no more than it checked when a step failed', () => {
    // Prepare: what finish-run's recordFailure does with a report.
    const report = { ...buildReport(input({ items: [] })), status: 'FAILED' as const, failure: { error: 'States.Timeout', cause: 'a | b\nc' }, groupsChecked: 3 };
    // Act
    const md = renderMarkdown(report);
    // Assess
    expect(md).to.include('**The run failed** (States.Timeout: a \\| b<br>c).');
    expect(md).to.include('No drift found in what was checked.');
    expect(md).to.include('(3 checked)');
  });

  it('shows the repair outcome in repair mode', () => {
    // Act
    const md = renderMarkdown(buildReport(input({ mode: 'repair', items: [{ ...modified, repair: 'REPAIRED' }] })));
    // Assess
    expect(md).to.include('- Repairs: 1 repaired, 0 skipped');
    expect(md).to.include('<br>repair: REPAIRED |');
  });
});

describe('executionSummary', () => {
  it('reports IN_SYNC when nothing drifted', () => {
    // Act
    const summary = executionSummary(buildReport(input({ items: [busy] })), URI);
    // Assess
    expect(summary).to.deep.equal({
      runId: 'run-1', mode: 'report', result: 'IN_SYNC',
      counts: { IN_SYNC: 40, MISSING_IN_STORE: 0, MODIFIED: 0, DELETED_LIVE: 0, NOT_CHECKED: 1 },
      driftCount: 0, expectedDeletions: 0, reportUri: URI, topDrift: [],
    });
  });

  it('reports DRIFT_FOUND with one short line per drift item, NOT_CHECKED left out', () => {
    // Act
    const summary = executionSummary(buildReport(input()), URI);
    // Assess
    expect(summary.result).to.equal('DRIFT_FOUND');
    expect(summary.topDrift).to.deep.equal([
      'MISSING_IN_STORE ops/nightly: no store item',
      `MODIFIED billing/invoice: target.arn ${OLD} → ${NEW}`,
      'DELETED_LIVE billing/audit: UNKNOWN',
      'DELETED_LIVE billing/reminder-once: COMPLETED (expected deletion)',
    ]);
  });

  it('shortens long values and counts the other differences', () => {
    // Prepare
    const item: DriftItem = {
      kind: 'MODIFIED', groupName: 'g', scheduleName: 's',
      differences: [{ path: 'target.input', expected: 'x'.repeat(10_000), actual: 'y' }, { path: 'state', expected: 'ENABLED', actual: 'DISABLED' }],
    };
    // Act
    const [line] = executionSummary(buildReport(input({ items: [item] })), URI).topDrift;
    // Assess
    expect(line).to.match(/^MODIFIED g\/s: target\.input y → x+…x+ \(\+1 more\)$/);
    expect(line?.length).to.be.below(300);
  });

  it('carries the repair counts in repair mode', () => {
    const summary = executionSummary(buildReport(input({ mode: 'repair', items: [{ ...lost, repair: 'REPAIRED' }] })), URI);
    expect(summary.repairs).to.deep.equal({ repaired: 1, skipped: 0 });
    expect(summary.topDrift).to.deep.equal(['DELETED_LIVE billing/audit: UNKNOWN [REPAIRED]']);
  });

  it('stays far below the 256 KiB state payload quota with 100,000 drift items', () => {
    // Prepare: long names and bulky differences.
    const items: DriftItem[] = Array.from({ length: 100_000 }, (_, i) => ({
      kind: 'MODIFIED', groupName: `group-${'g'.repeat(50)}-${i % 50}`, scheduleName: `schedule-${'s'.repeat(50)}-${i}`,
      differences: Array.from({ length: 5 }, (__, d) => ({ path: `target.ecsParameters.overrides.containerOverrides[${d}].environment`, expected: 'e'.repeat(2_000), actual: 'a'.repeat(2_000) })),
    }));
    const report = buildReport(input({ items }));
    // Act
    const bytes = Buffer.byteLength(JSON.stringify(executionSummary(report, URI)), 'utf8');
    // Assess
    expect(report.driftCount).to.equal(100_000);
    expect(bytes).to.be.below(8 * 1024);
  });
});

describe('driftMessage', () => {
  it('names the drift count, the expected deletions and the run in the subject', () => {
    // Act
    const { subject, message } = driftMessage(buildReport(input()), URI);
    // Assess
    expect(subject).to.equal('Scheduler drift: 4 found (1 expected), run run-1');
    expect(message).to.include('MODIFIED billing/invoice');
    expect(message).to.include(`Full report: ${URI}`);
  });

  it('keeps the subject ASCII and under 100 characters whatever the run id', () => {
    // Prepare: the longest execution name (80 characters), with non-ASCII letters.
    const report = buildReport(input({ runId: `ré-${'x'.repeat(77)}` }));
    // Act
    const { subject } = driftMessage(report, URI);
    // Assess
    expect(subject.length).to.be.at.most(99);
    expect(subject).to.match(/^[\x20-\x7e]+$/);
    expect(subject).to.match(/\.\.\.$/);
  });

  it('lists the first ten items and says how many more the report holds', () => {
    // Prepare
    const items: DriftItem[] = Array.from({ length: 25 }, (_, i) => ({ kind: 'DELETED_LIVE', groupName: 'g', scheduleName: `s${String(i).padStart(2, '0')}`, reason: 'UNKNOWN' }));
    // Act
    const { message } = driftMessage(buildReport(input({ items })), URI);
    // Assess
    expect(message.split('\n').filter((l) => l.startsWith('- '))).to.have.length(10);
    expect(message).to.include('... and 15 more in the report.');
  });
});

describe('actionableDrift', () => {
  const cases = [
    { reason: 'only an expected deletion drifted', items: [completed], expected: 0 },
    { reason: 'an unexplained deletion drifted too', items: [completed, lost], expected: 1 },
    { reason: 'only NOT_CHECKED items were found', items: [busy], expected: 0 },
  ];
  for (const c of cases) {
    it(`is ${c.expected} when ${c.reason}`, () => {
      expect(actionableDrift(buildReport(input({ items: c.items })))).to.equal(c.expected);
    });
  }
});
