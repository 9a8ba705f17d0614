import { describe, expect, it } from 'vitest';
import type { MatchBot } from '../../../src/games/match-record.js';
import { makeRules } from '../../../src/games/rps.js';
import { DEFAULT_LIMITS } from '../../../src/sandbox/limits.js';
import { createBuiltinPlayer } from '../../../src/sandbox/play/builtin-player.js';
import type { Player } from '../../../src/sandbox/play/player.js';
import { runMatch } from '../../../src/sandbox/play/run-match.js';

const bot = (name: string): MatchBot => ({ name, sha256: name, kind: 'command' });
const limits = DEFAULT_LIMITS;
let fakeClock = 0;
const now = () => fakeClock++;

function faultingAt(round: number, inner: Player): Player {
  return {
    ...inner,
    move: (info, left) =>
      info.round === round
        ? { ok: false, fault: { kind: 'trap', message: 'boom' }, fuel: 5 }
        : inner.move(info, left),
  };
}

describe('runMatch', () => {
  it('plays every round and scores it with the pure rules', () => {
    const record = runMatch({
      seed: 's',
      rules: makeRules({ rounds: 30 }),
      seats: [
        { bot: bot('rock'), player: createBuiltinPlayer('rock', 'a') },
        { bot: bot('cycle'), player: createBuiltinPlayer('cycle', 'b') },
      ],
      limits,
      now,
    });
    expect(record.roundsPlayed).toBe(30);
    expect(record.log.moves[0]).toBe('R'.repeat(30));
    expect(record.log.moves[1]).toBe('RPS'.repeat(10));
    // rock ties rock, loses to paper, beats scissors: 10 each.
    expect(record.wins).toEqual([10, 10]);
    expect(record.ties).toBe(10);
    expect(record.outcome).toEqual({ winner: null, reason: 'within-margin', score: 0 });
    expect(record.faults).toEqual([]);
    expect(record.timing.moveMicros[0]).toHaveLength(30);
  });

  it('forfeits the faulting seat at that round and records the fault', () => {
    const record = runMatch({
      seed: 's',
      rules: makeRules({ rounds: 100 }),
      seats: [
        { bot: bot('a'), player: createBuiltinPlayer('rock', 'a') },
        { bot: bot('b'), player: faultingAt(7, createBuiltinPlayer('rock', 'b')) },
      ],
      limits,
      now,
    });
    expect(record.roundsPlayed).toBe(6);
    expect(record.faults).toEqual([{ seat: 1, round: 7, kind: 'trap', message: 'boom' }]);
    expect(record.outcome).toMatchObject({ winner: 0, reason: 'forfeit' });
    expect(record.log.moves).toEqual(['RRRRRRR', 'RRRRRR-']);
    expect(record.log.fuel[1][6]).toBe(5);
  });

  it('calls it a draw when both fault in the same round', () => {
    const record = runMatch({
      seed: 's',
      rules: makeRules({ rounds: 10 }),
      seats: [
        { bot: bot('a'), player: faultingAt(3, createBuiltinPlayer('rock', 'a')) },
        { bot: bot('b'), player: faultingAt(3, createBuiltinPlayer('rock', 'b')) },
      ],
      limits,
      now,
    });
    expect(record.outcome).toMatchObject({ winner: null, reason: 'double-forfeit' });
    expect(record.faults.map((f) => f.seat)).toEqual([0, 1]);
  });

  it('a bot that cannot start forfeits before round 1', () => {
    const broken: Player = {
      start: () => ({ ok: false, fault: { kind: 'crashed-at-start', message: 'no' }, fuel: 9 }),
      move: () => {
        throw new Error('must not be called');
      },
      stderrTail: () => 'dying words',
    };
    const record = runMatch({
      seed: 's',
      rules: makeRules(),
      seats: [
        { bot: bot('a'), player: broken },
        { bot: bot('b'), player: createBuiltinPlayer('rock', 'b') },
      ],
      limits,
      now,
    });
    expect(record.roundsPlayed).toBe(0);
    expect(record.faults).toEqual([{ seat: 0, round: 0, kind: 'crashed-at-start', message: 'no' }]);
    expect(record.startFuel).toEqual([9, 0]);
    expect(record.stderr[0]).toBe('dying words');
    expect(record.outcome.winner).toBe(1);
  });

  it('turns a move slower than the wall-clock safety net into a timeout fault', () => {
    let t = 0;
    const slow: Player = {
      ...createBuiltinPlayer('rock', 'x'),
      move: () => {
        t += 5_000;
        return { ok: true, hand: 'rock', fuel: 1 };
      },
    };
    const record = runMatch({
      seed: 's',
      rules: makeRules({ rounds: 5 }),
      seats: [
        { bot: bot('a'), player: createBuiltinPlayer('rock', 'a') },
        { bot: bot('slow'), player: slow },
      ],
      limits: { ...limits, moveWallMs: 2_000 },
      now: () => t,
    });
    expect(record.faults).toEqual([expect.objectContaining({ seat: 1, round: 1, kind: 'timeout' })]);
  });

  it("each seat sees its own previous move and the opponent's", () => {
    const seen: Array<[string | null, string | null]> = [];
    const spy: Player = {
      ...createBuiltinPlayer('rock', 'x'),
      move: (info) => {
        seen.push([info.myLast, info.theirLast]);
        return { ok: true, hand: 'paper', fuel: 0 };
      },
    };
    runMatch({
      seed: 's',
      rules: makeRules({ rounds: 3 }),
      seats: [
        { bot: bot('c'), player: createBuiltinPlayer('cycle', 'a') },
        { bot: bot('spy'), player: spy },
      ],
      limits,
      now,
    });
    expect(seen).toEqual([
      [null, null],
      ['paper', 'rock'],
      ['paper', 'paper'],
    ]);
  });
});
