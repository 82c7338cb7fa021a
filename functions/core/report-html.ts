/**
 * The drift report as one self-contained HTML page, uploaded beside the JSON and Markdown: run header, counts per
 * kind, and a filterable, sortable table of the drift items with MODIFIED differences side by side. Pure.
 *
 * Every string in a report is untrusted: descriptions, target inputs and any value inside `differences` come from
 * whoever can call the Scheduler API. So:
 * - the header (run id, times, scope, failure) is rendered here with every text node and attribute escaped;
 * - the items travel only as a JSON data block (`<script type="application/json">`, which the browser never runs)
 *   with `<`, `>`, `&`, U+2028 and U+2029 written as `\uXXXX`, so no string can close the block;
 * - the page's one script is a constant: it reads the block with `JSON.parse(textContent)` and builds the table
 *   with `textContent`, never `innerHTML`;
 * - the Content-Security-Policy allows nothing but that script and that stylesheet, by their SHA-256 hashes
 *   (https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy/script-src#unsafe_inline_script):
 *   an injected `<script>`, event handler attribute or `style` attribute would not run, and nothing may be loaded.
 */
import { createHash } from 'node:crypto';
import { DRIFT_KINDS } from './drift-types';
import type { DriftKind } from './drift-types';
import { BACKFILL_REASONS, summarizedNote, type DriftReport } from './report';

const KIND_LABELS: Record<DriftKind, string> = {
  IN_SYNC: 'In sync',
  MISSING_IN_STORE: 'Missing in store',
  MODIFIED: 'Modified',
  DELETED_LIVE: 'Deleted live',
  NOT_CHECKED: 'Not checked',
};

/** Kinds that can appear as items (IN_SYNC is counted, never listed). */
const ITEM_KINDS = DRIFT_KINDS.filter((kind) => kind !== 'IN_SYNC');

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #fff; --panel: #f6f8fa; --line: #d1d9e0;
  --accent: #0969da; --bad: #cf222e; --bad-bg: #ffebe9; --warn: #9a6700; --ok: #1a7f37; --info: #8250df; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23;
  --line: #3d444d; --accent: #4493f8; --bad: #f85149; --bad-bg: #25171c; --warn: #d29922; --ok: #3fb950; --info: #ab7df8; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 10px; }
.run-id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted); margin: 0 0 16px; word-break: break-all; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
.status { font-weight: 600; }
.status-COMPLETED { color: var(--ok); }
.status-FAILED { color: var(--bad); }
.failure { margin: 16px 0 0; padding: 10px 14px; border: 1px solid var(--bad); border-radius: 6px; background: var(--bad-bg); }
.failure code { white-space: pre-wrap; word-break: break-word; }
.counts { display: flex; flex-wrap: wrap; gap: 10px; margin: 0; padding: 0; list-style: none; }
.count { min-width: 150px; padding: 10px 14px; border: 1px solid var(--line); border-left-width: 4px; border-radius: 6px; background: var(--panel); }
.count .n { display: block; font-size: 24px; font-weight: 600; }
.count .label { color: var(--muted); }
.k-IN_SYNC { border-left-color: var(--ok); }
.k-MISSING_IN_STORE { border-left-color: var(--bad); }
.k-MODIFIED { border-left-color: var(--warn); }
.k-DELETED_LIVE { border-left-color: var(--accent); }
.k-NOT_CHECKED { border-left-color: var(--info); }
.drift-total { margin: 12px 0 0; }
.empty { font-size: 16px; color: var(--ok); }
.controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 0 0 10px; }
.controls label { color: var(--muted); }
.controls select, .controls input { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
.controls input { width: 22em; }
.shown { color: var(--muted); }
table.items { border-collapse: collapse; width: 100%; }
table.items > thead th { text-align: left; border-bottom: 2px solid var(--line); padding: 0; white-space: nowrap; }
table.items > thead th button { font: inherit; font-weight: 600; color: inherit; background: none; border: 0; padding: 6px 10px; cursor: pointer; width: 100%; text-align: left; }
table.items > thead th button:hover { color: var(--accent); }
table.items > thead th span.plain { display: block; padding: 6px 10px; }
table.items > thead th[aria-sort="ascending"] button::after { content: " \\25B2"; }
table.items > thead th[aria-sort="descending"] button::after { content: " \\25BC"; }
table.items > tbody > tr > td { border-bottom: 1px solid var(--line); padding: 6px 10px; vertical-align: top; }
td.name { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: nowrap; }
.badge { display: inline-block; padding: 0 8px; border-radius: 999px; border: 1px solid currentColor; font-size: 12px; white-space: nowrap; }
.badge.k-MISSING_IN_STORE { color: var(--bad); }
.badge.k-MODIFIED { color: var(--warn); }
.badge.k-DELETED_LIVE { color: var(--accent); }
.badge.k-NOT_CHECKED { color: var(--info); }
table.diff { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.diff th, table.diff td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
table.diff th { background: var(--panel); font-weight: 600; }
table.diff th:first-child { width: 22%; }
table.diff td { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; white-space: pre-wrap; word-break: break-word; }
table.diff td.store { background: color-mix(in srgb, var(--bad) 8%, transparent); }
table.diff td.live { background: color-mix(in srgb, var(--ok) 8%, transparent); }
.absent { color: var(--muted); font-style: italic; }
.no-match td { color: var(--muted); text-align: center; }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; }
`;

/**
 * The page's only script. It never reads data from anywhere but the JSON data block and never assigns data to
 * `innerHTML`: every value reaches the page through `textContent`.
 */
const SCRIPT = `
(function () {
  'use strict';
  var KIND_LABELS = ${JSON.stringify(KIND_LABELS)};
  var KIND_ORDER = ${JSON.stringify(DRIFT_KINDS)};
  var report = JSON.parse(document.getElementById('report-data').textContent);
  var items = report.items.map(function (item, index) { return { item: item, index: index, text: searchText(item) }; });
  var body = document.getElementById('items-body');
  var kindFilter = document.getElementById('kind-filter');
  var textFilter = document.getElementById('text-filter');
  var shown = document.getElementById('shown');
  var repairColumn = report.mode !== 'report';
  var sortKey = null;
  var sortDir = 1;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function formatValue(value) {
    if (typeof value === 'string') return value;
    return JSON.stringify(value, null, 2);
  }

  function valueCell(className, difference, key) {
    var td = el('td', className);
    if (!Object.prototype.hasOwnProperty.call(difference, key) || difference[key] === undefined) {
      td.appendChild(el('span', 'absent', '(absent)'));
    } else {
      td.textContent = formatValue(difference[key]);
    }
    return td;
  }

  function summary(item) {
    switch (item.kind) {
      case 'MISSING_IN_STORE':
        return item.storeRead && item.storeRead.status === 'DELETED' ? 'the store holds a tombstone' : 'no store item';
      case 'DELETED_LIVE':
        return (item.reason || 'UNKNOWN') + (item.expected === true ? ' (expected deletion)' : '');
      case 'NOT_CHECKED':
        return item.reason || 'changed during the run';
      default:
        return '';
    }
  }

  function details(item) {
    var differences = item.differences || [];
    if (item.kind !== 'MODIFIED') return el('span', null, summary(item));
    if (differences.length === 0) return el('span', 'absent', '(no property differences recorded)');
    var table = el('table', 'diff');
    var head = table.appendChild(el('thead')).appendChild(el('tr'));
    ['Property', 'Store value', 'Live value'].forEach(function (title) { head.appendChild(el('th', null, title)); });
    var tbody = table.appendChild(el('tbody'));
    differences.forEach(function (difference) {
      var tr = tbody.appendChild(el('tr'));
      tr.appendChild(el('td', 'path', String(difference.path)));
      tr.appendChild(valueCell('store', difference, 'actual'));
      tr.appendChild(valueCell('live', difference, 'expected'));
    });
    return table;
  }

  function searchText(item) {
    var parts = [item.kind, KIND_LABELS[item.kind], item.groupName, item.scheduleName, summary(item), item.repair || ''];
    (item.differences || []).forEach(function (d) { parts.push(d.path, formatValue(d.expected), formatValue(d.actual)); });
    return parts.join('\\n').toLowerCase();
  }

  function row(entry) {
    var item = entry.item;
    var tr = el('tr');
    tr.setAttribute('data-kind', item.kind);
    var kindCell = tr.appendChild(el('td'));
    kindCell.appendChild(el('span', 'badge k-' + item.kind, KIND_LABELS[item.kind] || String(item.kind)));
    tr.appendChild(el('td', 'name', item.groupName));
    tr.appendChild(el('td', 'name', item.scheduleName));
    tr.appendChild(el('td')).appendChild(details(item));
    if (repairColumn) tr.appendChild(el('td', null, item.repair || '\\u2014'));
    return tr;
  }

  function sortValue(entry, key) {
    if (key === 'kind') return KIND_ORDER.indexOf(entry.item.kind);
    return String(entry.item[key] || '');
  }

  function compare(a, b) {
    if (sortKey !== null) {
      var x = sortValue(a, sortKey);
      var y = sortValue(b, sortKey);
      if (x < y) return -sortDir;
      if (x > y) return sortDir;
    }
    return a.index - b.index;
  }

  function render() {
    var kind = kindFilter.value;
    var needle = textFilter.value.trim().toLowerCase();
    var visible = items.filter(function (entry) {
      return (kind === '' || entry.item.kind === kind) && (needle === '' || entry.text.indexOf(needle) !== -1);
    }).sort(compare);
    var fragment = document.createDocumentFragment();
    visible.forEach(function (entry) { fragment.appendChild(row(entry)); });
    if (visible.length === 0) {
      var empty = el('tr', 'no-match');
      var td = empty.appendChild(el('td', null, 'No items match the filter.'));
      td.colSpan = repairColumn ? 5 : 4;
      fragment.appendChild(empty);
    }
    body.replaceChildren(fragment);
    shown.textContent = visible.length + ' of ' + items.length + ' items shown';
  }

  Array.prototype.forEach.call(document.querySelectorAll('th[data-sort] button'), function (button) {
    button.addEventListener('click', function () {
      var th = button.parentNode;
      var key = th.getAttribute('data-sort');
      sortDir = sortKey === key ? -sortDir : 1;
      sortKey = key;
      Array.prototype.forEach.call(document.querySelectorAll('th[data-sort]'), function (other) {
        if (other === th) other.setAttribute('aria-sort', sortDir === 1 ? 'ascending' : 'descending');
        else other.removeAttribute('aria-sort');
      });
      render();
    });
  });
  kindFilter.addEventListener('change', render);
  textFilter.addEventListener('input', render);
  render();
})();
`;

/** `'sha256-…'` of an inline element's exact text, the CSP source that allows it and nothing else. */
function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * No `default-src` fallback to anything: no fetch, image, font, frame or form target. `frame-ancestors` cannot be
 * set from a meta element (https://www.w3.org/TR/CSP3/#meta-element); S3 serves the file as a download anyway.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${cspHash(SCRIPT)}`,
  `style-src ${cspHash(STYLE)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function renderHtml(report: DriftReport): string {
  const title = `Scheduler drift report ${report.runId}`;
  const lines: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // A constant: hashes are base64 and the keywords single-quoted, nothing that needs escaping in a "…" attribute.
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    '<h1>Scheduler drift report</h1>',
    `<p class="run-id">${escapeHtml(report.runId)}</p>`,
    renderMeta(report),
    ...renderFailure(report),
    '</header>',
    '<main>',
    '<h2>Counts per kind</h2>',
    renderCounts(report),
    `<p class="drift-total">Drift: <strong>${num(report.driftCount)}</strong> (expected deletions: ${num(report.expectedDeletions)})</p>`,
  ];
  if (report.driftCount === 0) {
    lines.push(`<p class="empty">${report.status === 'FAILED' ? 'No drift found in what was checked.' : 'No drift found.'}</p>`);
  }
  if (report.items.length > 0) lines.push(...renderItemsSection(report));
  lines.push(
    '</main>',
    `<footer>Schema version ${escapeHtml(String(report.schemaVersion))}. The same data is in the run's JSON report.</footer>`,
    `<script type="application/json" id="report-data">${jsonForHtml(report)}</script>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  );
  return lines.join('\n');
}

function renderMeta(report: DriftReport): string {
  const scope = report.scope.groups === 'ALL' ? 'all schedule groups' : report.scope.groups.join(', ') || 'no groups';
  const rows: Array<[string, string]> = [
    ['Mode', escapeHtml(report.mode)],
    ['Status', `<span class="status status-${escapeHtml(report.status)}">${escapeHtml(report.status)}</span>`],
    ['Started', timeElement(report.startedAt)],
    ['Finished', timeElement(report.finishedAt) + duration(report.startedAt, report.finishedAt)],
    ['Scope', escapeHtml(scope) + (report.groupsChecked === undefined ? '' : ` (${num(report.groupsChecked)} checked)`)],
  ];
  if (report.backfill !== undefined) rows.push(['Backfill', escapeHtml(BACKFILL_REASONS[report.backfill])]);
  if (report.repairs !== undefined) {
    rows.push(['Repairs', `${num(report.repairs.repaired)} repaired, ${num(report.repairs.skipped)} skipped (store changed since read)`]);
  }
  const note = summarizedNote(report);
  if (note !== undefined) rows.push(['Items', escapeHtml(note)]);
  return ['<dl class="meta">', ...rows.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`), '</dl>'].join('\n');
}

function renderFailure(report: DriftReport): string[] {
  if (report.status !== 'FAILED') return [];
  const failure = report.failure === undefined ? 'unknown error' : `${report.failure.error}: ${report.failure.cause}`;
  return [
    `<div class="failure" role="alert"><strong>The run failed</strong> (<code>${escapeHtml(failure)}</code>). ` +
      'The counts cover only what it checked before the failure.</div>',
  ];
}

function renderCounts(report: DriftReport): string {
  const cards = DRIFT_KINDS.map(
    (kind) => `<li class="count k-${kind}" data-kind="${kind}"><span class="n">${num(report.counts[kind])}</span><span class="label">${KIND_LABELS[kind]}</span></li>`,
  );
  return ['<ul class="counts">', ...cards, '</ul>'].join('\n');
}

function renderItemsSection(report: DriftReport): string[] {
  const options = ITEM_KINDS.map((kind) => {
    const n = report.items.filter((item) => item.kind === kind).length;
    return `<option value="${kind}">${KIND_LABELS[kind]} (${num(n)})</option>`;
  });
  const headers = [
    '<th data-sort="kind"><button type="button">Kind</button></th>',
    '<th data-sort="groupName"><button type="button">Group</button></th>',
    '<th data-sort="scheduleName"><button type="button">Schedule</button></th>',
    '<th><span class="plain">Details</span></th>',
    ...(report.mode !== 'report' ? ['<th data-sort="repair"><button type="button">Repair</button></th>'] : []),
  ];
  return [
    `<h2>Drift items (${report.items.length})</h2>`,
    '<div class="controls">',
    '<label for="kind-filter">Kind</label>',
    `<select id="kind-filter"><option value="">All kinds (${report.items.length})</option>${options.join('')}</select>`,
    '<label for="text-filter">Filter</label>',
    '<input id="text-filter" type="search" placeholder="group, schedule, property or value" autocomplete="off">',
    '<span id="shown" class="shown" aria-live="polite"></span>',
    '</div>',
    '<noscript><p>The item table needs JavaScript; the same items are in the run\'s JSON and Markdown reports.</p></noscript>',
    '<table class="items">',
    `<thead><tr>${headers.join('')}</tr></thead>`,
    '<tbody id="items-body"></tbody>',
    '</table>',
  ];
}

function timeElement(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso)}</time>`;
}

function duration(startIso: string, endIso: string): string {
  const ms = Date.parse(endIso) - Date.parse(startIso);
  if (!Number.isFinite(ms) || ms < 0) return '';
  return ms < 1000 ? ` (${ms} ms)` : ` (${(ms / 1000).toFixed(1)} s)`;
}

/** A count, escaped all the same: the report may come from a file that only claims to match the type. */
function num(value: number): string {
  return escapeHtml(String(value));
}

/** Safe as an HTML text node and inside a double- or single-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * JSON for a `<script type="application/json">` block: the characters that could end the element or open a
 * comment (`<`, `>`, `&`) and the two line terminators older parsers choke on are written as `\uXXXX`. These only
 * ever occur inside JSON strings, where the escape reads back as the same character.
 */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
