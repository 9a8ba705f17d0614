import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FORMAT,
  describe as describeFormat,
  FORMAT_NAMES,
  type FormatState,
  formats,
  isComplete,
  isFormatName,
  lowestOpenRound,
  nextPairings,
  progress,
  record,
  standings,
  startTournament,
} from '../../../src/engine/formats/index.js';
import { names, randomResult } from './helpers.js';

describe('format registry', () => {
  it('lists the three formats, round robin first and by default', () => {
    expect(FORMAT_NAMES).toEqual(['round-robin', 'swiss', 'single-elimination']);
    expect(DEFAULT_FORMAT).toBe('round-robin');
    for (const name of FORMAT_NAMES) expect(formats[name].name).toBe(name);
    expect(isFormatName('swiss')).toBe(true);
    expect(isFormatName('double-elimination')).toBe(false);
    expect(isFormatName('toString')).toBe(false);
  });

  it('describes each format in one line that fits a Discord option description', () => {
    for (const name of FORMAT_NAMES) {
      const text = describeFormat(name);
      expect(text).not.toMatch(/\n/);
      expect(text.length).toBeGreaterThan(10);
      expect(text.length).toBeLessThanOrEqual(100);
    }
  });

  for (const name of FORMAT_NAMES) {
    it(`${name}: pairings come lowest round first, and a limit gives a prefix of them`, () => {
      let state: FormatState = startTournament(name, names(10), { thirdPlace: true }, 'order');
      let checked = 0;
      while (!isComplete(state)) {
        const all = nextPairings(state);
        const rounds = all.map((p) => p.round);
        expect(rounds).toEqual([...rounds].sort((a, b) => a - b));
        for (const limit of [1, 2, 5]) expect(nextPairings(state, limit)).toEqual(all.slice(0, limit));
        expect(lowestOpenRound(state)).toBe(all[0]!.round);
        // Record the last one first: the lowest open round must follow what is left, not what was recorded.
        const last = all[all.length - 1]!;
        state = record(state, last.key, randomResult(`${checked}`, last));
        checked++;
      }
      expect(lowestOpenRound(state)).toBeNull();
      expect(checked).toBeGreaterThan(5);
    });

    it(`${name}: runs through the generic API and survives a JSON round trip mid-way`, () => {
      let state: FormatState = startTournament(name, names(9), { thirdPlace: true }, 'generic');
      expect(state.format).toBe(name);
      let steps = 0;
      while (!isComplete(state)) {
        const [p] = nextPairings(state);
        expect(p).toBeDefined();
        state = record(state, p!.key, randomResult('g', p!));
        // What the database stores and reads back must carry on exactly as before.
        if (++steps === 5) {
          const copy = JSON.parse(JSON.stringify(state)) as FormatState;
          expect(copy).toEqual(state);
          state = copy;
        }
      }
      expect(progress(state).played).toBe(progress(state).total);
      expect(standings(state)).toHaveLength(9);
      const direct = startTournament(name, names(9), { thirdPlace: true }, 'generic');
      expect(direct).toEqual(startTournament(name, [...names(9)].reverse(), { thirdPlace: true }, 'generic'));
    });
  }
});
