import { describe, expect, it } from 'vitest';
import { estimateRemainingMs, percentDone, progressBar, progressLine } from '../../src/render/progress.js';

describe('progressLine', () => {
  it('reads count, percent and time left', () => {
    // 30 s for 120 matches: 376 left at 0.25 s each = 94 s, "about 2 min" to one unit
    expect(
      progressLine({ label: 'Round robin', done: 120, total: 496, elapsedMs: 30_000, unit: 'matches' }),
    ).toBe('Round robin: 120/496 matches · 24% · about 2 min left');
    expect(progressLine({ label: 'Round robin', done: 490, total: 496, elapsedMs: 490_000 })).toBe(
      'Round robin: 490/496 · 98% · about 6 s left',
    );
  });

  it('says it is estimating before there is a pace, and how long it took when done', () => {
    expect(progressLine({ label: 'Swiss', done: 0, total: 10, elapsedMs: 5000 })).toBe(
      'Swiss: 0/10 · 0% · estimating time left',
    );
    expect(progressLine({ label: 'Swiss', done: 10, total: 10, elapsedMs: 483_000, unit: 'matches' })).toBe(
      'Swiss: 10/10 matches · done in 8 min 3 s',
    );
  });

  it('never shows 100% before the end', () => {
    expect(percentDone(995, 1000)).toBe(99);
    expect(percentDone(1000, 1000)).toBe(100);
    expect(percentDone(0, 0)).toBe(100);
    expect(percentDone(-3, 10)).toBe(0);
  });

  it('estimates the remaining time from the pace so far', () => {
    expect(estimateRemainingMs(1, 4, 1000)).toBe(3000);
    expect(estimateRemainingMs(0, 4, 1000)).toBeNull();
    expect(estimateRemainingMs(2, 4, 0)).toBeNull();
  });
});

describe('progressBar', () => {
  it('is always the same width, filled rounding down, without emoji', () => {
    expect(progressBar(0.5, { width: 10 })).toBe('█████░░░░░');
    expect(progressBar(0, { width: 10 })).toBe('░░░░░░░░░░');
    expect(progressBar(1, { width: 10 })).toBe('██████████');
    expect(progressBar(0.999, { width: 10 })).toBe('█████████░');
    expect(progressBar(0.29, { width: 100 }).indexOf('░')).toBe(29);
    for (const f of [-1, 0, 0.123, 0.5, 0.77, 1, 2, Number.NaN]) {
      const bar = progressBar(f);
      expect([...bar]).toHaveLength(20);
      expect(bar).not.toMatch(/\p{Extended_Pictographic}|\p{Emoji_Presentation}/u);
    }
  });

  it('takes other characters', () => {
    expect(progressBar(0.25, { width: 8, filled: '#', empty: '-' })).toBe('##------');
  });
});
