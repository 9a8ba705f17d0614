import type { MatchRecord } from '../games/match-record.js';
import type { MatchRequest, SandboxFailure } from '../sandbox/types.js';
import type { Result } from '../util/result.js';
import type { EngineDeps } from './deps.js';

/**
 * Plays one match for a tournament pairing or a queued job. The sandbox turns its own failures
 * into values; anything it throws (a bug) is logged and counted as a lost worker, so the
 * fairness rules (a host failure is never a verdict) decide what happens next.
 */
export async function playOnce(
  deps: EngineDeps,
  request: MatchRequest,
): Promise<Result<MatchRecord, SandboxFailure>> {
  try {
    return await deps.sandbox.play(request);
  } catch (error) {
    deps.logger.error('sandbox.play threw', { seed: request.seed, error });
    return {
      ok: false,
      error: { code: 'worker-lost', message: `internal error: ${(error as Error)?.message ?? error}` },
    };
  }
}
