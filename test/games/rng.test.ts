import { describe, expect, it } from 'vitest';
import {
  cloneRng,
  deriveSeed,
  fillBytes,
  nextFloat,
  nextInt,
  nextU32,
  seedRng,
  shuffled,
} from '../../src/games/rng.js';

describe('seeded generator', () => {
  it('gives the same sequence for the same seed and a different one otherwise', () => {
    const a = seedRng('match-1');
    const b = seedRng('match-1');
    const c = seedRng('match-2');
    const seqA = Array.from({ length: 8 }, () => nextU32(a));
    const seqB = Array.from({ length: 8 }, () => nextU32(b));
    const seqC = Array.from({ length: 8 }, () => nextU32(c));
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
  });

  it('keeps its whole state as plain data that can be saved and resumed', () => {
    const a = seedRng('resume');
    nextU32(a);
    const saved = JSON.parse(JSON.stringify(a));
    const next = nextU32(a);
    expect(nextU32(saved)).toBe(next);
    const copy = cloneRng(a);
    expect(nextU32(copy)).toBe(nextU32(a));
  });

  it('draws integers in range without obvious bias', () => {
    const s = seedRng('bias');
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[nextInt(s, 3)]! += 1;
    for (const c of counts) expect(c).toBeGreaterThan(9_500);
    expect(() => nextInt(s, 0)).toThrow();
    const f = nextFloat(s);
    expect(f).toBeGreaterThanOrEqual(0);
    expect(f).toBeLessThan(1);
  });

  it('fills byte buffers of any length deterministically', () => {
    const x = new Uint8Array(7);
    const y = new Uint8Array(7);
    fillBytes(seedRng('bytes'), x);
    fillBytes(seedRng('bytes'), y);
    expect(x).toEqual(y);
    expect(x.some((v) => v !== 0)).toBe(true);
  });

  it('derives independent child seeds', () => {
    expect(deriveSeed('s', 'seat0')).toBe(deriveSeed('s', 'seat0'));
    expect(deriveSeed('s', 'seat0')).not.toBe(deriveSeed('s', 'seat1'));
    expect(deriveSeed('s', 'seat0')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('shuffles a copy into a permutation', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const out = shuffled(seedRng('shuffle'), items);
    expect(out).not.toEqual(items);
    expect([...out].sort((p, q) => p - q)).toEqual(items);
    expect(shuffled(seedRng('shuffle'), items)).toEqual(out);
  });
});
