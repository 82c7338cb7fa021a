/**
 * The heartbeat canary (issue 11, part 3) on the local engines: the real beat against the Scheduler model
 * through the SDK, recorded by the real observer pipeline into dynalite. A store that keeps up shows a small
 * lag; one that CloudTrail delivers nothing to turns blind once the last beat it holds is old enough.
 */
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { expect } from 'chai';
import { beatOf, blindAfterSeconds, checkHeartbeat, HEARTBEAT_SCHEDULE, heartbeatDescription } from '../../functions/core/heartbeat';
import { captureMetrics } from '../../local/emf';
import { createHeartbeatSchedule, localHeartbeat, type LocalHeartbeat } from '../../local/heartbeat';
import { startPipeline, type LocalPipeline } from '../../local/pipeline';

const GROUP = 'scheduler-observer-heartbeat-dev';

describe('checkHeartbeat', () => {
  const T = Date.parse('2026-11-24T10:00:00Z');
  const cases = [
    { reason: 'the store holds the beat of a minute ago', stored: { status: 'PRESENT' as const, description: heartbeatDescription(new Date(T - 60_000)) }, first: T - 3_600_000, expected: { lagSeconds: 60, blind: false } },
    { reason: 'the newest beat the store holds is older than three beats and 15 minutes', stored: { status: 'PRESENT' as const, description: heartbeatDescription(new Date(T - 16 * 60_000)) }, first: T - 3_600_000, expected: { lagSeconds: 960, blind: true } },
    { reason: 'the store holds no beat and the first was written just now', stored: undefined, first: T - 60_000, expected: { blind: false } },
    { reason: 'the store holds no beat though the first was written an hour ago', stored: undefined, first: T - 3_600_000, expected: { blind: true } },
    { reason: 'the store holds a description the heartbeat did not write', stored: { status: 'PRESENT' as const, description: 'made by hand' }, first: T - 3_600_000, expected: { blind: true } },
    { reason: 'the store holds a tombstone of the heartbeat', stored: { status: 'DELETED' as const, description: heartbeatDescription(new Date(T - 60_000)) }, first: T - 3_600_000, expected: { blind: true } },
  ];
  for (const c of cases) {
    it(`says ${JSON.stringify(c.expected)} when ${c.reason}`, () => {
      expect(checkHeartbeat(c.stored, T, 5, c.first)).to.deep.equal(c.expected);
    });
  }

  it('waits at least 15 minutes, and three beats for slow beats', () => {
    expect(blindAfterSeconds(1)).to.equal(900);
    expect(blindAfterSeconds(60)).to.equal(3 * 3600);
    expect(beatOf(heartbeatDescription(new Date(T)))).to.equal(T);
  });
});

describe('the heartbeat on the local engines', function () {
  this.timeout(60_000);
  let p: LocalPipeline;
  let heartbeat: LocalHeartbeat;
  let clock = Date.now();
  const now = () => new Date(clock);

  beforeEach(async () => {
    clock = Date.now();
    p = await startPipeline({ scheduler: { now } });
    await createHeartbeatSchedule(p.client, GROUP);
    await p.settle();
    // The heartbeat function with its own role (IAM in the loop): that one schedule, and the store's copy of it.
    heartbeat = localHeartbeat(p, GROUP);
  });
  afterEach(async () => {
    heartbeat.close();
    await p.close();
  });

  const run = (captured = captureMetrics()) => heartbeat.beat({ metrics: captured.metrics, now });

  it('writes the beat into the live schedule, keeps the rest of it, and the observer records it', async () => {
    // Act
    const first = await run();
    await p.settle();
    clock += 5 * 60_000;
    const captured = captureMetrics();
    const second = await run(captured);
    captured.metrics.publishStoredMetrics();
    // Assess
    expect(first).to.include({ blind: false });
    const live = await p.client.send(new GetScheduleCommand({ Name: HEARTBEAT_SCHEDULE, GroupName: GROUP }));
    expect(live).to.include({ Description: second.description, ScheduleExpression: 'rate(5 minutes)' });
    expect(live.Target?.RoleArn).to.equal('arn:aws:iam::123456789012:role/heartbeat-invoke');
    expect(second).to.deep.include({ lagSeconds: 300, blind: false });
    expect(captured.totals()).to.include({ HeartbeatLagSeconds: 300, ObserverBlind: 0 });
    expect((await p.store.get({ groupName: GROUP, scheduleName: HEARTBEAT_SCHEDULE }))!.description).to.equal(first.description);
  });

  it('turns blind when CloudTrail delivers nothing for longer than three beats', async () => {
    // Prepare: the pipeline records the first beat, then CloudTrail stops delivering.
    await run();
    await p.settle();
    const beats: boolean[] = [];
    for (let n = 1; n <= 4; n++) {
      clock += 5 * 60_000;
      const captured = captureMetrics();
      beats.push((await run(captured)).blind);
      p.loseEvents();
    }
    // Assess: 5, 10 and 15 minutes behind are within the limit; 20 minutes is blind.
    expect(beats).to.deep.equal([false, false, false, true]);
  });
});
