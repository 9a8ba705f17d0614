import type { FaultKind } from '../../src/games/match-record.js';

/**
 * The JSON written next to built bots (bots/dist/manifest.json, test/hostile/dist/manifest.json).
 * Paths in `file` are relative to the manifest's folder; `source` is relative to the repository.
 */

export type BotKind = 'component' | 'command';
export type BotLanguage = 'wat' | 'assemblyscript' | 'javascript' | 'c' | 'rust' | 'bytes';
export type Strategy = 'rock' | 'random' | 'cycle' | 'beatlast' | 'frequency';

export interface BuiltEntry {
  /** Output file name inside the manifest's folder, e.g. "rock.component.wasm". */
  file: string;
  /** Unique short name, the file name without ".wasm". */
  name: string;
  kind: BotKind;
  language: BotLanguage;
  /** The source it was built from, relative to the repository root. */
  source: string;
  /** One sentence on what the bot does. */
  description: string;
  /** sha256 of the output bytes, hex. */
  sha256: string;
  bytes: number;
  /** sha256 over sources, recipe, build code and toolchain versions: unchanged means no rebuild. */
  inputHash: string;
}

export interface BotEntry extends BuiltEntry {
  strategy: Strategy;
}

/** What the sandbox must do with a hostile bot. */
export type Expectation =
  /** Refused before any guest code runs (decoding, validation, imports, static limits). */
  | { expect: 'rejected'; code?: string; messageIncludes: string }
  /** Loads, then faults; `round` counts from 1, and 0 means while starting up (components). */
  | { expect: 'fault'; kind: FaultKind; round?: number }
  /** Plays a whole match with legal moves; `note` says what a test should check besides. */
  | { expect: 'plays'; note: string };

export interface HostileEntry extends BuiltEntry {
  /** The expectation in words, with the reason (test/hostile/README.md has more). */
  expectText: string;
  expected: Expectation;
}

export interface Manifest<E extends BuiltEntry> {
  format: 1;
  /** Versions of the npm toolchains that built these files. */
  toolchains: Record<string, string>;
  entries: E[];
}
