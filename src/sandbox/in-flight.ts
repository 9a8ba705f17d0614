import { availableParallelism } from 'node:os';

/**
 * Matches of a tournament to keep in flight per sandbox process: one playing, one sent ahead
 * (process-pool.ts's look-ahead, so the process starts it without waiting for the service), and
 * one waiting in the pool to be sent ahead as soon as the service reads a result. In a 64-bot
 * round robin on 2 processes, two per process left 27-29 % of the wall time outside play, three
 * 23-26 % (five runs each, docs/scaling.md); more only queue longer.
 */
export const MATCHES_IN_FLIGHT_PER_PROCESS = 3;

/**
 * Through the match queue, a tournament's matches in flight at once. The service learns that a
 * job ended by polling (every 100 ms) and a bundle (up to 8 matches: src/queue/types.ts) ends when
 * its last match is stored, so a tournament's rate is at most this many per bundle's turnaround
 * (gathering + queue wait + play + commit + the poll); too few and the workers run dry between
 * polls. 64-bot round robin on 2 workers, two runs each (docs/scaling.md): 48 in flight 8.8 s
 * (43-45 % of the workers' time outside play), 64 7.8-7.9 s (23-24 %), 96 7.3-7.6 s (21 %),
 * 128 7.6-7.9 s (22 %).
 */
export const QUEUED_MATCHES_IN_FLIGHT = 96;

/** The sandbox's match processes: THROWDOWN_SANDBOX_WORKERS when set, else one per CPU. */
export function matchProcesses(configured: number | null | undefined): number {
  return configured ?? Math.max(1, availableParallelism());
}
