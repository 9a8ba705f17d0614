import type { BotInterfaceKind, MatchRecord } from '../games/match-record.js';
import type { RpsRules } from '../games/rps.js';
import type { Result } from '../util/result.js';
import type { Limits } from './limits.js';
import type { WorkTicket } from './workers/fair-queue.js';

export type { WorkTicket } from './workers/fair-queue.js';

/** Why an upload was refused. `message` is written for the bot's author, in plain words. */
export const REJECTION_CODES = [
  'empty',
  'too-large',
  'not-wasm',
  'unsupported-version',
  'malformed',
  'forbidden-import',
  'unknown-import',
  'wrong-exports',
  'wrong-signature',
  'unsupported-feature',
  /** A name inside a component that no toolchain writes (quotes, control characters...). */
  'bad-name',
  /** Types, nesting or generated bindings beyond what any bot needs. */
  'too-complex',
  'memory-too-large',
  'table-too-large',
  'failed-smoke-match',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface Rejection {
  code: RejectionCode;
  message: string;
}

/** What validation found out about an accepted bot. */
export interface BotReport {
  kind: BotInterfaceKind;
  sha256: string;
  size: number;
  /** Imports, e.g. "wasi_snapshot_preview1.fd_write" or "wasi:cli/stdout@0.2.3". */
  imports: string[];
  /** Exports, e.g. "_start", "memory" or "play". */
  exports: string[];
  /**
   * How moves reach a component: "direct" calls the lifted core function (flat components);
   * "bindings" goes through jco's generated glue (nested components, e.g. componentize-qjs).
   */
  callPath?: 'direct' | 'bindings';
  /** Things worth telling the author that do not stop the bot, e.g. ignored extra exports. */
  notes: string[];
  /** How the bot did in the short test match every upload plays against a reference bot. */
  smoke?: SmokeSummary;
}

export interface SmokeSummary {
  rounds: number;
  startFuel: number;
  maxMoveFuel: number;
  meanMoveFuel: number;
  meanMoveMicros: number;
}

/** A bot a match can play: uploaded bytes, or one of the built-in reference strategies. */
export type BotSource =
  | { kind: 'wasm'; name: string; sha256: string; bytes: () => Promise<Uint8Array> }
  | { kind: 'builtin'; name: string; strategy: BuiltinStrategy };

export const BUILTIN_STRATEGIES = ['rock', 'cycle', 'random'] as const;
export type BuiltinStrategy = (typeof BUILTIN_STRATEGIES)[number];

export interface MatchRequest {
  seed: string;
  rules: RpsRules;
  bots: [BotSource, BotSource];
  limits?: Partial<Limits>;
  /**
   * Who the match is for, so workers are shared fairly (one user's long matches cannot hold
   * every worker; interactive work goes before tournaments). Unset: an anonymous interactive match.
   */
  for?: WorkTicket;
  /**
   * Stop after this many rounds although the bots are told `rules.rounds` (the upload's smoke
   * match, which must look like a match of the standard length).
   */
  stopAfter?: number;
}

/**
 * What the upload's smoke match tells the bot, so that it cannot tell the smoke match from a
 * real one (docs/security.md, "The smoke match"): the names a real match would use and the
 * standard length. Unset fields get neutral defaults (the command line's `validate`).
 */
export interface SmokeDisguise {
  /** The name the bot will have in real matches ("owner#TAG/bot"). */
  name?: string;
  /** A real opponent's name ("owner#TAG/bot"). */
  opponentName?: string;
  /** The rounds the bot is told (the guild's standard length). */
  rounds?: number;
  /** Fixed by tests; otherwise fresh randomness, as every real match has its own seed. */
  seed?: string;
}

export interface CheckOptions {
  limits?: Partial<Limits>;
  /** Who uploaded it: uploads are queued fairly per user. */
  for?: WorkTicket;
  smoke?: SmokeDisguise;
}

/**
 * A match that could not be played. 'worker-lost' is a HOST failure after the retries of
 * sandbox/worker-loss.ts: never a verdict on either bot (a bot that crashes its worker gets a
 * played record in which it forfeits instead).
 */
export type SandboxFailure =
  | { code: 'rejected'; seat: 0 | 1; rejection: Rejection }
  | { code: 'worker-lost'; message: string }
  | { code: 'closed'; message: string };

export interface Sandbox {
  /** Validates an upload and prepares it to play; expected problems come back as a Rejection. */
  check(bytes: Uint8Array, options?: CheckOptions): Promise<Result<BotReport, Rejection>>;
  /** Plays a match in a sandbox worker. */
  play(request: MatchRequest): Promise<Result<MatchRecord, SandboxFailure>>;
  /**
   * Deletes prepared artifacts of uploads not in `keep` (sha256, hex) that were not used for
   * `graceMs` (default an hour), and temporary leftovers. Artifacts are a cache: a bot whose
   * artifact was collected is prepared again from its stored bytes when it next plays.
   */
  collectArtifacts?(keep: ReadonlySet<string>, options?: { graceMs?: number }): Promise<CollectionReport>;
  /** Stops taking work; matches still running end as 'closed'. */
  close(): Promise<void>;
}

export interface CollectionReport {
  removed: number;
  bytes: number;
  kept: number;
}
