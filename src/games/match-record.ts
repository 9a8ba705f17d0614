import type { Outcome, Seat } from './game.js';
import type { RpsRules } from './rps.js';

/**
 * A match is seed + bots + log: everything needed to replay it and to check that the replay
 * came out the same. Deterministic parts (moves, fuel, faults, outcome) are separated from the
 * wall-clock timings, which differ run to run and are never compared.
 */

/** Why a bot failed to produce a move. Every kind comes with a message its author can act on. */
export const FAULT_KINDS = [
  'out-of-fuel',
  'out-of-memory',
  'stack-exhausted',
  'trap',
  'output-too-large',
  'invalid-move',
  'timeout',
  'exit-nonzero',
  'crashed-at-start',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  seat: Seat;
  /** The round (from 1) in which the bot faulted; 0 means while starting up. */
  round: number;
  kind: FaultKind;
  message: string;
}

export type BotInterfaceKind = 'component' | 'command';

export interface MatchBot {
  /** Display name, e.g. "alice/beatlast". */
  name: string;
  /** sha256 of the uploaded bytes, hex. */
  sha256: string;
  kind: BotInterfaceKind;
}

/** The deterministic per-round log, stored column-wise so 1000 rounds stay small. */
export interface MatchLog {
  /** One letter per round (R, P, S) for each seat. */
  moves: [string, string];
  /** Fuel (instructions) each seat used in each round. */
  fuel: [number[], number[]];
}

/** Wall-clock measurements: useful for authors, never part of a verdict or a replay check. */
export interface MatchTiming {
  /** Microseconds each seat took in each round (whole move, including instantiation for commands). */
  moveMicros: [number[], number[]];
  /** Microseconds to instantiate each seat at match start (component bots). */
  startMicros: [number, number];
  totalMillis: number;
}

/**
 * The sandbox limits a match ran under, as plain numbers (the sandbox's Limits type; repeated
 * here so games/ stays free of sandbox imports). Fault points depend on them, so a replay
 * uses the same ones.
 */
export type MatchLimits = Record<string, number>;

export interface MatchRecord {
  game: 'rps';
  seed: string;
  rules: RpsRules;
  limits: MatchLimits;
  bots: [MatchBot, MatchBot];
  /** Rounds actually played (fewer than rules.rounds after a fault). */
  roundsPlayed: number;
  wins: [number, number];
  ties: number;
  outcome: Outcome;
  faults: Fault[];
  log: MatchLog;
  /** Fuel each seat spent starting up (component init or nothing for commands). */
  startFuel: [number, number];
  /** The last bytes each seat wrote to stderr, for its author's debugging. */
  stderr: [string, string];
  timing: MatchTiming;
}

/** The parts of a record that must be identical when the match is replayed. */
export function deterministicPart(record: MatchRecord) {
  const { timing: _timing, ...rest } = record;
  return rest;
}

export function totalFuel(record: MatchRecord, seat: Seat): number {
  let sum = record.startFuel[seat];
  for (const f of record.log.fuel[seat]) sum += f;
  return sum;
}
