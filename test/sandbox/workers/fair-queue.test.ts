import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  FairQueue,
  ownerCapFor,
  type WorkTicket,
} from '../../../src/sandbox/workers/fair-queue.js';

const entry = (
  name: string,
  owner: string,
  group = 'g1',
  priority: WorkTicket['priority'] = 'interactive',
) => ({
  name,
  ticket: { owner, group, priority },
});
type Entry = ReturnType<typeof entry>;

function takeAll(q: FairQueue<Entry>): string[] {
  const out: string[] = [];
  for (let e = q.take(); e; e = q.take()) out.push(e.name);
  return out;
}

describe('fair queue', () => {
  it("one owner's flood is served round-robin with everyone else's work, not before it", () => {
    const q = new FairQueue<Entry>(100);
    for (let i = 1; i <= 5; i++) q.push(entry(`flood${i}`, 'mallory'));
    q.push(entry('honest', 'alice'));
    const order: string[] = [];
    // One worker: take one, finish it, take the next.
    for (let e = q.take(); e; e = q.take()) {
      order.push(e.name);
      q.finished(e);
    }
    expect(order.indexOf('honest')).toBe(1);
    expect(order).toHaveLength(6);
  });

  it('an interactive owner holds at most its cap of workers, however much it queued', () => {
    const q = new FairQueue<Entry>(ownerCapFor(2));
    for (let i = 1; i <= 3; i++) q.push(entry(`long${i}`, 'mallory'));
    expect(takeAll(q)).toEqual(['long1']);
    q.push(entry('challenge', 'bob'));
    expect(takeAll(q)).toEqual(['challenge']);
  });

  it('interactive work goes before background work; background work has no owner cap', () => {
    const q = new FairQueue<Entry>(1);
    q.push(entry('t1', 'tournament:1', 'g1', 'background'));
    q.push(entry('t2', 'tournament:1', 'g1', 'background'));
    q.push(entry('c1', 'alice'));
    expect(takeAll(q)).toEqual(['c1', 't1', 't2']);
  });

  it('among owners, the guild holding fewer workers goes first', () => {
    const q = new FairQueue<Entry>(10);
    q.push(entry('a1', 'alice', 'big'));
    q.push(entry('b1', 'bob', 'big'));
    q.push(entry('c1', 'carol', 'small'));
    expect(q.take()?.name).toBe('a1');
    expect(q.take()?.name).toBe('c1');
    expect(q.take()?.name).toBe('b1');
  });

  it('work for no particular user (the command line) is not capped', () => {
    const q = new FairQueue<Entry>(1);
    for (let i = 1; i <= 3; i++) q.push({ name: `cli${i}`, ticket: { ...ANONYMOUS } });
    expect(takeAll(q)).toEqual(['cli1', 'cli2', 'cli3']);
  });

  it('owner caps scale with the pool', () => {
    expect([1, 2, 3, 4, 8].map(ownerCapFor)).toEqual([1, 1, 2, 2, 4]);
  });
});
