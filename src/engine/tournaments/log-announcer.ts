import type { Logger } from '../../util/logger.js';
import type { TournamentAnnouncer } from './announcer.js';

/**
 * An announcer for a process without a chat (the local console): each event is one log line.
 * Results give the winner and the count; /tournament history and the leaderboard have the rest.
 */
export function createLogAnnouncer(logger: Logger): TournamentAnnouncer {
  const log = logger.child({ component: 'tournament' });
  return {
    async start(t) {
      log.info(`${t.formatLabel} tournament #${t.id} started`, {
        bots: t.entrants.length,
        matches: t.totalMatches,
      });
      return { messageId: null, threadId: null };
    },
    async progress(t, p) {
      log.info(
        `${t.formatLabel} tournament #${t.id}: ${p.done}/${p.total} matches`,
        p.resumed ? { resumed: true } : {},
      );
    },
    async results(t, r) {
      const winner = r.standings[0]?.entrant;
      log.info(`${t.formatLabel} tournament #${t.id} finished`, {
        winner: winner ? `${winner.ownerName}/${winner.botName}` : null,
        matches: r.matchesPlayed,
        unplayed: r.unplayed.length,
      });
    },
    async cancelled(t, info) {
      log.info(`${t.formatLabel} tournament #${t.id} cancelled`, {
        reason: info.reason,
        done: info.progress.done,
      });
    },
    async skipped(info) {
      log.info('scheduled tournament skipped', { guild: info.guildId, reason: info.reason });
    },
  };
}
