import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { escapeHtml, jsonForHtml, renderHtml } from '../../functions/core/report-html';
import type { DriftReport } from '../../functions/core/report';
import { HOSTILE_DESCRIPTION, HOSTILE_INPUT, emptyReport, repairReport, sampleReport } from '../fixtures/html-report';

const DATA_OPEN = '<script type="application/json" id="report-data">';

/** The page cut in three: the JSON data block, the page's own script, and everything else (the markup). */
function parts(html: string): { data: string; script: string; style: string; markup: string } {
  const dataStart = html.indexOf(DATA_OPEN);
  const dataEnd = html.indexOf('</script>', dataStart);
  const scriptStart = html.indexOf('<script>', dataEnd);
  const scriptEnd = html.indexOf('</script>', scriptStart);
  expect(dataStart, 'data block').to.be.greaterThan(0);
  expect(scriptStart, 'page script').to.be.greaterThan(dataEnd);
  const styleMatch = /<style>([\s\S]*?)<\/style>/.exec(html);
  return {
    data: html.slice(dataStart + DATA_OPEN.length, dataEnd),
    script: html.slice(scriptStart + '<script>'.length, scriptEnd),
    style: styleMatch?.[1] ?? '',
    markup: html.slice(0, dataStart + DATA_OPEN.length) + html.slice(dataEnd, scriptStart + '<script>'.length) + html.slice(scriptEnd),
  };
}

interface Tag {
  name: string;
  /** Attribute names, lower case; their values are skipped whole (a `"` inside one would be the injection). */
  attributes: string[];
}

/** Every start tag in the markup. Data never holds a raw `<` or `>` there, so a plain scan finds them all. */
function tags(markup: string): Tag[] {
  return [...markup.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)].map((m) => ({
    name: (m[1] ?? '').toLowerCase(),
    attributes: [...(m[2] ?? '').matchAll(/([^\s="'/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?/g)].map((a) => (a[1] ?? '').toLowerCase()),
  }));
}

const PAGE_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'p', 'dl', 'dt', 'dd', 'span', 'time', 'div', 'strong',
  'code', 'main', 'ul', 'li', 'label', 'select', 'option', 'input', 'noscript', 'table', 'thead', 'tbody', 'tr', 'th', 'button',
  'footer', 'script',
]);

/** The inert-page invariants every rendering must hold, whatever the data. */
function expectInert(html: string): void {
  const { data, markup } = parts(html);
  expect(html.match(/<script/gi), 'only the data block and the page script').to.have.length(2);
  for (const tag of tags(markup)) {
    expect(PAGE_TAGS.has(tag.name), `unexpected <${tag.name}>`).to.equal(true);
    for (const attribute of tag.attributes) {
      expect(attribute, `<${tag.name}> event handler`).not.to.match(/^on/);
      expect(['src', 'href', 'srcset', 'action', 'formaction', 'style', 'background'], `<${tag.name}> loads or links something`).not.to.include(attribute);
    }
  }
  expect(data, 'data block').not.to.match(/[<>&\u2028\u2029]/);
}

function hostileReport(overrides: Partial<DriftReport>): DriftReport {
  return sampleReport(overrides);
}

describe('renderHtml', () => {
  describe('untrusted text stays inert', () => {
    const cases: Array<{ reason: string; report: DriftReport; hostile: string; rendered: 'markup' | 'data' }> = [
      { reason: 'a description closing the script element travels only in the data block', report: sampleReport(), hostile: HOSTILE_DESCRIPTION, rendered: 'data' },
      { reason: 'a target input with an <img onerror> and quotes travels only in the data block', report: sampleReport(), hostile: HOSTILE_INPUT, rendered: 'data' },
      {
        reason: 'a failure cause with an <img onerror> is escaped text',
        report: hostileReport({ status: 'FAILED', failure: { error: 'ReconcileFailed', cause: '<img src=x onerror=alert(1)>' } }),
        hostile: '<img src=x onerror=alert(1)>', rendered: 'markup',
      },
      {
        reason: 'a failure error name closing a script element is escaped text',
        report: hostileReport({ status: 'FAILED', failure: { error: '</script><script>alert(1)</script>', cause: 'x' } }),
        hostile: '</script><script>alert(1)</script>', rendered: 'markup',
      },
      { reason: 'a run id with quotes and markup is escaped in the title and header', report: hostileReport({ runId: `"'&<b>bold</b>` }), hostile: `"'&<b>bold</b>`, rendered: 'markup' },
      { reason: 'a scope group with an <svg onload> is escaped text', report: hostileReport({ scope: { groups: ['<svg onload=alert(1)>'] } }), hostile: '<svg onload=alert(1)>', rendered: 'markup' },
      {
        reason: 'a start time breaking out of the datetime attribute stays inside it',
        report: hostileReport({ startedAt: `" onmouseover="alert(1)" x='` }), hostile: `" onmouseover="alert(1)" x='`, rendered: 'markup',
      },
      {
        reason: 'a difference with an upper-case closing tag, a comment opener and line separators stays in the data block',
        report: hostileReport({ items: [{ kind: 'MODIFIED', groupName: 'g', scheduleName: 's', differences: [{ path: 'description', expected: '<!-- </SCRIPT >\u2028\u2029', actual: { nested: '</script>' } }] }] }),
        hostile: '<!-- </SCRIPT >\u2028\u2029', rendered: 'data',
      },
      {
        reason: 'a URL in a value is text, never a link or a load',
        report: hostileReport({ items: [{ kind: 'MODIFIED', groupName: 'g', scheduleName: 's', differences: [{ path: 'target.input', expected: '<script src="https://evil.example/x.js"></script>', actual: 'http://evil.example/' }] }] }),
        hostile: '<script src="https://evil.example/x.js"></script>', rendered: 'data',
      },
    ];
    for (const { reason, report, hostile, rendered } of cases) {
      it(reason, () => {
        // Act
        const html = renderHtml(report);
        // Assess
        expectInert(html);
        const { data, markup } = parts(html);
        if (rendered === 'markup') expect(markup).to.contain(escapeHtml(hostile));
        expect(JSON.stringify(JSON.parse(data))).to.contain(JSON.stringify(hostile).slice(1, -1));
        expect(markup).not.to.contain(hostile);
      });
    }
  });

  it('embeds the whole report as JSON that reads back equal', () => {
    // Prepare
    const report = sampleReport();
    // Act
    const { data } = parts(renderHtml(report));
    // Assess: equal to what a JSON reader of the report sees (absent values are dropped by both)
    expect(JSON.parse(data)).to.deep.equal(JSON.parse(JSON.stringify(report)));
  });

  it('runs one constant script, whatever the report', () => {
    // Act
    const scripts = [sampleReport(), emptyReport(), repairReport(), sampleReport({ runId: '</script>' })].map((r) => parts(renderHtml(r)).script);
    // Assess
    expect(new Set(scripts).size).to.equal(1);
    expect(scripts[0]).to.contain('JSON.parse(document.getElementById(\'report-data\').textContent)');
    expect(scripts[0]).not.to.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });

  it('allows only its own script and stylesheet, by hash, and loads nothing', () => {
    // Act
    const html = renderHtml(sampleReport());
    // Assess
    const { script, style } = parts(html);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
    const sha = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
    expect(csp.split('; ')).to.deep.equal([
      "default-src 'none'", `script-src ${sha(script)}`, `style-src ${sha(style)}`, "base-uri 'none'", "form-action 'none'",
    ]);
    expect(csp).not.to.contain('unsafe');
    expect(html.indexOf('Content-Security-Policy')).to.be.lessThan(html.indexOf('<style>'));
    expect(style).not.to.match(/url\(|@import|https?:/i);
    expect(parts(html).markup).not.to.match(/https?:\/\//);
  });

  describe('content', () => {
    const cases: Array<{ reason: string; report: DriftReport; contains: string[]; lacks: string[] }> = [
      {
        reason: 'a run without drift says so and has no item table',
        report: emptyReport(),
        contains: ['No drift found.', '<span class="n">12</span><span class="label">In sync</span>', 'e2b7c1d0-empty', 'all schedule groups'],
        lacks: ['<table', 'The run failed'],
      },
      {
        reason: 'a failed run shows the failure and that its counts are partial',
        report: { ...emptyReport(), status: 'FAILED', failure: { error: 'ReconcileFailed', cause: 'List schedules page: ThrottlingException' } },
        contains: ['The run failed', 'ReconcileFailed: List schedules page: ThrottlingException', 'No drift found in what was checked.', 'status-FAILED'],
        lacks: ['<p class="empty">No drift found.</p>'],
      },
      {
        reason: 'a run with drift shows counts per kind, times, scope and the filter controls',
        report: sampleReport({ scope: { groups: ['billing', 'ops'] } }),
        contains: [
          '<span class="n">41</span><span class="label">In sync</span>', '<span class="n">3</span><span class="label">Modified</span>',
          '<span class="n">2</span><span class="label">Missing in store</span>', '<time datetime="2026-11-24T20:37:19.120Z">',
          'billing, ops (4 checked)', '(2.3 s)', '<option value="MODIFIED">Modified (3)</option>', 'id="text-filter"', 'Drift items (8)',
        ],
        lacks: ['No drift found', 'data-sort="repair"'],
      },
      {
        reason: 'a repair run shows the repairs and a repair column',
        report: repairReport(),
        contains: ['1 repaired, 1 skipped', 'data-sort="repair"'],
        lacks: [],
      },
    ];
    for (const { reason, report, contains, lacks } of cases) {
      it(reason, () => {
        // Act
        const html = renderHtml(report);
        // Assess
        expectInert(html);
        for (const text of contains) expect(html).to.contain(text);
        for (const text of lacks) expect(html).not.to.contain(text);
      });
    }
  });
});

describe('escapeHtml', () => {
  const cases = [
    { reason: 'each of the five specials', input: `&<>"'`, output: '&amp;&lt;&gt;&quot;&#39;' },
    { reason: 'an entity is escaped again, not trusted', input: '&lt;', output: '&amp;lt;' },
    { reason: 'other text unchanged', input: 'arn:aws:lambda:…/x', output: 'arn:aws:lambda:…/x' },
  ];
  for (const { reason, input, output } of cases) {
    it(`escapes ${reason}`, () => expect(escapeHtml(input)).to.equal(output));
  }
});

describe('jsonForHtml', () => {
  const cases = [
    { reason: 'a closing script tag', value: { d: '</script>' }, output: '{"d":"\\u003c/script\\u003e"}' },
    { reason: 'an ampersand and a comment opener', value: ['&', '<!--'], output: '["\\u0026","\\u003c!--"]' },
    { reason: 'the line and paragraph separators', value: '\u2028\u2029', output: '"\\u2028\\u2029"' },
  ];
  for (const { reason, value, output } of cases) {
    it(`escapes ${reason} and reads back the same`, () => {
      const json = jsonForHtml(value);
      expect(json).to.equal(output);
      expect(JSON.parse(json)).to.deep.equal(value);
    });
  }
});
