import type { Tournament } from '../../db/repos/tournaments.js';
import type { TournamentEntrant } from '../../db/schema.js';
import type { MatchRecord } from '../../games/match-record.js';
import { deriveSeed } from '../../games/rng.js';
import { makeRules } from '../../games/rps.js';
import type { MatchRequest } from '../../sandbox/types.js';
import { matchName, versionSource } from '../bot-lookup.js';
import type { EngineDeps } from '../deps.js';
import type { Pairing } from '../formats/index.js';
import { effectiveLimits } from '../guild-limits.js';
import { playOnce } from '../play-once.js';

export type PairingOutcome =
  | { kind: 'played'; record: MatchRecord; startedAt: Date }
  /** Settled without a match; `winnerSeat` is what the format records (null: a draw). */
  | { kind: 'unplayed'; winnerSeat: 0 | 1 | null; reason: string }
  /** The sandbox is shutting down: leave the pairing for whoever resumes the tournament. */
  | { kind: 'closed' }
  /**
   * The host failed (the sandbox's retries are spent and no bot is to blame): leave the pairing
   * unplayed, pause the tournament, and play it when the tournament resumes.
   */
  | { kind: 'host-failure'; reason: string };

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
 * Failures (decided here and in sandbox/worker-loss.ts, documented in docs/tournaments.md):
 * - a lost sandbox process is retried by the sandbox itself; a bot that crashes its process the
 *   same way twice comes back as a played match that it forfeits (rated like any fault);
 * - worker-lost (a host failure that no bot is to blame for): nothing is recorded and the
 *   tournament pauses; it resumes on the next poll and plays the pairing then. A host failure
 *   is never a verdict on the bots, so neither a draw nor a forfeit is stored.
 * - rejected (a bot cannot run under the limits, e.g. the server lowered them after the upload):
 *   that bot forfeits, unrated. It is the bot's doing, and retrying cannot help.
 * - closed (the service is stopping): nothing is recorded; the resumed tournament plays it.
 */
export async function playPairing(
  deps: EngineDeps,
  tournament: Pick<Tournament, 'seed' | 'rounds' | 'limits' | 'id' | 'guildId'>,
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
    // Background work: interactive matches go first, and the tournament shares with other guilds.
    for: {
      owner: `tournament:${tournament.id}`,
      group: `guild:${tournament.guildId}`,
      priority: 'background',
    },
  };
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
  deps.logger.warn('tournament match failed in the sandbox', {
    tournament: tournament.id,
    pairing: pairing.key,
    failure: failure.message,
  });
  return { kind: 'host-failure', reason: failure.message };
}
