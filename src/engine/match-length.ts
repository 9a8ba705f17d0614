/**
 * How long a match a user may ask for. The game allows up to 100,000 rounds (games/rps.ts,
 * for local tools); a match someone starts on the server (a challenge, a tournament or a
 * schedule) is held to 10,000, ten times the standard length: the server pays for every round,
 * and a bot's fuel per match is sized for matches near the standard length. Enforced by the
 * engine whatever a transport's registration says.
 */
export const MAX_MATCH_ROUNDS = 10_000;

/** Plain-words problem with a requested length, or null. */
export function roundsProblem(rounds: number): string | null {
  if (!Number.isSafeInteger(rounds) || rounds < 1 || rounds > MAX_MATCH_ROUNDS) {
    return `rounds must be a whole number from 1 to ${MAX_MATCH_ROUNDS.toLocaleString('en-US')}`;
  }
  return null;
}
