import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../src/engine/tournaments/group-commit.js';

/** A commit that waits until released, recording each batch it was given. */
function gated() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const commit = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((resolve) => gates.push(resolve));
    return items.map((i) => i * 10);
  };
  const open = async () => {
    while (gates.length === 0) await new Promise((r) => setTimeout(r, 1));
    gates.shift()!();
  };
  return { batches, commit, open };
}

describe('group commit', () => {
  it('items submitted while a commit runs go together in the next one, each getting its own outcome', async () => {
    const g = gated();
    const group = new GroupCommit(g.commit, 10);
    const first = group.submit(1);
    await new Promise((r) => setTimeout(r, 5));
    const later = [group.submit(2), group.submit(3), group.submit(4)];
    await g.open();
    expect(await first).toBe(10);
    await g.open();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
    expect(g.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('a batch never exceeds its size, and batches keep submission order', async () => {
    const g = gated();
    const group = new GroupCommit(g.commit, 2);
    const all = [1, 2, 3, 4, 5].map((i) => group.submit(i));
    for (let i = 0; i < 3; i++) await g.open();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
    expect(g.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('a failed commit rejects its batch only; the next batch is still committed', async () => {
    let calls = 0;
    const group = new GroupCommit(async (items: number[]) => {
      calls++;
      if (items.includes(2)) throw new Error('refused');
      return items;
    }, 1);
    const results = await Promise.allSettled([1, 2, 3].map((i) => group.submit(i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toBe(3);
  });
});
