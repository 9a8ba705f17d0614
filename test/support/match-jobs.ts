import type { MatchJob } from '../../src/engine/match-queue.js';

/**
 * A match job for tests of the queue's own mechanics (src/queue/), where a handler stands in
 * for the sandbox: it names bots that need not exist. A tournament pairing when `tournamentId`
 * is given, else a challenge.
 */
export function stubMatchJob(key: string, tournamentId?: number): MatchJob {
  return {
    key,
    guildId: 'g',
    seed: key,
    rounds: 10,
    seats: [
      { botId: 1, versionId: 1, sha256: 'a', name: 'a/a', owner: '1' },
      { botId: 2, versionId: 2, sha256: 'b', name: 'b/b', owner: '2' },
    ],
    limits: {},
    ticket: { owner: 'o', group: 'g', priority: tournamentId ? 'background' : 'interactive' },
    requestedAt: new Date().toISOString(),
    ...(tournamentId
      ? { tournament: { id: tournamentId, round: 1, pairingKey: key } }
      : { challenge: { rate: false } }),
  };
}
