/**
 * Mocha hooks for suites of local pipelines: one dynalite for the suite, and the pipelines a test started closed
 * after it (or earlier, with `close`). Call inside a `describe`.
 */
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';
import { startPipeline, type LocalPipeline, type PipelineOptions } from '../../local/pipeline';

export function pipelineHarness(): { start(options?: PipelineOptions): Promise<LocalPipeline>; close(pipeline: LocalPipeline): Promise<void> } {
  let dynamo: LocalDynamo;
  const open = new Set<LocalPipeline>();
  const close = async (pipeline: LocalPipeline) => {
    if (open.delete(pipeline)) await pipeline.close();
  };
  before(async () => {
    dynamo = await startLocalDynamo();
  });
  after(async () => dynamo.close());
  afterEach(async () => {
    for (const pipeline of [...open]) await close(pipeline);
  });
  return {
    async start(options: PipelineOptions = {}) {
      const pipeline = await startPipeline({ dynamo, ...options });
      open.add(pipeline);
      return pipeline;
    },
    close,
  };
}

/** A clock one second further at every reading: every API call has its own CloudTrail second. */
export function steppingSeconds(from = Date.parse('2026-11-24T10:00:00Z')): () => Date {
  let n = 0;
  return () => new Date(from + 1000 * n++);
}
