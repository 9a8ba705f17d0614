import { describe, expect, it } from 'vitest';
import type { Fault, MatchRecord } from '../../src/games/match-record.js';
import * as rps from '../../src/games/rps.js';
import { formatMatchSummary, summarizeMatch } from '../../src/render/match-summary.js';
import { LIVE_MENTION } from './worst-case-names.js';

/**
 * Builds a record the way runMatch does: the scored rounds are replayed with the real rules, and a
 * fault adds the fault round to the log with "-" for the seat that faulted.
 */
function record(
  a: string,
  b: string,
  rules: rps.RpsRules,
  options: { faults?: Fault[]; names?: [string, string] } = {},
): MatchRecord {
  const faults = options.faults ?? [];
  const scored = faults.length ? Math.min(...faults.map((f) => f.round)) - 1 : a.length;
  let state = rps.start(rules);
  for (let i = 0; i < Math.max(0, scored); i++) {
    state = rps.play(state, [rps.handFromCode(a[i]!)!, rps.handFromCode(b[i]!)!]);
  }
  if (faults.length)
    state = rps.forfeit(state, [faults.some((f) => f.seat === 0), faults.some((f) => f.seat === 1)]);
  const fuel = (s: string) => Array.from(s, (_, i) => 100 + i);
  return {
    game: 'rps',
    seed: 'seed',
    rules,
    limits: {},
    bots: [
      { name: options.names?.[0] ?? 'alice/a', sha256: '0', kind: 'component' },
      { name: options.names?.[1] ?? 'bob/b', sha256: '1', kind: 'command' },
    ],
    roundsPlayed: state.round,
    wins: [state.wins[0], state.wins[1]],
    ties: state.ties,
    outcome: rps.outcome(state),
    faults,
    log: { moves: [a, b], fuel: [fuel(a), fuel(b)] },
    startFuel: [1000, 0],
    stderr: ['', ''],
    timing: { moveMicros: [[], []], startMicros: [0, 0], totalMillis: 0 },
  };
}

describe('summarizeMatch', () => {
  // Round by round (seat 0's lead after it): A, B, B, A, A, A, tie, A, A, B
  //   lead  1  0 -1  0  1  2  2  3  4  3   -> alice wins by 3 with a draw margin of 2.
  // The lead was last within the margin after round 7, so the match was decided in round 8.
  // Alice took the lead for good in round 5 (bob led after round 3).
  const win = record('PRRPPPSPPR', 'RPPRRRSRRP', { rounds: 10, drawMargin: 2 });

  it('computes a win on points by hand', () => {
    const s = summarizeMatch(win);
    expect(s.result).toEqual({ kind: 'points', winner: 0, margin: 3, drawMargin: 2 });
    expect(s.wins).toEqual([6, 3]);
    expect(s.ties).toBe(1);
    expect(s.moves).toEqual([
      { R: 3, P: 6, S: 1 },
      { R: 6, P: 3, S: 1 },
    ]);
    expect(s.streaks).toEqual([
      { seat: 0, length: 3, fromRound: 4, toRound: 6 },
      { seat: 1, length: 2, fromRound: 2, toRound: 3 },
    ]);
    expect(s.longestStreak).toEqual({ seat: 0, length: 3, fromRound: 4, toRound: 6 });
    expect(s.decided).toEqual({ lastLeadChange: { round: 5, leader: 0 }, clinchedAt: 8 });
    // start-up fuel 1000 plus 100..109 for seat 0; 100..109 for seat 1
    expect(s.fuel).toEqual([1000 + 1045, 1045]);
  });

  it('words a win on points', () => {
    const text = formatMatchSummary(summarizeMatch(win));
    expect(text.split('\n')).toEqual([
      '**alice/a** wins by 3 points (6-3, 1 tie) over 10 rounds; draw margin 2',
      'Decided in round 8: alice/a stayed more than 2 points ahead from then on; took the lead for good in round 5',
      'Longest streak: alice/a won 3 rounds in a row (rounds 4-6)',
      'alice/a: R 3 · P 6 · S 1 · 2,045 fuel',
      'bob/b: R 6 · P 3 · S 1 · 1,045 fuel',
    ]);
  });

  // A A A tie B B B B: lead 1 2 3 3 2 1 0 -1; margin 1 -> draw. Bob's four in a row is the longest.
  const draw = record('PPPRRSSR', 'RRRRPRRP', { rounds: 8, drawMargin: 1 });

  it('computes a draw within the margin by hand', () => {
    const s = summarizeMatch(draw);
    expect(s.result).toEqual({ kind: 'within-margin', score: -1, drawMargin: 1 });
    expect(s.moves).toEqual([
      { R: 3, P: 3, S: 2 },
      { R: 6, P: 2, S: 0 },
    ]);
    expect(s.longestStreak).toEqual({ seat: 1, length: 4, fromRound: 5, toRound: 8 });
    expect(s.streaks[0]).toEqual({ seat: 0, length: 3, fromRound: 1, toRound: 3 });
    expect(s.decided).toEqual({ lastLeadChange: { round: 8, leader: 1 }, clinchedAt: null });
    const text = formatMatchSummary(s);
    expect(text).toContain('Draw: alice/a 3-4 bob/b, within the 1-point draw margin (8 rounds)');
    expect(text).toContain('The lead last changed hands in round 8 (to bob/b)');
    expect(text).toContain('Longest streak: bob/b won 4 rounds in a row (rounds 5-8)');
  });

  it('prefers the earlier of two equally long streaks, and reports level matches', () => {
    const s = summarizeMatch(record('PRSR', 'RPSR', { rounds: 4, drawMargin: 1 }));
    expect(s.longestStreak).toEqual({ seat: 0, length: 1, fromRound: 1, toRound: 1 });
    const level = summarizeMatch(record('RRR', 'RRR', { rounds: 3, drawMargin: 0 }));
    expect(level.longestStreak).toBeNull();
    expect(level.decided.lastLeadChange).toBeNull();
    expect(formatMatchSummary(level)).toContain('Nobody led at any point');
  });

  it('ignores a lead that returns to the same seat after a tie', () => {
    // A, B, A ... : lead 1 0 1 -> alice led after round 1 and again after 3; bob never led.
    const s = summarizeMatch(record('PRP', 'RPR', { rounds: 3, drawMargin: 0 }));
    expect(s.decided.lastLeadChange).toEqual({ round: 1, leader: 0 });
    expect(s.decided.clinchedAt).toBe(3);
  });

  it('reports a forfeit with the fault kind and round, counting only scored rounds', () => {
    const fault: Fault = { seat: 0, round: 3, kind: 'out-of-fuel', message: 'used 1,000,000 fuel' };
    const s = summarizeMatch(record('PR-', 'RPS', { rounds: 10, drawMargin: 0 }, { faults: [fault] }));
    expect(s.result).toEqual({ kind: 'forfeit', winner: 1, fault });
    expect(s.roundsPlayed).toBe(2);
    expect(s.moves).toEqual([
      { R: 1, P: 1, S: 0 },
      { R: 1, P: 1, S: 0 },
    ]);
    expect(s.decided.clinchedAt).toBeNull();
    const text = formatMatchSummary(s);
    expect(text).toContain('**bob/b** wins by forfeit: alice/a ran out of fuel (out-of-fuel) in round 3');
    expect(text).toContain('> used 1,000,000 fuel');
    expect(text).not.toContain('Decided in round');
  });

  it('says "at start-up" for a bot that failed before round 1', () => {
    const fault: Fault = { seat: 1, round: 0, kind: 'crashed-at-start', message: 'no start export' };
    const text = formatMatchSummary(
      summarizeMatch(record('', '', { rounds: 10, drawMargin: 0 }, { faults: [fault] })),
    );
    expect(text).toContain('**alice/a** wins by forfeit: bob/b crashed (crashed-at-start) at start-up');
  });

  it('reports a double forfeit as a draw naming both faults', () => {
    const faults: Fault[] = [
      { seat: 0, round: 2, kind: 'trap', message: 'unreachable' },
      { seat: 1, round: 2, kind: 'timeout', message: 'slow' },
    ];
    const s = summarizeMatch(record('R-', 'S-', { rounds: 5, drawMargin: 0 }, { faults }));
    expect(s.result).toEqual({ kind: 'double-forfeit', faults });
    expect(formatMatchSummary(s)).toContain(
      'Draw: both bots faulted in round 2 (alice/a: trap, bob/b: timeout)',
    );
  });

  it('stays within an embed field and escapes hostile names and messages', () => {
    const hostile = '**<@&1>@everyone||`'.repeat(20);
    const fault: Fault = { seat: 0, round: 1, kind: 'invalid-move', message: `${hostile}\n`.repeat(20) };
    for (const r of [
      record('PRRPPPSPPR', 'RPPRRRSRRP', { rounds: 10, drawMargin: 2 }, { names: [hostile, hostile] }),
      record('P-', 'RR', { rounds: 10, drawMargin: 0 }, { faults: [fault], names: [hostile, hostile] }),
    ]) {
      const text = formatMatchSummary(summarizeMatch(r));
      expect(text.length).toBeLessThanOrEqual(1024);
      expect(text).not.toMatch(LIVE_MENTION);
      expect(text).not.toMatch(/(?<!\\)\*\*</);
    }
  });
});
