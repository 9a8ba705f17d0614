import type { Tournament } from '../../db/repos/tournaments.js';
import type { TournamentEntrant } from '../../db/schema.js';
import type { MatchRecord } from '../../games/match-record.js';
import { deriveSeed } from '../../games/rng.js';
import { makeRules } from '../../games/rps.js';
import type { MatchRequest, SandboxFailure } from '../../sandbox/types.js';
import type { Result } from '../../util/result.js';
import { matchName, versionSource } from '../bot-lookup.js';
import type { EngineDeps } from '../deps.js';
import type { Pairing } from '../formats/index.js';
import { effectiveLimits } from '../guild-limits.js';

export type PairingOutcome =
  | { kind: 'played'; record: MatchRecord; startedAt: Date }
  /** Settled without a match; `winnerSeat` is what the format records (null: a draw). */
  | { kind: 'unplayed'; winnerSeat: 0 | 1 | null; reason: string }
  /** The sandbox is shutting down: leave the pairing for whoever resumes the tournament. */
  | { kind: 'closed' };

/** How often a match that failed for host reasons is tried in all. */
export const ATTEMPTS = 2;

/** The name a bot is told its opponent has, and that logs show: "owner/bot". */
export const entrantName = (e: TournamentEntrant) => matchName(e.ownerName, e.botName);

/**
 * Each pairing's match seed is derived from the tournament's seed and the pairing key, so a
 * pairing played again after a crash (its first result was never committed) is the same match.
 */
export function pairingSeed(tournamentSeed: string, key: string): string {
  return deriveSeed(tournamentSeed, `match:${key}`);
}

/**
 * Plays one pairing in the sandbox, with the versions the entrants entered with and the limits
 * the tournament started under.
 *
 * Failures (decided here, documented in docs/tournaments.md):
 * - worker-lost (the sandbox process died or hit the wall-clock safety net; not something the
 *   bots' fuel limits explain): tried once more with the same seed; a second failure settles the
 *   pairing as a draw, unrated, with the reason kept. Retrying forever could stall the
 *   tournament on one broken host; a draw takes no points from either side's record.
 * - rejected (a bot cannot run under the limits, e.g. the server lowered them after the upload):
 *   that bot forfeits, unrated. It is the bot's doing, and retrying cannot help.
 * - closed (the service is stopping): nothing is recorded; the resumed tournament plays it.
 */
export async function playPairing(
  deps: EngineDeps,
  tournament: Pick<Tournament, 'seed' | 'rounds' | 'limits' | 'id'>,
  pairing: Pairing,
  entrants: readonly [TournamentEntrant, TournamentEntrant],
): Promise<PairingOutcome> {
  const names = [entrantName(entrants[0]), entrantName(entrants[1])] as const;
  const request: MatchRequest = {
    seed: pairingSeed(tournament.seed, pairing.key),
    rules: makeRules({ rounds: tournament.rounds }),
    bots: [
      versionSource(deps, names[0], { id: entrants[0].versionId, sha256: entrants[0].sha256 }),
      versionSource(deps, names[1], { id: entrants[1].versionId, sha256: entrants[1].sha256 }),
    ],
    // The limits the tournament started under, never above the operator's now.
    limits: effectiveLimits(deps.limits, tournament.limits),
  };
  let lastFailure = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const startedAt = deps.now();
    const played = await playOnce(deps, request);
    if (played.ok) return { kind: 'played', record: played.value, startedAt };
    const failure = played.error;
    if (failure.code === 'closed') return { kind: 'closed' };
    if (failure.code === 'rejected') {
      return {
        kind: 'unplayed',
        winnerSeat: failure.seat === 0 ? 1 : 0,
        reason: `${names[failure.seat]} cannot run under this server's limits (${failure.rejection.message}), so it forfeits; not rated.`,
      };
    }
    lastFailure = failure.message;
    deps.logger.warn('tournament match failed in the sandbox', {
      tournament: tournament.id,
      pairing: pairing.key,
      attempt,
      failure: failure.message,
    });
  }
  return {
    kind: 'unplayed',
    winnerSeat: null,
    reason: `The sandbox failed ${ATTEMPTS} times running this match (${lastFailure}); counted as a draw, not rated.`,
  };
}

/** The sandbox turns its own failures into values; anything it throws is counted as a lost worker. */
async function playOnce(
  deps: EngineDeps,
  request: MatchRequest,
): Promise<Result<MatchRecord, SandboxFailure>> {
  try {
    return await deps.sandbox.play(request);
  } catch (error) {
    deps.logger.error('sandbox.play threw', { seed: request.seed, error });
    return {
      ok: false,
      error: { code: 'worker-lost', message: `internal error: ${(error as Error)?.message ?? error}` },
    };
  }
}
