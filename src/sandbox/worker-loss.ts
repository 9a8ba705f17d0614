import type { Seat } from '../games/game.js';
import type { FaultKind, MatchBot, MatchRecord } from '../games/match-record.js';
import { type RpsRules, rps } from '../games/rps.js';
import type { Limits } from './limits.js';
import type { WorkerLoss } from './workers/process-pool.js';

/**
 * The fairness rules for a match whose worker process is lost (docs/limits.md, "When a
 * sandbox process dies"):
 *
 * 1. The first loss is nobody's verdict: the match is played again, from the same seed, on a
 *    fresh process, this time TRACED (the worker writes, synchronously, which seat it is about to
 *    run: "load 0", "start 1", "move 0 17", and "after 0 17" once back in host code).
 * 2. A traced attempt that completes is the match's result; it is the same match (same seed).
 * 3. If the two traced attempts are lost too, and both traces point at the same seat (the seat
 *    that was running, or the last one that ran), that seat crashed its sandbox the same way
 *    twice: it forfeits the match, a played match that it loses like any other fault.
 * 4. Anything else (the traces disagree, no seat had started, workers fail to start) is a
 *    host failure: never the bots' verdict. The caller leaves the match unplayed (a challenge
 *    says so; a tournament pauses and plays it when it resumes).
 *
 * A process killed from outside three times in a row while the same bot was running cannot be
 * told apart from that bot crashing it; we accept that (it needs three kills inside one match).
 */
export const MATCH_ATTEMPTS = 3;

export interface TracePoint {
  phase: 'load' | 'start' | 'move' | 'after';
  seat: Seat;
  /** Round of a move (0 while loading or starting). */
  round: number;
}

/** Trace lines the match worker writes (match-trace.ts), parsed; null when not one of ours. */
export function parseTrace(line: string | null): TracePoint | null {
  const match = line?.match(/^(load|start|move|after) ([01])(?: (\d{1,6}))?$/);
  if (!match) return null;
  return {
    phase: match[1] as TracePoint['phase'],
    seat: Number(match[2]) as Seat,
    round: Number(match[3] ?? 0),
  };
}

/** True when this loss may be tried again (the service is not shutting down). */
export function retriable(loss: WorkerLoss): boolean {
  return loss.kind !== 'closed';
}

/**
 * The seat to blame for the traced losses (rule 3), or null. Only losses where the process
 * died or was stopped at its deadline count: a process that never started says nothing.
 */
export function blame(losses: readonly WorkerLoss[]): TracePoint | null {
  if (losses.length < 2) return null;
  const points = losses.map((l) =>
    l.kind === 'died' || l.kind === 'deadline' || l.kind === 'threw' ? parseTrace(l.trace) : null,
  );
  const first = points[0];
  if (!first || points.some((p) => p?.seat !== first.seat)) return null;
  return points[points.length - 1] ?? first;
}

export interface ForfeitInput {
  seed: string;
  rules: RpsRules;
  limits: Limits;
  bots: [MatchBot, MatchBot];
  at: TracePoint;
  /** What happened, e.g. "the sandbox process running it died (killed by SIGABRT)". */
  loss: WorkerLoss;
}

/**
 * The record of a match the seat `at.seat` forfeited by crashing its sandbox process: no
 * rounds (the process took the log with it), one fault in the round where it crashed, the
 * other seat the winner. Deterministic, so replaying a deterministic crash gives it again.
 */
export function crashForfeit(input: ForfeitInput): MatchRecord {
  const { at } = input;
  const faulted: [boolean, boolean] = [at.seat === 0, at.seat === 1];
  const state = rps.forfeit(rps.start(input.rules), faulted);
  const where =
    at.phase === 'load'
      ? 'while being loaded'
      : at.phase === 'start'
        ? 'while starting'
        : at.phase === 'move'
          ? `during its move in round ${at.round}`
          : `just after its move in round ${at.round}`;
  const kind: FaultKind =
    input.loss.kind === 'deadline' ? 'timeout' : at.round === 0 ? 'crashed-at-start' : 'trap';
  return {
    game: 'rps',
    seed: input.seed,
    rules: input.rules,
    limits: { ...input.limits },
    bots: input.bots,
    roundsPlayed: 0,
    wins: [0, 0],
    ties: 0,
    outcome: rps.outcome(state),
    faults: [
      {
        seat: at.seat,
        round: at.round,
        kind,
        message:
          input.loss.kind === 'deadline'
            ? `ran past the match's wall-clock limit ${where}, on two fresh processes, and was stopped; it forfeits`
            : `crashed its sandbox process ${where}, the same way on two fresh processes (${summarise(input.loss)}); it forfeits`,
      },
    ],
    log: { moves: ['', ''], fuel: [[], []] },
    startFuel: [0, 0],
    stderr: ['', ''],
    timing: { moveMicros: [[], []], startMicros: [0, 0], totalMillis: 0 },
  };
}

/** A loss's kind in a few words, without the worker's own output (that goes to the log only). */
function summarise(loss: WorkerLoss): string {
  switch (loss.kind) {
    case 'deadline':
      return 'it ran past the wall-clock limit';
    case 'threw':
      return 'the worker failed with an error';
    default:
      return loss.message.replace(/; it wrote: [\s\S]*$/, '');
  }
}
