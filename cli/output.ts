/**
 * Output formats shared by the commands: plain tables (no colours, so piped output and snapshots stay text),
 * pretty JSON, RFC 4180 CSV.
 */
import Table from 'cli-table3';

export type Row = Record<string, string>;

export function renderTable(head: string[], rows: string[][], options: { colWidths?: (number | null)[]; wordWrap?: boolean } = {}): string {
  const table = new Table({
    head,
    style: { head: [], border: [], compact: false },
    ...(options.colWidths ? { colWidths: options.colWidths, wordWrap: options.wordWrap ?? true, wrapOnWordBoundary: false } : {}),
  });
  for (const row of rows) table.push(row);
  return table.toString();
}

/** Compact rows: one line per row, no separators between rows. */
export function renderCompactTable(head: string[], rows: string[][]): string {
  const table = new Table({
    head,
    style: { head: [], border: [], compact: true },
  });
  for (const row of rows) table.push(row);
  return table.toString();
}

export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** RFC 4180: fields with a comma, quote, CR or LF are quoted, quotes doubled; CRLF line ends. */
export function renderCsv(head: string[], rows: string[][]): string {
  const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return [head, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/** "3 minutes ago", "2 hours ago", "5 days ago". */
export function ago(then: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
  const units: Array<[string, number]> = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
    }
  }
  return `${seconds} second${seconds === 1 ? '' : 's'} ago`;
}

export function line(out: { write(text: string): unknown }, text = ''): void {
  out.write(`${text}\n`);
}
