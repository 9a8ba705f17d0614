import type { Seat } from '../../games/game.js';
import type { Fault, MatchBot, MatchRecord } from '../../games/match-record.js';
import { type Hand, handCode, type RpsRules, type RpsState, rps } from '../../games/rps.js';
import type { Limits } from '../limits.js';
import type { BotFault, MoveOutcome, Player } from './player.js';

export interface MatchSeat {
  bot: MatchBot;
  player: Player;
}

export interface RunMatchOptions {
  seed: string;
  rules: RpsRules;
  seats: [MatchSeat, MatchSeat];
  limits: Limits;
  /** A monotonic clock in milliseconds (performance.now in workers); only for timings and the safety net. */
  now: () => number;
}

const SEATS: readonly Seat[] = [0, 1];

function wallFault(limitMs: number, what: 'move' | 'match'): BotFault {
  return {
    kind: 'timeout',
    message:
      what === 'move'
        ? `took longer than the ${limitMs} ms wall-clock safety limit for one move`
        : `the match passed its ${limitMs} ms wall-clock safety limit while this bot was moving`,
  };
}

/**
 * Plays one match between two players with the pure rules of `games/rps`. Both seats move
 * each round without seeing the other's move; a fault forfeits at that round (both faulting
 * in the same round is a draw). Fuel decides every limit deterministically; the wall clock is
 * only a safety net that a fuel-bounded bot never reaches.
 */
export function runMatch(options: RunMatchOptions): MatchRecord {
  const { rules, seats, limits, now } = options;
  const matchStart = now();
  const moves: [string[], string[]] = [[], []];
  const fuel: [number[], number[]] = [[], []];
  const micros: [number[], number[]] = [[], []];
  const startFuel: [number, number] = [0, 0];
  const startMicros: [number, number] = [0, 0];
  const fuelLeft: [number, number] = [limits.fuelPerMatch, limits.fuelPerMatch];
  const faults: Fault[] = [];
  let state: RpsState = rps.start(rules);

  const faultAt = (seat: Seat, round: number, f: BotFault) => faults.push({ seat, round, ...f });

  // Start-up: instantiation and component initialisation.
  const startFailed: [boolean, boolean] = [false, false];
  for (const seat of SEATS) {
    const t0 = now();
    const started = seats[seat].player.start();
    startMicros[seat] = Math.round((now() - t0) * 1000);
    startFuel[seat] = started.fuel;
    // Start-up is work the bot did in this match: it comes out of the match's fuel.
    fuelLeft[seat] -= started.fuel;
    if (!started.ok) {
      startFailed[seat] = true;
      faultAt(seat, 0, started.fault);
    }
  }
  if (startFailed[0] || startFailed[1]) state = rps.forfeit(state, startFailed);

  let last: [Hand, Hand] | null = null;
  while (!rps.isOver(state)) {
    const round = state.round + 1;
    const results: MoveOutcome[] = [];
    for (const seat of SEATS) {
      const other = (1 - seat) as Seat;
      const t0 = now();
      let result = seats[seat].player.move(
        { round, totalRounds: rules.rounds, myLast: last?.[seat] ?? null, theirLast: last?.[other] ?? null },
        fuelLeft[seat],
      );
      const t1 = now();
      if (t1 - t0 > limits.moveWallMs)
        result = { ok: false, fault: wallFault(limits.moveWallMs, 'move'), fuel: result.fuel };
      else if (t1 - matchStart > limits.matchWallMs) {
        result = { ok: false, fault: wallFault(limits.matchWallMs, 'match'), fuel: result.fuel };
      }
      micros[seat].push(Math.round((t1 - t0) * 1000));
      fuel[seat].push(result.fuel);
      fuelLeft[seat] -= result.fuel;
      results.push(result);
    }
    const [a, b] = results as [MoveOutcome, MoveOutcome];
    if (!a.ok || !b.ok) {
      if (!a.ok) faultAt(0, round, a.fault);
      if (!b.ok) faultAt(1, round, b.fault);
      moves[0].push(a.ok ? handCode(a.hand) : '-');
      moves[1].push(b.ok ? handCode(b.hand) : '-');
      state = rps.forfeit(state, [!a.ok, !b.ok]);
      break;
    }
    moves[0].push(handCode(a.hand));
    moves[1].push(handCode(b.hand));
    last = [a.hand, b.hand];
    state = rps.play(state, last);
  }

  return {
    game: 'rps',
    seed: options.seed,
    rules,
    limits: { ...limits },
    bots: [seats[0].bot, seats[1].bot],
    roundsPlayed: state.round,
    wins: [state.wins[0], state.wins[1]],
    ties: state.ties,
    outcome: rps.outcome(state),
    faults,
    log: { moves: [moves[0].join(''), moves[1].join('')], fuel },
    startFuel,
    stderr: [seats[0].player.stderrTail(), seats[1].player.stderrTail()],
    timing: { moveMicros: micros, startMicros, totalMillis: Math.round(now() - matchStart) },
  };
}
