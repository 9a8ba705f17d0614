import type { StoredMatch } from '../db/repos/matches.js';
import { storableJson } from '../db/text.js';
import type { MatchRecord } from '../games/match-record.js';
import type { Limits } from '../sandbox/limits.js';
import { err, ok, type Result } from '../util/result.js';
import { versionSource } from './bot-lookup.js';
import type { EngineDeps } from './deps.js';
import { type UserError, userError } from './errors.js';

export interface ReplayOutcome {
  match: StoredMatch;
  replayed: MatchRecord;
  identical: boolean;
  /** Plain-words differences, first one first; empty when identical. */
  differences: string[];
}

function firstDifference(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** What differs between a stored match and its replay; deterministic parts only. */
export function compareReplay(stored: StoredMatch, replayed: MatchRecord): string[] {
  const out: string[] = [];
  for (const seat of [0, 1] as const) {
    const moves = firstDifference([...stored.log.moves[seat]], [...replayed.log.moves[seat]]);
    if (moves >= 0) out.push(`seat ${seat} moved differently from round ${moves + 1}`);
    const fuel = firstDifference(stored.log.fuel[seat], replayed.log.fuel[seat]);
    if (fuel >= 0) {
      out.push(
        `seat ${seat} used different fuel in round ${fuel + 1} (${stored.log.fuel[seat][fuel]} stored, ${replayed.log.fuel[seat][fuel]} now)`,
      );
    }
  }
  if (stored.roundsPlayed !== replayed.roundsPlayed) {
    out.push(`${stored.roundsPlayed} rounds were played, the replay played ${replayed.roundsPlayed}`);
  }
  if (stored.winnerSeat !== replayed.outcome.winner || stored.score !== replayed.outcome.score) {
    out.push(`the result differs (score ${stored.score} stored, ${replayed.outcome.score} now)`);
  }
  const faultsStored = JSON.stringify(stored.faults);
  // Stored text was made storable (db/text.ts): compare the replay's the same way.
  const faultsNow = JSON.stringify(storableJson(replayed.faults));
  if (faultsStored !== faultsNow) out.push(`faults differ: ${faultsStored} stored, ${faultsNow} now`);
  return out;
}

/**
 * Re-runs a stored match from its seed, rules, limits and exact bot versions, and checks that
 * the log comes out identical: the proof that a match is seed + bots + log.
 */
export async function replayMatch(
  deps: EngineDeps,
  input: { matchId: number; guildId?: string },
): Promise<Result<ReplayOutcome, UserError>> {
  const match = await deps.repos.matches.get(input.matchId);
  if (!match || (input.guildId && match.guildId !== input.guildId)) {
    return err(userError('match-not-found', `There is no match #${input.matchId}.`));
  }
  const versions = await Promise.all(
    [match.bot0VersionId, match.bot1VersionId].map((id) => deps.repos.bots.getVersionInfo(id)),
  );
  if (!versions[0] || !versions[1])
    return err(userError('match-not-found', `Match #${input.matchId}'s bots are gone.`));
  const played = await deps.sandbox.play({
    seed: match.seed,
    rules: { rounds: match.rounds, drawMargin: match.drawMargin },
    bots: [
      versionSource(deps, match.bot0Name, versions[0]),
      versionSource(deps, match.bot1Name, versions[1]),
    ],
    limits: match.limits as Partial<Limits>,
    for: { owner: `replay:${input.matchId}`, group: `guild:${match.guildId}`, priority: 'interactive' },
  });
  if (!played.ok) {
    const f = played.error;
    return err(
      userError(
        'unavailable',
        `The replay could not run: ${f.code === 'rejected' ? f.rejection.message : f.message}`,
      ),
    );
  }
  const differences = compareReplay(match, played.value);
  return ok({ match, replayed: played.value, identical: differences.length === 0, differences });
}
