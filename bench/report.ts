/**
 * The benchmark's printed table and its targets (pass/MISS), from the measured rows, the projection to
 * 1,000,000 schedules and the observer throughput.
 */
import Table from 'cli-table3';
import { batchesPerGroup, HISTORY_EVENT_LIMIT, storeScanCalls, transitionBase, type Projection } from './extrapolate';
import type { EmptiedResult, RunRow, SizeResult } from './scenario';
import type { BurstResult, ThroughputResult } from './throughput';

export interface Target {
  name: string;
  pass: boolean;
  detail: string;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const usd = (n: number) => (n < 0.01 ? `$${n.toFixed(5)}` : `$${n.toFixed(2)}`);

function calls(row: RunRow): string {
  const c = row.schedulerCalls;
  return `${int(row.schedulerTotal)} (LG ${c.ListScheduleGroups ?? 0} / LS ${int(c.ListSchedules ?? 0)} / GS ${int(c.GetSchedule ?? 0)})`;
}

function reads(row: RunRow): string {
  const r = row.store.requests;
  const parts = [['BatchGet', r.BatchGetCommand], ['Query', r.QueryCommand], ['Scan', r.ScanCommand], ['Get', r.GetCommand]]
    .filter(([, n]) => n)
    .map(([name, n]) => `${name} ${int(n as number)}`);
  return `${int(row.store.readRequests)} req, ${int(row.store.itemsRead)} items${parts.length ? `\n(${parts.join(', ')})` : ''}`;
}

export function measuredTable(results: SizeResult[]): string {
  const table = new Table({
    head: ['schedules / groups', 'run', 'Scheduler calls', 'store reads', 'store writes', 'transitions', 'Lambda inv.', 'peak payload B', 'history events', 'wall s', 'naive ÷ this (Scheduler calls)'],
    style: { head: [], border: [] },
  });
  for (const result of results) {
    const naive = result.rows.find((r) => r.mode === 'naive')!;
    for (const row of result.rows) {
      const assumed = row.assumedShape ? '*' : '';
      table.push([
        `${int(row.size)} / ${row.groups}`,
        row.mode,
        calls(row),
        reads(row),
        int(row.store.writes),
        `${int(row.stateTransitions)}${assumed}`,
        `${int(row.lambdaInvocations)}${assumed}`,
        row.peakPayloadBytes === null ? 'n/a' : int(row.peakPayloadBytes),
        `${int(row.historyEvents)}${assumed ? '~' : ''}`,
        (row.wallMs / 1000).toFixed(1),
        row.mode === 'naive' ? '1×' : `${(naive.schedulerTotal / row.schedulerTotal).toFixed(1)}×`,
      ]);
    }
  }
  return `${table.toString()}\n* naive: priced on the reconciler's batched state machine (a batch per 50 listed pages, GetSchedule and an unconditional rewrite per schedule), derived from the report run's shape; ~ history at the measured events per transition.\n  LG ListScheduleGroups, LS ListSchedules, GS GetSchedule.`;
}

export function projectionTable(projections: Projection[]): string {
  const table = new Table({
    head: ['1,000,000 schedules', 'Scheduler calls', 'transitions', 'history events', 'Lambda inv. / GB-s', 'RRU / WRU', 'Step Functions', 'Lambda', 'DynamoDB', 'per run', 'per month (hourly)'],
    style: { head: [], border: [] },
  });
  for (const p of projections) {
    table.push([
      `${p.mode}${p.groups === 1 ? ' (1 group)' : ` (${int(p.groups)} groups)`}`, int(p.schedulerCalls) + ' (free)', int(p.stateTransitions), int(p.historyEvents), `${int(p.lambdaInvocations)} / ${p.lambdaGbSeconds.toFixed(1)}`,
      `${int(p.readRequestUnits)} / ${int(p.writeRequestUnits)}`, usd(p.cost.stepFunctions), usd(p.cost.lambda), usd(p.cost.dynamodb), usd(p.cost.total), usd(p.cost.perMonthHourly),
    ]);
  }
  return table.toString();
}

export function evaluateTargets(results: SizeResult[], projections: Projection[], throughput: ThroughputResult | undefined, burst?: BurstResult, emptied?: EmptiedResult): Target[] {
  const targets: Target[] = [];
  for (const result of results) {
    for (const row of result.rows.filter((r) => r.mode !== 'naive')) {
      const label = `${int(row.size)} ${row.mode}`;
      const counts = row.counts;
      const mode = row.mode as 'report' | 'repair';
      const expected = result.expected[mode];
      const notChecked = counts?.NOT_CHECKED ?? 0;
      const drift = row.driftCount ?? 0;
      const base = (row.schedulerCalls.ListSchedules ?? 0) + drift + notChecked;
      targets.push({
        name: `${label}: Scheduler calls ≤ 1.02 × (ListSchedules pages + GetSchedule for candidates)`,
        pass: row.schedulerTotal <= 1.02 * base,
        detail: `${int(row.schedulerTotal)} ≤ ${int(1.02 * base)} (pages ${row.schedulerCalls.ListSchedules ?? 0}, candidates ${drift} drift + ${notChecked} NOT_CHECKED; GetSchedule made ${row.schedulerCalls.GetSchedule ?? 0}) → ${(row.schedulerTotal / base).toFixed(3)}×`,
      });
      const wantWrites = mode === 'repair' ? drift : 0;
      const groups = row.groupsChecked ?? row.groups;
      targets.push({
        name: `${label}: store writes = ${mode === 'repair' ? 'drift count (+ ≤ 1 group-registry put per group)' : '0'}`,
        pass: row.store.writes === wantWrites && row.store.registryWrites <= (mode === 'repair' ? groups : 0),
        detail: `${row.store.writes} writes, drift ${drift}, ${row.store.registryWrites} registry puts${row.store.conditionalFailures ? `, ${row.store.conditionalFailures} conditional failures` : ''}`,
      });
      const bound = 10 + 3 * groups + 2 * Math.ceil(row.size / 5_000);
      targets.push({
        name: `${label}: transitions ≤ 10 + 3·groups + 2·ceil(schedules/5,000)`,
        pass: row.stateTransitions <= bound,
        detail: `${row.stateTransitions} ≤ ${bound} (groups checked ${groups}, incl. the empty default group)`,
      });
      const found = counts ? { MISSING_IN_STORE: counts.MISSING_IN_STORE, MODIFIED: counts.MODIFIED, DELETED_LIVE: counts.DELETED_LIVE, NOT_CHECKED: counts.NOT_CHECKED } : {};
      const want = { MISSING_IN_STORE: expected.MISSING_IN_STORE, MODIFIED: expected.MODIFIED, DELETED_LIVE: expected.DELETED_LIVE, NOT_CHECKED: expected.NOT_CHECKED };
      targets.push({
        name: `${label}: finds exactly the injected drift (correctness check)`,
        pass: row.status === 'SUCCEEDED' && JSON.stringify(found) === JSON.stringify(want),
        detail: `found ${JSON.stringify(found)}, injected ${JSON.stringify(want)}`,
      });
      // The merge walks the listing and the store together: each group's live schedules, plus the store items the
      // listing does not show (the injected DELETED_LIVE).
      const perGroup = Math.ceil(row.size / row.groups);
      const mergeEntries = perGroup + Math.ceil(result.dataset.injected.DELETED_LIVE / row.groups);
      const predicted = batchesPerGroup(perGroup, mergeEntries) * row.groups + (groups - row.groups);
      // "Find groups only in the store" reads the group registry: one entry per group with a live item.
      const registered = row.groups;
      targets.push({
        name: `${label}: the extrapolation model predicts this run's batches and registry calls (model check)`,
        pass: predicted === row.batches && storeScanCalls(registered) === row.storeScanCalls,
        detail: `batches ${row.batches} (predicted ${predicted}), registry calls ${row.storeScanCalls} (predicted ${storeScanCalls(registered)}), base transitions ${transitionBase(row)}`,
      });
    }
  }
  const largest = results.find((r) => r.dataset.schedules === 100_000);
  if (largest) {
    const naive = largest.rows.find((r) => r.mode === 'naive')!;
    for (const row of largest.rows.filter((r) => r.mode !== 'naive')) {
      const ratio = naive.schedulerTotal / row.schedulerTotal;
      targets.push({
        name: `100,000 ${row.mode}: ≥ 50× fewer Scheduler calls than naive`,
        pass: ratio >= 50,
        detail: `${ratio.toFixed(1)}× (${int(naive.schedulerTotal)} vs ${int(row.schedulerTotal)}, of which GetSchedule ${int(row.schedulerCalls.GetSchedule ?? 0)} for ${row.driftCount} drift items)`,
      });
      targets.push({
        name: `100,000 ${row.mode}: reconcile completes`,
        pass: row.status === 'SUCCEEDED',
        detail: `${row.status} in ${(row.wallMs / 1000).toFixed(1)} s on this machine`,
      });
    }
  }
  for (const p of projections.filter((p) => !p.assumedShape)) {
    const where = `1,000,000 in ${int(p.groups)} group${p.groups === 1 ? '' : 's'}`;
    targets.push({
      name: `${where}, ${p.mode} (extrapolated): largest execution's history < ${int(HISTORY_EVENT_LIMIT)} events`,
      pass: p.historyEvents < HISTORY_EVENT_LIMIT,
      detail: `${int(p.historyEvents)} events (${int(p.stateTransitions)} transitions)`,
    });
    if (p.mode === 'report') {
      targets.push({
        name: `${where}, report (extrapolated): ≤ $0.05 per run at list prices`,
        pass: p.cost.total <= 0.05,
        detail: `${usd(p.cost.total)}: Step Functions ${usd(p.cost.stepFunctions)}, Lambda ${usd(p.cost.lambda)} (local handler time, an overestimate), DynamoDB ${usd(p.cost.dynamodb)} (${int(p.readRequestUnits)} read units)`,
      });
    }
  }
  if (throughput) {
    targets.push({
      name: 'observer throughput ≥ 0.5 × raw conditional-put rate',
      pass: throughput.ratio >= 0.5,
      detail: `${throughput.eventsPerSecond.toFixed(0)} events/s vs ${throughput.rawPutsPerSecond.toFixed(0)} puts/s → ${throughput.ratio.toFixed(2)}× (store requests/event ${throughput.storeRequestsPerEvent.toFixed(2)}, GetSchedule/event ${throughput.getSchedulePerEvent.toFixed(2)}, store equals truth: ${throughput.storeEqualsTruth})`,
    });
  }
  if (emptied) {
    targets.push({
      name: `emptied store, ${int(emptied.schedules)} in 1 group: the report run completes and reports every schedule missing`,
      pass: emptied.status === 'SUCCEEDED' && emptied.counts?.MISSING_IN_STORE === emptied.schedules && emptied.getSchedule === emptied.schedules,
      detail: `${emptied.status} in ${(emptied.wallMs / 1000).toFixed(1)} s, ${int(emptied.stateTransitions)} transitions, ${int(emptied.historyEvents)} history events, ${int(emptied.getSchedule)} GetSchedule, ${emptied.itemFiles} item file(s), peak RSS ${emptied.peakRssMb} MB`,
    });
  }
  if (burst) {
    targets.push({
      name: 'observer, Terraform-style burst: events/s ≥ 1.0 × raw conditional-put rate',
      pass: burst.ratio >= 1.0 && burst.storeEqualsTruth && burst.dlq === 0,
      detail: `${burst.eventsPerSecond.toFixed(0)} events/s vs ${burst.rawPutsPerSecond.toFixed(0)} puts/s → ${burst.ratio.toFixed(2)}× (store equals truth: ${burst.storeEqualsTruth}, DLQ ${burst.dlq})`,
    });
    targets.push({
      name: 'observer, Terraform-style burst: GetSchedule ≤ 1 per distinct schedule per batch',
      pass: burst.getSchedule <= burst.distinctSchedulesPerBatch,
      detail: `${int(burst.getSchedule)} GetSchedule calls for ${int(burst.distinctSchedulesPerBatch)} (schedule, batch) pairs over ${int(burst.batches)} batches and ${int(burst.eventsDelivered)} events`,
    });
  }
  return targets;
}

export function targetLines(targets: Target[]): string {
  return targets.map((t) => `${t.pass ? 'PASS' : 'MISS'}  ${t.name}\n      ${t.detail}`).join('\n');
}
