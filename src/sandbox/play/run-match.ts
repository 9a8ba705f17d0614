import type { Seat } from '../../games/game.js';
import type { Fault, MatchBot, MatchRecord } from '../../games/match-record.js';
import { type Hand, handCode, type RpsRules, type RpsState, rps } from '../../games/rps.js';
import { deadlineMs, type Limits, matchFuel } from '../limits.js';
import { driveWithDeadlines, type GuardedStep } from './deadline.js';
import type { BotFault, MoveOutcome, Player, RoundInfo } from './player.js';

export interface MatchSeat {
  bot: MatchBot;
  player: Player;
}

export interface RunMatchOptions {
  seed: string;
  rules: RpsRules;
  seats: [MatchSeat, MatchSeat];
  limits: Limits;
  /** A monotonic clock in milliseconds (performance.now in workers); only for timings and deadlines. */
  now: () => number;
  /**
   * Stop after this many rounds, although the bots were told `rules.rounds` (the upload's smoke
   * match: it looks like a match of the standard length and is cut short).
   */
  stopAfter?: number;
}

/** A call into a bot, announced to the deadline driver just before it is made. */
interface Step extends GuardedStep {
  seat: Seat;
  /** 0 while starting. */
  round: number;
  /** The fuel the call may use (what its deadline is sized from). */
  fuel: number;
}

const SEATS: readonly Seat[] = [0, 1];

function wallFault(limitMs: number, round: number, stopped: boolean): BotFault {
  const what = round === 0 ? 'starting up' : 'its move';
  return {
    kind: 'timeout',
    message: stopped
      ? `${what} ran past its ${limitMs} ms wall-clock deadline (sized from its fuel, far beyond what fuel allows) and was stopped`
      : `${what} took longer than its ${limitMs} ms wall-clock deadline (sized from its fuel, far beyond what fuel allows)`,
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
  const budget = matchFuel(limits, rules.rounds);
  const fuelLeft: [number, number] = [budget, budget];
  const faults: Fault[] = [];
  let state: RpsState = rps.start(rules);
  const stopAfter = Math.min(options.stopAfter ?? rules.rounds, rules.rounds);
  /** This round's outcomes so far, by seat (what a stopped match keeps of its last round). */
  let results: MoveOutcome[] = [];

  const faultAt = (seat: Seat, round: number, f: BotFault) => faults.push({ seat, round, ...f });
  const step = (seat: Seat, round: number, fuelCap: number): Step => ({
    seat,
    round,
    fuel: fuelCap,
    deadlineMs: deadlineMs(limits, fuelCap),
  });
  /** A call that returned after its deadline is a timeout too (the watchdog may fire late). */
  const late = <T extends { ok: boolean; fuel: number }>(s: Step, t0: number, outcome: T): T | MoveOutcome =>
    now() - t0 > s.deadlineMs
      ? { ok: false, fault: wallFault(s.deadlineMs, s.round, false), fuel: outcome.fuel }
      : outcome;

  /** Ends the match at a round where a seat faulted; a seat that never got to move shows no hand. */
  const forfeitRound = (round: number) => {
    const [a, b] = results as [MoveOutcome | undefined, MoveOutcome | undefined];
    if (a && !a.ok) faultAt(0, round, a.fault);
    if (b && !b.ok) faultAt(1, round, b.fault);
    moves[0].push(a?.ok ? handCode(a.hand) : '-');
    moves[1].push(b?.ok ? handCode(b.hand) : '-');
    if (!b) {
      fuel[1].push(0);
      micros[1].push(0);
    }
    state = rps.forfeit(state, [!a?.ok, b ? !b.ok : false]);
  };

  function* play(): Generator<Step, void, void> {
    // Start-up: instantiation and component initialisation.
    const startFailed: [boolean, boolean] = [false, false];
    for (const seat of SEATS) {
      const player = seats[seat].player;
      const s = step(seat, 0, player.startFuelCap?.() ?? limits.fuelPerInstantiation);
      yield s;
      const t0 = now();
      const started = late(s, t0, player.start());
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
    while (!rps.isOver(state) && state.round < stopAfter) {
      const round = state.round + 1;
      results = [];
      for (const seat of SEATS) {
        const other = (1 - seat) as Seat;
        const player = seats[seat].player;
        const info: RoundInfo = {
          round,
          totalRounds: rules.rounds,
          myLast: last?.[seat] ?? null,
          theirLast: last?.[other] ?? null,
        };
        const s = step(
          seat,
          round,
          player.moveFuelCap?.(info, fuelLeft[seat]) ?? Math.min(limits.fuelPerMove, fuelLeft[seat]),
        );
        yield s;
        const t0 = now();
        const result = late(s, t0, player.move(info, fuelLeft[seat]));
        micros[seat].push(Math.round((now() - t0) * 1000));
        fuel[seat].push(result.fuel);
        fuelLeft[seat] -= result.fuel - (result.free ?? 0);
        results.push(result);
      }
      const [a, b] = results as [MoveOutcome, MoveOutcome];
      if (!a.ok || !b.ok) {
        forfeitRound(round);
        return;
      }
      moves[0].push(handCode(a.hand));
      moves[1].push(handCode(b.hand));
      last = [a.hand, b.hand];
      state = rps.play(state, last);
    }
  }

  const stopped = driveWithDeadlines(play(), now);
  if (stopped) {
    // The deadline fired while `stopped.seat` was running: it forfeits by timeout. Its fuel is
    // unknown (its meter went with the call); the record shows the most the call could use.
    const fault = wallFault(stopped.deadlineMs, stopped.round, true);
    if (stopped.round === 0) {
      faultAt(stopped.seat, 0, fault);
      state = rps.forfeit(state, [stopped.seat === 0, stopped.seat === 1]);
    } else {
      micros[stopped.seat].push(Math.round(stopped.deadlineMs * 1000));
      fuel[stopped.seat].push(stopped.fuel);
      results.push({ ok: false, fault, fuel: stopped.fuel });
      forfeitRound(stopped.round);
    }
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
