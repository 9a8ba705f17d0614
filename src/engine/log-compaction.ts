import type { EngineDeps } from './deps.js';

/**
 * Keeps match storage bounded over time: a match's stderr tails (up to 4 KiB per seat) and
 * per-move times (a few KB gzipped) help its authors debug it for a while, then only take
 * space. After `keepDays` they are dropped (the moves, fuel, faults and result stay, so the
 * match can still be shown and replayed). Runs in batches, so one call never holds the
 * database long.
 */
export interface CompactionResult {
  matches: number;
  bytes: number;
}

export async function compactMatchLogs(deps: EngineDeps, keepDays: number): Promise<CompactionResult> {
  const before = new Date(deps.now().getTime() - keepDays * 86_400_000);
  const total = { matches: 0, bytes: 0 };
  for (;;) {
    const done = await deps.repos.matches.compactLogs(before);
    total.matches += done.matches;
    total.bytes += done.bytes;
    if (done.matches === 0) break;
  }
  if (total.matches > 0) deps.logger.info('match logs compacted', { keepDays, ...total });
  return total;
}

/**
 * Compacts once now and then every `everyMs` (default daily) until stopped. `keepDays` 0 turns
 * it off (logs kept forever).
 */
export function startLogCompaction(
  deps: EngineDeps,
  options: { keepDays: number; everyMs?: number },
): () => void {
  if (options.keepDays <= 0) return () => {};
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const run = async () => {
    try {
      await compactMatchLogs(deps, options.keepDays);
    } catch (error) {
      deps.logger.warn('compacting match logs failed; trying again later', { error });
    }
    if (!stopped) timer = setTimeout(run, options.everyMs ?? 86_400_000).unref();
  };
  timer = setTimeout(run, 0).unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
