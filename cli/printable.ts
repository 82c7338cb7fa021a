/**
 * Text read from AWS (report objects in S3, store items, execution causes) is printed to a terminal: a group
 * name, a description or a failure cause holding ESC (`\u001b[2J`), CSI (U+009B), a carriage return or a bidi
 * override could clear the screen, rewrite a line or reorder what the reader sees. Every such character becomes
 * a visible `\uXXXX` escape; tab and line feed stay (multi-line causes and table cells keep their lines).
 * C0 and C1 controls, DEL, and the Unicode bidi controls (https://www.unicode.org/reports/tr9/#Explicit_Directional_Formatting_Characters).
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `printable` applied to every string (keys and values) of a JSON-like value; the shape is kept. */
export function printableDeep<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map(printableDeep) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [printable(k), printableDeep(v)])) as T;
  }
  return value;
}
