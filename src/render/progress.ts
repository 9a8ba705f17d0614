import { formatDuration } from './time.js';

/**
 * Progress for long work (a round robin can take minutes), posted as ordinary channel messages
 * and edited now and then: users read a silent bot as a broken one. Elapsed time comes in as an
 * argument; nothing here reads the clock.
 */

export interface ProgressInput {
  /** What is running, e.g. "Round robin". */
  label: string;
  done: number;
  total: number;
  /** Milliseconds since the work started. */
  elapsedMs: number;
  /** What is counted, e.g. "matches" (default: nothing, just "120/496"). */
  unit?: string;
}

/** Whole percent done, rounded down so 100% means finished. An empty job is done. */
export function percentDone(done: number, total: number): number {
  if (total <= 0) return 100;
  return Math.floor((Math.min(Math.max(done, 0), total) / total) * 100);
}

/**
 * Time left if the rest goes at the pace so far; null until there is a pace to go by.
 * Matches in a round robin take about the same time each, so a straight line is fair.
 */
export function estimateRemainingMs(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || elapsedMs <= 0) return null;
  return (elapsedMs / done) * Math.max(0, total - done);
}

/**
 * "Round robin: 120/496 matches · 24% · about 2 min left"; "Round robin: 496/496 matches · done
 * in 8 min 3 s" when finished. The estimate is coarse on purpose (one unit): it moves, and "about
 * 2 min" promises no more than it knows.
 */
export function progressLine(input: ProgressInput): string {
  const { label, done, total, elapsedMs } = input;
  const unit = input.unit ? ` ${input.unit}` : '';
  const head = `${label}: ${done}/${total}${unit}`;
  if (done >= total) return `${head} · done in ${formatDuration(elapsedMs)}`;
  const left = estimateRemainingMs(done, total, elapsedMs);
  const eta = left === null ? 'estimating time left' : `about ${formatDuration(left, { units: 1 })} left`;
  return `${head} · ${percentDone(done, total)}% · ${eta}`;
}

export interface BarOptions {
  /** Cells in the bar (default 20). */
  width?: number;
  filled?: string;
  empty?: string;
}

/**
 * A bar of exactly `width` cells, no emoji: full block and light shade are one column in the
 * monospace and UI fonts Discord uses. Filled cells round down, so a full bar means done.
 */
export function progressBar(fraction: number, options: BarOptions = {}): string {
  const width = Math.max(1, Math.floor(options.width ?? 20));
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.floor(f * width + 1e-9);
  return (options.filled ?? '█').repeat(filled) + (options.empty ?? '░').repeat(width - filled);
}
