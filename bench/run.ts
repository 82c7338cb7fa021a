/**
 * `npm run bench [-- --quick]`: the reconciler at 1,000 / 10,000 / 100,000 schedules (1 / 10 / 100 groups, 1% drift
 * of every kind) against a naive reconciler, the projection to 1,000,000 schedules with AWS list prices, and the
 * observer's throughput; prints the tables and every target as PASS or MISS, and writes bench/results/latest.json.
 * `--quick` runs only the smallest size and 1,000 events (CI smoke). Exits non-zero only on an error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extrapolate, priceMeasured } from './extrapolate';
import { configuredLambdaMemory, PRICES } from './prices';
import { evaluateTargets, measuredTable, projectionTable, targetLines } from './report';
import { runEmptied, runSize, type EmptiedResult, type SizeResult } from './scenario';
import { measureBurst, measureThroughput, type BurstResult, type ThroughputResult } from './throughput';

export const SIZES = [
  { schedules: 1_000, groups: 1 },
  { schedules: 10_000, groups: 10 },
  { schedules: 100_000, groups: 100 },
];

export interface BenchOptions {
  quick: boolean;
  progress?: (message: string) => void;
}

export async function runBench(options: BenchOptions) {
  const progress = options.progress ?? ((message: string) => console.log(message));
  const memory = configuredLambdaMemory();
  const results: SizeResult[] = [];
  for (const size of options.quick ? SIZES.slice(0, 1) : SIZES) {
    progress(`\n== ${size.schedules.toLocaleString('en-US')} schedules in ${size.groups} group(s) ==`);
    results.push(await runSize(size, progress));
  }
  progress('');
  const throughput: ThroughputResult = await measureThroughput({ events: options.quick ? 1_000 : 10_000, schedules: options.quick ? 100 : 300 }, progress);
  const burst: BurstResult = await measureBurst({ schedules: options.quick ? 300 : 10_000 }, progress);
  const emptied: EmptiedResult = await runEmptied(options.quick ? 2_000 : 100_000, progress);
  const basis = results[results.length - 1];
  // 1,000,000 schedules in 100 groups, and in one group (the `default` group of many accounts).
  const projections = [
    ...basis.rows.map((row) => extrapolate(row, memory)),
    ...basis.rows.filter((row) => row.mode !== 'naive').map((row) => extrapolate(row, memory, { schedules: 1_000_000, groups: 1 })),
  ];
  const measuredCosts = results.flatMap((r) => r.rows.map((row) => priceMeasured(row, memory)));
  const targets = evaluateTargets(results, projections, throughput, burst, emptied);
  return { results, throughput, burst, emptied, projections, measuredCosts, targets, memory, basis: basis.dataset.schedules };
}

/**
 * `npm run bench -- --million`: the reconciler alone at 1,000,000 schedules in one group (the `default` group of many
 * accounts), report then repair, with the same 1% drift of each kind; no naive run (a million GetSchedule calls
 * would take hours here). Prints each run's figures and whether it found exactly the injected drift; writes
 * bench/results/million.json.
 */
async function million(): Promise<void> {
  const started = Date.now();
  const result = await runSize({ schedules: 1_000_000, groups: 1 }, (message) => console.log(message), { naive: false });
  for (const row of result.rows) {
    const expected = result.expected[row.mode as 'report' | 'repair'];
    const found = row.counts ? { MISSING_IN_STORE: row.counts.MISSING_IN_STORE, MODIFIED: row.counts.MODIFIED, DELETED_LIVE: row.counts.DELETED_LIVE, NOT_CHECKED: row.counts.NOT_CHECKED } : {};
    const want = { MISSING_IN_STORE: expected.MISSING_IN_STORE, MODIFIED: expected.MODIFIED, DELETED_LIVE: expected.DELETED_LIVE, NOT_CHECKED: expected.NOT_CHECKED };
    const requests = Object.entries(row.store.requests).map(([name, n]) => `${name.replace('Command', '')} ${n}`).join(', ');
    console.log(
      `${JSON.stringify(found) === JSON.stringify(want) && row.status === 'SUCCEEDED' ? 'PASS' : 'MISS'}  1,000,000 in 1 group, ${row.mode}: ${row.status} in ${(row.wallMs / 1000).toFixed(1)} s; ` +
        `${row.stateTransitions} transitions, ${row.historyEvents} history events; Scheduler ${JSON.stringify(row.schedulerCalls)}; store ${requests} (${Math.round(row.store.readRequestUnits)} read units); ` +
        `peak RSS ${row.peakRssMb} MB (whole process); found ${JSON.stringify(found)}, injected ${JSON.stringify(want)}`,
    );
  }
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'million.json'), `${JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, wallMs: Date.now() - started, ...result }, null, 2)}\n`);
  console.log(`\nWritten: ${join(dir, 'million.json')} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--million')) return million();
  const quick = process.argv.includes('--quick');
  const started = Date.now();
  const bench = await runBench({ quick });
  console.log('\nMeasured (local engines: Scheduler model, dynalite, aws-local-stepfunctions with the real ASL and handlers)');
  console.log(measuredTable(bench.results));
  console.log(`\nExtrapolated to 1,000,000 schedules in 100 groups and in 1 group, linear from the ${bench.basis.toLocaleString('en-US')}-schedule runs; us-east-1 list prices (bench/prices.ts),`);
  console.log(`Lambda arm64 at the configured memory (scan ${bench.memory.scan} MB, report ${bench.memory.report} MB, repair ${bench.memory.repair} MB), duration = local handler time:`);
  console.log(projectionTable(bench.projections));
  const t = bench.throughput;
  console.log(`\nObserver: ${t.eventsDelivered.toLocaleString('en-US')} events (${t.apiCalls} Scheduler writes over ${t.schedules} schedules, ${t.duplicates} duplicates, reordered) in ${(t.drainMs / 1000).toFixed(1)} s = ${t.eventsPerSecond.toFixed(0)} events/s; raw conditional PutItem ${t.rawPutsPerSecond.toFixed(0)}/s (${t.rawPuts} puts); DLQ ${t.dlq}; store equals truth: ${t.storeEqualsTruth}`);
  const b = bench.burst;
  console.log(`Observer, Terraform-style burst: ${b.eventsDelivered.toLocaleString('en-US')} events (${b.apiCalls.toLocaleString('en-US')} Scheduler writes over ${b.schedules.toLocaleString('en-US')} schedules, ${b.duplicates} duplicates, reordered) in ${b.batches} batches of up to 100, ${(b.drainMs / 1000).toFixed(1)} s = ${b.eventsPerSecond.toFixed(0)} events/s; raw conditional PutItem ${b.rawPutsPerSecond.toFixed(0)}/s (mean of before and after); GetSchedule ${b.getSchedule} for ${b.distinctSchedulesPerBatch} distinct schedules per batch; DLQ ${b.dlq}; store equals truth: ${b.storeEqualsTruth}`);
  const e = bench.emptied;
  console.log(`Emptied store, ${e.schedules.toLocaleString('en-US')} schedules in 1 group: report run ${e.status} in ${(e.wallMs / 1000).toFixed(1)} s, ${e.stateTransitions} transitions, ${e.historyEvents} history events, ${e.getSchedule.toLocaleString('en-US')} GetSchedule, ${e.itemFiles} item file(s), peak RSS ${e.peakRssMb} MB (whole process, engines included)`);
  console.log('\nTargets');
  console.log(targetLines(bench.targets));
  const missed = bench.targets.filter((target) => !target.pass);
  console.log(`\n${bench.targets.length - missed.length} of ${bench.targets.length} targets pass${missed.length ? `; MISS: ${missed.map((m) => m.name).join('; ')}` : ''}`);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  writeFileSync(file, `${JSON.stringify({ generatedAt: new Date().toISOString(), quick, node: process.version, wallMs: Date.now() - started, prices: PRICES, ...bench }, null, 2)}\n`);
  console.log(`\nWritten: ${file} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
