import type { TournamentsRepo } from '../../db/repos/tournaments.js';
import type { Logger } from '../../util/logger.js';
import type { Clock } from './clock.js';

export interface HeartbeatOptions {
  tournamentId: number;
  owner: string;
  leaseMs: number;
  /** How often the lease is renewed; a third of the lease leaves two chances before it expires. */
  everyMs: number;
}

/**
 * Keeps renewing a runner's lease. When a renewal finds the lease gone (another process took
 * over after it expired, or the tournament was cancelled or finished) it calls `onLost` once
 * and stops. A failed renewal (the database unreachable) is logged and retried at the next
 * beat: if it stays down the lease may expire and be taken, which the next successful beat
 * reports, and the guarded writes refuse this runner's results in the meantime. Returns stop.
 */
export function startHeartbeat(
  repo: Pick<TournamentsRepo, 'renew'>,
  clock: Clock,
  options: HeartbeatOptions,
  onLost: () => void,
  logger: Logger,
): () => void {
  let stopped = false;
  let cancel: () => void = () => {};
  const beat = async () => {
    if (stopped) return;
    try {
      const until = await repo.renew(options.tournamentId, options.owner, options.leaseMs);
      if (stopped) return;
      if (until === null) {
        stopped = true;
        onLost();
        return;
      }
    } catch (error) {
      logger.warn('tournament lease renewal failed', { tournament: options.tournamentId, error });
    }
    if (!stopped) cancel = clock.setTimer(options.everyMs, () => void beat());
  };
  cancel = clock.setTimer(options.everyMs, () => void beat());
  return () => {
    stopped = true;
    cancel();
  };
}
