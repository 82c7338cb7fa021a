/**
 * statemachines/reconciler.asl.json as data: valid ASL, JSONPath only (the local engine ignores JSONata,
 * Assign and ItemReader, so the file that ships must not use them), Retry and Catch on every Task, and a
 * substitution helper that refuses leftovers.
 */
import { expect } from 'chai';
import { placeholdersOf, readDefinitionTemplate, substituteDefinition, UnresolvedPlaceholderError } from '../../infra/asl';
import { LOCAL_ARNS, reconcilerDefinition } from '../../local/stepfunctions';

// asl-validator ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validateAsl = require('asl-validator') as (definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }) => { isValid: boolean; errorsText(): string };

type State = Record<string, any>;

/** Every state, including those inside Map iterations, with its name. */
function allStates(definition: State): Array<[string, State]> {
  const found: Array<[string, State]> = [];
  for (const [name, state] of Object.entries(definition.States as Record<string, State>)) {
    found.push([name, state]);
    const inner = state.ItemProcessor ?? state.Iterator;
    if (inner) found.push(...allStates(inner));
    for (const branch of state.Branches ?? []) found.push(...allStates(branch));
  }
  return found;
}

describe('reconciler.asl.json', () => {
  const template = readDefinitionTemplate('reconciler.asl.json');
  const definition = reconcilerDefinition();
  const states = allStates(definition);

  it('is valid ASL once substituted (asl-validator, paths and ARNs checked)', () => {
    // asl-validator mutates its input.
    const result = validateAsl(structuredClone(definition), { checkPaths: true, checkArn: true });
    expect(result.isValid, result.errorsText()).to.equal(true);
  });

  it('names exactly the four placeholders Pulumi fills', () => {
    expect(placeholdersOf(template)).to.deep.equal(['AlertTopicArn', 'RepairFunctionArn', 'ReportFunctionArn', 'ScanFunctionArn']);
  });

  it('leaves no placeholder after substitution', () => {
    expect(JSON.stringify(definition)).to.not.contain('${');
  });

  it('is written in JSONPath: no JSONata, Assign or ItemReader', () => {
    const text = JSON.stringify(definition);
    expect(definition).to.not.have.property('QueryLanguage');
    for (const [name, state] of states) {
      for (const field of ['QueryLanguage', 'Arguments', 'Output', 'Assign', 'ItemReader']) {
        expect(state, `${name}.${field}`).to.not.have.property(field);
      }
    }
    expect(text).to.not.match(/\{%/);
  });

  it('never uses ResultPath "$" (the local engine writes a literal "$" key)', () => {
    for (const [name, state] of states) expect(state.ResultPath, name).to.not.equal('$');
  });

  for (const [name, state] of allStates(reconcilerDefinition()).filter(([, s]) => s.Type === 'Task' || s.Type === 'Map')) {
    it(`gives "${name}" a Catch for every error`, () => {
      const catchers: Array<{ ErrorEquals: string[] }> = state.Catch ?? [];
      expect(catchers.flatMap((c) => c.ErrorEquals)).to.include('States.ALL');
    });

    if (state.Type === 'Task') {
      it(`gives "${name}" a Retry with backoff and jitter`, () => {
        const retriers: Array<Record<string, unknown>> = state.Retry ?? [];
        expect(retriers).to.not.be.empty;
        for (const retrier of retriers) {
          expect(retrier.BackoffRate, 'BackoffRate').to.be.greaterThan(1);
          expect(retrier.JitterStrategy, 'JitterStrategy').to.equal('FULL');
          expect(retrier.ErrorEquals, 'ErrorEquals').to.not.include('States.ALL');
        }
      });
    }
  }

  it('retries Scheduler throttling and Lambda service errors on every Lambda task', () => {
    for (const [name, state] of states.filter(([, s]) => s.Resource === 'arn:aws:states:::lambda:invoke')) {
      const retried = (state.Retry as Array<{ ErrorEquals: string[] }>).flatMap((r) => r.ErrorEquals);
      expect(retried, name).to.include.members(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']);
      if (name.startsWith('Reconcile') || name === 'Start run' || name === 'Find groups only in the store') expect(retried, name).to.include('ThrottlingException');
    }
  });

  it('invokes only the functions and topic it was given', () => {
    const targets = states.map(([, s]) => s.Parameters?.FunctionName ?? s.Parameters?.TopicArn).filter(Boolean);
    expect(new Set(targets)).to.deep.equal(new Set(Object.values(LOCAL_ARNS)));
  });

  it('fails fast on invalid input without retrying it', () => {
    const start = definition.States as Record<string, State>;
    expect(start['Start run'].Catch[0]).to.deep.include({ ErrorEquals: ['InvalidInputError'], Next: 'Reject invalid input' });
    expect(start['Reject invalid input']).to.include({ Type: 'Fail', Error: 'InvalidInputError', CausePath: '$.error.Cause' });
  });
});

describe('substituteDefinition', () => {
  const cases: Array<{ reason: string; template: string; values: Record<string, string>; error: string }> = [
    { reason: 'a placeholder has no value', template: '{"a":"${One}","b":"${Two}"}', values: { One: 'x' }, error: 'placeholders with no value: ${Two}' },
    { reason: 'a value is not used', template: '{"a":"${One}"}', values: { One: 'x', Old: 'y' }, error: 'not used by the definition (a renamed placeholder?): Old' },
  ];
  for (const c of cases) {
    it(`throws UnresolvedPlaceholderError when ${c.reason}`, () => {
      expect(() => substituteDefinition(c.template, c.values)).to.throw(UnresolvedPlaceholderError, c.error);
    });
  }

  it('escapes values as JSON string content', () => {
    expect(JSON.parse(substituteDefinition('{"a":"${One}"}', { One: 'quote " and \\ back' }))).to.deep.equal({ a: 'quote " and \\ back' });
  });
});
