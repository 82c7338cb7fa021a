/**
 * The benchmark's `--quick` smoke: the smallest size (1,000 schedules, 1 group, 1% drift of every kind) run
 * in-process on the local engines. Asserts only what does not depend on the machine: call-count ratios, write
 * counts and the transition bound. Never times.
 */
import { expect } from 'chai';
import { runBench } from '../../bench/run';

describe('benchmark --quick', function () {
  this.timeout(180_000);
  let bench: Awaited<ReturnType<typeof runBench>>;

  before(async () => {
    bench = await runBench({ quick: true, progress: () => undefined });
  });

  const row = (mode: string) => bench.results[0].rows.find((r) => r.mode === mode)!;
  const target = (prefix: string) => bench.targets.find((t) => t.name.startsWith(prefix))!;

  const cases = [
    { reason: 'Scheduler calls stay within 2% of pages + candidates', prefix: '1,000 report: Scheduler calls' },
    { reason: 'Scheduler calls stay within 2% of pages + candidates', prefix: '1,000 repair: Scheduler calls' },
    { reason: 'a report run writes nothing', prefix: '1,000 report: store writes' },
    { reason: 'a repair run writes exactly the drift, and registers each group at most once', prefix: '1,000 repair: store writes' },
    { reason: 'transitions grow with groups and batches only', prefix: '1,000 report: transitions' },
    { reason: 'transitions grow with groups and batches only', prefix: '1,000 repair: transitions' },
    { reason: 'every injected drift is found, nothing else', prefix: '1,000 report: finds exactly' },
    { reason: 'every injected drift is found, nothing else', prefix: '1,000 repair: finds exactly' },
  ];
  for (const { reason, prefix } of cases) {
    it(`passes "${prefix}" (${reason})`, () => {
      const t = target(prefix);
      expect(t, prefix).to.exist;
      expect(t.pass, t.detail).to.equal(true);
    });
  }

  it('makes at least 15× fewer Scheduler calls than the naive reconciler at 3% drift', () => {
    // Prepare / Act: done in before(). Assess: pages + 3% GetSchedule vs GetSchedule for every schedule.
    expect(row('naive').schedulerTotal / row('report').schedulerTotal).to.be.at.least(15);
    expect(row('report').schedulerCalls.GetSchedule).to.equal(row('report').driftCount);
  });

  it('rewrites every live schedule in the naive reconciler and only the drift in repair mode', () => {
    expect(row('naive').store.writes).to.equal(row('naive').schedulerCalls.GetSchedule);
    expect(row('repair').store.writes).to.equal(row('repair').driftCount);
    // Plus the group registry: one put per group a repair makes live items in, never one per item.
    expect(row('repair').store.registryWrites).to.be.within(1, row('repair').groupsChecked ?? row('repair').groups);
  });
});
