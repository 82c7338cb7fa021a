/**
 * An in-memory object store for the reconciler's run chunks and reports, for property runs.
 *
 * Stands for: functions/adapters/objects.ts `S3ObjectStore` on a bucket. Objects are kept as the text S3 would
 * hold (JSON round trip, so no reference is shared with the writer) and listed in key order, as S3 lists
 * (UTF-8 binary order; the keys here are ASCII). S3ObjectStore itself is proven on the local S3 in
 * test/integration/objects.test.ts.
 */
import { ObjectStoreError } from '../../functions/adapters/objects';
import type { ReportObjects } from '../../functions/core/finish-run';

export class MemoryObjects implements ReportObjects {
  readonly objects = new Map<string, { body: string; contentType: string }>();

  /**
   * `missing: 'AccessDenied'` answers a read of a missing key as S3 answers a caller that may not list it (the
   * reconciler's roles may list only under runs/, by an s3:prefix condition that GetObject does not carry): 403
   * AccessDenied, not NoSuchKey (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Permissions").
   */
  constructor(private readonly options: { missing?: 'NoSuchKey' | 'AccessDenied' } = {}) {}

  uri(key: string): string {
    return `s3://memory/${key}`;
  }

  async putJson(key: string, value: unknown): Promise<void> {
    const body = JSON.stringify(value);
    if (body === undefined) throw new TypeError(`Cannot store ${typeof value} as JSON at ${this.uri(key)}.`);
    await this.putText(key, body, 'application/json');
  }

  async putText(key: string, body: string, contentType: string): Promise<void> {
    this.objects.set(key, { body, contentType });
  }

  async getJson<T = unknown>(key: string): Promise<T | undefined> {
    const object = this.objects.get(key);
    if (object === undefined && this.options.missing === 'AccessDenied') {
      throw new ObjectStoreError(`Could not read ${this.uri(key)}: AccessDenied: Access Denied`);
    }
    return object === undefined ? undefined : (JSON.parse(object.body) as T);
  }

  async *list(prefix: string): AsyncIterable<{ key: string; size: number }> {
    const keys = [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
    for (const key of keys) yield { key, size: Buffer.byteLength(this.objects.get(key)!.body, 'utf8') };
  }
}
