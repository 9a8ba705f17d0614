import type { MatchRecord } from '../games/match-record.js';
import { handFromCode } from '../games/rps.js';

/**
 * The JSON that `throwdown match --json` prints: the documented, stable form of a match record
 * (docs/cli.md). Later versions add fields; they never remove or change existing ones.
 */
export const MATCH_JSON_FORMAT = 'throwdown.match/1';

export function matchToJson(record: MatchRecord, files: [string, string]) {
  const names = record.bots.map((b) => b.name);
  const rounds = [];
  const length = Math.max(record.log.moves[0].length, record.log.moves[1].length);
  for (let i = 0; i < length; i++) {
    rounds.push({
      round: i + 1,
      moves: [handFromCode(record.log.moves[0][i] ?? ''), handFromCode(record.log.moves[1][i] ?? '')],
      fuel: [record.log.fuel[0][i] ?? 0, record.log.fuel[1][i] ?? 0],
    });
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const mean = (xs: number[]) => (xs.length ? Math.round(sum(xs) / xs.length) : 0);
  return {
    format: MATCH_JSON_FORMAT,
    game: record.game,
    seed: record.seed,
    rules: record.rules,
    bots: record.bots.map((b, seat) => ({
      seat,
      name: b.name,
      file: files[seat],
      sha256: b.sha256,
      kind: b.kind,
    })),
    result: {
      winner: record.outcome.winner,
      winnerName: record.outcome.winner === null ? null : names[record.outcome.winner],
      reason: record.outcome.reason,
      score: record.outcome.score,
      wins: record.wins,
      ties: record.ties,
      roundsPlayed: record.roundsPlayed,
    },
    faults: record.faults.map((f) => ({ ...f, bot: names[f.seat] })),
    fuel: {
      total: [0, 1].map((s) => record.startFuel[s as 0 | 1] + sum(record.log.fuel[s as 0 | 1])),
      start: record.startFuel,
      meanPerMove: [mean(record.log.fuel[0]), mean(record.log.fuel[1])],
      maxPerMove: [Math.max(0, ...record.log.fuel[0]), Math.max(0, ...record.log.fuel[1])],
    },
    timing: {
      totalMillis: record.timing.totalMillis,
      startMicros: record.timing.startMicros,
      meanMoveMicros: [mean(record.timing.moveMicros[0]), mean(record.timing.moveMicros[1])],
    },
    stderr: record.stderr,
    rounds,
  };
}
