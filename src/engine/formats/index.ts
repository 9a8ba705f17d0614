import { type RoundRobinState, roundRobin } from './round-robin.js';
import { type EliminationState, singleElimination } from './single-elimination.js';
import { type SwissState, swiss } from './swiss.js';
import type { EntrantId, Format, FormatOptions, MatchResult, Pairing, Progress, Standing } from './types.js';

export type { RoundRobinState } from './round-robin.js';
export type { EliminationState } from './single-elimination.js';
export { type SwissState, swissDefaultRounds, swissMaxRounds } from './swiss.js';
export type * from './types.js';

/** A tournament in progress, of whichever format; `format` says which. */
export type FormatState = RoundRobinState | SwissState | EliminationState;
export type FormatName = FormatState['format'];

/** Registry by name. Round robin is the default: small fields, every pair meets, no luck of the draw. */
export const formats = {
  'round-robin': roundRobin,
  swiss,
  'single-elimination': singleElimination,
} as const satisfies { [N in FormatName]: Format<Extract<FormatState, { format: N }>> };

export const FORMAT_NAMES = Object.keys(formats) as FormatName[];
export const DEFAULT_FORMAT: FormatName = 'round-robin';

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(formats, name);
}

/** One line for help text, e.g. in a command's option choices. */
export function describe(name: FormatName): string {
  return formats[name].description;
}

/**
 * The format that owns `state`. TypeScript cannot link the state's `format` field to the
 * matching registry entry through a union, so this one cast stands for that link; the
 * `satisfies` above checks each entry against its own state type.
 */
function formatOf<S extends FormatState>(state: S): Format<S> {
  return formats[state.format] as unknown as Format<S>;
}

export function startTournament(
  name: FormatName,
  entrants: readonly EntrantId[],
  options: FormatOptions,
  seed: string,
): FormatState {
  return formats[name].start(entrants, options, seed);
}

export const nextPairings = (state: FormatState, limit?: number): Pairing[] =>
  formatOf(state).nextPairings(state, limit);
/** The lowest round with a match still to play, or null when the tournament is complete. */
export const lowestOpenRound = (state: FormatState): number | null =>
  isComplete(state) ? null : (nextPairings(state, 1)[0]?.round ?? null);
export const record = <S extends FormatState>(state: S, key: string, result: MatchResult): S =>
  formatOf(state).record(state, key, result);
export const isComplete = (state: FormatState): boolean => formatOf(state).isComplete(state);
export const standings = (state: FormatState): Standing[] => formatOf(state).standings(state);
export const progress = (state: FormatState): Progress => formatOf(state).progress(state);
