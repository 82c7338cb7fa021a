/**
 * The REST-XML documents the model writes: `<ListBucketResult>` and `<Error>`. Only what those two need.
 */

/** A node: text, or nested elements in order (arrays repeat the element, as `<Contents>` does). */
export type XmlValue = string | number | boolean | XmlElements | XmlElements[];
export interface XmlElements {
  [name: string]: XmlValue | undefined;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(name: string, value: XmlValue): string {
  if (Array.isArray(value)) return value.map((item) => render(name, item)).join('');
  if (typeof value === 'object') return `<${name}>${renderChildren(value)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function renderChildren(elements: XmlElements): string {
  return Object.entries(elements)
    .filter((entry): entry is [string, XmlValue] => entry[1] !== undefined)
    .map(([name, value]) => render(name, value))
    .join('');
}

/** A whole document; `undefined` children are left out, as S3 leaves out absent optional elements. */
export function xmlDocument(root: string, children: XmlElements, xmlns?: string): string {
  const open = xmlns ? `<${root} xmlns="${xmlns}">` : `<${root}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${open}${renderChildren(children)}</${root}>`;
}
