import type { StoredResult, Tournament } from '../../db/repos/tournaments.js';
import type { TournamentEntrant } from '../../db/schema.js';
import { type FormatState, nextPairings, record, startTournament } from '../formats/index.js';

/** A tournament's format state from scratch: the same inputs always give the same state. */
export function initialState(t: Pick<Tournament, 'format' | 'entrants' | 'options' | 'seed'>): FormatState {
  return startTournament(
    t.format,
    t.entrants.map((e) => e.id),
    t.options,
    t.seed,
  );
}

/** Entrants by the format's id. */
export function entrantIndex(entrants: readonly TournamentEntrant[]): Map<string, TournamentEntrant> {
  return new Map(entrants.map((e) => [e.id, e]));
}

/**
 * The format state a tournament has reached: its initial state with every stored result
 * recorded again, by pairing key. Results are applied as their pairings become playable
 * (a Swiss round is paired only once the one before is complete), so the order they were
 * stored in does not matter. Nothing is replayed in the sandbox and nothing is stored again:
 * the format only learns what the database already holds.
 *
 * A stored result that names other bots than its pairing, or that no pairing ever asks for,
 * means the stored data and the format disagree: that throws rather than guess.
 */
export function rebuildState(
  t: Pick<Tournament, 'id' | 'format' | 'entrants' | 'options' | 'seed'>,
  stored: readonly StoredResult[],
): FormatState {
  const byKey = new Map<string, StoredResult>();
  for (const r of stored) {
    if (byKey.has(r.key)) throw new Error(`tournament ${t.id}: pairing ${r.key} is stored twice`);
    byKey.set(r.key, r);
  }
  const entrants = entrantIndex(t.entrants);
  let state = initialState(t);
  const applied = new Set<string>();
  for (;;) {
    const ready = nextPairings(state).filter((p) => byKey.has(p.key) && !applied.has(p.key));
    if (ready.length === 0) break;
    for (const pairing of ready) {
      const r = byKey.get(pairing.key)!;
      const seats = pairing.seats.map((id) => entrants.get(id)?.botId);
      if (seats[0] !== r.bot0Id || seats[1] !== r.bot1Id || pairing.round !== r.round) {
        throw new Error(
          `tournament ${t.id}: stored ${r.key} (round ${r.round}, bots ${r.bot0Id} v ${r.bot1Id}) ` +
            `is not the format's pairing (round ${pairing.round}, bots ${seats.join(' v ')})`,
        );
      }
      state = record(state, pairing.key, { winner: r.winnerSeat, score: r.score });
      applied.add(pairing.key);
    }
  }
  if (applied.size !== stored.length) {
    const missing = stored.filter((r) => !applied.has(r.key)).map((r) => r.key);
    throw new Error(
      `tournament ${t.id}: stored results ${missing.join(', ')} match no pairing of the format`,
    );
  }
  return state;
}
