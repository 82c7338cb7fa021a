/**
 * Least privilege, proven both ways (issue 11, part 1), with IAM in the loop on every local engine:
 * - sufficient: the whole story (test/support/permissions-story.ts), every option that adds a statement on, passes
 *   with the stack's own policies, and no request of any role is denied;
 * - necessary: for every statement of every role, a run with that one statement removed is denied at least one
 *   request the statement would have allowed, in a named scenario.
 */
import { expect } from 'chai';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';
import type { LocalRoleName } from '../../local/iam/stack';
import { LOCAL_ROLE_NAMES } from '../../local/iam/stack';
import { playPermissionsStory, type StoryResult } from '../support/permissions-story';

describe('least privilege: the stack policies on the local engines', function () {
  this.timeout(600_000);
  let dynamo: LocalDynamo;
  let full: StoryResult;

  before(async () => {
    dynamo = await startLocalDynamo();
    full = await playPermissionsStory(dynamo);
  });
  after(async () => dynamo.close());

  it('sufficient: the whole story passes and no request of the stack is denied', () => {
    expect(full.failures).to.deep.equal([]);
    expect(full.decisions.filter((d) => !d.allowed).map((d) => `${d.scenario}: ${d.caller} ${d.action} ${d.resource}`)).to.deep.equal([]);
    // Every role made requests: a role the story never exercises could not be proven either way.
    const callers = new Set(full.decisions.map((d) => d.caller));
    for (const role of LOCAL_ROLE_NAMES) expect(callers, role).to.include(role);
    expect(callers).to.include('events.amazonaws.com');
  });

  it('exercises every role of the program', () => {
    expect([...full.policies.keys()].sort()).to.deep.equal([...LOCAL_ROLE_NAMES].sort());
  });

  describe('necessary: each statement removed in turn is denied something', () => {
    // One test per role (mocha needs the list at load time); its statements are read from the policies the program
    // built in the full run, so a statement added later is covered without touching this file.
    for (const role of LOCAL_ROLE_NAMES) {
      it(`${role}: every statement is needed`, async () => {
        const statements = full.policies.get(role)!.Statement.map((statement, index) => ({ sid: statement.Sid ?? `#${index}`, actions: [statement.Action].flat() }));
        expect(statements.length, `${role} has statements`).to.be.greaterThan(0);
        const unneeded: string[] = [];
        for (const { sid, actions } of statements) {
          const without = await playPermissionsStory(dynamo, { iam: { without: { role: role as LocalRoleName, sid } }, stopAtDenialOf: role });
          const denied = without.decisions.filter((d) => !d.allowed && d.caller === role && actions.includes(d.action));
          if (denied.length === 0) unneeded.push(`${sid} (${actions.join(', ')})`);
        }
        expect(unneeded, `statements of ${role} that no scenario needs`).to.deep.equal([]);
      });
    }
  });
});
