import { describe, expect, it } from 'vitest';
import type { StoredResult } from '../../../src/db/repos/tournaments.js';
import type { TournamentEntrant } from '../../../src/db/schema.js';
import { isComplete, nextPairings, progress, record } from '../../../src/engine/formats/index.js';
import { initialState, rebuildState } from '../../../src/engine/tournaments/rebuild.js';

const entrants: TournamentEntrant[] = Array.from({ length: 6 }, (_, i) => ({
  id: String(i + 10),
  botId: i + 10,
  versionId: i + 100,
  version: 1,
  sha256: 'x'.repeat(64),
  botName: `bot${i}`,
  ownerUserId: `u${i}`,
  ownerName: `o${i}`,
  rating: null,
}));

function tournament(format: 'round-robin' | 'swiss' | 'single-elimination') {
  return { id: 1, format, entrants, options: {}, seed: 'rebuild' } as const;
}

/** Plays a whole tournament in memory, seat 0 winning by the key's length, and keeps what would be stored. */
function playAll(t: ReturnType<typeof tournament>): StoredResult[] {
  let state = initialState(t);
  const stored: StoredResult[] = [];
  while (!isComplete(state)) {
    for (const p of nextPairings(state)) {
      const winner = p.key.length % 3 === 0 ? null : ((p.key.length % 2) as 0 | 1);
      const score = winner === null ? 0 : winner === 0 ? 40 : -40;
      state = record(state, p.key, { winner, score });
      stored.push({
        key: p.key,
        round: p.round,
        bot0Id: Number(p.seats[0]),
        bot1Id: Number(p.seats[1]),
        winnerSeat: winner,
        score,
        matchId: stored.length + 1,
        unplayedReason: null,
      });
    }
  }
  return stored;
}

describe('rebuildState', () => {
  it.each(['round-robin', 'swiss', 'single-elimination'] as const)(
    '%s: any prefix of the stored results, in any order, rebuilds the state the runner had',
    (format) => {
      const t = tournament(format);
      const all = playAll(t);
      for (const cut of [0, 1, Math.floor(all.length / 2), all.length]) {
        const stored = all.slice(0, cut);
        const shuffled = [...stored].reverse();
        const rebuilt = rebuildState(t, shuffled);
        expect(progress(rebuilt).played).toBe(cut);
        let expected = initialState(t);
        for (const r of stored) expected = record(expected, r.key, { winner: r.winnerSeat, score: r.score });
        expect(rebuilt).toEqual(expected);
      }
    },
  );

  it('refuses stored results that disagree with the format instead of guessing', () => {
    const t = tournament('round-robin');
    const [first, second] = playAll(t);
    expect(() => rebuildState(t, [first!, { ...first!, matchId: 99 }])).toThrow(/stored twice/);
    expect(() => rebuildState(t, [{ ...first!, bot0Id: first!.bot1Id, bot1Id: first!.bot0Id }])).toThrow(
      /is not the format's pairing/,
    );
    expect(() => rebuildState(t, [second!, { ...first!, key: 'r99:m1', round: 99 }])).toThrow(
      /r99:m1 match no pairing/,
    );
  });
});
