import { expect } from 'chai';
import { awsHistoryEvents } from '../../local/stepfunctions';

/** What Step Functions writes to a Standard execution's history, per engine event (API_HistoryEvent.html). */
describe('history events as Step Functions writes them', () => {
  const cases: Array<{ reason: string; events: Array<{ type: string; state?: { type?: string } }>; expected: number }> = [
    { reason: 'a Lambda Task state: TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded, TaskStateExited', events: [{ type: 'StateEntered', state: { type: 'Task' } }, { type: 'StateExited', state: { type: 'Task' } }], expected: 5 },
    { reason: 'a Choice state: ChoiceStateEntered, ChoiceStateExited', events: [{ type: 'StateEntered', state: { type: 'Choice' } }, { type: 'StateExited', state: { type: 'Choice' } }], expected: 2 },
    {
      reason: 'a Map of two iterations: entered, started, 2 × (iteration started, succeeded), succeeded, exited',
      events: [
        { type: 'StateEntered', state: { type: 'Map' } },
        { type: 'MapIterationStarted' }, { type: 'MapIterationSucceeded' },
        { type: 'MapIterationStarted' }, { type: 'MapIterationSucceeded' },
        { type: 'StateExited', state: { type: 'Map' } },
      ],
      expected: 8,
    },
    { reason: 'a Task retried once: its first attempt failed (TaskFailed), scheduled and started again', events: [{ type: 'StateEntered', state: { type: 'Task' } }, { type: 'StateRetried', state: { type: 'Task' } }, { type: 'StateExited', state: { type: 'Task' } }], expected: 8 },
    { reason: 'the execution itself: ExecutionStarted, ExecutionSucceeded', events: [{ type: 'ExecutionStarted' }, { type: 'ExecutionSucceeded' }], expected: 2 },
  ];
  for (const c of cases) {
    it(`counts ${c.expected} for ${c.reason}`, () => {
      expect(c.events.reduce((sum, event) => sum + awsHistoryEvents(event), 0)).to.equal(c.expected);
    });
  }
});
