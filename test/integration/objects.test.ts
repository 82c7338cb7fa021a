import { expect } from 'chai';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { ObjectStoreError, S3ObjectStore, type ObjectSummary } from '../../functions/adapters/objects';
import { errorOf } from '../support/error-of';
import { useLocalS3 } from '../support/local-s3';

async function collect(iterable: AsyncIterable<ObjectSummary>): Promise<ObjectSummary[]> {
  const items: ObjectSummary[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('S3ObjectStore on the local S3', () => {
  const harness = useLocalS3();
  let store: S3ObjectStore;
  beforeEach(async () => {
    store = new S3ObjectStore(harness.client, await harness.freshBucket());
  });

  describe('uri', () => {
    it('names the bucket and key when given a key', () => {
      expect(store.uri('reports/r1.json')).to.equal(`s3://${store.bucket}/reports/r1.json`);
    });
  });

  describe('putJson and getJson', () => {
    const values = [
      { value: { runId: 'r1', drift: [{ schedule: 'g/s', kind: 'MISSING' }] }, reason: 'a drift report object' },
      { value: ['é', '日本', '😀'], reason: 'an array of non-ASCII strings' },
      { value: null, reason: 'null' },
      { value: 0, reason: 'a number' },
    ];
    for (const { value, reason } of values) {
      it(`returns an equal value when the stored value is ${reason}`, async () => {
        await store.putJson('reports/r1.json', value);
        expect(await store.getJson('reports/r1.json')).to.deep.equal(value);
      });
    }

    it('stores compact JSON as application/json when a value is put', async () => {
      await store.putJson('reports/r1.json', { a: 1 });
      const head = await harness.client.send(new HeadObjectCommand({ Bucket: store.bucket, Key: 'reports/r1.json' }));
      expect(head).to.include({ ContentType: 'application/json', ContentLength: '{"a":1}'.length });
      expect(await store.getText('reports/r1.json')).to.equal('{"a":1}');
    });

    it('returns undefined when no object has the key', async () => {
      expect(await store.getJson('reports/missing.json')).to.equal(undefined);
    });

    it('throws ObjectStoreError naming the object when the stored text is not JSON', async () => {
      await store.putText('reports/r1.json', '# not json', 'text/markdown');
      const error = await errorOf(store.getJson('reports/r1.json'));
      expect(error).to.be.instanceOf(ObjectStoreError);
      expect(error.message).to.include(store.uri('reports/r1.json'));
    });
  });

  describe('putText and getText', () => {
    it('returns the same text and keeps the Content-Type when Markdown was put', async () => {
      const markdown = '# Drift report\n\n| schedule | drift |\n|---|---|\n| g/é | MISSING |\n';
      await store.putText('reports/r1.md', markdown, 'text/markdown; charset=utf-8');
      expect(await store.getText('reports/r1.md')).to.equal(markdown);
      const head = await harness.client.send(new HeadObjectCommand({ Bucket: store.bucket, Key: 'reports/r1.md' }));
      expect(head.ContentType).to.equal('text/markdown; charset=utf-8');
    });

    it('returns an empty string when an empty object was put', async () => {
      await store.putText('runs/r1/empty', '', 'text/plain');
      expect(await store.getText('runs/r1/empty')).to.equal('');
    });

    it('returns undefined when no object has the key', async () => {
      expect(await store.getText('reports/missing.md')).to.equal(undefined);
    });
  });

  describe('list', () => {
    it('yields every object across pages, in key order, when more than 1,000 keys match', async () => {
      // Prepare: 1,050 chunks need two ListObjectsV2 pages of at most 1,000.
      const keys = Array.from({ length: 1_050 }, (_, index) => `runs/r1/chunk-${String(index).padStart(4, '0')}.json`);
      for (let index = 0; index < keys.length; index += 50) {
        await Promise.all(keys.slice(index, index + 50).map((key) => store.putJson(key, { index })));
      }
      await store.putJson('runs/r10/chunk-0000.json', {});
      // Act
      const listed = await collect(store.list('runs/r1/'));
      // Assess
      expect(listed.map((item) => item.key)).to.deep.equal(keys);
      expect(listed.every((item) => item.size > 0 && item.lastModified instanceof Date)).to.equal(true);
    });

    it('yields nothing when no key has the prefix', async () => {
      await store.putJson('reports/r1.json', {});
      expect(await collect(store.list('runs/'))).to.deep.equal([]);
    });
  });

  describe('when the bucket does not exist', () => {
    const calls = [
      { reason: 'putJson', call: (missing: S3ObjectStore) => missing.putJson('reports/r1.json', {}) },
      { reason: 'putText', call: (missing: S3ObjectStore) => missing.putText('reports/r1.md', '#', 'text/markdown') },
      { reason: 'getJson', call: (missing: S3ObjectStore) => missing.getJson('reports/r1.json') },
      { reason: 'getText', call: (missing: S3ObjectStore) => missing.getText('reports/r1.md') },
      { reason: 'list', call: (missing: S3ObjectStore) => collect(missing.list('reports/')) },
    ];
    for (const { reason, call } of calls) {
      it(`throws ObjectStoreError naming the bucket when ${reason} is called`, async () => {
        const missing = new S3ObjectStore(harness.client, 'no-such-reports');
        const error = await errorOf(call(missing));
        expect(error).to.be.instanceOf(ObjectStoreError);
        expect(error.name).to.equal('ObjectStoreError');
        expect(error.message).to.include("S3 bucket 'no-such-reports' does not exist (NoSuchBucket)");
        expect((error.cause as Error).name).to.equal('NoSuchBucket');
      });
    }
  });

  describe('when S3 refuses the call for another reason', () => {
    it('throws ObjectStoreError with the S3 error name and the object URI', async () => {
      const error = await errorOf(store.putText('é'.repeat(513), 'x', 'text/plain'));
      expect(error).to.be.instanceOf(ObjectStoreError);
      expect(error.message).to.match(/^Could not write s3:\/\/reports-[0-9a-f]{8}\/é+: KeyTooLongError: /);
    });
  });
});
