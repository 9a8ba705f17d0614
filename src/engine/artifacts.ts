import type { CollectionReport } from '../sandbox/types.js';
import type { EngineDeps } from './deps.js';

/**
 * Prepared artifacts are a cache of what the database holds (every version's bytes): the ones
 * no stored version refers to (rejected uploads, deleted bots, checks from `throwdown
 * validate`) are collected, after a grace period that protects an upload being checked now.
 */
export async function collectUnusedArtifacts(
  deps: Pick<EngineDeps, 'sandbox' | 'repos'>,
  options: { graceMs?: number } = {},
): Promise<CollectionReport | null> {
  if (!deps.sandbox.collectArtifacts) return null;
  return deps.sandbox.collectArtifacts(await deps.repos.bots.allSha256(), options);
}

/** Collects now and then every `everyMs`; returns the stop function. The timer never holds the process. */
export function startArtifactCollection(deps: EngineDeps, everyMs: number): () => void {
  const run = () =>
    void collectUnusedArtifacts(deps).catch((error) =>
      deps.logger.warn('collecting unused artifacts failed', { error }),
    );
  const first = setTimeout(run, 5_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
