import { describe, expect, it } from 'vitest';
import {
  discordTimestamp,
  formatDuration,
  fullAndRelative,
  fullTime,
  longDate,
  relativeTime,
  shortTime,
  unixSeconds,
} from '../../src/render/time.js';

const WHEN = Date.UTC(2021, 5, 20, 16, 20, 30, 999); // 2021-06-20T16:20:30.999Z = 1624206030 s

describe('Discord timestamps', () => {
  it('writes <t:UNIX:STYLE> in whole seconds, rounded down', () => {
    expect(unixSeconds(WHEN)).toBe(1624206030);
    expect(discordTimestamp(WHEN)).toBe('<t:1624206030:f>');
    expect(discordTimestamp(new Date(WHEN), 'R')).toBe('<t:1624206030:R>');
    for (const style of ['t', 'T', 'd', 'D', 'f', 'F', 'R'] as const) {
      expect(discordTimestamp(WHEN, style)).toBe(`<t:1624206030:${style}>`);
    }
  });

  it('has named helpers for the common styles', () => {
    expect(relativeTime(WHEN)).toBe('<t:1624206030:R>');
    expect(fullTime(WHEN)).toBe('<t:1624206030:f>');
    expect(shortTime(WHEN)).toBe('<t:1624206030:t>');
    expect(longDate(WHEN)).toBe('<t:1624206030:D>');
    expect(fullAndRelative(WHEN)).toBe('<t:1624206030:f> (<t:1624206030:R>)');
  });

  it('handles times before 1970 and rejects invalid ones', () => {
    expect(discordTimestamp(-1500, 'R')).toBe('<t:-2:R>');
    expect(() => discordTimestamp(Number.NaN)).toThrow(RangeError);
    expect(() => discordTimestamp(new Date('not a date'))).toThrow(RangeError);
  });
});

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(92_000)).toBe('1 min 32 s');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(3_600_000)).toBe('1 h');
    expect(formatDuration(3_660_000)).toBe('1 h 1 min');
    expect(formatDuration(3_601_000)).toBe('1 h');
    expect(formatDuration(90_061_000)).toBe('1 d 1 h');
  });

  it('rounds to the smallest unit shown, carrying into larger ones', () => {
    expect(formatDuration(7_185_000)).toBe('2 h'); // 1 h 59 min 45 s
    expect(formatDuration(59_600)).toBe('1 min');
    expect(formatDuration(92_400)).toBe('1 min 32 s');
    expect(formatDuration(92_600)).toBe('1 min 33 s');
    expect(formatDuration(999.6)).toBe('1 s');
  });

  it('uses milliseconds under a second and reads negatives as zero', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(-5)).toBe('0 ms');
    expect(() => formatDuration(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('shows more or fewer units on request', () => {
    expect(formatDuration(3_723_000, { units: 3 })).toBe('1 h 2 min 3 s');
    expect(formatDuration(94_000, { units: 1 })).toBe('2 min');
    expect(formatDuration(3_723_000, { units: 1 })).toBe('1 h');
  });
});
