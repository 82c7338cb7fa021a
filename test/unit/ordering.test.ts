import { expect } from 'chai';
import { byEventTime, decideWrite } from '../../functions/core/ordering';
import { ORDERING_CASES } from '../cases/ordering-cases';

describe('decideWrite', () => {
  for (const c of ORDERING_CASES) {
    it(`decides ${c.decision} for ${c.reason}`, () => {
      expect(decideWrite(c.incoming, c.stored)).to.equal(c.decision);
    });
  }
});

describe('byEventTime', () => {
  const cases = [
    { reason: 'already ordered', input: [1, 2, 3], expected: [1, 2, 3] },
    { reason: 'reversed delivery', input: [3, 2, 1], expected: [1, 2, 3] },
    { reason: 'empty batch', input: [], expected: [] },
  ];
  for (const c of cases) {
    it(`orders oldest first when ${c.reason}`, () => {
      expect(byEventTime(c.input, (n) => n)).to.deep.equal(c.expected);
    });
  }

  it('keeps the delivery order of one-second ties', () => {
    // Prepare
    const items = [{ v: 2, id: 'a' }, { v: 1, id: 'b' }, { v: 2, id: 'c' }];
    // Act
    const ordered = byEventTime(items, (i) => i.v).map((i) => i.id);
    // Assess
    expect(ordered).to.deep.equal(['b', 'a', 'c']);
  });

  it('does not mutate its input', () => {
    const input = [3, 1, 2];
    byEventTime(input, (n) => n);
    expect(input).to.deep.equal([3, 1, 2]);
  });
});
