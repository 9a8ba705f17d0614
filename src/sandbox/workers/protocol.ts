import type { MatchRecord } from '../../games/match-record.js';
import type { RpsRules } from '../../games/rps.js';
import type { Result } from '../../util/result.js';
import type { Limits } from '../limits.js';
import type { BakedLimits } from '../prepare/artifact.js';
import type { Prepared } from '../prepare/prepare.js';
import type { BuiltinStrategy, Rejection } from '../types.js';

/** Messages between the service and its sandbox worker processes (structured-clone serialisable). */

export interface PrepareTask {
  bytes: Uint8Array;
  maxModuleBytes: number;
  baked: BakedLimits;
  artifactsDir: string;
}
export type PrepareTaskResult = Result<Prepared, Rejection>;

export type SeatTask =
  | { kind: 'wasm'; name: string; sha256: string; dir: string }
  | { kind: 'builtin'; name: string; strategy: BuiltinStrategy };

export interface MatchTask {
  seed: string;
  rules: RpsRules;
  limits: Limits;
  seats: [SeatTask, SeatTask];
  /** Stop after this many rounds although the bots are told `rules.rounds` (the smoke match). */
  stopAfter?: number;
}
export type MatchTaskResult = { ok: true; record: MatchRecord } | { ok: false; message: string };
