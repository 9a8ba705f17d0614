import { availableParallelism } from 'node:os';

/**
 * Matches of a tournament to keep in flight per sandbox process: one playing, one sent ahead
 * (process-pool.ts's look-ahead, so the process starts it without waiting for the service), and
 * one waiting in the pool to be sent ahead as soon as the service reads a result. In a 64-bot
 * round robin on 2 processes, two per process left 27-29 % of the wall time outside play, three
 * 23-26 % (five runs each, docs/scaling.md); more only queue longer.
 */
export const MATCHES_IN_FLIGHT_PER_PROCESS = 3;

/** The sandbox's match processes: THROWDOWN_SANDBOX_WORKERS when set, else one per CPU. */
export function matchProcesses(configured: number | null | undefined): number {
  return configured ?? Math.max(1, availableParallelism());
}
