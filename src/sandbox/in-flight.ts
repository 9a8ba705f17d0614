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
 * job ended by polling (every 100 ms), so a tournament's rate is at most this many per job's
 * turnaround (queue wait + play + commit + the poll): with 16, a 64-bot round robin on 2 workers
 * took 22.6-22.7 s, with 48 16.4 s and with 96 17.3 s (then PostgreSQL's CPU is the limit here).
 */
export const QUEUED_MATCHES_IN_FLIGHT = 48;

/** The sandbox's match processes: THROWDOWN_SANDBOX_WORKERS when set, else one per CPU. */
export function matchProcesses(configured: number | null | undefined): number {
  return configured ?? Math.max(1, availableParallelism());
}
